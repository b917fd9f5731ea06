import { Telegram } from "telegraf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookUrl } from "../../bots/telegram/bot.ts";
import { TelegramDelivery, telegramMessenger } from "../../bots/telegram/messenger.ts";
import { runCommand } from "../../core/commands/run.ts";
import { RetryAfterError } from "../../core/notifications/messenger.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { startTelegramHarness, TELEGRAM_TOKEN, TELEGRAM_USER, type TelegramHarness } from "../support/telegram.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: TelegramHarness;

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startTelegramHarness(env.url);
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

const campaign = (name: string) => h.app.database.db.campaign.findFirst({ where: { workspaceId: h.team.workspaceId, name } });
const chatOf = (role: keyof typeof TELEGRAM_USER) => TELEGRAM_USER[role].id;
const GROUP = { id: -1001234567890, type: "supergroup" as const, title: "Brand team" };
const createLine = (name: string) => `/campaign create "${name}" --budget 2,000 --currency BRL --start 2099-01-01 --end 2099-01-31 --objective awareness`;
/** A member types `line` in their private chat; resolves with the bot's first new message there that says `text`. */
async function ask(role: keyof typeof TELEGRAM_USER, line: string, text: string | RegExp) {
  const chat = chatOf(role);
  const seen = Math.max(0, ...h.api.messagesIn(chat).map((m) => m.message_id));
  await h.say(role, line);
  return h.api.waitForMessage(chat, (m) => m.message_id > seen && (typeof text === "string" ? (m.text ?? "").includes(text) : text.test(m.text ?? "")));
}
/** A message the bot sent (or sends) in a chat that says `text`. */
const reply = (chatId: number, text: string | RegExp, timeoutMs = 5_000) =>
  h.api.waitForMessage(chatId, (m) => (typeof text === "string" ? (m.text ?? "").includes(text) : text.test(m.text ?? "")), timeoutMs);

describe("Telegram webhook", () => {
  it("refuses a request without the secret token with 401, running nothing", async () => {
    const update = h.updates.message({ from: TELEGRAM_USER.manager, text: createLine("Forged Secret") });
    expect((await h.deliver(update, null)).status).toBe(401);
    expect((await h.deliver(update, "wrong-secret")).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await campaign("Forged Secret")).toBeNull();
  });

  it("handles a redelivered update once", async () => {
    const update = h.updates.message({ from: TELEGRAM_USER.manager, text: createLine("Only Once") });
    const [a, b] = await Promise.all([h.deliver(update), h.deliver(update)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await reply(chatOf("manager"), "Only Once");
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.app.database.db.campaign.count({ where: { workspaceId: h.team.workspaceId, name: "Only Once" } })).toBe(1);
  });

  it("registered its webhook with the secret, and the command menu in English and Portuguese", () => {
    expect(h.api.webhook).toMatchObject({ url: "https://clout.example.com/telegram/webhook", secretToken: "clout-webhook-secret_1", allowedUpdates: ["message", "callback_query"] });
    const en = h.api.commandsFor()!;
    const pt = h.api.commandsFor({ type: "default" }, "pt")!;
    expect(en.map((c) => c.command)).toEqual(expect.arrayContaining(["help", "link", "campaign", "creator", "creators", "member", "workspace"]));
    expect(en.find((c) => c.command === "campaign")!.description).toContain("create");
    expect(en.find((c) => c.command === "help")!.description).not.toBe(pt.find((c) => c.command === "help")!.description);
  });
});

describe("Telegram commands", () => {
  it("runs /campaign create … with the same outcome as the console, answering in the member's language", async () => {
    await h.say("manager", createLine("Verão Brilhante"));
    const m = await reply(chatOf("manager"), "Verão Brilhante");
    expect(m.text).toMatch(/criada/i);
    expect(await campaign("Verão Brilhante")).toMatchObject({ status: "draft", budgetMinor: 200000n, currency: "BRL" });
  });

  it("takes plain text in a private chat, but in a group only commands, and only its own", async () => {
    await h.say("analyst", "campaign list");
    await reply(chatOf("analyst"), "Campaigns");
    const before = h.api.calls.length;
    await h.say("analyst", "campaign list", GROUP);
    await h.say("analyst", "/campaign@OtherBot list", GROUP);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.api.calls.slice(before).filter((c) => c.method === "sendMessage")).toEqual([]);
    await h.say("analyst", "/campaign@CloutBot list", GROUP);
    await reply(GROUP.id, "Campaigns");
  });

  it("explains a mistake with a right example, and stores nothing", async () => {
    await h.say("owner", '/campaign create "Bad Budget" --budget lots --start 2099-01-01 --end 2099-01-31 --objective sales');
    const m = await reply(chatOf("owner"), "--budget");
    expect(m.text).toContain("campaign create");
    expect(await campaign("Bad Budget")).toBeNull();
  });

  it("links a Telegram account through a t.me/<bot>?start=<code> deep link", async () => {
    const added = await runCommand(h.app.runner, { text: 'member add "Tele Newcomer" --role analyst', caller: h.team.members.owner.caller });
    const code = /\b([2-9A-HJ-NP-Z]{6})\b/.exec(added.reply.text ?? "")![1]!;
    const newcomer = { id: 5000099, first_name: "Tele", last_name: "Newcomer", language_code: "en" };
    await h.say(newcomer, `/start ${code}`);
    await reply(newcomer.id, /Tele Newcomer|linked/i);
    const identity = await h.app.database.db.identity.findUnique({ where: { platform_externalId: { platform: "telegram", externalId: String(newcomer.id) } }, include: { member: true } });
    expect(identity?.member.displayName).toBe("Tele Newcomer");
  });

  it("answers in the forum topic a command was asked in, not in General", async () => {
    const forum = { id: -1005550001111, type: "supergroup" as const, title: "Brand forum" };
    expect((await h.deliver(h.updates.message({ from: TELEGRAM_USER.owner, text: "/workspace show", chat: forum, topic: 77 }))).status).toBe(200);
    const answer = await h.api.waitForMessage(forum.id, (m) => m.from?.is_bot === true, 10_000);
    expect(answer.message_thread_id).toBe(77);
    expect(answer.text).toContain("Telegram Brand");
  });

  it("sends a private answer asked for in a group to the person's own chat", async () => {
    const before = h.api.messagesIn(GROUP.id).length;
    await h.say("owner", '/member add "Group Newcomer" --role analyst', GROUP);
    const dm = await reply(chatOf("owner"), "Group Newcomer");
    expect(dm.text).toMatch(/[2-9A-HJ-NP-Z]{6}/);
    const note = await reply(GROUP.id, "private chat");
    expect(note.text).not.toMatch(/[2-9A-HJ-NP-Z]{6}/);
    expect(h.api.messagesIn(GROUP.id).slice(before).some((m) => (m.text ?? "").includes("Group Newcomer"))).toBe(false);
  });
});

describe("Telegram identity", () => {
  it("refuses an anonymous admin (a shared stand-in account), linking nothing", async () => {
    const added = await runCommand(h.app.runner, { text: 'member add "Anon Admin" --role admin', caller: h.team.members.owner.caller });
    const code = /\b([2-9A-HJ-NP-Z]{6})\b/.exec(added.reply.text ?? "")![1]!;
    const anonymous = h.updates.message({ from: { id: 1087968824, first_name: "Group", username: "GroupAnonymousBot" }, chat: GROUP, text: `/link ${code}` });
    (anonymous.message as { sender_chat?: object }).sender_chat = { id: GROUP.id, type: "supergroup", title: GROUP.title };
    await h.deliver(anonymous);
    await reply(GROUP.id, "anonymous admin");
    expect(await h.app.database.db.identity.findUnique({ where: { platform_externalId: { platform: "telegram", externalId: "1087968824" } } })).toBeNull();
  });

  it("receives updates by webhook only where Telegram delivers them (https on 443, 80, 88 or 8443), keeping PUBLIC_URL's path", () => {
    expect(webhookUrl("https://clout.example.com")).toBe("https://clout.example.com/telegram/webhook");
    expect(webhookUrl("https://example.com:8443/clout")).toBe("https://example.com:8443/clout/telegram/webhook");
    expect(webhookUrl("http://localhost:3000")).toBeUndefined();
    expect(webhookUrl("https://example.com:3000")).toBeUndefined();
    expect(webhookUrl(undefined)).toBeUndefined();
  });
});

describe("Telegram buttons", () => {
  it("runs a signed button as whoever presses it, answers the callback, and refuses tampered data", async () => {
    await ask("admin", createLine("Button Flow"), "Button Flow");
    const c = (await campaign("Button Flow"))!;
    await ask("admin", `/campaign submit ${c.number}`, "to submitted");
    const shown = await ask("admin", `/campaign show ${c.number}`, "Button Flow");
    const approve = shown.reply_markup!.inline_keyboard.flat().find((b) => b.text === "Approve") as { text: string; callback_data: string };
    expect(Buffer.byteLength(approve.callback_data)).toBeLessThanOrEqual(64);

    const [mac, expiry] = approve.callback_data.split(".");
    const forged = h.updates.callbackQuery({ from: TELEGRAM_USER.admin, data: `${mac}.${expiry}.campaign cancel ${c.number}`, message: shown as never });
    await h.deliver(forged);
    await h.api.waitForCall("answerCallbackQuery", (call) => call.body.callback_query_id === forged.callback_query.id);
    expect(h.api.callbackAnswer(forged.callback_query.id)).toMatchObject({ showAlert: true, text: expect.stringContaining("could not be verified") });
    expect((await campaign("Button Flow"))?.status).toBe("submitted");

    const press = h.updates.callbackQuery({ from: TELEGRAM_USER.admin, data: approve.callback_data, message: shown as never });
    await h.deliver(press);
    await reply(chatOf("admin"), /moved from submitted to approved/);
    expect(h.api.callbackAnswer(press.callback_query.id)).not.toBeNull();
    expect((await campaign("Button Flow"))?.status).toBe("approved");
  });
});

describe("Telegram when the process is busy", () => {
  it("says it is working at once, then edits that message into the answer", async () => {
    const own = await createTestDatabase();
    const busy = await startTelegramHarness(own.url, { workers: true, load: { busy: () => true, stop: () => {} } });
    try {
      await busy.say("owner", "/campaign list");
      const working = await busy.api.waitForMessage(TELEGRAM_USER.owner.id, (m) => (m.text ?? "").includes("Working on it"));
      const edited = await busy.api.waitForMessage(TELEGRAM_USER.owner.id, (m) => m.message_id === working.message_id && (m.text ?? "").includes("No campaigns yet"), 10_000);
      expect(edited.edit_date).toBeDefined();

      // A private answer to a question asked in a group never lands in the group, even when it was queued.
      await busy.say("owner", '/member add "Busy Newcomer" --role analyst', GROUP);
      const note = await busy.api.waitForMessage(GROUP.id, (m) => (m.text ?? "").includes("private chat"), 10_000);
      const dm = await busy.api.waitForMessage(TELEGRAM_USER.owner.id, (m) => (m.text ?? "").includes("Busy Newcomer"), 10_000);
      expect(dm.text).toMatch(/[2-9A-HJ-NP-Z]{6}/);
      expect(note.text).not.toMatch(/Busy Newcomer|[2-9A-HJ-NP-Z]{6}/);
    } finally {
      await busy.stop();
      await own.drop();
    }
  });
});

describe("Telegram without a public URL", () => {
  it("long-polls for updates and answers them", async () => {
    const own = await createTestDatabase();
    const polling = await startTelegramHarness(own.url, { env: { PUBLIC_URL: "" } });
    try {
      await polling.api.waitForPoll();
      expect(polling.api.webhook).toBeUndefined();
      polling.api.pushUpdate(polling.updates.message({ from: TELEGRAM_USER.analyst, text: "/help" }));
      await polling.api.waitForMessage(TELEGRAM_USER.analyst.id, (m) => (m.text ?? "").includes("Clout commands"));
    } finally {
      await polling.stop();
      await own.drop();
    }
  });
});

describe("Telegram start-up", () => {
  it("a token Telegram refuses stops Clout with one line naming the setting", async () => {
    const own = await createTestDatabase();
    try {
      await expect(
        startTestApp(own.url, { http: true, env: { TELEGRAM_BOT_TOKEN: "7000000009:AAwrong", TELEGRAM_API_URL: h.api.url, CLOUT_SECRET: "test-secret-".padEnd(40, "x") } }),
      ).rejects.toThrow(/^TELEGRAM_BOT_TOKEN was not accepted by Telegram \(Unauthorized\); check the token and TELEGRAM_API_URL$/);
    } finally {
      await own.drop();
    }
  });
});

describe("Telegram messages", () => {
  it("a submitted campaign reaches an approver's private chat with buttons", async () => {
    const own = await createTestDatabase();
    const w = await startTelegramHarness(own.url, { workers: true });
    try {
      await w.say("manager", createLine("Needs Approval"));
      await w.api.waitForMessage(TELEGRAM_USER.manager.id, (m) => (m.text ?? "").includes("Needs Approval"));
      const c = (await w.app.database.db.campaign.findFirst({ where: { name: "Needs Approval" } }))!;
      await w.say("manager", `/campaign submit ${c.number}`);
      const dm = await w.api.waitForMessage(TELEGRAM_USER.admin.id, (m) => (m.text ?? "").includes("Needs Approval"), 15_000);
      expect(dm.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toContain("Approve");

      // An answer Telegram refuses for now (429) is not lost: the outbound queue sends it once Telegram allows.
      w.api.rateLimitNext("sendMessage", 1);
      await w.say("analyst", "/help");
      const help = await w.api.waitForMessage(TELEGRAM_USER.analyst.id, (m) => (m.text ?? "").includes("Clout commands"), 10_000);
      expect(w.api.callsTo("sendMessage").filter((c) => c.status === 429)).toHaveLength(1);
      expect(w.api.messagesIn(TELEGRAM_USER.analyst.id).filter((m) => m.message_id >= help.message_id)).toHaveLength(1);
    } finally {
      await w.stop();
      await own.drop();
    }
  });

  it("turns Telegram's 429 into a retry after the time it asks for", async () => {
    const messenger = telegramMessenger(new TelegramDelivery(new Telegram(TELEGRAM_TOKEN, { apiRoot: h.api.url }), (c) => c));
    h.api.rateLimitNext("sendMessage", 7);
    const err = await messenger.send({ platform: "telegram", externalId: String(TELEGRAM_USER.owner.id), name: "Olivia" }, { text: "hello" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
    expect((err as RetryAfterError).ms).toBe(7_000);
  });
});
