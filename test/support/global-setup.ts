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
export default async function setup({ provide }: { provide: (key: "templateDatabase", value: string) => void }) {
  const hash = createHash("sha256")
    .update(loadMigrations().map((m) => m.checksum).join())
    .digest("hex")
    .slice(0, 12);
  const template = `clout_tpl_${hash}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const stale = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'clout\\_t\\_%' OR (datname LIKE 'clout\\_tpl\\_%' AND datname <> $1)", [template]);
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
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
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
