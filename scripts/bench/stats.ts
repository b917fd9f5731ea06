/**
 * scripts/bench/stats: how long `stats campaign` takes on a campaign with
 * millions of stored clicks (issue #6's benchmark; run it through
 * scripts/bench/stats, which prepares PostgreSQL, Redis and node_modules).
 *
 * Set-up: a fresh database bench_<random> on TEST_DATABASE_URL's server,
 * migrated by the real composition root (no HTTP, no workers). One campaign
 * with CREATORS creators, a referral link and a contract each; CLICKS clicks
 * spread over DAYS days, bulk-inserted with generate_series into clicks, and
 * link_daily_stats built from them the way the click writer rolls them up
 * (plus conversions and revenue for one click in fifty).
 *
 * Measured in the same run: `stats campaign` through the real command runner
 * (actor lookup, RBAC, argument binding, reply), RUNS times after a warm-up;
 * beside it `campaign show` on the same workspace through the same runner
 * (the cost of any command), and the naive answer: the same click figures
 * counted straight from the clicks table, which is what stats would cost
 * without roll-ups. The roll-up's total is checked against the full count.
 *
 * Clean-up, also on Ctrl-C: the app stopped, its Redis keys deleted, the
 * database dropped.
 */
import pg from "pg";
import { benchWorkspace } from "./lib/bench-db.ts";
import { benchCli } from "./lib/cli.ts";
import { cleanupOnExit } from "./lib/cleanup.ts";
import { measure, timed } from "./lib/timing.ts";

const USAGE = `usage: scripts/bench/stats [options]

  --clicks N     clicks stored for the campaign (default 5000000)
  --creators N   creators (links) in the campaign (default 200)
  --days N       days the clicks are spread over (default 90)
  --runs N       timed runs of each command (default 50)
  --help         this text

Environment: TEST_DATABASE_URL, TEST_REDIS_URL (set by the shell wrapper).`;

const { flags, positive, log } = benchCli("stats", USAGE, { clicks: { type: "string" }, creators: { type: "string" }, days: { type: "string" }, runs: { type: "string" } });
const CLICKS = positive(flags.clicks, 5_000_000, "clicks");
const CREATORS = positive(flags.creators, 200, "creators");
const DAYS = positive(flags.days, 90, "days");
const RUNS = positive(flags.runs, 50, "runs");
const NAIVE_RUNS = 5;
const TARGET_MS = 50;



const cleanups = cleanupOnExit(log);


/** Bulk data for one campaign, in SQL so millions of rows take seconds, not hours. */
async function seed(c: pg.Client, workspaceId: string, campaignId: string): Promise<void> {
  await timed(log, `${CREATORS} creators, links and contracts`, async () => {
    await c.query(
      `INSERT INTO creators (id, workspace_id, number, name, name_key)
       SELECT gen_random_uuid(), $1, g, 'Creator ' || g, 'creator ' || g FROM generate_series(1, $2::int) g`,
      [workspaceId, CREATORS],
    );
    await c.query(
      `INSERT INTO referral_links (id, workspace_id, campaign_id, creator_id, slug, code, code_key, created_at)
       SELECT gen_random_uuid(), $1, $2, id, 'bench' || number, 'CREATOR' || number, 'CREATOR' || number, now() FROM creators WHERE workspace_id = $1`,
      [workspaceId, campaignId],
    );
    await c.query(
      `INSERT INTO invitations (id, workspace_id, number, campaign_id, creator_id, fee_minor, currency, status, expires_at)
       SELECT gen_random_uuid(), $1, number, $2, id, 10000 + number * 100, 'USD', 'accepted', now() FROM creators WHERE workspace_id = $1`,
      [workspaceId, campaignId],
    );
    await c.query(
      `INSERT INTO contracts (invitation_id, workspace_id, campaign_id, creator_id, fee_minor, currency, deliverables, starts_on, ends_on, accepted_at)
       SELECT id, workspace_id, campaign_id, creator_id, fee_minor, currency, '1 reel', '2026-01-01', '2026-03-31', now() FROM invitations WHERE campaign_id = $1`,
      [campaignId],
    );
  });
  await timed(log, `${CLICKS.toLocaleString("en")} clicks over ${DAYS} days`, () =>
    c.query(
      `WITH links AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM referral_links WHERE campaign_id = $1)
       INSERT INTO clicks (click_id, link_id, at, visitor_hash, is_unique, is_qr)
       SELECT 'bench' || g, links.id, timestamptz '2026-01-01 00:00:00+00' + ((g::bigint * 7919) % ($3::int * 86400)) * interval '1 second',
              md5((g % 250000)::text), g % 3 <> 0, g % 10 = 0
       FROM generate_series(0, $2::int - 1) g JOIN links ON links.n = g % $4::int`,
      [campaignId, CLICKS, DAYS, CREATORS],
    ),
  );
  // The roll-up's GROUP BY over millions of rows spills to disk at the default work_mem.
  await c.query("SET work_mem = '256MB'");
  await timed(log, "link_daily_stats from the clicks", () =>
    c.query(
      `INSERT INTO link_daily_stats (link_id, day, clicks, unique_clicks, qr_clicks, conversions, revenue_minor)
       SELECT k.link_id, (k.at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE k.is_unique), count(*) FILTER (WHERE k.is_qr), count(*) / 50, (count(*) / 50) * 4990
       FROM clicks k JOIN referral_links l ON l.id = k.link_id WHERE l.campaign_id = $1 GROUP BY 1, 2`,
      [campaignId],
    ),
  );
  await timed(log, "VACUUM ANALYZE", () => c.query("VACUUM ANALYZE"));
}

/** The click figures of stats, counted from every stored click of the campaign. */
const NAIVE = `SELECT count(*)::bigint AS clicks, count(*) FILTER (WHERE k.is_unique)::bigint AS unique_clicks, count(*) FILTER (WHERE k.is_qr)::bigint AS qr
               FROM clicks k JOIN referral_links l ON l.id = k.link_id WHERE l.campaign_id = $1`;

async function main(): Promise<void> {
  const { team, url, campaign, run } = await benchWorkspace(log, cleanups.add);

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  cleanups.add("close the seeding connection", () => c.end());
  await seed(c, team.workspaceId, campaign.id);
  const { rows: sizes } = await c.query<{ clicks: string; days: string }>(
    "SELECT (SELECT count(*) FROM clicks) AS clicks, (SELECT count(*) FROM link_daily_stats) AS days",
  );

  log(`timing: ${RUNS} runs each`);
  const statsTimes = await measure(async () => void (await run("stats campaign 1")), RUNS, 5);
  const showTimes = await measure(async () => void (await run("campaign show 1")), RUNS, 5);
  const naiveTimes = await measure(async () => void (await c.query(NAIVE, [campaign.id])), NAIVE_RUNS, 1);

  // The roll-ups must say what the clicks say, or the speed is of a wrong answer.
  const reply = (await run("stats campaign 1")).reply;
  const shown = reply.fields?.find((f) => f.label === "Clicks")?.value.replace(/,/g, "");
  const { rows: naive } = await c.query<{ clicks: string }>(NAIVE, [campaign.id]);
  const agrees = shown === naive[0]!.clicks && Number(shown) === CLICKS;

  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(40)}${value}\n`);
  process.stdout.write(`\nstats campaign: ${Number(sizes[0]!.clicks).toLocaleString("en")} stored clicks, ${CREATORS} creators × ${DAYS} days = ${Number(sizes[0]!.days).toLocaleString("en")} roll-up rows\n`);
  row("stats campaign (runner), median / p99", `${ms(statsTimes.median)} / ${ms(statsTimes.p99)}  (${RUNS} runs)`);
  row("campaign show (runner), median / p99", `${ms(showTimes.median)} / ${ms(showTimes.p99)}  (${RUNS} runs)`);
  row("naive COUNT over clicks, median / p99", `${ms(naiveTimes.median)} / ${ms(naiveTimes.p99)}  (${NAIVE_RUNS} runs, the click figures only)`);
  row("stats ÷ campaign show (median)", `${(statsTimes.median / showTimes.median).toFixed(2)}×`);
  row("naive ÷ stats (median)", `${(naiveTimes.median / statsTimes.median).toFixed(0)}×`);
  row("roll-up clicks = stored clicks", `${shown} = ${naive[0]!.clicks} ${agrees ? "ok" : "WRONG"}`);
  row(`target: p99 under ${TARGET_MS} ms`, statsTimes.p99 < TARGET_MS ? "met" : "NOT met");
  if (!agrees) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanups.cleanup());
