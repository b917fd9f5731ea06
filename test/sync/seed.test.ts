import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../core/commands/run.ts";
import { seedCreators } from "../../db/seed-creators.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam } from "../support/team.ts";
import { startTestApp } from "../support/app.ts";
import type { App } from "../../app/container.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url);
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

/** The plan PostgreSQL picks when it must use an index if one can serve (the tables here are too small for it to choose one by cost). */
async function planOf(query: string, params: unknown[]): Promise<string> {
  return app.database.sql.session(async (s) => {
    await s.exec("SET enable_seqscan = off");
    const rows = await s.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query}`, params);
    await s.exec("RESET enable_seqscan");
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}

describe("bulk creators", () => {
  it("inserts creators with a handle per platform, numbered so `creator add` carries on after them", async () => {
    const team = await createTeam(app.database.db, "Bulk Brand");
    const { first, last } = await seedCreators(app.database.sql, team.workspaceId, 2_000, ["instagram", "tiktok"]);
    expect([first, last]).toEqual([1, 2_000]);
    const db = app.database.db;
    expect(await db.creator.count({ where: { workspaceId: team.workspaceId } })).toBe(2_000);
    expect(await db.creatorHandle.count({ where: { workspaceId: team.workspaceId, platform: "instagram" } })).toBe(2_000);
    expect(await db.creatorHandle.count({ where: { workspaceId: team.workspaceId, platform: "tiktok" } })).toBe(2_000);
    expect(await db.creatorHandle.count({ where: { workspaceId: team.workspaceId, platform: "youtube" } })).toBe(0);
    const added = await runCommand(app.runner, { text: 'creator add "After Bulk" --instagram afterbulk', caller: team.members.manager.caller });
    expect(added.ok, added.reply.text).toBe(true);
    expect((await db.creator.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "After Bulk" } })).number).toBe(2_001);
  });

  it("per-creator time ranges of snapshots, posts and comments are read through indexes", async () => {
    const creator = "00000000-0000-0000-0000-000000000001";
    const since = new Date("2026-10-01T00:00:00Z");
    expect(await planOf(`SELECT * FROM metric_snapshots WHERE creator_id = $1 AND platform = 'instagram' AND captured_at >= $2`, [creator, since])).toContain("metric_snapshots_pkey");
    expect(await planOf(`SELECT * FROM social_posts WHERE creator_id = $1 AND posted_at >= $2 ORDER BY posted_at DESC`, [creator, since])).toContain("social_posts_creator_time_idx");
    expect(await planOf(`SELECT * FROM post_comments WHERE creator_id = $1 AND posted_at >= $2`, [creator, since])).toContain("post_comments_creator_time_idx");
  });
});
