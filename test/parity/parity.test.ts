import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMessage as renderDiscord } from "../../bots/discord/render.ts";
import { renderMessage as renderSlack } from "../../bots/slack/render.ts";
import { renderMessages as renderTelegram } from "../../bots/telegram/render.ts";
import type { ArgDef } from "../../core/commands/args.ts";
import { ManualClock } from "../../core/clock.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { runCommand } from "../../core/commands/run.ts";
import { tokenize } from "../../core/commands/tokenize.ts";
import type { Role } from "../../core/roles.ts";
import { FakeDiscordApi } from "../fakes/discord-api.ts";
import { DiscordInteractions } from "../fakes/discord-interactions.ts";
import { FakeTelegramApi, parseHtml } from "../fakes/telegram-api.ts";
import { TelegramUpdates } from "../fakes/telegram-updates.ts";
import { createTestDatabase } from "../support/database.ts";
import { discordText } from "../support/discord.ts";
import { startSlackHarness, textOf, type SlackHarness } from "../support/slack.ts";
import { createTeam, type Team } from "../support/team.ts";

/**
 * Every command through the console on one workspace and through Slack,
 * Discord and Telegram on twins of it (same names, same history): the same
 * outcome, and the same reply once rendered for each platform. A command
 * added to the registry without a line here fails.
 */
const TWIN_TEAM = "T0TWIN001";
const SCRIPT: [Role, string][] = [
  ["owner", "help"],
  ["owner", "help campaign create"],
  ["owner", "link"],
  ["owner", "workspace show"],
  ["owner", "admin outbox failed"],
  ["admin", "outbox retry all"],
  ["analyst", "outbox failed"],
  ["owner", 'workspace create "Second Brand"'],
  ["owner", 'member add "Pat Person" --role analyst'],
  ["admin", 'member add "Will Be Owner" --role owner'],
  ["manager", 'creator add "Twin Creator" --instagram twincreator --location KE --category beauty'],
  ["analyst", 'creator show "Twin Creator"'],
  ["analyst", "creators search twin --location KE"],
  ["manager", "sync all"],
  ["analyst", "sync all"],
  ["manager", "sync Nobody"],
  ["admin", "sync failures"],
  ["manager", 'campaign create "Twin One" --budget 1,000.50 --currency EUR --start 2099-01-01 --end 2099-01-31 --objective sales'],
  ["manager", 'campaign create "Twin Two" --budget 200 --start 2099-02-01 --end 2099-02-28 --objective awareness'],
  ["manager", 'campaign create "Twin Three" --budget 300 --start 2099-03-01 --end 2099-03-31 --objective engagement'],
  ["analyst", "campaign list"],
  ["manager", "campaign submit 1"],
  ["manager", "campaign approve 1"],
  ["admin", "campaign approve 1"],
  ["manager", "campaign activate 1"],
  ["manager", "campaign complete 1"],
  ["manager", "campaign submit 2"],
  ["owner", 'campaign reject 2 --reason "Not this quarter"'],
  ["manager", "campaign cancel 3"],
  ["manager", "campaign cancel 3"],
  ["analyst", "campaign show 1"],
  ["analyst", "campaign list --status cancelled"],
  ["manager", 'campaign create "Twin Four" --budget 500 --start 2099-04-01 --end 2099-04-30 --objective sales'],
  ["manager", "campaign submit 4"],
  ["admin", "campaign approve 4"],
  ["manager", 'creator add "Cris Creator" --member "Cris Creator" --phone +254700000009'],
  ["manager", 'invite "Cris Creator" --campaign 4 --fee 100 --deliverables "1 reel"'],
  ["manager", 'invite "Twin Creator" --campaign 4 --fee 450'],
  ["manager", 'invite "Twin Creator" --campaign "Twin Four" --fee 50 --message "Hi there" --expires 48h'],
  ["creator", "invites"],
  ["creator", "counter 1"],
  ["creator", "counter 1 --fee 150"],
  ["manager", "accept 1"],
  ["creator", 'referral show "Cris Creator" --campaign 4'],
  ["manager", "campaign update 4 --url https://shop.example.com/twin"],
  ["analyst", "referral show 1 --campaign 4"],
  ["analyst", "invites 1"],
  ["manager", "decline 2"],
  ["creator", "decline 1"],
  ["analyst", "invites --status accepted"],
  ["manager", "pay 1"],
  ["manager", "pay 1 --milestone advance"],
  ["creator", "receipt 1 --milestone advance"],
  ["creator", "boost status"],
  ["creator", "boost buy 24h"],
  ["analyst", "plan show"],
  ["owner", "plan upgrade pro"],
  ["owner", "plan downgrade pro"],
  ["analyst", "leaderboard"],
  ["manager", "leaderboard --campaign 4"],
  ["creator", "feed"],
  ["analyst", "stats campaign 4"],
  ["manager", 'stats creator "Cris Creator"'],
  ["analyst", 'stats creator "Cris Creator" --campaign "Twin Four"'],
  ["analyst", "report 4 --format doc"],
  ["creator", "report 4 --format pdf"],
  ["creator", "stats campaign 4"],
  ["creator", "digest now"],
  ["manager", "digest schedule weekly --channel here"],
  ["analyst", "digest schedule daily"],
  ["manager", "digest schedule hourly"],
  ["manager", "digest schedule off"],
  ["manager", "qr issue --campaign 4 --count 2 --expires 7d"],
  ["manager", "qr issue --campaign 3"],
  ["analyst", "redeem not-a-real-token-at-all"],
  ["owner", "apikey create shop"],
  ["admin", "apikey create shop"],
  ["admin", "apikey list"],
  ["owner", "apikey revoke shop"],
  ["manager", "apikey list"],
  ["owner", "campain list"],
];

const PLATFORMS = ["slack", "discord", "telegram"] as const;
type Platform = (typeof PLATFORMS)[number];
const GUILD = "1180000000000000777";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;
const discordApi = new FakeDiscordApi({ botToken: "MTE4.parity.token", bucket: { limit: 100, resetAfter: 1 } });
const discord = new DiscordInteractions();
const telegramApi = new FakeTelegramApi({ token: "7000000002:AAparity-token", username: "CloutBot" });
const telegramUpdates = new TelegramUpdates({ api: telegramApi });
const TELEGRAM_SECRET = "parity-secret";
/** Held still for each line, so what a reply shows of time (an invitation's answer-by) reads the same on every platform. */
const clock = new ManualClock(new Date());
let consoleTwin: Team;
const twins = {} as Record<Platform, Team>;

/** Each twin's member of a role on each platform: only the platform under test is used, the rest make "linked on" read the same everywhere. */
const ids: Record<Platform, (role: Role, twin: string) => string> = {
  slack: (role, twin) => `${twin === "slack" ? TWIN_TEAM : `T0${twin.toUpperCase().slice(0, 7)}`}:U${role.toUpperCase()}`,
  discord: (role, twin) => `11800000000${String(["slack", "discord", "telegram", "console"].indexOf(twin))}${String(["owner", "admin", "manager", "analyst", "creator"].indexOf(role)).padStart(6, "0")}`,
  telegram: (role, twin) => `6${["slack", "discord", "telegram", "console"].indexOf(twin)}0000${["owner", "admin", "manager", "analyst", "creator"].indexOf(role)}`,
};

beforeAll(async () => {
  env = await createTestDatabase();
  await discordApi.start();
  await telegramApi.start();
  h = await startSlackHarness(env.url, {
    clock,
    env: {
      DISCORD_APPLICATION_ID: discordApi.applicationId,
      DISCORD_PUBLIC_KEY: discord.publicKeyHex,
      DISCORD_BOT_TOKEN: "MTE4.parity.token",
      DISCORD_API_URL: discordApi.url,
      TELEGRAM_BOT_TOKEN: telegramApi.token,
      TELEGRAM_API_URL: telegramApi.url,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      PUBLIC_URL: "https://clout.example.com",
    },
  });
  consoleTwin = await createTeam(h.app.database.db, "Twin Brand");
  for (const p of PLATFORMS) twins[p] = await createTeam(h.app.database.db, "Twin Brand");
  for (const [twin, team] of [["console", consoleTwin], ...Object.entries(twins)] as [string, Team][]) {
    for (const [role, m] of Object.entries(team.members)) {
      for (const p of PLATFORMS) {
        await h.app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: p, externalId: ids[p](role as Role, twin), memberId: m.id } });
      }
    }
  }
});
afterAll(async () => {
  await h?.stop();
  await discordApi.stop();
  await telegramApi.stop();
  await env?.drop();
});

/** Link codes, API keys and their ids are random; everything else must match exactly. */
const normalize = (s: string) =>
  s
    .replace(/\/r\/[a-z2-9]{10}\b/g, "/r/SLUG")
    .replace(/\bCRIS\d{2,4}\b/g, "REFCODE")
    .replace(/clout_[0-9a-f]{32}_[\w-]+/g, "KEY")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "ID")
    .replace(/[\w-]{16}\.[0-9a-z]{5,8}\.ID/g, "TOKEN")
    .replace(/[\w-]{43}/g, "SECRET")
    .replace(/\b[2-9A-HJ-NP-Z]{6}\b/g, "CODE");

async function outcome(team: Team) {
  const db = h.app.database.db;
  const [campaigns, creators, members, audit, invitations] = await Promise.all([
    db.campaign.findMany({ where: { workspaceId: team.workspaceId }, orderBy: { number: "asc" }, select: { number: true, name: true, status: true, budgetMinor: true, currency: true } }),
    db.creator.findMany({ where: { workspaceId: team.workspaceId }, select: { number: true, name: true, location: true } }),
    db.member.findMany({ where: { workspaceId: team.workspaceId }, orderBy: { nameKey: "asc" }, select: { displayName: true, role: true } }),
    db.auditEntry.findMany({ where: { workspaceId: team.workspaceId }, orderBy: { id: "asc" }, select: { action: true, data: true } }),
    db.invitation.findMany({
      where: { workspaceId: team.workspaceId },
      orderBy: { number: "asc" },
      select: { number: true, status: true, feeMinor: true, rounds: { orderBy: { round: "asc" }, select: { side: true, action: true, feeMinor: true } }, contract: { select: { feeMinor: true, milestones: { orderBy: { kind: "asc" }, select: { kind: true, amountMinor: true } } } } },
    }),
  ]);
  return { campaigns, creators, members, audit, invitations };
}

const registry = createRegistry();
/** Discord user ids are unique: each person typed by name becomes a user of their own. */
let discordUsers = 0;

/**
 * A text line as the /clout interaction Discord would send: its words pick
 * the subcommand, its values fill the typed options. A person typed by name
 * becomes a Discord user of that name (the user option's only form).
 */
function discordInteraction(line: string) {
  const { command, rest } = registry.resolve(tokenize(line));
  const entries = Object.entries(command.args) as [string, ArgDef][];
  const positionals = entries.filter(([, a]) => a.positional);
  const options: Record<string, string | number> = {};
  const types: Record<string, 6> = {};
  const users: Record<string, { id: string; username: string; global_name: string; discriminator: string; avatar: null }> = {};
  let slot = 0;
  for (const tok of rest) {
    if (tok.type === "flag") {
      options[tok.name] = tok.value!;
      continue;
    }
    const value = tok.type === "word" ? tok.value : tok.raw;
    const [key] = positionals[Math.min(slot++, positionals.length - 1)]!;
    options[key] = options[key] === undefined ? value : `${options[key]} ${value}`;
  }
  for (const [key, a] of entries) {
    if (a.kind === "integer" && options[key] !== undefined) options[key] = Number(options[key]);
    if (a.kind === "member" && options[key] !== undefined) {
      const id = `1180000000099${String(discordUsers++).padStart(6, "0")}`;
      users[id] = { id, username: String(options[key]).toLowerCase().replace(/\W/g, ""), global_name: String(options[key]), discriminator: "0", avatar: null };
      options[key] = id;
      types[key] = 6;
    }
  }
  return { path: command.name.split(" "), options, types, resolved: { users } };
}

async function viaSlack(role: Role, line: string): Promise<string> {
  const before = new Set(h.api.calls);
  const r = await h.command({ userId: ids.slack(role, "slack").split(":")[1]!, teamId: TWIN_TEAM }, line);
  if (r.json) return textOf(r.json.blocks ?? r.json.text);
  // A reply that tracks something (an invitation) is posted to the channel instead of the ack.
  const post = await h.api.waitForCall("chat.postMessage", (c) => !before.has(c));
  return textOf(post.body.blocks ?? post.body.text);
}

async function viaDiscord(role: Role, line: string): Promise<string> {
  const { path, options, types, resolved } = discordInteraction(line);
  const user = { id: ids.discord(role, "discord"), username: role, globalName: role };
  const req = discord.command({ guildId: GUILD, channelId: "1180000000000000778", user, path, options, types, resolved });
  const channelPosts = discordApi.messages.filter((m) => m.kind === "channel").length;
  const res = await fetch(`${h.base}/discord/interactions`, { method: "POST", body: req.body, headers: req.headers });
  const body = await res.json();
  expect(discordApi.deliverResponse(req.token, body), line).toEqual([]);
  // A reply that tracks something (an invitation) is posted to the channel; the interaction only says so.
  const posted = discordApi.messages.filter((m) => m.kind === "channel").slice(channelPosts)[0];
  return discordText(posted ?? body.data);
}

async function viaTelegram(role: Role, line: string, expected: number): Promise<string> {
  const chat = Number(ids.telegram(role, "telegram"));
  const seen = Math.max(0, ...telegramApi.messagesIn(chat).map((m) => m.message_id));
  const update = telegramUpdates.message({ from: { id: chat, first_name: role, language_code: "en" }, text: `/${line}` });
  const req = telegramUpdates.webhookRequest(update, TELEGRAM_SECRET);
  expect((await fetch(`${h.base}/telegram/webhook`, { method: "POST", body: req.body, headers: req.headers })).status).toBe(200);
  const deadline = Date.now() + 5_000;
  // Photos (QR codes) follow the text as messages of their own, compared by the core's reply, not here.
  const texts = () => telegramApi.messagesIn(chat).filter((m) => m.message_id > seen && m.text !== undefined);
  let fresh = texts();
  while (fresh.length < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    fresh = texts();
  }
  return fresh.map((m) => m.text ?? "").join("\n");
}

describe("parity: console, Slack, Discord, Telegram", () => {
  it("covers every registered command", () => {
    const covered = new Set(
      SCRIPT.flatMap(([, line]) => {
        try {
          return [registry.resolve(tokenize(line)).command.name];
        } catch {
          return [];
        }
      }),
    );
    expect([...covered].sort()).toEqual(registry.list().map((c) => c.name).sort());
  });

  it("each line has the same outcome and renders the same reply on every platform", async () => {
    for (const [role, line] of SCRIPT) {
      clock.set(new Date());
      const viaConsole = await runCommand(h.app.runner, { text: line, caller: consoleTwin.members[role].caller });
      const reply = viaConsole.reply;

      expect(normalize(await viaSlack(role, line)), `slack: ${line}`).toBe(normalize(textOf(renderSlack(reply, { sign: (c) => c }).blocks)));

      const telegram = renderTelegram(reply, { sign: (c) => c });
      expect(normalize(await viaTelegram(role, line, telegram.messages.length)), `telegram: ${line}`).toBe(normalize(telegram.messages.map((m) => parseHtml(m.text)).join("\n")));

      // Discord only offers registered commands (a typo cannot be sent), and a person added there is a Discord user, linked at once rather than given a code.
      const expressible = (() => {
        try {
          return registry.resolve(tokenize(line)).command;
        } catch {
          return undefined;
        }
      })();
      if (!expressible) continue;
      const seen = await viaDiscord(role, line);
      // A reply with images or files is deferred on Discord (attachments need the webhook's multipart body) and delivered by the workers, which this harness doesn't run.
      if (reply.images?.length || reply.files?.length) expect(seen, `discord: ${line}`).toBe("");
      else if (expressible.name !== "member add" || !viaConsole.ok) expect(normalize(seen), `discord: ${line}`).toBe(normalize(discordText(renderDiscord(reply, { sign: (c) => c }))));
    }
    const expected = await outcome(consoleTwin);
    for (const p of PLATFORMS) expect(await outcome(twins[p]), p).toEqual(expected);
  });
});

