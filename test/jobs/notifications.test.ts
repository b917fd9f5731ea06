import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { ChatTarget } from "../../core/notifications/messenger.ts";
import type { Reply } from "../../core/reply.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";
import { ChatInbox } from "../fakes/chat-inbox.ts";

/** A chat platform whose API fails the first call, like a 5xx from Slack. */
class FlakyInbox extends ChatInbox {
  failures = 1;
  override async send(target: ChatTarget, reply: Reply) {
    if (this.failures-- > 0) throw new Error("platform returned 503");
    return super.send(target, reply);
  }
}

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
const inbox = new ChatInbox("console");
const flaky = new FlakyInbox("telegram");

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { workers: true, messengers: [inbox, flaky] });
  team = await createTeam(app.database.db, "Notify Brand");
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const as = (role: keyof Team["members"], text: string) => runCommand(app.runner, { text, caller: team.members[role].caller });

describe("notifications queue", () => {
  it("a submitted campaign reaches the approvers (not the submitter) with buttons to act", async () => {
    await as("manager", 'campaign create "Notify Me" --budget 100 --start 2099-01-01 --end 2099-01-31 --objective sales');
    await as("manager", 'campaign submit "Notify Me"');
    await inbox.waitFor(2);
    const owner = inbox.to(team.members.owner.caller.externalId);
    const admin = inbox.to(team.members.admin.caller.externalId);
    expect(owner).toHaveLength(1);
    expect(admin).toHaveLength(1);
    expect(inbox.to(team.members.manager.caller.externalId)).toHaveLength(0);
    expect(owner[0]!.text).toBe("Maria Manager submitted **Notify Me** (#1) for approval.");
    expect(owner[0]!.buttons?.map((b) => b.command)).toEqual(["campaign show 1", "campaign approve 1", "campaign reject 1", "campaign cancel 1"]);
  });

  it("an approval tells the managers and owner, each with only the moves their role allows", async () => {
    inbox.sent.length = 0;
    await as("admin", "campaign approve 1");
    await inbox.waitFor(2);
    const manager = inbox.to(team.members.manager.caller.externalId);
    expect(manager[0]!.text).toContain("Adam Admin approved **Notify Me**");
    expect(manager[0]!.buttons?.map((b) => b.command)).toEqual(["campaign show 1", "campaign activate 1", "campaign cancel 1"]);
    expect(inbox.to(team.members.admin.caller.externalId)).toHaveLength(0);
    expect(inbox.to(team.members.analyst.caller.externalId)).toHaveLength(0);
  });

  it("a platform failure is retried alone until the message gets through; nobody is told twice", async () => {
    inbox.sent.length = 0;
    await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "telegram", externalId: "tg-owner", memberId: team.members.owner.id } });
    await as("manager", "campaign activate 1");
    await flaky.waitFor(1, 10_000);
    expect(flaky.to("tg-owner")[0]!.text).toContain("started **Notify Me**");
    expect(flaky.failures).toBeLessThan(0);
    expect(inbox.to(team.members.owner.caller.externalId)).toHaveLength(1);
    expect(inbox.to(team.members.admin.caller.externalId)).toHaveLength(1);
  });
});
