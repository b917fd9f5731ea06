import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nameKey } from "../../core/names.ts";
import { blockProblems } from "../fakes/slack-api.ts";
import { tampered, withRetry } from "../fakes/slack-requests.ts";
import { createTestDatabase, holdCampaignRow } from "../support/database.ts";
import { SLACK_USER, startSlackHarness, TEAM, textOf, type SlackHarness } from "../support/slack.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startSlackHarness(env.url);
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

const campaign = (name: string) => h.app.database.db.campaign.findFirst({ where: { workspaceId: h.team.workspaceId, nameKey: nameKey(name) } });
const create = (name: string, role: "owner" | "manager" = "owner") =>
  h.command(role, `campaign create "${name}" --budget 1500 --currency USD --start 2099-07-01 --end 2099-07-31 --objective sales`);

describe("Slack /clout", () => {
  it("runs a command and answers in the ack with Block Kit", async () => {
    const r = await create("Slack Launch");
    expect(r.status).toBe(200);
    expect(r.json.response_type).toBe("in_channel");
    expect(textOf(r.json.blocks)).toContain("Slack Launch");
    expect(blockProblems(r.json.blocks, 50)).toEqual([]);
    expect((await campaign("Slack Launch"))?.status).toBe("draft");
  });

  it("keeps lists and errors private to the asker", async () => {
    const list = await h.command("analyst", "campaign list");
    expect(list.json.response_type).toBe("ephemeral");
    const err = await h.command("analyst", "campaign create X --budget 1 --start 2099-01-01 --end 2099-01-02 --objective sales");
    expect(err.json.response_type).toBe("ephemeral");
    expect(textOf(err.json)).toContain("is for owner, admin, manager; you are analyst");
  });

  it("refuses a forged signature and a stale timestamp with 401, running nothing", async () => {
    const line = 'campaign create "Forged" --budget 1 --start 2099-01-01 --end 2099-01-02 --objective sales';
    const req = h.slack.slashCommand({ text: line, teamId: TEAM, userId: SLACK_USER.owner, userName: "olivia", channelId: "C1", responseUrl: h.api.responseUrl("forged") });
    expect((await h.post(tampered(req, req.body.replace("Forged", "Forged2")))).status).toBe(401);
    const wrongSecret = h.slack.withSecret("not-the-secret").slashCommand({ text: line, teamId: TEAM, userId: SLACK_USER.owner, userName: "o", channelId: "C1", responseUrl: h.api.responseUrl("x") });
    expect((await h.post(wrongSecret)).status).toBe(401);
    const stale = h.slack.at(Math.floor(Date.now() / 1000) - 6 * 60).slashCommand({ text: line.replace("Forged", "Stale"), teamId: TEAM, userId: SLACK_USER.owner, userName: "o", channelId: "C1", responseUrl: h.api.responseUrl("stale") });
    expect((await h.post(stale)).status).toBe(401);
    expect(await campaign("Forged")).toBeNull();
    expect(await campaign("Forged2")).toBeNull();
    expect(await campaign("Stale")).toBeNull();
  });

  it("answers Slack's url_verification and ssl_check handshakes", async () => {
    const challenge = await h.post(h.slack.urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));
    expect(await challenge.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    expect((await h.post(h.slack.sslCheck())).status).toBe(200);
  });

  it("never runs a redelivered request twice", async () => {
    const req = h.slack.slashCommand({ text: 'campaign create "Only Once" --budget 10 --start 2099-01-01 --end 2099-01-02 --objective sales', teamId: TEAM, userId: SLACK_USER.owner, userName: "olivia", channelId: "C1", responseUrl: h.api.responseUrl("once") });
    const [first, retry1, retry2] = await Promise.all([h.post(req), h.post(withRetry(req, 1)), h.post(withRetry(req, 2))]);
    expect([first.status, retry1.status, retry2.status]).toEqual([200, 200, 200]);
    expect(await h.app.database.db.campaign.count({ where: { workspaceId: h.team.workspaceId, name: "Only Once" } })).toBe(1);
    expect(await h.app.database.db.auditEntry.count({ where: { action: "campaign.created", data: { path: ["name"], equals: "Only Once" } } })).toBe(1);
  });

  it("acks a slow command inside 3 s with 'working on it', then posts the result to response_url", async () => {
    await create("Slow Lane");
    const c = (await campaign("Slow Lane"))!;
    expect((await h.command("owner", `campaign submit ${c.number}`)).status).toBe(200);
    // Another transaction holds the campaign's row, so the approval has to wait for it.
    const lock = await holdCampaignRow(env.url, c.id, 3_000);
    try {
      const ack = await h.command("admin", `campaign approve ${c.number}`, "slow-1");
      expect(ack.ms).toBeLessThan(3_000);
      expect(ack.json.text).toContain("Working on it");
      const posted = await h.api.waitForResponse((r) => r.id === "slow-1", 10_000);
      expect(textOf(posted.body)).toContain("moved from submitted to *approved*");
      expect((await campaign("Slow Lane"))?.status).toBe("approved");
    } finally {
      await lock.release();
    }
  });

  it("gives an unknown Slack user a clear way in", async () => {
    const r = await h.command({ userId: "UNEWBIE1", userName: "newbie" }, "campaign list");
    expect(textOf(r.json)).toContain("not linked");
    const help = await h.command({ userId: "UNEWBIE1" }, "help");
    expect(textOf(help.json)).toContain("workspace create");
  });

  it("links a Slack user by mention: an admin's `member add @user`, then they can work", async () => {
    const add = await h.command("admin", "member add <@UNEWBIE1|newbie> --role analyst");
    expect(textOf(add.json)).toContain("joined");
    const list = await h.command({ userId: "UNEWBIE1" }, "campaign list");
    expect(textOf(list.json)).toContain("Campaigns in Slack Brand");
  });

  it("shows a new member's link code only to the admin who added them", async () => {
    const r = await h.command("admin", 'member add "Quiet Quentin" --role analyst');
    expect(r.json.response_type).toBe("ephemeral");
    expect(textOf(r.json)).toMatch(/link [2-9A-HJ-NP-Z]{6}/);
  });

  it("speaks Portuguese to a user whose Slack language is Portuguese", async () => {
    const r = await h.command({ userId: "UPORTUG1" }, "campaign list");
    expect(textOf(r.json)).toContain("não está vinculada");
    const manager = await h.command("manager", "campain list");
    expect(textOf(manager.json)).toContain("Você quis dizer");
  });

  it("keeps 200 campaigns inside Slack's block limits", async () => {
    const db = h.app.database.db;
    await db.campaign.createMany({
      data: Array.from({ length: 200 }, (_, i) => ({
        id: crypto.randomUUID(),
        workspaceId: h.team.workspaceId,
        number: 1000 + i,
        name: `Bulk campaign with a fairly long descriptive name number ${i}`,
        nameKey: `bulk campaign with a fairly long descriptive name number ${i}`,
        objective: "awareness" as const,
        budgetMinor: 100_000n + BigInt(i),
        currency: "USD",
        startsOn: new Date("2099-01-01"),
        endsOn: new Date("2099-02-01"),
      })),
    });
    const r = await h.command("owner", "campaign list");
    expect(r.json.blocks.length).toBeLessThanOrEqual(50);
    expect(blockProblems(r.json.blocks, 50)).toEqual([]);
    expect(textOf(r.json)).toMatch(/more|of \d+/);
    const help = await h.command("owner", "help");
    expect(blockProblems(help.json.blocks, 50)).toEqual([]);
  });
});
