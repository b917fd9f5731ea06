import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlRunner } from "./database.ts";

export const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url).pathname;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

// Any fixed number works; it only has to be the same for every Clout process.
const LOCK_ID = 7_302_118;

/**
 * Applies pending migrations in order, each in its own transaction. Replicas
 * starting together serialise on an advisory lock, so each migration runs once.
 * An applied migration whose file changed since is refused: history is append-only.
 */
export async function migrate(sql: SqlRunner, migrations = loadMigrations()): Promise<string[]> {
  return sql.session(async (conn) => {
    await conn.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    try {
      await conn.exec(`CREATE TABLE IF NOT EXISTS _clout_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const rows = await conn.query<{ name: string; checksum: string }>("SELECT name, checksum FROM _clout_migrations");
      const applied = new Map(rows.map((r) => [r.name, r.checksum]));
      const known = new Set(migrations.map((m) => m.name));
      for (const name of applied.keys()) {
        if (!known.has(name)) throw new MigrationError(`database has migration ${name}, which this checkout does not: is the code older than the database?`);
      }
      const done: string[] = [];
      for (const m of migrations) {
        const seen = applied.get(m.name);
        if (seen !== undefined) {
          if (seen !== m.checksum) throw new MigrationError(`migration ${m.name} was edited after it was applied; add a new migration instead`);
          continue;
        }
        await conn.exec("BEGIN");
        try {
          await conn.exec(m.sql);
          await conn.query("INSERT INTO _clout_migrations (name, checksum) VALUES ($1, $2)", [m.name, m.checksum]);
          await conn.exec("COMMIT");
        } catch (err) {
          await conn.exec("ROLLBACK");
          throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
        }
        done.push(m.name);
      }
      return done;
    } finally {
      await conn.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]);
    }
  });
}
