import { randomBytes } from "node:crypto";
import pino from "pino";
import { loadConfig } from "../../../app/config.ts";
import { createApp, type App } from "../../../app/container.ts";
import { runCommand, type RunResult } from "../../../core/commands/run.ts";
import { createTeam, type Team } from "../../../test/support/team.ts";
import { withAdmin } from "./pg-admin.ts";
import { deleteKeys } from "./redis-keys.ts";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

type OnCleanup = (name: string, run: () => Promise<unknown>) => void;

/**
 * A database of the benchmark's own on the test server and a Redis key
 * prefix, both removed on clean-up (the keys after the app has stopped,
 * whose workers would recreate them: register the app's stop after this).
 */
export async function benchDatabase(log: (line: string) => void, onCleanup: OnCleanup): Promise<{ dbName: string; prefix: string; url: string }> {
  const id = randomBytes(4).toString("hex");
  const dbName = `bench_${id}`;
  const prefix = `bench-${id}`;
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${dbName}`;
  log(`creating database ${dbName}`);
  await withAdmin(TEST_DATABASE_URL, (c) => c.query(`CREATE DATABASE "${dbName}"`));
  onCleanup(`drop database ${dbName}`, () => withAdmin(TEST_DATABASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)));
  onCleanup(`delete Redis keys ${prefix}:*`, () => deleteKeys(TEST_REDIS_URL, prefix));
  return { dbName, prefix, url: url.toString() };
}

/**
 * The real app (no HTTP, no workers) on a fresh benchmark database, with a
 * team and one campaign, and commands run as the team's analyst. Rate limits
 * are off: the load is the measurement, not abuse.
 */
export async function benchWorkspace(log: (line: string) => void, onCleanup: OnCleanup): Promise<{ app: App; team: Team; url: string; prefix: string; campaign: { id: string }; run: (text: string) => Promise<RunResult> }> {
  const { prefix, url } = await benchDatabase(log, onCleanup);
  const config = loadConfig({ DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, PORT: "0", LOG_LEVEL: "silent", RATE_LIMITS: "off", CLOUT_SECRET: randomBytes(36).toString("base64url") });
  const app = await createApp(config, { log: pino({ level: "silent" }) });
  onCleanup("stop the app", () => app.stop());
  const team = await createTeam(app.database.db, "Bench Brand");
  const created = await runCommand(app.runner, { text: 'campaign create "Bench Launch" --budget 1000000 --currency USD --start 2026-01-01 --end 2026-03-31 --objective sales', caller: team.members.owner.caller });
  if (!created.ok) throw new Error(created.reply.text);
  const campaign = await app.database.db.campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId } });
  const run = async (text: string) => {
    const r = await runCommand(app.runner, { text, caller: team.members.analyst.caller });
    if (!r.ok) throw new Error(`${text}: ${r.reply.text}`);
    return r;
  };
  return { app, team, url, prefix, campaign, run };
}
