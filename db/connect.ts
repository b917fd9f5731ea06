import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.ts";
import type { Database, SqlRunner } from "./database.ts";
import { lockDataDir } from "./pglite-lock.ts";

export interface ConnectOptions {
  /** A postgres:// URL; absent means the embedded PGlite database in dataDir. */
  url?: string;
  dataDir: string;
  poolSize?: number;
}

export async function connectDatabase(options: ConnectOptions): Promise<Database> {
  return options.url ? connectPostgres(options.url, options.poolSize ?? 10) : connectPglite(options.dataDir);
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

async function connectPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  const runner = (client: pg.Pool | pg.PoolClient): SqlRunner => ({
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async session(fn) {
      const conn = await pool.connect();
      try {
        return await fn(runner(conn));
      } finally {
        conn.release();
      }
    },
  });
  return {
    db,
    sql: runner(pool),
    kind: "postgres",
    location: redactUrl(url),
    async close() {
      await db.$disconnect();
      await pool.end();
    },
  };
}

async function connectPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(`${dataDir}.lock`);
  const client = await PGlite.create(dataDir).catch((err: unknown) => {
    unlock();
    throw err;
  });
  const db = new PrismaClient({ adapter: new PrismaPGlite(client) });
  const sql: SqlRunner = {
    async exec(text) {
      await client.exec(text);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query<T>(text, params)).rows;
    },
    // PGlite is a single connection already.
    session: (fn) => fn(sql),
  };
  return {
    db,
    sql,
    kind: "pglite",
    location: dataDir,
    async close() {
      await db.$disconnect();
      await client.close();
      unlock();
    },
  };
}
