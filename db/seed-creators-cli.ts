/**
 * `scripts/seed-creators --count 450000 [--workspace demo] [--platforms instagram,youtube]`:
 * bulk creators with handles in a workspace (the demo one by default, seeded
 * first if missing), on DATABASE_URL or the embedded database under DATA_DIR.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { randomIds } from "../core/ids.ts";
import { systemClock } from "../core/clock.ts";
import { SOCIAL_PLATFORMS, type SocialPlatform } from "../core/creators/handles.ts";
import { connectDatabase } from "./connect.ts";
import { migrate } from "./migrate.ts";
import { seedDemo } from "./seed.ts";
import { seedCreators } from "./seed-creators.ts";

const USAGE = "usage: scripts/seed-creators --count N [--workspace slug] [--platforms instagram,youtube,tiktok,x]";
const { values } = parseArgs({ options: { count: { type: "string" }, workspace: { type: "string", default: process.env.DEMO_WORKSPACE ?? "demo" }, platforms: { type: "string", default: SOCIAL_PLATFORMS.join(",") } } });
const count = Number(values.count);
const platforms = values.platforms.split(",").map((p) => p.trim()) as SocialPlatform[];
if (!Number.isInteger(count) || count < 1 || count > 5_000_000) {
  console.error(`--count: expected a whole number from 1 to 5000000, such as 450000\n${USAGE}`);
  process.exit(2);
}
if (platforms.some((p) => !SOCIAL_PLATFORMS.includes(p))) {
  console.error(`--platforms: expected some of ${SOCIAL_PLATFORMS.join(", ")}, such as instagram,tiktok\n${USAGE}`);
  process.exit(2);
}

const database = await connectDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: resolve(process.env.DATA_DIR ?? ".data", "pglite") });
try {
  await migrate(database.sql);
  await seedDemo(database.db, { clock: systemClock, ids: randomIds }, values.workspace);
  const workspace = await database.db.workspace.findUniqueOrThrow({ where: { slug: values.workspace } });
  const started = performance.now();
  const { first, last } = await seedCreators(database.sql, workspace.id, count, platforms);
  await database.sql.exec("ANALYZE creators; ANALYZE creator_handles");
  console.log(`${count.toLocaleString("en")} creators (#${first}-#${last}) with ${platforms.join(", ")} handles in ${workspace.name}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`seeding failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
