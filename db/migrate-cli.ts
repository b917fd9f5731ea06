/** `npm run migrate`: applies db/migrations to DATABASE_URL, or to the embedded database under DATA_DIR. */
import { resolve } from "node:path";
import { connectDatabase } from "./connect.ts";
import { migrate } from "./migrate.ts";

const database = await connectDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: resolve(process.env.DATA_DIR ?? ".data", "pglite") });
try {
  const applied = await migrate(database.sql);
  console.log(applied.length ? `applied ${applied.join(", ")} to ${database.location}` : `${database.location} is up to date`);
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
