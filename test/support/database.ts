import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { connectDatabase } from "../../db/connect.ts";
import type { Database } from "../../db/database.ts";
import { databaseUrl, TEST_DATABASE_URL } from "./env.ts";

const testDatabaseName = () => `clout_t_${inject("runId")}_${randomBytes(5).toString("hex")}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database with no tables at all, for testing migrations themselves. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = testDatabaseName();
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { url: databaseUrl(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}) };
}

/** A fresh, migrated, private database for one test file; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; database: Database; drop(): Promise<void> }> {
  const name = testDatabaseName();
  const template = inject("templateDatabase");
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (err) {
      // Two files copying the template at the same instant: PostgreSQL refuses the second; wait and retry.
      if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = databaseUrl(name);
  const database = await connectDatabase({ url, dataDir: "", poolSize: 5 });
  return {
    url,
    database,
    async drop() {
      await database.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Another transaction holds a campaign's row for `ms`, so a command that
 * changes it has to wait: how tests make a command slow for real. The lock
 * is released by then, or by `release()`, whichever comes first.
 */
export async function holdCampaignRow(url: string, campaignId: string, ms: number): Promise<{ release(): Promise<void> }> {
  const blocker = new pg.Client({ connectionString: url });
  await blocker.connect();
  await blocker.query("BEGIN");
  await blocker.query("SELECT id FROM campaigns WHERE id = $1 FOR UPDATE", [campaignId]);
  const timer = setTimeout(() => void blocker.query("COMMIT").catch(() => {}), ms);
  return {
    async release() {
      clearTimeout(timer);
      await blocker.query("COMMIT").catch(() => {});
      await blocker.end().catch(() => {});
    },
  };
}
