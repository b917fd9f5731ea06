/**
 * scripts/bench/discovery: `creators search` in a workspace of 450,000
 * creators (issue #8 item 5: "index it for 450,000 creators"; run it through
 * scripts/bench/discovery, which prepares PostgreSQL, Redis and node_modules).
 *
 * Set-up: a fresh database bench_<random>, migrated by the real composition
 * root. CREATORS creators bulk-inserted with generate_series, each with an
 * Instagram handle, a category, a country, a language, a two-word bio, an
 * influence score, platform metrics and three keywords from a vocabulary of
 * 60 (so a keyword matches about one creator in twenty).
 *
 * Measured after a warm-up, RUNS times each through the real command runner:
 * searches by a keyword, by a name, by two words, by filters only, and no
 * words at all; beside `workspace show` (the cost of any command). Each line
 * shows what was found and the first result with its "why".
 */
import pg from "pg";
import { benchWorkspace } from "./lib/bench-db.ts";
import { benchCli } from "./lib/cli.ts";
import { cleanupOnExit } from "./lib/cleanup.ts";
import { measure, timed } from "./lib/timing.ts";

const USAGE = `usage: scripts/bench/discovery [options]

  --creators N   creators in the workspace (default 450000)
  --runs N       timed runs of each search (default 50)
  --help         this text

Environment: TEST_DATABASE_URL, TEST_REDIS_URL (set by the shell wrapper).`;

const { flags, positive, log } = benchCli("discovery", USAGE, { creators: { type: "string" }, runs: { type: "string" } });
const CREATORS = positive(flags.creators, 450_000, "creators");
const RUNS = positive(flags.runs, 50, "runs");
const WORDS = ["skincare", "serum", "makeup", "lipstick", "haircare", "fitness", "yoga", "running", "recipe", "vegan", "pasta", "coffee", "travel", "lisbon", "nairobi", "beach", "hiking", "fashion", "streetwear", "vintage", "gaming", "esports", "music", "guitar", "dance", "comedy", "parenting", "pets", "dogs", "cats", "tech", "gadgets", "finance", "crypto", "books", "art", "photography", "design", "diy", "garden", "cars", "football", "tennis", "cycling", "wellness", "meditation", "nutrition", "baking", "wine", "interiors", "sneakers", "jewelry", "nails", "fragrance", "sustainability", "education", "science", "history", "languages", "film"];
const CATEGORIES = ["beauty", "food", "travel", "fitness", "fashion", "tech", "gaming", "music"];

async function seed(c: pg.Client, workspaceId: string): Promise<void> {
  await timed(log, `${CREATORS.toLocaleString("en")} creators with handles, bios, metrics and keywords`, async () => {
    await c.query(
      `INSERT INTO creators (id, workspace_id, number, name, name_key, category, location, language, bio, influence_score)
       SELECT gen_random_uuid(), $1, g, 'Creator ' || g, 'creator ' || g, ($3::text[])[1 + g % 8], (ARRAY['BR','KE','PT','US','NG'])[1 + g % 5], (ARRAY['pt','en'])[1 + g % 2],
              'All about ' || ($4::text[])[1 + (g::bigint * 7) % 60] || ' and ' || ($4::text[])[1 + (g::bigint * 13) % 60], (g::bigint * 7919 % 1001) / 10.0
       FROM generate_series(1, $2::int) g`,
      [workspaceId, CREATORS, CATEGORIES, WORDS],
    );
    await c.query(`INSERT INTO creator_handles (id, workspace_id, creator_id, platform, handle) SELECT gen_random_uuid(), workspace_id, id, 'instagram', 'creator' || number FROM creators WHERE workspace_id = $1`, [workspaceId]);
    await c.query(
      `INSERT INTO creator_platform_metrics (creator_id, platform, workspace_id, followers, tier, engagement_rate, engagement_denominator, engagement_posts, growth, measured_at)
       SELECT id, 'instagram', workspace_id, (number::bigint * 104729) % 2000000, 'micro', ((number::bigint * 31) % 800) / 100.0, 'followers', 12, '{}', now() FROM creators WHERE workspace_id = $1`,
      [workspaceId],
    );
    await c.query(
      `INSERT INTO creator_scores (creator_id, workspace_id, score, keyword_text, computed_at)
       SELECT id, workspace_id, influence_score, ($2::text[])[1 + number % 60] || ' ' || ($2::text[])[1 + (number / 60) % 60] || ' #' || ($2::text[])[1 + (number::bigint * 17) % 60], now() FROM creators WHERE workspace_id = $1`,
      [workspaceId, WORDS],
    );
  });
  await timed(log, "VACUUM ANALYZE", () => c.query("VACUUM ANALYZE"));
}

const cleanups = cleanupOnExit(log);

async function main(): Promise<void> {
  const { team, url, run } = await benchWorkspace(log, cleanups.add);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await seed(c, team.workspaceId);
  } finally {
    await c.end();
  }
  const searches = [
    "creators search skincare",
    "creators search skincare --min-engagement 5 --platform instagram",
    `creators search "creator ${Math.floor(CREATORS / 3)}"`,
    "creators search lisbon coffee",
    "creators search --category beauty --location BR --min-followers 1m",
    "creators search",
  ];
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(72)}${value}\n`);
  const base = await measure(async () => void (await run("workspace show")), RUNS, 5);
  process.stdout.write(`\ndiscovery: ${CREATORS.toLocaleString("en")} creators in one workspace, ${RUNS} runs each (median / p99, results)\n`);
  for (const line of searches) {
    const last = await run(line);
    const t = await measure(async () => void (await run(line)), RUNS, 3);
    row(line, `${ms(t.median)} / ${ms(t.p99)}   ${last.reply.title ?? last.reply.text}; first: ${last.reply.table?.rows[0]?.slice(1, 2).join("") ?? "—"} — ${last.reply.table?.rows[0]?.at(-1) ?? ""}`);
  }
  row("workspace show (any command's cost)", `${ms(base.median)} / ${ms(base.p99)}`);
}

main()
  .catch((err: unknown) => {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanups.cleanup());
