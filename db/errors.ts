import { Prisma } from "./generated/client.ts";

/** A write refused by a unique constraint (Prisma's P2002); `meta` names the constraint's fields. */
export function isUniqueViolation(err: unknown): err is Prisma.PrismaClientKnownRequestError {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}
