/**
 * scripts/bench/leaderboard: the leaderboard of a workspace with 100,000
 * creators (issue #7 item 2's benchmark; run it through scripts/bench/leaderboard,
 * which prepares PostgreSQL, Redis and node_modules).
 *
 * Set-up: a fresh database bench_<random> on TEST_DATABASE_URL's server,
 * migrated by the real composition root (no HTTP, no workers). CREATORS
 * creators bulk-inserted with generate_series, three in four with an
 * influence score (the rest at the neutral 50), one in a hundred with a
 * running boost, and CONTRACTED of them contracted on one campaign.
 *
 * Measured in the same run: the rebuild of every board from the database
 * (what the job does every 10 minutes), the first read after the boards are
 * deleted (what a reader after FLUSHDB waits for), then through the real
 * command runner (actor lookup, RBAC, argument binding, reply) RUNS times
 * after a warm-up: `leaderboard`, `leaderboard --campaign 1` and `feed`,
 * beside `workspace show` on the same workspace (the cost of any command).
 * The board's top 10 is checked against the same ranking in SQL.
 *
 * Clean-up, also on Ctrl-C: the app stopped, its Redis keys deleted, the
 * database dropped.
 */
import pg from "pg";
import { rebuildAllBoards } from "../../core/leaderboard/standings.ts";
import { benchWorkspace, TEST_REDIS_URL } from "./lib/bench-db.ts";
import { benchCli } from "./lib/cli.ts";
import { cleanupOnExit } from "./lib/cleanup.ts";
import { measure, timed } from "./lib/timing.ts";
import { deleteKeys } from "./lib/redis-keys.ts";

const USAGE = `usage: scripts/bench/leaderboard [options]

  --creators N     creators in the workspace (default 100000)
  --contracted N   of them contracted on the campaign (default 10000)
  --runs N         timed runs of each command (default 100)
  --help           this text

Environment: TEST_DATABASE_URL, TEST_REDIS_URL (set by the shell wrapper).`;

const { flags, positive, log } = benchCli("leaderboard", USAGE, { creators: { type: "string" }, contracted: { type: "string" }, runs: { type: "string" } });
const CREATORS = positive(flags.creators, 100_000, "creators");
const CONTRACTED = Math.min(CREATORS, positive(flags.contracted, 10_000, "contracted"));
const RUNS = positive(flags.runs, 100, "runs");
const REBUILDS = 3;
const TARGET_MS = 10;



const cleanups = cleanupOnExit(log);


/** Bulk data in SQL, so 100,000 creators take seconds. */
async function seed(c: pg.Client, workspaceId: string, campaignId: string): Promise<void> {
  await timed(log, `${CREATORS.toLocaleString("en")} creators, ${Math.floor(CREATORS / 100).toLocaleString("en")} boosts, ${CONTRACTED.toLocaleString("en")} contracts`, async () => {
    await c.query(
      `INSERT INTO creators (id, workspace_id, number, name, name_key, influence_score)
       SELECT gen_random_uuid(), $1, g, 'Creator ' || g, 'creator ' || g, CASE WHEN g % 4 = 0 THEN NULL ELSE (g * 7919 % 1001) / 10.0 END
       FROM generate_series(1, $2::int) g`,
      [workspaceId, CREATORS],
    );
    await c.query(
      `INSERT INTO boosts (id, workspace_id, creator_id, duration, multiplier, amount_minor, currency, status, starts_at, ends_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, id, d.duration, d.multiplier, 500, 'USD', 'active', now() - interval '1 hour', now() + interval '1 day', now(), now()
       FROM creators JOIN (VALUES (0, '24h', 1.5), (1, '7d', 2.0), (2, '30d', 3.0)) AS d(k, duration, multiplier) ON d.k = number % 3
       WHERE workspace_id = $1 AND number % 100 = 7`,
      [workspaceId],
    );
    await c.query(
      `INSERT INTO invitations (id, workspace_id, number, campaign_id, creator_id, fee_minor, currency, status, expires_at)
       SELECT gen_random_uuid(), $1, number, $2, id, 10000, 'USD', 'accepted', now() FROM creators WHERE workspace_id = $1 AND number <= $3`,
      [workspaceId, campaignId, CONTRACTED],
    );
    await c.query(
      `INSERT INTO contracts (invitation_id, workspace_id, campaign_id, creator_id, fee_minor, currency, deliverables, starts_on, ends_on, accepted_at)
       SELECT id, workspace_id, campaign_id, creator_id, fee_minor, currency, '1 reel', '2026-01-01', '2026-03-31', now() FROM invitations WHERE campaign_id = $1`,
      [campaignId],
    );
  });
  await timed(log, "VACUUM ANALYZE", () => c.query("VACUUM ANALYZE"));
}

/** The same ranking straight from SQL: the formula of core/leaderboard/formula.ts, ties to the earlier creator. */
const TOP_IN_SQL = `
  SELECT c.number, coalesce(c.influence_score, 50) * coalesce(b.multiplier, 1) AS score
  FROM creators c LEFT JOIN (SELECT creator_id, max(multiplier) AS multiplier FROM boosts WHERE status = 'active' AND starts_at <= now() AND ends_at > now() GROUP BY creator_id) b ON b.creator_id = c.id
  WHERE c.workspace_id = $1 ORDER BY score DESC, c.number LIMIT 10`;

async function main(): Promise<void> {
  const { app, team, url, prefix, campaign, run } = await benchWorkspace(log, cleanups.add);

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  cleanups.add("close the seeding connection", () => c.end());
  await seed(c, team.workspaceId, campaign.id);

  const rebuilds: number[] = [];
  for (let i = 0; i < REBUILDS; i++) rebuilds.push(await timed(log, `rebuild ${i + 1} of every board`, () => rebuildAllBoards(app.runner)));
  rebuilds.sort((a, b) => a - b);
  await deleteKeys(TEST_REDIS_URL, `${prefix}:rank`);
  const cold = await timed(log, "first leaderboard after the boards were deleted (rebuilds, then answers)", () => run("leaderboard"));

  log(`timing: ${RUNS} runs each`);
  const boardTimes = await measure(async () => void (await run("leaderboard")), RUNS, 5);
  const campaignTimes = await measure(async () => void (await run("leaderboard --campaign 1")), RUNS, 5);
  const feedTimes = await measure(async () => void (await run("feed")), RUNS, 5);
  const showTimes = await measure(async () => void (await run("workspace show")), RUNS, 5);

  // A fast board must also be the right one.
  const reply = (await run("leaderboard")).reply;
  const shown = reply.table!.rows.map((r) => Number(/#(\d+)\)$/.exec(r[1]!)![1]));
  const { rows: sql } = await c.query<{ number: number }>(TOP_IN_SQL, [team.workspaceId]);
  const agrees = JSON.stringify(shown) === JSON.stringify(sql.map((r) => r.number)) && reply.table!.total === CREATORS;
  const campaignTotal = (await run("leaderboard --campaign 1")).reply.table!.total ?? 0;

  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(44)}${value}\n`);
  process.stdout.write(`\nleaderboard: ${CREATORS.toLocaleString("en")} creators (${Math.floor(CREATORS / 100).toLocaleString("en")} boosted), campaign board of ${campaignTotal.toLocaleString("en")}\n`);
  row("rebuild of every board, median of 3", `${ms(rebuilds[1]!)}  (min ${ms(rebuilds[0]!)}, max ${ms(rebuilds[2]!)})`);
  row("first read after the boards were deleted", ms(cold));
  row("leaderboard (runner), median / p99", `${ms(boardTimes.median)} / ${ms(boardTimes.p99)}  (${RUNS} runs)`);
  row("leaderboard --campaign 1, median / p99", `${ms(campaignTimes.median)} / ${ms(campaignTimes.p99)}`);
  row("feed (runner), median / p99", `${ms(feedTimes.median)} / ${ms(feedTimes.p99)}`);
  row("workspace show (runner), median / p99", `${ms(showTimes.median)} / ${ms(showTimes.p99)}`);
  row("leaderboard ÷ workspace show (median)", `${(boardTimes.median / showTimes.median).toFixed(2)}×`);
  row("top 10 = the same ranking in SQL", agrees ? "ok" : `WRONG: ${shown.join(",")} vs ${sql.map((r) => r.number).join(",")}`);
  row(`target: p99 under ${TARGET_MS} ms`, boardTimes.p99 < TARGET_MS ? "met" : "NOT met");
  if (!agrees) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanups.cleanup());
