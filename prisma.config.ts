import { defineConfig } from "prisma/config";
export default defineConfig({ schema: "db/schema.prisma" });
