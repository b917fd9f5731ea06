import { execFile } from "node:child_process";
import { REST } from "@discordjs/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordMessenger } from "../../bots/discord/messenger.ts";
import { OVERFLOW_GROUP } from "../../bots/discord/commands.ts";
import { registerCommands } from "../../bots/discord/register.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { RetryAfterError } from "../../core/notifications/messenger.ts";
import { commandProblems } from "../fakes/discord-api.ts";
import { tampered, withoutSignature } from "../fakes/discord-interactions.ts";
import { createTestDatabase, holdCampaignRow } from "../support/database.ts";
import { createTeam } from "../support/team.ts";
import { CHANNEL, DISCORD_BOT_TOKEN, DISCORD_USER, discordText, GUILD, startDiscordHarness, type DiscordHarness } from "../support/discord.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: DiscordHarness;

beforeAll(async () => {
  env = await createTestDatabase();
  // With workers, as `npm start` runs: late answers go out through the outbound queue.
  h = await startDiscordHarness(env.url, { workers: true });
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

const campaign = (name: string) => h.app.database.db.campaign.findFirst({ where: { workspaceId: h.team.workspaceId, name } });
const create = (name: string, who: "owner" | "manager" = "manager") =>
  h.command(who, ["campaign", "create"], { name, budget: "1,500.50", currency: "EUR", start: "2099-01-01", end: "2099-01-31", objective: "sales" });
const STRANGER = { id: "1180000000000009999", username: "stranger", globalName: "Some Stranger" };

/** The interaction answer is also what Discord would accept: the fake checks it against Discord's rules. */
function accepted(res: { json: any; req: { token: string } }) {
  expect(h.api.deliverResponse(res.req.token, res.json)).toEqual([]);
  return res.json;
}

describe("Discord interactions endpoint", () => {
  it("answers Discord's PING with PONG", async () => {
    const res = await h.post(h.discord.ping());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it("refuses forged, unsigned and stale requests with 401, running nothing", async () => {
    const req = h.discord.command({ guildId: GUILD, channelId: CHANNEL, user: DISCORD_USER.owner, path: ["campaign", "create"], options: { name: "Forged", budget: "10", start: "2099-01-01", end: "2099-01-02", objective: "sales" } });
    expect((await h.post(tampered(req, req.body.replace("Forged", "Forged2")))).status).toBe(401);
    expect((await h.post(withoutSignature(req))).status).toBe(401);
    const stale = h.discord.at(Math.floor(Date.now() / 1000) - 400).command({ guildId: GUILD, channelId: CHANNEL, user: DISCORD_USER.owner, path: ["campaign", "list"] });
    expect((await h.post(stale)).status).toBe(401);
    const otherKey = new (h.discord.constructor as any)().ping();
    expect((await h.post(otherKey)).status).toBe(401);
    expect(await campaign("Forged")).toBeNull();
    expect(await campaign("Forged2")).toBeNull();
  });

  it("runs a replayed interaction once", async () => {
    const req = h.discord.command({ guildId: GUILD, channelId: CHANNEL, user: DISCORD_USER.manager, path: ["campaign", "create"], options: { name: "Only Once", budget: "10", start: "2099-01-01", end: "2099-01-02", objective: "sales" } });
    const [a, b] = await Promise.all([h.post(req), h.post(req)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await h.app.database.db.campaign.count({ where: { workspaceId: h.team.workspaceId, name: "Only Once" } })).toBe(1);
  });
});

describe("/clout on Discord", () => {
  it("creates a campaign from typed options, exactly as the console would", async () => {
    const res = await create("Discord Launch");
    expect(res.status).toBe(200);
    const body = accepted(res);
    expect(body.type).toBe(4);
    expect(discordText(body.data)).toContain("Campaign Discord Launch");
    const c = await campaign("Discord Launch");
    expect(c).toMatchObject({ status: "draft", budgetMinor: 150050n, currency: "EUR" });
  });

  it("explains a bad value with an example, privately, and stores nothing", async () => {
    const res = await h.command("manager", ["campaign", "create"], { name: "Bad Dates", budget: "10", start: "2099-02-30", end: "2099-03-01", objective: "sales" });
    const body = accepted(res);
    expect(body.data.flags).toBe(64);
    expect(discordText(body.data)).toMatch(/2099-02-30/);
    expect(discordText(body.data)).toMatch(/campaign create/);
    expect(await campaign("Bad Dates")).toBeNull();
  });

  it("refuses a command the member's role may not run", async () => {
    await create("Not For Analysts");
    const c = (await campaign("Not For Analysts"))!;
    const body = accepted(await h.command("analyst", ["campaign", "submit"], { campaign: String(c.number) }));
    expect(body.data.flags).toBe(64);
    expect((await campaign("Not For Analysts"))?.status).toBe("draft");
  });

  it("gives an unknown Discord user a clear way in, in their language", async () => {
    const body = accepted(await h.command({ ...STRANGER }, ["campaign", "list"], {}, { locale: "pt-BR" }));
    expect(discordText(body.data)).toMatch(/link/);
    expect(discordText(body.data)).toMatch(/vinculad|conta/i);
  });

  it("adds a member picked with a user option, linked to that Discord account", async () => {
    const newcomer = { id: "1180000000000002001", username: "pat", globalName: "Pat Person" };
    const res = await h.command("owner", ["member", "add"], { who: newcomer.id, role: "analyst" }, { types: { who: 6 }, resolved: { users: { [newcomer.id]: { id: newcomer.id, username: newcomer.username, global_name: newcomer.globalName, discriminator: "0", avatar: null } } } });
    accepted(res);
    const identity = await h.app.database.db.identity.findUnique({ where: { platform_externalId: { platform: "discord", externalId: newcomer.id } }, include: { member: true } });
    expect(identity?.member).toMatchObject({ displayName: "Pat Person", role: "analyst", workspaceId: h.team.workspaceId });
  });

  it("keeps another brand's member from running their commands in this brand's server; in a DM they still work", async () => {
    // The server is bound to this team's workspace once a member was added there by mention.
    await h.command("owner", ["member", "add"], { who: "1180000000000002002", role: "analyst" }, { types: { who: 6 } });
    const other = await createTeam(h.app.database.db, "Rival Brand");
    const rival = { id: "1180000000000003001", username: "rival", globalName: "Rival Owner" };
    await h.app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "discord", externalId: rival.id, memberId: other.members.owner.id } });
    const here = accepted(await h.command(rival, ["campaign", "list"]));
    expect(here.data.flags).toBe(64);
    expect(discordText(here.data)).toContain("belongs to another brand");
    const dm = h.discord.command({ channelId: "1180000000000003002", user: rival, path: ["campaign", "list"] });
    const res = await (await h.post(dm)).json();
    expect(discordText(res.data)).toContain("No campaigns yet");
  });

  it("runs a signed button as whoever clicks it, and refuses a tampered one", async () => {
    await create("Button Flow");
    const c = (await campaign("Button Flow"))!;
    accepted(await h.command("manager", ["campaign", "submit"], { campaign: String(c.number) }));
    const show = accepted(await h.command("admin", ["campaign", "show"], { campaign: String(c.number) }));
    const buttons = show.data.components.flatMap((r: any) => r.components);
    const approve = buttons.find((b: any) => b.label === "Approve");
    expect(approve.custom_id.length).toBeLessThanOrEqual(100);

    const [mac, expiry] = approve.custom_id.split(".");
    const forged = h.discord.component({ guildId: GUILD, channelId: CHANNEL, user: DISCORD_USER.admin, customId: `${mac}.${expiry}.campaign cancel ${c.number}` });
    const refused = await h.post(forged);
    const refusal = await refused.json();
    expect(refusal.data.flags).toBe(64);
    expect(discordText(refusal.data)).toContain("could not be verified");
    expect((await campaign("Button Flow"))?.status).toBe("submitted");

    // Brand B's admin pressing brand A's button (say, in a shared DM thread or channel) does not act on B's campaign of the same number.
    const rivalTeam = await createTeam(h.app.database.db, "Button Rival");
    const rivalAdmin = { id: "1180000000000004001", username: "rivaladmin", globalName: "Rival Admin" };
    await h.app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "discord", externalId: rivalAdmin.id, memberId: rivalTeam.members.admin.id } });
    const crossed = await (await h.post(h.discord.component({ channelId: "1180000000000004002", user: rivalAdmin, customId: approve.custom_id }))).json();
    expect(discordText(crossed.data)).toContain("could not be verified");

    const click = h.discord.component({ guildId: GUILD, channelId: CHANNEL, user: DISCORD_USER.admin, customId: approve.custom_id });
    const res = await h.post(click);
    const body = await res.json();
    expect(h.api.deliverResponse(click.token, body)).toEqual([]);
    expect(discordText(body.data)).toContain("approved");
    expect((await campaign("Button Flow"))?.status).toBe("approved");
  });

  it("autocompletes campaigns of the caller's workspace only, and nothing for strangers or roles that may not run the command", async () => {
    await create("Glow Up");
    const other = await h.app.database.db.workspace.create({ data: { id: crypto.randomUUID(), name: "Other Brand", slug: `other-${Date.now()}` } });
    await h.app.database.db.campaign.create({ data: { id: crypto.randomUUID(), workspaceId: other.id, number: 1, name: "Glow Secret", nameKey: "glow secret", budgetMinor: 1n, currency: "USD", startsOn: new Date("2099-01-01"), endsOn: new Date("2099-01-02"), objective: "sales" } });
    const suggest = async (user: any, path: string[], typed = "glo") => {
      const req = h.discord.autocomplete({ guildId: GUILD, channelId: CHANNEL, user, path, options: { campaign: typed }, focused: "campaign" });
      const res = await h.post(req);
      const body = await res.json();
      expect(body.type).toBe(8);
      return body.data.choices as { name: string; value: string }[];
    };
    const mine = await suggest(DISCORD_USER.analyst, ["campaign", "show"]);
    expect(mine.map((c) => c.name)).toEqual([expect.stringMatching(/^#\d+ Glow Up · draft$/)]);
    expect(mine[0]!.value).toBe(String((await campaign("Glow Up"))!.number));
    expect(await suggest(STRANGER, ["campaign", "show"])).toEqual([]);
    // More digits than a campaign number can have: a name fragment that matches nothing, not a failed query.
    expect(await suggest(DISCORD_USER.analyst, ["campaign", "show"], "30000000000")).toEqual([]);
    expect(await suggest(DISCORD_USER.creator, ["campaign", "show"])).toEqual([]);
  });
});

describe("Discord deferred answers", () => {
  it("when busy: defers at once, then a worker edits the answer into the original message", async () => {
    const own = await createTestDatabase();
    const busy = await startDiscordHarness(own.url, { workers: true, load: { busy: () => true, stop: () => {} } });
    try {
      const res = await busy.command("owner", ["campaign", "list"]);
      expect(res.json).toEqual({ type: 5 });
      const original = await busy.api.waitForOriginal(res.req.token, (m) => m.edits > 0 || discordText(m).length > 0, 10_000);
      expect(discordText(original)).toContain("No campaigns yet");

      // A private answer must not replace the public "thinking…" message: it comes as an ephemeral follow-up.
      const stranger = await busy.command({ ...STRANGER }, ["link"]);
      expect(stranger.json).toEqual({ type: 5 });
      await busy.api.waitForCall((c) => c.method === "POST" && c.path.includes(`/webhooks/`) && c.path.endsWith(stranger.req.token), 10_000);
      const [followup] = busy.api.followups(stranger.req.token);
      expect(followup?.flags).toBe(64);
      expect(busy.api.calls.filter((c) => c.method === "DELETE" && c.path.includes(stranger.req.token))).toHaveLength(1);
    } finally {
      await busy.stop();
      await own.drop();
    }
  });

  it("a slow command is deferred inside 3 s, then answered through the interaction webhook", async () => {
    await create("Slow Lane");
    const c = (await campaign("Slow Lane"))!;
    accepted(await h.command("manager", ["campaign", "submit"], { campaign: String(c.number) }));
    const lock = await holdCampaignRow(env.url, c.id, 3_000);
    try {
      const started = performance.now();
      const res = await h.command("admin", ["campaign", "approve"], { campaign: String(c.number) });
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(res.json).toEqual({ type: 5 });
      const original = await h.api.waitForOriginal(res.req.token, (m) => discordText(m).includes("approved"), 10_000);
      expect(discordText(original)).toContain("moved from submitted to **approved**");
    } finally {
      await lock.release();
    }
  });
});

describe("Discord registration", () => {
  it("bulk-overwrites /clout, built from the registry, in a form Discord accepts", async () => {
    const rest = new REST({ version: "10", api: h.api.url }).setToken(DISCORD_BOT_TOKEN);
    const registry = createRegistry();
    const [clout] = await registerCommands(rest, h.api.applicationId, registry, GUILD);
    expect(commandProblems(h.api.commandsOf(GUILD))).toEqual([]);
    // Past Discord's 25 subcommands and groups, the last one-word commands sit under /clout more.
    const names = clout!.options!.flatMap((o: any) => (o.type === 2 ? o.options.map((s: any) => (o.name === OVERFLOW_GROUP ? s.name : `${o.name} ${s.name}`)) : [o.name]));
    expect(names.sort()).toEqual(registry.list().map((c) => c.name).sort());
    const create = clout!.options!.find((o: any) => o.name === "campaign") as any;
    const createOptions = create.options.find((s: any) => s.name === "create").options;
    expect(createOptions.find((o: any) => o.name === "objective").choices.map((c: any) => c.value)).toEqual(["awareness", "engagement", "sales"]);
    expect(createOptions.find((o: any) => o.name === "name").description_localizations["pt-BR"]).toBeTruthy();
  });

  it("npm run discord:register registers in a server, and explains what is missing", async () => {
    // Asynchronously: the fake Discord answering the script lives in this process.
    const run = (args: string[], env: Record<string, string>) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ["--import", "tsx", "bots/discord/register-cli.ts", ...args], { env: { PATH: process.env.PATH!, ...env }, encoding: "utf8", timeout: 30_000 }, (err, stdout, stderr) =>
          resolve({ status: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const ok = await run(["--guild", GUILD], { DISCORD_APPLICATION_ID: h.api.applicationId, DISCORD_BOT_TOKEN, DISCORD_API_URL: h.api.url });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/Registered \/clout with \d+ subcommands in server/);
    expect(ok.status).toBe(0);
    const missing = await run([], {});
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN must be set");
    const badGuild = await run(["--guild", "abc"], { DISCORD_APPLICATION_ID: "1", DISCORD_BOT_TOKEN: "x" });
    expect(badGuild.status).toBe(2);
    expect(badGuild.stderr).toContain("--guild takes a server id");
  });
});

describe("Discord messages", () => {
  it("a submitted campaign reaches the approvers as a DM with working buttons", async () => {
    const own = await createTestDatabase();
    const w = await startDiscordHarness(own.url, { workers: true });
    try {
      await w.command("manager", ["campaign", "create"], { name: "Needs Approval", budget: "10", start: "2099-01-01", end: "2099-01-02", objective: "sales" });
      const c = (await w.app.database.db.campaign.findFirst({ where: { name: "Needs Approval" } }))!;
      await w.command("manager", ["campaign", "submit"], { campaign: String(c.number) });
      const dm = await w.api.waitForCall((call) => call.method === "POST" && /\/channels\/\d+\/messages$/.test(call.path) && call.status === 200 && JSON.stringify(call.body).includes("Needs Approval"), 15_000);
      const channel = dm.path.split("/").at(-2)!;
      expect([w.api.dmChannelOf(DISCORD_USER.owner.id), w.api.dmChannelOf(DISCORD_USER.admin.id)]).toContain(channel);
      const approve = (dm.body as any).components.flatMap((r: any) => r.components).find((b: any) => b.label === "Approve");
      const click = w.discord.component({ channelId: channel, user: DISCORD_USER.admin, customId: approve.custom_id });
      await w.post(click);
      expect((await w.app.database.db.campaign.findUnique({ where: { id: c.id } }))?.status).toBe("approved");
    } finally {
      await w.stop();
      await own.drop();
    }
  });

  it("waits out a short retry_after, and hands a long one back to the queue", async () => {
    const rest = new REST({ version: "10", api: h.api.url, rejectOnRateLimit: (l) => l.retryAfter > 5_000 }).setToken(DISCORD_BOT_TOKEN);
    const messenger = discordMessenger({ rest, applicationId: h.api.applicationId, sign: (c) => c });
    const channel = "1180000000000000700";
    h.api.rateLimitNext({ method: "POST", path: new RegExp(`/channels/${channel}/messages$`) }, { retryAfter: 0.6 });
    const started = Date.now();
    await messenger.send({ platform: "discord", externalId: channel, name: "#general", channel: true }, { title: "Digest", text: "All good" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    const posts = h.api.callsTo({ method: "POST", path: new RegExp(`/channels/${channel}/messages$`) });
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(discordText(posts[1]!.body)).toContain("All good");

    h.api.rateLimitNext({ method: "POST", path: new RegExp(`/channels/${channel}/messages$`) }, { retryAfter: 30 });
    await expect(messenger.send({ platform: "discord", externalId: channel, name: "#general", channel: true }, { text: "later" })).rejects.toBeInstanceOf(RetryAfterError);
  });
});
