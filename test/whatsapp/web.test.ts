import { EventEmitter } from "node:events";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../app/config.ts";
import type { App } from "../../app/container.ts";
import { ActionSigner } from "../../core/actions/signer.ts";
import { systemClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import { PermanentSendError } from "../../core/notifications/messenger.ts";
import { createWhatsAppBot } from "../../bots/whatsapp/bot.ts";
import { WHATSAPP_LIMITS } from "../../bots/whatsapp/limits.ts";
import { renderMessages } from "../../bots/whatsapp/render.ts";
import type { DeliveryStatus, InboundMessage } from "../../bots/whatsapp/transport.ts";
import { redisChoices } from "../../bots/whatsapp/web-choices.ts";
import { ackStatus, inboundOf, senderOf, webText, type Choice, type WebMessage } from "../../bots/whatsapp/web-messages.ts";
import { chromiumPath, DEFAULT_CHROMIUM } from "../../bots/whatsapp/web-options.ts";
import { WebTransport, type WebClient } from "../../bots/whatsapp/web.ts";
import { redisClaims } from "../../jobs/claims.ts";
import { silentLog, startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

const message = (over: Partial<WebMessage> = {}): WebMessage => ({
  id: { _serialized: `false_254712345678@c.us_${crypto.randomUUID()}` },
  from: "254712345678@c.us",
  body: "invites",
  type: "chat",
  timestamp: 1_767_225_600,
  fromMe: false,
  isStatus: false,
  broadcast: false,
  ...over,
});
const CHOICES: Choice[] = [
  { id: "mac1.exp.accept 12", title: "Accept" },
  { id: "mac2.exp.counter 12", title: "Counter" },
  { id: "mac3.exp.decline 12", title: "Decline" },
];

describe("whatsapp-web.js messages in Clout's terms", () => {
  it("reads the sender's number from a one-to-one chat and ignores groups, statuses and channels", () => {
    expect(senderOf("254712345678@c.us")).toEqual({ phone: "+254712345678" });
    expect(senderOf("179950657237125@lid")).toEqual({ lid: "179950657237125@lid" });
    for (const from of ["120363025246125486@g.us", "status@broadcast", "120363041234567890@newsletter", "254712345678", "a@c.us", "1@c.us@x"]) expect(senderOf(from)).toBeUndefined();
  });

  it("maps a text to the inbound message the bot handles, with the profile name, and leaves out what Clout ignores", () => {
    const m = message({ body: "accept 12", _data: { notifyName: "Wanjiru" } });
    expect(inboundOf(m, "+254712345678")).toEqual({ id: m.id._serialized, phone: "+254712345678", name: "Wanjiru", at: new Date("2026-01-01T00:00:00Z"), text: "accept 12" });
    for (const ignored of [{ fromMe: true }, { isStatus: true }, { broadcast: true }, { type: "image" }, { body: "  " }]) expect(inboundOf(message(ignored), "+254712345678")).toBeUndefined();
  });

  it("reads a bare number as the press of that option, anything else as text", () => {
    expect(inboundOf(message({ body: "2" }), "+254712345678", CHOICES)?.press).toEqual({ id: "mac2.exp.counter 12", title: "Counter" });
    expect(inboundOf(message({ body: " 3. " }), "+254712345678", CHOICES)?.press?.title).toBe("Decline");
    expect(inboundOf(message({ body: "1)" }), "+254712345678", CHOICES)?.press?.title).toBe("Accept");
    for (const body of ["4", "0", "2 please", "12"]) {
      const m = inboundOf(message({ body }), "+254712345678", CHOICES);
      expect([m?.text, m?.press]).toEqual([body, undefined]);
    }
    expect(inboundOf(message({ body: "2" }), "+254712345678")).toMatchObject({ text: "2" });
  });

  it("renders reply buttons and list rows as numbered options, keeping their signed ids", () => {
    const buttons = webText({ type: "buttons", body: "Invitation #12: 300 USD", buttons: CHOICES });
    expect(buttons).toEqual({ text: "Invitation #12: 300 USD\n\n1 Accept · 2 Counter · 3 Decline", choices: CHOICES });
    const list = webText({ type: "list", header: "Campaign", body: "Pick one", footer: "Clout", button: "Options", rows: [{ id: "a", title: "Approve", description: "campaign approve 3" }, { id: "b", title: "Reject" }] });
    expect(list.text).toBe("*Campaign*\n\nPick one\n\n1 Approve — campaign approve 3\n2 Reject\n\n_Clout_");
    expect(list.choices).toEqual([{ id: "a", title: "Approve" }, { id: "b", title: "Reject" }]);
  });

  it("keeps the biggest reply the renderer can produce within one WhatsApp text", () => {
    const signer = new ActionSigner(Buffer.alloc(32, 7), systemClock);
    const long = "x".repeat(300);
    const reply = { title: long, text: `${"word ".repeat(3000)}`, buttons: Array.from({ length: 10 }, (_, i) => ({ label: `${long}${i}`, command: `campaign approve ${i} --note "${"n".repeat(120)}"` })) };
    const messages = renderMessages(reply, { sign: (c, s) => signer.sign(c, s) });
    expect(messages.at(-1)?.type).toBe("list");
    for (const m of messages) expect(webText(m).text.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.textChars);
    expect(webText(messages.at(-1)!).choices).toHaveLength(10);
  });

  it("maps acks to the Cloud API's statuses", () => {
    expect([-1, 0, 1, 2, 3, 4].map(ackStatus)).toEqual(["failed", undefined, "sent", "delivered", "read", "read"]);
  });
});

describe("the system Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "clout-chromium-"));
  const script = join(dir, "chromium");
  writeFileSync(script, "#!/bin/sh\nexit 1\n");
  chmodSync(script, 0o755);
  const plain = join(dir, "not-executable");
  writeFileSync(plain, "");

  it("is taken from CHROMIUM_PATH when it names an executable", () => {
    expect(chromiumPath(script)).toBe(script);
  });

  it("missing or unusable, says in one line how to install it or where to point", () => {
    expect(() => chromiumPath(join(dir, "nope"))).toThrow(`CHROMIUM_PATH (${join(dir, "nope")}) does not exist: WHATSAPP_TRANSPORT=web drives the system Chromium; install Debian's (apt-get install chromium) or set CHROMIUM_PATH`);
    expect(() => chromiumPath(plain)).toThrow(/is not executable: .*apt-get install chromium/);
    expect(() => chromiumPath(dir)).toThrow(/is not a file/);
  });

  it("defaults to Debian's /usr/bin/chromium", () => {
    expect(DEFAULT_CHROMIUM).toBe("/usr/bin/chromium");
    let named: string;
    try {
      named = chromiumPath(undefined);
    } catch (err) {
      named = (err as Error).message;
    }
    expect(named.startsWith("/usr/bin/chromium")).toBe(true);
  });
});

/** whatsapp-web.js's Client as far as the transport uses it, driven by the test. */
class FakeClient extends EventEmitter implements WebClient {
  info = { wid: { user: "254700000001" } };
  sent: { chatId: string; content: unknown; options?: object }[] = [];
  initializing = 0;
  destroyed = 0;
  failStarts = 0;
  lids = new Map<string, string>();
  notOnWhatsApp = new Set<string>();

  async initialize() {
    this.initializing++;
    if (this.failStarts-- > 0) throw new Error("Failed to launch the browser process");
    this.emit("ready");
  }
  async destroy() {
    this.destroyed++;
  }
  async getNumberId(number: string) {
    return this.notOnWhatsApp.has(number) ? null : { _serialized: `${number}@c.us` };
  }
  async getContactLidAndPhone(ids: string[]) {
    return ids.map((lid) => ({ lid, pn: this.lids.get(lid) ?? "" }));
  }
  async sendMessage(chatId: string, content: unknown, options?: object) {
    this.sent.push({ chatId, content, options });
    return { id: { _serialized: `true_${chatId}_${this.sent.length}` } };
  }
  /** A person writes. */
  write(over: Partial<WebMessage>) {
    const m = message(over);
    this.emit("message", m);
    return m;
  }
  textsTo(phoneDigits: string) {
    return this.sent.filter((s) => s.chatId === `${phoneDigits}@c.us` && typeof s.content === "string").map((s) => s.content as string);
  }
}

function captureLog() {
  const lines: { level: string; msg?: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, log: { info: at("info"), warn: at("warn"), error: at("error") } };
}

describe("the web transport, with a stand-in client", () => {
  let app: App;
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    env = await createTestDatabase();
    app = await startTestApp(env.url);
  });
  afterAll(async () => {
    await app?.stop();
    await env?.drop();
  });

  function transport(client: FakeClient, o: { print?: (s: string) => void; log?: ReturnType<typeof captureLog>["log"] } = {}) {
    const prefix = app.config.env.QUEUE_PREFIX;
    return new WebTransport({
      executablePath: "/nonexistent/chromium",
      dataDir: tmpdir(),
      claims: redisClaims(app.redis, prefix),
      choices: redisChoices(app.redis, `${prefix}:${crypto.randomUUID()}`),
      clock: systemClock,
      log: o.log ?? silentLog,
      print: o.print ?? (() => {}),
      client: () => client,
      reconnect: { attempts: 3, firstDelayMs: 5 },
    });
  }
  function receiving(t: WebTransport) {
    const messages: InboundMessage[] = [];
    const statuses: DeliveryStatus[] = [];
    t.receive({ message: async (m) => void messages.push(m), status: async (s) => void statuses.push(s) });
    return { messages, statuses };
  }

  it("prints the pairing QR code in the terminal with how to scan it, and logs the number once ready", async () => {
    const client = new FakeClient();
    let printed = "";
    const { lines, log } = captureLog();
    const t = transport(client, { print: (s) => void (printed += s), log });
    await t.start();
    client.emit("qr", "2@k3Tq0l9oZzX5vQ,f1/vGcW4Z3vBa1eDNl3tOjWqLL5DpYTI84DMVkYnQE8=,ZL7YnK2qdPN8vKo2ESxhOQ==");
    await expect.poll(() => printed).toMatch(/▄|█/);
    expect(printed).toContain("Linked devices");
    expect(lines.find((l) => l.msg === "whatsapp web: ready")?.obj).toEqual({ number: "+254700000001" });
    expect(lines.filter((l) => /QR code printed/.test(l.msg ?? ""))).toHaveLength(1);
    await t.close();
  });

  it("hands a person's text to the bot once, resolving a privacy id to the number, and ignores groups and statuses", async () => {
    const client = new FakeClient();
    const t = transport(client);
    const { messages } = receiving(t);
    await t.start();
    const m = client.write({ body: "invites" });
    client.emit("message", m);
    client.lids.set("179950657237125@lid", "5511900000009@c.us");
    client.write({ from: "179950657237125@lid", body: "help" });
    client.write({ from: "120363025246125486@g.us", body: "help" });
    client.write({ from: "status@broadcast", isStatus: true, body: "help" });
    client.write({ from: "1234@lid", body: "who am I" });
    await expect.poll(() => messages.length).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(messages.map((x) => [x.phone, x.text])).toEqual([
      ["+254712345678", "invites"],
      ["+5511900000009", "help"],
    ]);
    await t.close();
  });

  it("sends text and documents, records acks for what it sent, and says clearly when it can't", async () => {
    const client = new FakeClient();
    const t = transport(client);
    const { statuses } = receiving(t);
    await expect(t.send("+254712345678", { type: "text", body: "hi" })).rejects.toThrow(/not connected .*QR code/);
    await t.start();
    const id = await t.send("+254712345678", { type: "text", body: "hi" });
    expect(client.sent[0]).toMatchObject({ chatId: "254712345678@c.us", content: "hi" });
    await t.send("+254712345678", { type: "document", bytes: new TextEncoder().encode("%PDF"), filename: 'report "Q1".pdf', mimeType: "application/pdf", caption: "Report" });
    expect(client.sent[1]).toMatchObject({ options: { caption: "Report", sendMediaAsDocument: true }, content: { mimetype: "application/pdf", data: Buffer.from("%PDF").toString("base64"), filename: "report _Q1_.pdf" } });
    client.emit("message_ack", { id: { _serialized: id } }, 3);
    client.emit("message_ack", { id: { _serialized: "true_someone-else" } }, 3);
    await expect.poll(() => statuses).toEqual([expect.objectContaining({ id, phone: "+254712345678", status: "read" })]);
    client.notOnWhatsApp.add("447700900123");
    await expect(t.send("+447700900123", { type: "text", body: "hi" })).rejects.toBeInstanceOf(PermanentSendError);
    await t.close();
  });

  it("reconnects with growing waits after a disconnect, a bounded number of times, and not once closed", async () => {
    const client = new FakeClient();
    const { lines, log } = captureLog();
    const t = transport(client, { log });
    client.failStarts = 1;
    await t.start();
    await expect.poll(() => client.initializing).toBe(2);
    client.emit("disconnected", "CONFLICT");
    await expect.poll(() => client.initializing).toBe(3);
    client.failStarts = 10;
    client.emit("disconnected", "UNPAIRED");
    await expect.poll(() => lines.some((l) => /gave up/.test(l.msg ?? ""))).toBe(true);
    expect(client.initializing).toBe(6);
    expect(lines.filter((l) => /trying again/.test(l.msg ?? "")).map((l) => (l.obj as { delayMs: number }).delayMs)).toEqual([5, 5, 5, 10, 20]);
    // A logout is whatsapp-web.js's to handle (a new QR code), and a closing transport stays closed.
    client.emit("disconnected", "LOGOUT");
    await t.close();
    client.emit("disconnected", "CONFLICT");
    await new Promise((r) => setTimeout(r, 50));
    expect(client.initializing).toBe(6);
  });

  describe("numbered options through the real bot", () => {
    let team: Team;
    const owner = "5511900000001";
    beforeAll(async () => {
      team = await createTeam(app.database.db, "Web Brand");
      await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "whatsapp", externalId: `+${owner}`, memberId: team.members.owner.id } });
    });

    it("a number answers the options last sent, running their signed command as the sender; an edited entry is refused", async () => {
      const client = new FakeClient();
      const t = transport(client);
      const prefix = app.config.env.QUEUE_PREFIX;
      createWhatsAppBot({
        runner: app.runner,
        signer: app.signer,
        claims: redisClaims(app.redis, prefix),
        defer: async () => {},
        enqueue: async () => {},
        busy: () => false,
        clock: systemClock,
        log: silentLog,
        transport: t,
        template: { name: "clout_notification", language: "en" },
      });
      await t.start();
      const run = (line: string) => runCommand(app.runner, { text: line, caller: team.members.manager.caller });
      await run('campaign create "Numbered" --budget 1000 --currency USD --start 2099-01-01 --end 2099-01-31 --objective awareness');
      const c = (await app.database.db.campaign.findFirst({ where: { workspaceId: team.workspaceId, name: "Numbered" } }))!;
      expect((await run(`campaign submit ${c.number}`)).ok).toBe(true);

      client.write({ from: `${owner}@c.us`, body: `campaign show ${c.number}` });
      const offered = () => client.textsTo(owner).find((s) => /^\d+ Approve/m.test(s) || / · \d+ Approve/.test(s));
      await expect.poll(offered).toBeDefined();
      const approve = /(?:^| )(\d+) Approve/m.exec(offered()!)![1]!;
      const reject = /(?:^| )(\d+) Reject/m.exec(offered()!)![1]!;

      // Whoever can write to Redis gains nothing: the bot verifies the signed command behind each number.
      const choicesKey = (await app.redis.keys(`${prefix}:*:whatsapp-web:choices:+${owner}`))[0]!;
      const stored = JSON.parse((await app.redis.get(choicesKey))!) as Choice[];
      const forged = stored.map((s, i) => (String(i + 1) === reject ? { ...s, id: s.id.replace(/\.campaign reject /, ".campaign cancel ") } : s));
      await app.redis.set(choicesKey, JSON.stringify(forged));
      client.write({ from: `${owner}@c.us`, body: reject });
      await expect.poll(() => client.textsTo(owner).some((s) => /could not be verified/.test(s))).toBe(true);
      expect((await app.database.db.campaign.findUnique({ where: { id: c.id } }))?.status).toBe("submitted");

      await app.redis.set(choicesKey, JSON.stringify(stored));
      client.write({ from: `${owner}@c.us`, body: approve });
      await expect.poll(() => client.textsTo(owner).some((s) => /moved from submitted to \*approved\*/.test(s))).toBe(true);
      expect((await app.database.db.campaign.findUnique({ where: { id: c.id } }))?.status).toBe("approved");
      await t.close();
    });
  });
});

describe("WHATSAPP_TRANSPORT selects the transport at start-up", () => {
  let env: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    env = await createTestDatabase();
  });
  afterAll(async () => {
    await env?.drop();
  });

  it("web without a Chromium stops the app with one line naming the fix", async () => {
    const start = startTestApp(env.url, { env: { WHATSAPP_TRANSPORT: "web", CHROMIUM_PATH: "/nonexistent/chromium" } });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow("CHROMIUM_PATH (/nonexistent/chromium) does not exist: WHATSAPP_TRANSPORT=web drives the system Chromium; install Debian's (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable");
  });

  it("web with a Chromium turns on whatsapp-web.js (warning it is unofficial) instead of the Cloud API", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clout-chromium-"));
    const chromium = join(dir, "chromium");
    writeFileSync(chromium, "#!/bin/sh\nexit 1\n");
    chmodSync(chromium, 0o755);
    const lines: { msg: string; transport?: string; chromium?: string }[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = await startTestApp(env.url, { log, env: { WHATSAPP_TRANSPORT: "web", CHROMIUM_PATH: chromium, DATA_DIR: dir } });
    try {
      const on = lines.filter((l) => l.msg.startsWith("whatsapp: on"));
      expect(on).toHaveLength(1);
      expect(on[0]).toMatchObject({ transport: "web", chromium });
      expect(on[0]!.msg).toMatch(/whatsapp-web\.js, an unofficial client .*ban.*WHATSAPP_TRANSPORT=cloud in production/);
    } finally {
      await app.stop();
    }
  });
});
