import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { runCommand } from "../../core/commands/run.ts";
import { PermanentSendError } from "../../core/notifications/messenger.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";
import { ChatInbox } from "../fakes/chat-inbox.ts";
import { ScriptedPlatform, until } from "../fakes/scripted-platform.ts";

const TOKEN = "7000000001:AAsecret-token-abcdefghijklmnopqrs";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let brand: Team;
let rival: Team;
let campaigns = 0;
const inbox = new ChatInbox("console");
const telegram = new ScriptedPlatform("telegram");

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { workers: true, messengers: [inbox, telegram], jobs: { backoffMs: 5 } });
  brand = await createTeam(app.database.db, "Outbox Brand");
  rival = await createTeam(app.database.db, "Rival Brand");
  await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "telegram", externalId: "tg-olivia", memberId: brand.members.owner.id } });
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const run = (team: Team, role: keyof Team["members"], text: string) => runCommand(app.runner, { text, caller: team.members[role].caller });

/** A submission tells the owner on Telegram (and both approvers on the console). */
async function submitCampaign(): Promise<void> {
  const name = `Outbox ${++campaigns}`;
  expect((await run(brand, "manager", `campaign create "${name}" --budget 100 --start 2099-01-01 --end 2099-01-31 --objective sales`)).ok).toBe(true);
  expect((await run(brand, "manager", `campaign submit "${name}"`)).ok).toBe(true);
}

async function failedRows(team: Team = brand) {
  const r = await run(team, "admin", "admin outbox failed");
  expect(r.ok, r.reply.text).toBe(true);
  return r.reply.table?.rows ?? [];
}

describe("outbound dead letters", () => {
  let failedId: string;

  it("a message failing all 5 attempts is listed for the workspace's admins with why, its secrets removed", async () => {
    const outage = () => new Error(`502 Bad Gateway from https://api.telegram.org/bot${TOKEN}/sendMessage (Bearer ${TOKEN})`);
    telegram.next(outage(), outage(), outage(), outage(), outage());
    await submitCampaign();
    await until("the message to fail", async () => (await failedRows()).length === 1);
    expect(telegram.calls).toBe(5);
    expect(telegram.delivered).toHaveLength(0);
    const r = await run(brand, "owner", "admin outbox failed");
    expect(r.reply.table?.columns).toEqual(["Id", "Platform", "To", "What failed", "Attempts", "When"]);
    const [id, platform, to, reason, attempts, when] = r.reply.table!.rows[0]!;
    expect([platform, to, attempts]).toEqual(["telegram", "Olivia Owner", "5"]);
    expect(reason).toContain("502 Bad Gateway from https://api.telegram.org/");
    expect(reason).not.toContain("AAsecret");
    expect(JSON.stringify(r.reply)).not.toContain("AAsecret");
    expect(when).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(r.reply.buttons?.map((b) => b.command)).toEqual(["outbox retry all"]);
    failedId = id!;
    // The console messages of the same event went through: only the failing platform's message is held.
    expect(inbox.to(brand.members.owner.caller.externalId)).toHaveLength(1);
  });

  it("another workspace's admin neither sees nor retries it", async () => {
    expect(await failedRows(rival)).toEqual([]);
    expect((await run(rival, "admin", "outbox failed")).reply.text).toContain("Every message got through");
    const byId = await run(rival, "owner", `admin outbox retry ${failedId}`);
    expect(byId.error).toBe("not_found");
    expect(byId.reply.text).toContain(`There is no failed message \`${failedId}\` in this workspace`);
    expect((await run(rival, "admin", "outbox retry all")).reply.text).toBe("There are no failed messages to send again.");
    expect(await failedRows()).toHaveLength(1);
  });

  it("an analyst or a manager is refused", async () => {
    for (const role of ["analyst", "manager"] as const) {
      for (const line of ["admin outbox failed", `admin outbox retry ${failedId}`]) {
        const r = await run(brand, role, line);
        expect(r.error, `${role}: ${line}`).toBe("forbidden");
      }
    }
    expect(await failedRows()).toHaveLength(1);
  });

  it("`admin outbox retry <id>` sends it once, with fresh attempts", async () => {
    const r = await run(brand, "admin", `admin outbox retry ${failedId}`);
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.text).toBe(`Message \`${failedId}\` is queued to be sent again.`);
    await until("the retried message to arrive", () => telegram.delivered.length === 1);
    expect(telegram.delivered[0]!.reply.text).toContain("submitted **Outbox 1**");
    expect(await failedRows()).toEqual([]);
    expect((await run(brand, "admin", `outbox retry ${failedId}`)).error).toBe("not_found");
    await new Promise((r) => setTimeout(r, 200));
    expect(telegram.delivered).toHaveLength(1);
    expect(telegram.calls).toBe(6);
  });

  it("a permanent refusal fails at once, without retries; `outbox retry all` sends it after the fix", async () => {
    telegram.next(new PermanentSendError("403 Forbidden: bot was blocked by the user"));
    await submitCampaign();
    await until("the refused message to be listed", async () => (await failedRows()).length === 1);
    const [row] = await failedRows();
    expect(row!.slice(1, 5)).toEqual(["telegram", "Olivia Owner", "403 Forbidden: bot was blocked by the user", "1"]);
    expect(telegram.calls).toBe(7);
    expect((await run(brand, "owner", "outbox retry all")).reply.text).toBe("1 message is queued to be sent again.");
    await until("the second message to arrive", () => telegram.delivered.length === 2);
    expect(telegram.delivered[1]!.reply.text).toContain("submitted **Outbox 2**");
    expect(await failedRows()).toEqual([]);
  });

  it("a platform that is not connected fails at once too, and says so", async () => {
    await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "discord", externalId: "1180000000000000001", memberId: brand.members.admin.id } });
    await app.queues.outbound.add("discord", { target: { platform: "discord", externalId: "1180000000000000001", name: "Adam Admin" }, reply: { text: "hi" }, workspaceId: brand.workspaceId }, { jobId: "no-discord" });
    await until("the message to be listed", async () => (await failedRows()).length === 1);
    expect((await failedRows())[0]!.slice(0, 5)).toEqual(["no-discord", "discord", "Adam Admin", "discord is not connected (no credentials)", "1"]);
  });
});
