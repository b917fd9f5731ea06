import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { SOCIAL_PLATFORMS } from "../../core/creators/handles.ts";
import { recordFailure } from "../../core/sync/failures.ts";
import { dueAccounts } from "../../core/sync/schedule.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

const clock = new ManualClock(new Date("2026-11-20T10:00:00Z"));
const HOUR = 3_600_000;
let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock });
  team = await createTeam(app.database.db, "Schedule Brand");
  await runAll(app.runner, team.members.manager.caller, [
    'creator add "Cris Creator" --member "Cris Creator" --instagram cris',
    'creator add "Never Synced" --instagram never',
    'creator add "Synced Recently" --instagram recent',
    'creator add "Synced Yesterday" --instagram yesterday',
    'creator add "Token Expired" --instagram expired',
    'creator add "Gave Up" --instagram gaveup',
    'campaign create "Live" --budget 1000 --start 2026-11-01 --end 2026-12-31 --objective sales',
    "campaign submit 1",
  ]);
  await runAll(app.runner, team.members.admin.caller, ["campaign approve 1"]);
  await runAll(app.runner, team.members.manager.caller, ["campaign activate 1", 'invite "Cris Creator" --campaign 1 --fee 100']);
  await runAll(app.runner, team.members.creator.caller, ["accept 1"]);
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

describe("the sync schedule", () => {
  it("is due hourly for creators of active campaigns, daily for the rest, and waits on failures retrying can't fix", async () => {
    const db = app.database.db;
    const now = clock.now().getTime();
    const syncedAt: Record<string, number> = { cris: now - 2 * HOUR, recent: now - 2 * HOUR, yesterday: now - 25 * HOUR, expired: now - 25 * HOUR, gaveup: now - 25 * HOUR };
    for (const [handle, at] of Object.entries(syncedAt)) await db.creatorHandle.updateMany({ where: { workspaceId: team.workspaceId, handle }, data: { syncedAt: new Date(at), syncStatus: "ok" } });
    const of = async (handle: string) => (await db.creatorHandle.findFirstOrThrow({ where: { workspaceId: team.workspaceId, handle } })).creatorId;
    await recordFailure(app.runner, { workspaceId: team.workspaceId, creatorId: await of("expired"), platform: "instagram" }, "token_expired", "the token expired", 1);
    await recordFailure(app.runner, { workspaceId: team.workspaceId, creatorId: await of("gaveup"), platform: "instagram" }, "retries_exhausted", "503 Service Unavailable", 5);

    const due = await dueAccounts(db, clock.now(), SOCIAL_PLATFORMS, null, 100);
    const handles = await db.creatorHandle.findMany({ where: { id: { in: due.map((d) => d.id) } } });
    expect(handles.map((h) => h.handle).sort()).toEqual(["cris", "gaveup", "never", "yesterday"]);
    // Paged by handle id: the second page starts after the first's last.
    const first = await dueAccounts(db, clock.now(), SOCIAL_PLATFORMS, null, 2);
    const rest = await dueAccounts(db, clock.now(), SOCIAL_PLATFORMS, first.at(-1)!.id, 100);
    expect([...first, ...rest].map((d) => d.id)).toEqual(due.map((d) => d.id));
  });
});
