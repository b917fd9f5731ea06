import { PrismaClient } from "./generated/client.ts";

/** The Prisma client every part of Clout talks through. */
export type Db = PrismaClient;

/** A transaction-scoped client, as handed to `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/** Raw SQL on the same database, for migrations and health checks. */
export interface SqlRunner {
  /** Runs one or more statements with no parameters and no result. */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn on one connection, so session state such as advisory locks holds across calls. */
  session<R>(fn: (sql: SqlRunner) => Promise<R>): Promise<R>;
}

export interface Database {
  db: Db;
  sql: SqlRunner;
  kind: "postgres" | "pglite";
  /** Where the data lives, safe to print (credentials removed). */
  location: string;
  close(): Promise<void>;
}
