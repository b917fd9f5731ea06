import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Markup, Telegraf, TelegramError } from "telegraf";
import type { Update } from "telegraf/types";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeTelegramApi, messageProblems, parseHtml, parseHtmlEntities } from "./telegram-api.ts";
import { TelegramUpdates } from "./telegram-updates.ts";

const TOKEN = "7000000001:AAF-fake-token_for_tests";
const BOT_ID = 7000000001;
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const ana = { id: 501, first_name: "Ana", last_name: "Souza", username: "ana_s", language_code: "pt-br" };
const bruno = { id: 502, first_name: "Bruno", language_code: "en" };

const fake = new FakeTelegramApi({ token: TOKEN, username: "CloutBot", firstName: "Clout" });
const updates = new TelegramUpdates({ api: fake });

/** The real Telegraf against the fake. */
function telegraf(token = TOKEN): Telegraf {
  return new Telegraf(token, { telegram: { apiRoot: fake.url } });
}

async function refused(p: Promise<unknown>): Promise<TelegramError> {
  const err = await p.then(
    () => {
      throw new Error("expected Telegram to refuse the call");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TelegramError);
  return err as TelegramError;
}

/** The start of a PNG: enough for Telegram's size sniffing here. */
function pngOfSize(width: number, height: number): Buffer {
  const b = Buffer.from(PNG);
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

beforeAll(() => fake.start());
afterEach(() => fake.reset());
afterAll(() => fake.stop());

describe("FakeTelegramApi through the real Telegraf", () => {
  it("answers getMe with the bot, 401 for another token, 404 for an unknown method", async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await telegraf().telegram.getMe();
    expect(me).toMatchObject({ id: BOT_ID, is_bot: true, first_name: "Clout", username: "CloutBot", can_join_groups: true, supports_inline_queries: false });
    expect(fake.callsTo("getMe")[0]).toMatchObject({ token: TOKEN, status: 200, response: { ok: true } });

    const unauthorized = await refused(telegraf("7000000001:wrong").telegram.getMe());
    expect(unauthorized.code).toBe(401);
    expect(unauthorized.response).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });

    const missing = await refused(telegraf().telegram.callApi("sendTelepathy" as "getMe", {}));
    expect(missing.response).toEqual({ ok: false, error_code: 404, description: "Not Found" });
  });

  it("keeps bot commands per scope and language and validates them", async () => {
    const tg = telegraf().telegram;
    const en = [
      { command: "campaign", description: "Create and manage campaigns" },
      { command: "help", description: "What I can do" },
    ];
    const pt = [
      { command: "campaign", description: "Criar e gerir campanhas" },
      { command: "help", description: "O que eu sei fazer" },
    ];
    await tg.setMyCommands(en);
    await tg.setMyCommands(pt, { language_code: "pt" });
    await tg.setMyCommands([{ command: "digest", description: "Post a digest here" }], { scope: { type: "chat", chat_id: -1001234567890 } });

    expect(await tg.getMyCommands()).toEqual(en);
    expect(await tg.getMyCommands({ language_code: "pt" })).toEqual(pt);
    expect(await tg.getMyCommands({ language_code: "de" })).toEqual([]);
    expect(fake.commandsFor({ type: "chat", chat_id: -1001234567890 })).toEqual([{ command: "digest", description: "Post a digest here" }]);

    await tg.deleteMyCommands({ language_code: "pt" });
    expect(fake.commandsFor({ type: "default" }, "pt")).toBeUndefined();

    for (const [commands, description] of [
      [[{ command: "Campaign", description: "x" }], "Bad Request: BOT_COMMAND_INVALID"],
      [[{ command: "/help", description: "x" }], "Bad Request: BOT_COMMAND_INVALID"],
      [[{ command: "a".repeat(33), description: "x" }], "Bad Request: BOT_COMMAND_INVALID"],
      [[{ command: "help", description: "" }], "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"],
      [[{ command: "help", description: "d".repeat(257) }], "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"],
      [Array.from({ length: 101 }, (_, i) => ({ command: `c${i}`, description: "x" })), "Bad Request: BOT_COMMANDS_TOO_MUCH"],
    ] as const) {
      const err = await refused(tg.setMyCommands([...commands]));
      expect(err.code).toBe(400);
      expect(err.description).toBe(description);
    }
    expect(await tg.getMyCommands()).toEqual(en);
  });

  it("sends an HTML message with an inline keyboard and keeps it per chat", async () => {
    const tg = telegraf().telegram;
    const sent = await tg.sendMessage(
      ana.id,
      "<b>Summer Glow</b> is <i>active</i> — budget R$ 5.000 &amp; 3 creators &lt;beta&gt;",
      {
        parse_mode: "HTML",
        ...Markup.inlineKeyboard([
          [Markup.button.callback("Approve", "cmp:approve:42"), Markup.button.callback("Reject", "cmp:reject:42")],
          [Markup.button.url("Open report", "https://clout.example/r/42")],
        ]),
      },
    );
    expect(sent).toMatchObject({
      message_id: 1,
      from: { id: BOT_ID, is_bot: true, first_name: "Clout", username: "CloutBot" },
      chat: { id: ana.id, type: "private" },
      text: "Summer Glow is active — budget R$ 5.000 & 3 creators <beta>",
      entities: [
        { type: "bold", offset: 0, length: 11 },
        { type: "italic", offset: 15, length: 6 },
      ],
      reply_markup: {
        inline_keyboard: [
          [
            { text: "Approve", callback_data: "cmp:approve:42" },
            { text: "Reject", callback_data: "cmp:reject:42" },
          ],
          [{ text: "Open report", url: "https://clout.example/r/42" }],
        ],
      },
    });
    expect(sent.date).toBeCloseTo(Date.now() / 1000, -1);

    const second = await tg.sendMessage(ana.id, "plain text");
    expect(second.message_id).toBe(2);
    expect(fake.messagesIn(ana.id).map((m) => m.text)).toEqual([sent.text, "plain text"]);
    expect(fake.lastMessage(ana.id)).toMatchObject({ message_id: 2, text: "plain text" });
    expect(fake.lastMessage(bruno.id)).toBeUndefined();
    const call = fake.callsTo("sendMessage")[0]!;
    expect(call.body).toMatchObject({ chat_id: ana.id, parse_mode: "HTML", reply_markup: { inline_keyboard: expect.any(Array) } });
  });

  it("refuses callback_data over 64 bytes and other broken buttons with Telegram's errors", async () => {
    const tg = telegraf().telegram;
    const keyboard = (button: object) => ({ reply_markup: { inline_keyboard: [[button]] } }) as never;

    const tooLong = await refused(tg.sendMessage(ana.id, "pick", keyboard({ text: "Go", callback_data: "x".repeat(65) })));
    expect(tooLong.code).toBe(400);
    expect(tooLong.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    // 64 bytes is fine even as 32 two-byte characters; 33 of them are 66 bytes.
    await tg.sendMessage(ana.id, "pick", keyboard({ text: "Go", callback_data: "é".repeat(32) }));
    expect((await refused(tg.sendMessage(ana.id, "pick", keyboard({ text: "Go", callback_data: "é".repeat(33) })))).description).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect((await refused(tg.sendMessage(ana.id, "pick", keyboard({ text: "Go", callback_data: "" })))).description).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect((await refused(tg.sendMessage(ana.id, "pick", keyboard({ text: "Go" })))).description).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
    expect((await refused(tg.sendMessage(ana.id, "pick", keyboard({ text: "", callback_data: "a" })))).description).toBe(
      "Bad Request: BUTTON_TEXT_INVALID",
    );
    expect((await refused(tg.sendMessage(ana.id, "pick", keyboard({ text: "Go", callback_data: "a", url: "https://x.example" })))).code).toBe(400);
    expect((await refused(tg.sendMessage(ana.id, "pick", keyboard({ text: "Go", url: "not a url" })))).description).toBe(
      "Bad Request: BUTTON_URL_INVALID",
    );
    expect(fake.messagesIn(ana.id)).toHaveLength(1);
  });

  it("refuses HTML Telegram cannot parse, with its reason and byte offset", async () => {
    const tg = telegraf().telegram;
    const cases: [string, string][] = [
      ["<p>Hello</p>", 'Unsupported start tag "p" at byte offset 0'],
      ["Olá <b>mundo", 'Can\'t find end tag corresponding to start tag "b"'],
      ["<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
      ["fee < 100", 'Unsupported start tag "" at byte offset 4'],
      ["a</b>", "Unexpected end tag at byte offset 1"],
      ['<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
      ["<b", "Unclosed start tag at byte offset 0"],
      ['<a href="https://x.example>x</a>', "Unclosed start tag at byte offset 0"],
    ];
    for (const [text, reason] of cases) {
      const err = await refused(tg.sendMessage(ana.id, text, { parse_mode: "HTML" }));
      expect(err.code).toBe(400);
      expect(err.description).toBe(`Bad Request: can't parse entities: ${reason}`);
    }
    // The same text without parse_mode is plain text.
    await tg.sendMessage(ana.id, "<p>Hello</p>");
    expect(fake.lastMessage(ana.id)?.text).toBe("<p>Hello</p>");
  });

  it("counts the 4096-character limit after tags and entities, and refuses empty text", async () => {
    const tg = telegraf().telegram;
    const err = await refused(tg.sendMessage(ana.id, "x".repeat(4097)));
    expect(err.code).toBe(400);
    expect(err.description).toBe("Bad Request: message is too long");
    expect((await refused(tg.sendMessage(ana.id, `<b>${"y".repeat(4097)}</b>`, { parse_mode: "HTML" }))).description).toBe(
      "Bad Request: message is too long",
    );

    // 4096 characters once "&amp;" is decoded and <b> is gone: accepted although the raw text is five times longer.
    const sent = await tg.sendMessage(ana.id, `<b>${"&amp;".repeat(4096)}</b>`, { parse_mode: "HTML" });
    expect(sent.text).toHaveLength(4096);
    await tg.sendMessage(ana.id, "z".repeat(4096));

    expect((await refused(tg.sendMessage(ana.id, "  \n "))).description).toBe("Bad Request: message text is empty");
    expect((await refused(tg.sendMessage(ana.id, "<b> </b>", { parse_mode: "HTML" }))).description).toBe("Bad Request: message text is empty");
  });

  it("records a sendPhoto upload (multipart) with its bytes, and sends documents and file ids", async () => {
    const tg = telegraf().telegram;
    const chart = pngOfSize(1000, 500);
    const sent = await tg.sendPhoto(ana.id, { source: chart, filename: "chart.png" }, { caption: "<b>Weekly</b> digest", parse_mode: "HTML" });

    const call = fake.callsTo("sendPhoto")[0]!;
    expect(call.body).toMatchObject({ chat_id: String(ana.id), caption: "<b>Weekly</b> digest", parse_mode: "HTML" });
    expect(call.body.photo).toMatchObject({ filename: "chart.png" });
    expect((call.body.photo as { bytes: Buffer }).bytes.equals(chart)).toBe(true);

    expect(sent.caption).toBe("Weekly digest");
    expect(sent.caption_entities).toEqual([{ type: "bold", offset: 0, length: 6 }]);
    expect(sent.photo.map((p) => [p.width, p.height])).toEqual([
      [90, 45],
      [320, 160],
      [800, 400],
      [1000, 500],
    ]);
    const largest = sent.photo.at(-1)!;
    expect(fake.file(largest.file_id)?.bytes?.equals(chart)).toBe(true);
    expect(fake.files).toHaveLength(1);

    // Telegram keeps the file: sending it again by file_id uploads nothing.
    const again = await tg.sendPhoto(bruno.id, largest.file_id);
    expect(again.photo.at(-1)!.file_id).toBe(largest.file_id);
    expect((await refused(tg.sendPhoto(bruno.id, "AgACAgIAAxkBAAnope"))).description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
    expect((await refused(tg.sendPhoto(ana.id, { source: Buffer.from("not an image") }))).description).toBe("Bad Request: IMAGE_PROCESS_FAILED");
    expect((await refused(tg.sendPhoto(ana.id, { source: PNG }, { caption: "c".repeat(1025) }))).description).toBe(
      "Bad Request: message caption is too long",
    );

    const report = Buffer.from("%PDF-1.7 fake report");
    const doc = await tg.sendDocument(ana.id, { source: report, filename: "summer-glow.pdf" }, { caption: "Report" });
    expect(doc.document).toMatchObject({ file_name: "summer-glow.pdf", mime_type: "application/pdf", file_size: report.length });
    expect(fake.file(doc.document.file_id)?.bytes?.equals(report)).toBe(true);
    expect((await refused(tg.sendDocument(ana.id, largest.file_id))).description).toBe("Bad Request: can't use file of type Photo as Document");
    expect(fake.messagesIn(ana.id).map((m) => (m.photo ? "photo" : m.document ? "document" : "text"))).toEqual(["photo", "document"]);
  });

  it("edits a message in place, refusing unchanged and unknown ones, and deletes it", async () => {
    const tg = telegraf().telegram;
    const keyboard = Markup.inlineKeyboard([Markup.button.callback("Refresh", "refresh")]);
    const sent = await tg.sendMessage(ana.id, "Syncing… 10%", keyboard);

    const edited = await tg.editMessageText(ana.id, sent.message_id, undefined, "Syncing… <b>60%</b>", { parse_mode: "HTML", ...keyboard });
    expect(edited).toMatchObject({ message_id: sent.message_id, text: "Syncing… 60%", entities: [{ type: "bold", offset: 9, length: 3 }] });
    expect(typeof (edited as { edit_date?: number }).edit_date).toBe("number");
    const refresh = { inline_keyboard: [[{ text: "Refresh", callback_data: "refresh" }]] };
    expect(fake.lastMessage(ana.id)).toMatchObject({ text: "Syncing… 60%", reply_markup: refresh });

    const same = await refused(tg.editMessageText(ana.id, sent.message_id, undefined, "Syncing… <b>60%</b>", { parse_mode: "HTML", ...keyboard }));
    expect(same.description).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
    expect((await refused(tg.editMessageText(ana.id, 999, undefined, "x"))).description).toBe("Bad Request: message to edit not found");

    // Leaving reply_markup out of an edit removes the keyboard.
    await tg.editMessageText(ana.id, sent.message_id, undefined, "Synced");
    expect(fake.lastMessage(ana.id)?.reply_markup).toBeUndefined();
    await tg.editMessageReplyMarkup(ana.id, sent.message_id, undefined, keyboard.reply_markup);
    expect(fake.lastMessage(ana.id)?.reply_markup).toEqual(refresh);
    expect((await refused(tg.editMessageReplyMarkup(ana.id, sent.message_id, undefined, keyboard.reply_markup))).description).toMatch(
      /^Bad Request: message is not modified/,
    );

    expect(await tg.deleteMessage(ana.id, sent.message_id)).toBe(true);
    expect(fake.messagesIn(ana.id)).toEqual([]);
    expect((await refused(tg.deleteMessage(ana.id, sent.message_id))).description).toBe("Bad Request: message to delete not found");
  });

  it("surfaces 429 as a TelegramError with parameters.retry_after, records it, and injects other faults", async () => {
    const tg = telegraf().telegram;
    fake.rateLimitNext("sendMessage", 7);
    const err = await refused(tg.sendMessage(ana.id, "hello"));
    expect(err.code).toBe(429);
    expect(err.description).toBe("Too Many Requests: retry after 7");
    expect(err.parameters?.retry_after).toBe(7);
    expect(fake.callsTo("sendMessage")[0]).toMatchObject({
      status: 429,
      response: { ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } },
    });
    expect(fake.messagesIn(ana.id)).toEqual([]);
    await tg.sendMessage(ana.id, "hello");
    expect(fake.messagesIn(ana.id)).toHaveLength(1);

    fake.rateLimit("sendMessage", { max: 1, windowMs: 3000, perChat: true });
    await tg.sendMessage(ana.id, "one");
    expect((await refused(tg.sendMessage(ana.id, "two"))).parameters?.retry_after).toBe(3);
    await tg.sendMessage(bruno.id, "another chat is not limited");
    fake.rateLimit("sendMessage", null);

    fake.failNext("sendChatAction", { status: 502 });
    expect((await refused(tg.sendChatAction(ana.id, "typing"))).code).toBe(502);
    expect(await tg.sendChatAction(ana.id, "typing")).toBe(true);
    expect((await refused(tg.sendChatAction(ana.id, "dancing" as "typing"))).description).toBe("Bad Request: wrong parameter action in request");

    fake.block(bruno.id);
    const blocked = await refused(tg.sendMessage(bruno.id, "are you there?"));
    expect(blocked.code).toBe(403);
    expect(blocked.description).toBe("Forbidden: bot was blocked by the user");
  });

  it("long-polls: bot.launch() receives a pushed command and its handler replies", async () => {
    const bot = telegraf();
    bot.command("campaign", (ctx) => ctx.reply(`<b>Campaigns</b> for ${ctx.from.first_name}: ${ctx.payload}`, { parse_mode: "HTML" }));
    bot.on("text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const running = bot.launch();
    await fake.waitForPoll();
    expect(fake.calls.map((c) => c.method)).toEqual(["getMe", "deleteWebhook"]);

    const update = updates.message({ from: ana, text: "/campaign list" });
    expect(update.message.entities).toEqual([{ type: "bot_command", offset: 0, length: 9 }]);
    expect(fake.pushUpdate(update)).toBe(true);
    const reply = await fake.waitForMessage(ana.id);
    expect(reply).toMatchObject({ text: "Campaigns for Ana: list", entities: [{ type: "bold", offset: 0, length: 9 }] });
    // The user's message took the chat's next id; the bot's reply follows it.
    expect(reply.message_id).toBe(update.message.message_id + 1);

    fake.pushUpdate(updates.message({ from: ana, text: "hello" }));
    const echo = await fake.waitForCall("sendMessage", (c) => c.body.text === "echo: hello");
    expect(echo).toMatchObject({ status: 200, body: { chat_id: ana.id } });

    bot.stop("test over");
    await running;
    // The aborted poll's socket closing is what frees it; that may land just after launch() settles.
    await vi.waitFor(() => expect(fake.polling).toBe(false));
    // Stopping confirms what was handled, so nothing is delivered twice.
    expect(fake.pendingUpdates).toEqual([]);
    const polls = fake.callsTo("getUpdates");
    expect(polls[0]!.body).toMatchObject({ timeout: 50, offset: 0 });
    expect(polls.at(-1)!.body).toMatchObject({ offset: update.update_id + 2, limit: 1 });
  });

  it("long-polls like Telegram: offset confirms, timeout answers [], a newer poll terminates the held one with 409", async () => {
    const tg = telegraf().telegram;
    expect(await tg.getUpdates(1, 100, 0, [])).toEqual([]);

    const first = tg.getUpdates(5, 100, 0, []);
    await fake.waitForPoll();
    const second = tg.getUpdates(5, 100, 0, []);
    const conflict = await refused(first);
    expect(conflict.code).toBe(409);
    expect(conflict.description).toBe("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");

    const u1 = updates.message({ from: bruno, text: "one" });
    const u2 = updates.message({ from: bruno, text: "two" });
    fake.pushUpdate(u1);
    fake.pushUpdate(u2);
    expect(((await second) as Update[]).map((u) => u.update_id)).toEqual([u1.update_id, u2.update_id]);

    // Not confirmed yet: asked again from offset 0 they come back; limit caps them.
    expect(((await tg.getUpdates(0, 1, 0, [])) as Update[]).map((u) => u.update_id)).toEqual([u1.update_id]);
    expect(((await tg.getUpdates(0, 100, u1.update_id + 1, [])) as Update[]).map((u) => u.update_id)).toEqual([u2.update_id]);
    expect(fake.pendingUpdates).toHaveLength(1);

    expect(() => fake.pushUpdate(u1)).toThrow(/not above the last pushed/);

    // Updates of types outside allowed_updates are never produced.
    await tg.getUpdates(0, 100, u2.update_id + 1, ["callback_query"]);
    expect(fake.pushUpdate(updates.message({ from: bruno, text: "filtered" }))).toBe(false);
    expect(fake.pendingUpdates).toEqual([]);
  });

  it("with strictChats, knows only the chats updates or addChat made known", async () => {
    const strict = new FakeTelegramApi({ token: TOKEN, strictChats: true });
    await strict.start();
    try {
      const tg = new Telegraf(TOKEN, { telegram: { apiRoot: strict.url } }).telegram;
      expect((await refused(tg.sendMessage(ana.id, "hi"))).description).toBe("Bad Request: chat not found");
      new TelegramUpdates({ api: strict }).message({ from: ana, text: "/start" });
      expect(await tg.sendMessage(ana.id, "hi")).toMatchObject({ message_id: 2, chat: { id: ana.id, first_name: "Ana", username: "ana_s" } });

      strict.addChat({ id: -1001234567890, type: "supergroup", title: "Acme marketing", username: "acme_mkt" });
      expect(await tg.sendMessage("@acme_mkt", "digest")).toMatchObject({ chat: { id: -1001234567890, title: "Acme marketing" } });
      expect((await refused(tg.sendMessage("@nobody", "x"))).description).toBe("Bad Request: chat not found");
    } finally {
      await strict.stop();
    }
  });

  it("answers callback queries it has seen, once, and refuses others", async () => {
    const bot = telegraf();
    bot.action(/^invite:accept:(\d+)$/, async (ctx) => {
      await ctx.answerCbQuery("Accepted ✅");
      await ctx.editMessageText(`Invite ${ctx.match[1]} accepted`);
    });
    const sent = await bot.telegram.sendMessage(ana.id, "Invite 7: R$ 1.200", Markup.inlineKeyboard([Markup.button.callback("Accept", "invite:accept:7")]));

    const press = updates.callbackQuery({ from: ana, data: "invite:accept:7", message: sent });
    expect(press.callback_query).toMatchObject({ from: { id: ana.id, is_bot: false }, data: "invite:accept:7", message: { message_id: sent.message_id } });
    expect(press.callback_query.id).toMatch(/^\d+$/);
    expect(press.callback_query.chat_instance).toBe(updates.callbackQuery({ from: ana, data: "x", message: sent }).callback_query.chat_instance);
    expect(fake.callbackAnswer(press.callback_query.id)).toBeNull();

    await bot.handleUpdate(press);
    expect(fake.callbackAnswer(press.callback_query.id)).toEqual({ text: "Accepted ✅", showAlert: false });
    expect(fake.lastMessage(ana.id)).toMatchObject({ text: "Invite 7 accepted" });
    expect(fake.lastMessage(ana.id)?.reply_markup).toBeUndefined();

    const tg = bot.telegram;
    const stale = "Bad Request: query is too old and response timeout expired or query ID is invalid";
    expect((await refused(tg.answerCbQuery(press.callback_query.id))).description).toBe(stale);
    expect((await refused(tg.answerCbQuery("123456789"))).description).toBe(stale);
    const fresh = updates.callbackQuery({ from: ana, data: "invite:accept:7", message: sent });
    expect((await refused(tg.answerCbQuery(fresh.callback_query.id, "t".repeat(201)))).description).toBe("Bad Request: MESSAGE_TOO_LONG");
  });

  it("sets, reports and deletes the webhook; getUpdates conflicts while it is set", async () => {
    const tg = telegraf().telegram;
    expect(await tg.getWebhookInfo()).toEqual({ url: "", has_custom_certificate: false, pending_update_count: 0 });

    await tg.setWebhook("https://clout.example/telegram/webhook", { secret_token: "s3cr3t_Token-1", allowed_updates: ["message", "callback_query"] });
    expect(fake.webhook).toEqual({
      url: "https://clout.example/telegram/webhook",
      secretToken: "s3cr3t_Token-1",
      allowedUpdates: ["message", "callback_query"],
      maxConnections: 40,
    });
    expect(fake.callsTo("setWebhook")[0]!.response).toEqual({ ok: true, result: true, description: "Webhook was set" });
    fake.pushUpdate(updates.message({ from: ana, text: "queued while the webhook is set" }));
    expect(await tg.getWebhookInfo()).toMatchObject({ url: "https://clout.example/telegram/webhook", pending_update_count: 1, allowed_updates: ["message", "callback_query"] });

    const conflict = await refused(tg.getUpdates(0, 100, 0, []));
    expect(conflict.code).toBe(409);
    expect(conflict.description).toBe("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");

    expect((await refused(tg.setWebhook("http://clout.example/hook"))).description).toBe("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
    expect((await refused(tg.setWebhook("https://clout.example:3000/hook"))).description).toBe(
      "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
    );
    expect((await refused(tg.setWebhook("https://clout.example/hook", { secret_token: "no spaces!" }))).description).toBe(
      "Bad Request: secret token contains unallowed characters",
    );

    await tg.deleteWebhook({ drop_pending_updates: true });
    expect(fake.webhook).toBeUndefined();
    expect(await tg.getWebhookInfo()).toMatchObject({ url: "", pending_update_count: 0 });
    expect(fake.callsTo("deleteWebhook").at(-1)!.response).toMatchObject({ description: "Webhook was deleted" });
  });
});

describe("TelegramUpdates", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("builds messages as Telegram does: private chat by default, groups, bot_command entities", () => {
    const own = new TelegramUpdates({ now: () => 1_750_000_000_000 });
    const dm = own.message({ from: ana, text: "/start@CloutBot" });
    expect(dm).toEqual({
      update_id: 1,
      message: {
        message_id: 1,
        from: { id: ana.id, is_bot: false, first_name: "Ana", last_name: "Souza", username: "ana_s", language_code: "pt-br" },
        chat: { id: ana.id, type: "private", first_name: "Ana", last_name: "Souza", username: "ana_s" },
        date: 1_750_000_000,
        text: "/start@CloutBot",
        entities: [{ type: "bot_command", offset: 0, length: 15 }],
      },
    });

    const group = own.message({ from: bruno, chat: { id: -1001234567890, type: "supergroup", title: "Acme marketing" }, text: "hi /help and /digest_now! /not/this" });
    expect(group.update_id).toBe(2);
    expect(group.message.chat).toEqual({ id: -1001234567890, type: "supergroup", title: "Acme marketing" });
    expect(group.message.entities).toEqual([
      { type: "bot_command", offset: 3, length: 5 },
      { type: "bot_command", offset: 13, length: 11 },
    ]);
    expect(own.message({ from: bruno, text: "no command" }).message.entities).toBeUndefined();
    // 🙂 is two UTF-16 code units, and offsets count them.
    expect(own.message({ from: bruno, text: "🙂 /help" }).message.entities).toEqual([{ type: "bot_command", offset: 3, length: 5 }]);
  });

  it("makes webhook requests that the real Telegraf accepts only with the secret, and whose webhook replies the fake applies", async () => {
    const bot = telegraf();
    bot.action("ping", (ctx) => ctx.answerCbQuery("pong"));
    const secret = "hook_secret-42";
    const callback = bot.webhookCallback("/telegram/webhook", { secretToken: secret });
    server = createServer((req, res) => void callback(req, res));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;

    const sent = await bot.telegram.sendMessage(bruno.id, "ping?", Markup.inlineKeyboard([Markup.button.callback("Ping", "ping")]));
    const press = updates.callbackQuery({ from: bruno, data: "ping", message: sent });
    const req = updates.webhookRequest(press, secret);
    expect(req.headers).toEqual({ "content-type": "application/json", "x-telegram-bot-api-secret-token": secret });
    expect(JSON.parse(req.body)).toEqual(press);

    const forged = await fetch(url, { method: "POST", ...updates.webhookRequest(press, "wrong") });
    expect(forged.status).toBe(403);

    // Telegraf answers the callback query in the webhook response itself; Telegram runs that call.
    const res = await fetch(url, { method: "POST", ...req });
    expect(res.status).toBe(200);
    fake.applyWebhookReply(await res.text());
    expect(fake.callsTo("answerCallbackQuery")[0]).toMatchObject({ via: "webhook-reply", status: 200 });
    expect(fake.callbackAnswer(press.callback_query.id)).toMatchObject({ text: "pong" });
  });
});

describe("parseHtml and messageProblems without a server", () => {
  it("parses Telegram's HTML subset to text and entities", () => {
    expect(parseHtml("<b>bold</b>, <strong>strong</strong> &lt;3 &#x1F600; &#233; &quot;q&quot; AT&T")).toBe('bold, strong <3 😀 é "q" AT&T');
    const parsed = parseHtmlEntities(
      '<i>a</i><u>b</u><s>c</s><span class="tg-spoiler">d</span><tg-spoiler>e</tg-spoiler><a href="https://clout.example/r/x">f</a>' +
        '<code>g</code><pre><code class="language-ts">h</code></pre><blockquote expandable>i</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    );
    expect(parsed.text).toBe("abcdefghi👍");
    expect(parsed.entities).toEqual([
      { type: "italic", offset: 0, length: 1 },
      { type: "underline", offset: 1, length: 1 },
      { type: "strikethrough", offset: 2, length: 1 },
      { type: "spoiler", offset: 3, length: 1 },
      { type: "spoiler", offset: 4, length: 1 },
      { type: "text_link", offset: 5, length: 1, url: "https://clout.example/r/x" },
      { type: "code", offset: 6, length: 1 },
      { type: "pre", offset: 7, length: 1, language: "ts" },
      { type: "expandable_blockquote", offset: 8, length: 1 },
      { type: "custom_emoji", offset: 9, length: 2, custom_emoji_id: "5368324170671202286" },
    ]);
    expect(() => parseHtml("<div>x</div>")).toThrow('Unsupported start tag "div" at byte offset 0');
    expect(() => parseHtml("ção <br>")).toThrow('Unsupported start tag "br" at byte offset 6');
    expect(() => parseHtml("AT&T", { strict: true })).toThrow(/Unescaped "&"/);
    expect(parseHtml("AT&amp;T &gt; x", { strict: true })).toBe("AT&T > x");
  });

  it("lists what Telegram would refuse in a message's params", () => {
    expect(messageProblems({ text: "<b>ok</b>", parse_mode: "HTML", reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] } })).toEqual([]);
    expect(
      messageProblems({
        text: "<b>open",
        parse_mode: "HTML",
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "d".repeat(65) }]] }),
      }),
    ).toEqual(['Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"', "Bad Request: BUTTON_DATA_INVALID"]);
    expect(messageProblems({ text: "&lt;".repeat(4097), parse_mode: "HTML" })).toEqual(["Bad Request: message is too long"]);
    expect(messageProblems({ text: "" })).toEqual(["Bad Request: message text is empty"]);
    expect(messageProblems({ caption: "c".repeat(1025) })).toEqual(["Bad Request: message caption is too long"]);
    expect(messageProblems({ text: "x", parse_mode: "BBCode" })).toEqual(["Bad Request: unsupported parse_mode"]);
    // Entity offsets count UTF-16 code units: "🙂" is two of them.
    expect(messageProblems({ text: "🙂 ok", entities: [{ type: "bold", offset: 3, length: 2 }] })).toEqual([]);
    expect(messageProblems({ text: "🙂 ok", entities: JSON.stringify([{ type: "bold", offset: 3, length: 3 }]) })).toEqual([
      "Bad Request: entity beginning at UTF-16 offset 3 ends after the end of the text at UTF-16 offset 6",
    ]);
  });
});
