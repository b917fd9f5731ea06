import { createHash } from "node:crypto";
import pg from "pg";
import { connectDatabase } from "../../db/connect.ts";
import { loadMigrations, migrate } from "../../db/migrate.ts";
import { databaseUrl, TEST_DATABASE_URL } from "./env.ts";

/**
 * Migrates one template database per migration set; each test file then gets
 * its own copy (CREATE DATABASE … TEMPLATE), so files run in parallel without
 * seeing each other's rows.
 */
/** Databases are named clout_t_<pid of the run>_<random>; a run whose process is gone left them behind. */
function leftByDeadRun(name: string): boolean {
  const pid = Number(/^clout_t_(\d+)_/.exec(name)?.[1]);
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "EPERM";
  }
}

export default async function setup({ provide }: { provide: (key: "templateDatabase" | "runId", value: string) => void }) {
  const hash = createHash("sha256")
    .update(loadMigrations().map((m) => m.checksum).join())
    .digest("hex")
    .slice(0, 12);
  const template = `clout_tpl_${hash}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  // Two runs starting together: one builds the template, the other waits for it.
  await admin.query("SELECT pg_advisory_lock(hashtext('clout-test-setup'))");
  try {
    // Another run may be going on against the same server: only what dead runs left is dropped.
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'clout\\_t\\_%'");
    const stale = rows.map((r) => r.datname).filter(leftByDeadRun);
    for (const name of stale) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    if (stale.length === rows.length) {
      const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'clout\\_tpl\\_%' AND datname <> $1", [template]);
      for (const { datname } of old.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${template}"`);
      const database = await connectDatabase({ url: databaseUrl(template), dataDir: "" });
      try {
        await migrate(database.sql);
      } catch (err) {
        await database.close();
        await admin.query(`DROP DATABASE "${template}" WITH (FORCE)`);
        throw err;
      }
      await database.close();
    }
  } finally {
    await admin.end();
  }
  provide("templateDatabase", template);
  provide("runId", String(process.pid));
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    runId: string;
  }
}
