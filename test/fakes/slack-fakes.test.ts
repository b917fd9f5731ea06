import { App, HTTPReceiver, LogLevel, verifySlackRequest, type Logger } from "@slack/bolt";
import { WebClient, WebClientEvent, type WebAPIPlatformError, type WebClientOptions } from "@slack/web-api";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi } from "./slack-api.ts";
import { input, SlackRequests, tampered, withRetry } from "./slack-requests.ts";

const BOT_TOKEN = "xoxb-T1-bot-token";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

const fake = new FakeSlackApi({
  tokens: { [BOT_TOKEN]: { teamId: "T1", userId: "UBOT1", botId: "BBOT1", teamName: "Acme" } },
  users: {
    U1: { name: "ana", realName: "Ana Souza", locale: "pt-BR", tz: "America/Sao_Paulo", teamId: "T1" },
    U9: { name: "other", realName: "Other Team", locale: "en-US", teamId: "T9" },
  },
  oauth: {
    clientId: "111.222",
    clientSecret: "shh",
    codes: {
      "code-ok": { teamId: "T2", teamName: "Beta", botToken: "xoxb-T2-new", botUserId: "UBOT2", botId: "BBOT2", authedUserId: "U2" },
      "code-basic": { teamId: "T3", botToken: "xoxb-T3-new", botUserId: "UBOT3", botId: "BBOT3", authedUserId: "U3" },
    },
  },
});

// WebClient logs Slack's "[ERROR] …" response messages; the failures here are on purpose.
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** The real WebClient against the fake; `null` for no token at all. */
function client(token: string | null = BOT_TOKEN, o: WebClientOptions = {}): WebClient {
  return new WebClient(token ?? undefined, { slackApiUrl: fake.url, logger: quiet, retryConfig: { retries: 0 }, ...o });
}

async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError["data"]> {
  const err = (await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  )) as WebAPIPlatformError;
  expect(err.code).toBe("slack_webapi_platform_error");
  return err.data;
}

beforeAll(() => fake.start());
afterAll(() => fake.stop());

describe("FakeSlackApi through the real WebClient", () => {
  it("answers auth.test for a known token and invalid_auth / not_authed otherwise", async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const res = await client().auth.test();
    expect(res).toMatchObject({ ok: true, team: "Acme", team_id: "T1", user_id: "UBOT1", bot_id: "BBOT1" });
    expect(res.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
    const call = fake.callsTo("auth.test").at(-1)!;
    expect(call.token).toBe(BOT_TOKEN);

    expect((await platformError(client("xoxb-nope").auth.test())).error).toBe("invalid_auth");
    expect((await platformError(client(null).auth.test())).error).toBe("not_authed");
    expect((await platformError(client().apiCall("no.such.method"))).error).toBe("unknown_method");
  });

  it("records chat.postMessage with its blocks parsed, answers ts that increase", async () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "Campaigns" } },
      { type: "section", text: { type: "mrkdwn", text: "*Summer* — active" } },
      { type: "actions", elements: [{ type: "button", action_id: "approve", text: { type: "plain_text", text: "Approve" }, value: "sig.abc" }] },
    ];
    const first = await client().chat.postMessage({ channel: "C100", text: "Campaigns", blocks });
    const second = await client().chat.postMessage({ channel: "U1", text: "hi" });
    expect(first).toMatchObject({ ok: true, channel: "C100", message: { text: "Campaigns", bot_id: "BBOT1", user: "UBOT1" } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.channel).toBe("DU1");

    const call = await fake.waitForCall("chat.postMessage", (c) => c.body.channel === "C100");
    expect(call.body.blocks).toEqual(blocks);
    expect(call.body.text).toBe("Campaigns");
    expect(fake.messagesIn("C100").at(-1)).toMatchObject({ ts: first.ts, blocks });

    const updated = await client().chat.update({ channel: "C100", ts: first.ts!, text: "Done", blocks: [] });
    expect(updated).toMatchObject({ ok: true, ts: first.ts, text: "Done" });
    expect((await platformError(client().chat.update({ channel: "C100", ts: "1.2", text: "x" }))).error).toBe("message_not_found");
    expect((await platformError(client().chat.postMessage({ channel: "", text: "x" }))).error).toBe("channel_not_found");
    expect((await platformError(client().chat.postMessage({ channel: "C100" } as never))).error).toBe("no_text");
  });

  it("refuses blocks beyond Slack's limits the way Slack does", async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ type: "section", text: { type: "mrkdwn", text: `row ${i}` } }));
    const data = await platformError(client().chat.postMessage({ channel: "C100", text: "x", blocks: many }));
    expect(data.error).toBe("invalid_blocks");
    expect(data.response_metadata?.messages).toContain("[ERROR] must be less than 51 items [json-pointer:/blocks]");

    const long = await platformError(
      client().chat.postMessage({ channel: "C100", text: "x", blocks: [{ type: "section", text: { type: "mrkdwn", text: "a".repeat(3001) } }] }),
    );
    expect(long.response_metadata?.messages).toContain("[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]");

    const view = { type: "modal" as const, title: { type: "plain_text" as const, text: "A title far longer than 24" }, blocks: [] };
    const trigger = new SlackRequests({ signingSecret: SECRET }).triggerId();
    expect((await platformError(client().views.open({ trigger_id: trigger, view }))).error).toBe("invalid_arguments");
  });

  it("opens, updates and publishes views", async () => {
    const trigger = new SlackRequests({ signingSecret: SECRET }).triggerId();
    const modal = {
      type: "modal" as const,
      callback_id: "campaign_new",
      title: { type: "plain_text" as const, text: "New campaign" },
      submit: { type: "plain_text" as const, text: "Create" },
      blocks: [{ type: "input", block_id: "name", label: { type: "plain_text", text: "Name" }, element: { type: "plain_text_input", action_id: "name" } }],
    };
    const opened = await client().views.open({ trigger_id: trigger, view: modal });
    expect(opened.view).toMatchObject({ type: "modal", callback_id: "campaign_new", team_id: "T1" });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.callsTo("views.open").at(-1)!.body.view).toEqual(modal);
    expect((await platformError(client().views.open({ trigger_id: "bogus", view: modal }))).error).toBe("invalid_trigger_id");

    const updated = await client().views.update({ view_id: opened.view!.id!, view: { ...modal, private_metadata: "m" } });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect((await platformError(client().views.update({ view_id: "VNOPE", view: modal }))).error).toBe("not_found");

    await client().views.publish({ user_id: "U1", view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Hi" } }] } });
    expect(fake.homeOf("U1")?.view.blocks).toHaveLength(1);
  });

  it("gives users.info a locale only with include_locale, and hides other teams' users", async () => {
    const plain = await client().users.info({ user: "U1" });
    expect(plain.user).toMatchObject({ id: "U1", name: "ana", real_name: "Ana Souza", tz: "America/Sao_Paulo" });
    expect(plain.user?.locale).toBeUndefined();
    const withLocale = await client().users.info({ user: "U1", include_locale: true });
    expect(withLocale.user?.locale).toBe("pt-BR");
    expect(fake.callsTo("users.info").at(-1)!.body.include_locale).toBe("true");
    expect((await platformError(client().users.info({ user: "U404" }))).error).toBe("user_not_found");
    expect((await platformError(client().users.info({ user: "U9" }))).error).toBe("user_not_found");

    const im = await client().conversations.open({ users: "U1" });
    expect(im.channel?.id).toBe("DU1");
  });

  it("takes files.uploadV2 end to end and keeps the bytes", async () => {
    const res = await client().files.uploadV2({ channel_id: "C100", file: PNG, filename: "chart.png", title: "Chart", initial_comment: "Digest" });
    expect(res.ok).toBe(true);
    const upload = fake.uploads.find((u) => u.filename === "chart.png")!;
    expect(upload.completed).toBe(true);
    expect(upload.bytes?.equals(PNG)).toBe(true);
    expect(upload).toMatchObject({ length: PNG.length, title: "Chart", channelId: "C100", initialComment: "Digest" });
    const get = fake.callsTo("files.getUploadURLExternal").at(-1)!;
    expect(get.response.upload_url).toBe(`${fake.origin}/upload/${upload.fileId}`);
    const complete = fake.callsTo("files.completeUploadExternal").at(-1)!;
    expect(complete.body.files).toEqual([{ id: upload.fileId, title: "Chart" }]);
    expect((complete.response.files as { id: string; mimetype: string }[])[0]).toMatchObject({ id: upload.fileId, mimetype: "image/png" });
  });

  it("exchanges an OAuth code once, with client credentials as form fields or HTTP Basic", async () => {
    const noToken = client(null);
    const res = await noToken.oauth.v2.access({ client_id: "111.222", client_secret: "shh", code: "code-ok" });
    expect(res).toMatchObject({
      ok: true,
      access_token: "xoxb-T2-new",
      token_type: "bot",
      bot_user_id: "UBOT2",
      team: { id: "T2", name: "Beta" },
      authed_user: { id: "U2" },
      is_enterprise_install: false,
    });
    // The new bot token now works, as after a real install.
    expect(await client("xoxb-T2-new").auth.test()).toMatchObject({ team_id: "T2", bot_id: "BBOT2" });

    expect((await platformError(noToken.oauth.v2.access({ client_id: "111.222", client_secret: "shh", code: "code-ok" }))).error).toBe("invalid_code");
    expect((await platformError(noToken.oauth.v2.access({ client_id: "111.222", client_secret: "shh", code: "nope" }))).error).toBe("invalid_code");
    expect((await platformError(noToken.oauth.v2.access({ client_id: "111.222", client_secret: "bad", code: "code-basic" }))).error).toBe(
      "bad_client_secret",
    );

    const basic = await fetch(`${fake.url}oauth.v2.access`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("111.222:shh").toString("base64")}` },
      body: new URLSearchParams({ code: "code-basic" }).toString(),
    });
    expect(await basic.json()).toMatchObject({ ok: true, access_token: "xoxb-T3-new", team: { id: "T3" } });
  });

  it("answers 429 with Retry-After once; WebClient waits, retries and succeeds", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const web = client(BOT_TOKEN, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 }, rejectRateLimitedCalls: false });
    const limited: number[] = [];
    web.on(WebClientEvent.RATE_LIMITED, (sec: number) => limited.push(sec));
    const started = Date.now();
    const res = await web.chat.postMessage({ channel: "C429", text: "after the limit" });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(limited).toEqual([1]);
    const calls = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "C429");
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]!.response).toEqual({ ok: false, error: "ratelimited" });

    fake.failNext("chat.postMessage", { status: 429, retryAfter: 30 });
    const rejecting = client(BOT_TOKEN, { rejectRateLimitedCalls: true });
    await expect(rejecting.chat.postMessage({ channel: "C429", text: "x" })).rejects.toMatchObject({ code: "slack_webapi_rate_limited_error", retryAfter: 30 });
  });

  it("injects 5xx and Slack error codes, and rate-limits per channel when asked", async () => {
    fake.failNext("chat.postMessage", { status: 503 });
    const res = await client(BOT_TOKEN, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } }).chat.postMessage({ channel: "C503", text: "x" });
    expect(res.ok).toBe(true);
    expect(fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "C503").map((c) => c.status)).toEqual([503, 200]);

    fake.failNext("chat.postMessage", { status: 200, error: "channel_not_found" });
    expect((await platformError(client().chat.postMessage({ channel: "C503", text: "x" }))).error).toBe("channel_not_found");

    fake.rateLimit("chat.postMessage", { max: 1, windowMs: 60_000, perChannel: true, retryAfter: 7 });
    try {
      const strict = client(BOT_TOKEN, { rejectRateLimitedCalls: true });
      await strict.chat.postMessage({ channel: "CR1", text: "1" });
      await strict.chat.postMessage({ channel: "CR2", text: "1" });
      await expect(strict.chat.postMessage({ channel: "CR1", text: "2" })).rejects.toMatchObject({ retryAfter: 7 });
    } finally {
      fake.rateLimit("chat.postMessage", null);
    }

    fake.revokeToken("xoxb-T2-new");
    expect((await platformError(client("xoxb-T2-new").auth.test())).error).toBe("token_revoked");
  });

  it("records what is POSTed to a response_url", async () => {
    const url = fake.responseUrl("cmd-1");
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ response_type: "ephemeral", text: "Working on it" }) });
    expect(res.status).toBe(200);
    const got = await fake.waitForResponse((r) => r.id === "cmd-1");
    expect(got.body).toEqual({ response_type: "ephemeral", text: "Working on it" });
    await expect(fake.waitForResponse((r) => r.id === "never", 50)).rejects.toThrow(/no response_url POST/);
  });
});

describe("SlackRequests signatures", () => {
  const now = 1_750_000_000;
  const slack = new SlackRequests({ signingSecret: SECRET, now: () => now });
  const verify = (body: string, headers: Record<string, string>, nowMs = now * 1000) =>
    verifySlackRequest({
      signingSecret: SECRET,
      body,
      headers: { "x-slack-signature": headers["x-slack-signature"]!, "x-slack-request-timestamp": Number(headers["x-slack-request-timestamp"]) },
      nowMilliseconds: nowMs,
    });

  it("signs every kind of request so Bolt's verifySlackRequest accepts it", () => {
    const requests = [
      slack.slashCommand({ text: "campaign list", teamId: "T1", userId: "U1", userName: "ana", channelId: "C100", responseUrl: "http://x/response/1" }),
      slack.blockAction({ teamId: "T1", userId: "U1", actionId: "approve", value: "v", responseUrl: "http://x/r", channelId: "C100", messageTs: "1.2" }),
      slack.viewSubmission({ teamId: "T1", userId: "U1", callbackId: "campaign_new", values: { name: { name: input.text("Summer") } } }),
      slack.event({ teamId: "T1", event: { type: "app_home_opened", user: "U1", tab: "home" } }),
      slack.urlVerification("chal"),
      slack.sslCheck(),
    ];
    for (const r of requests) {
      expect(r.headers["x-slack-request-timestamp"]).toBe(String(now));
      expect(r.headers["x-slack-signature"]).toMatch(/^v0=[0-9a-f]{64}$/);
      expect(() => verify(r.body, r.headers)).not.toThrow();
    }
  });

  it("fails verification when the body is modified or the request is 6 minutes old", () => {
    const req = slack.slashCommand({ text: "help", teamId: "T1", userId: "U1", userName: "ana", channelId: "C100", responseUrl: "http://x/r" });
    expect(() => verify(req.body.replace("help", "campaign+approve+x"), req.headers)).toThrow(/signature mismatch/);
    const forged = tampered(req, `${req.body}&x=1`);
    expect(() => verify(forged.body, forged.headers)).toThrow(/signature mismatch/);
    const stale = slack.at(now - 360).slashCommand({ text: "help", teamId: "T1", userId: "U1", userName: "ana", channelId: "C100", responseUrl: "http://x/r" });
    expect(() => verify(stale.body, stale.headers)).toThrow(/stale/);
    const wrongSecret = slack.withSecret("other").sslCheck();
    expect(() => verify(wrongSecret.body, wrongSecret.headers)).toThrow(/signature mismatch/);
    const retried = withRetry(req, 2);
    expect(retried.headers).toMatchObject({ "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" });
    expect(() => verify(retried.body, retried.headers)).not.toThrow();
  });

  it("uses Slack's field names", () => {
    const cmd = new URLSearchParams(
      slack.slashCommand({ text: "invite ana --fee 100", teamId: "T1", userId: "U1", userName: "ana", channelId: "C100", responseUrl: "http://x/r" }).body,
    );
    expect([...cmd.keys()]).toEqual([
      "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name", "command", "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id",
    ]);
    expect(cmd.get("command")).toBe("/clout");
    expect(cmd.get("text")).toBe("invite ana --fee 100");
    expect(cmd.get("trigger_id")).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);

    const action = JSON.parse(
      new URLSearchParams(
        slack.blockAction({ teamId: "T1", userId: "U1", actionId: "approve", value: "sig", responseUrl: "http://x/r", channelId: "C100", messageTs: "1.2" }).body,
      ).get("payload")!,
    );
    expect(action).toMatchObject({
      type: "block_actions",
      user: { id: "U1", team_id: "T1" },
      team: { id: "T1" },
      container: { type: "message", message_ts: "1.2", channel_id: "C100" },
      channel: { id: "C100" },
      message: { ts: "1.2" },
      response_url: "http://x/r",
      actions: [{ action_id: "approve", value: "sig", type: "button" }],
    });

    const submission = JSON.parse(
      new URLSearchParams(
        slack.viewSubmission({
          teamId: "T1",
          userId: "U1",
          callbackId: "campaign_new",
          privateMetadata: '{"channel":"C100"}',
          values: { name: { name: input.text("Summer") }, objective: { objective: input.select("sales") }, start: { start: input.date("2025-06-01") } },
        }).body,
      ).get("payload")!,
    );
    expect(submission.view.state.values).toEqual({
      name: { name: { type: "plain_text_input", value: "Summer" } },
      objective: { objective: { type: "static_select", selected_option: { text: { type: "plain_text", text: "sales", emoji: true }, value: "sales" } } },
      start: { start: { type: "datepicker", selected_date: "2025-06-01" } },
    });
    expect(submission).toMatchObject({ type: "view_submission", view: { callback_id: "campaign_new", private_metadata: '{"channel":"C100"}' } });

    const event = JSON.parse(slack.event({ teamId: "T1", eventId: "Ev1", event: { type: "app_home_opened", user: "U1" } }).body);
    expect(event).toMatchObject({ type: "event_callback", event_id: "Ev1", event_time: now, team_id: "T1", api_app_id: "A0FAKEAPP", event: { type: "app_home_opened" } });
  });
});

describe("the fakes with the real Bolt", () => {
  let app: App;
  let server: Server;
  let base: string;
  const slack = new SlackRequests({ signingSecret: SECRET });
  const seen: string[] = [];

  beforeAll(async () => {
    const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR, endpoints: "/slack/events" });
    app = new App({ token: BOT_TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.url } });
    app.command("/clout", async ({ command, ack, respond }) => {
      seen.push(`command:${command.text}`);
      await ack("working on it");
      await respond({ response_type: "ephemeral", text: `done: ${command.text}` });
    });
    app.action("approve", async ({ ack, body, respond }) => {
      await ack();
      seen.push(`action:${(body as { actions: { value: string }[] }).actions[0]!.value}`);
      await respond({ replace_original: true, text: "approved" });
    });
    app.view("campaign_new", async ({ ack, view }) => {
      const name = view.state.values.name?.name?.value;
      if (!name) await ack({ response_action: "errors", errors: { name: "Give the campaign a name" } });
      else await ack();
    });
    app.event("app_home_opened", async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Home" } }] } });
    });
    server = (await app.start(0)) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.stop();
  });
  afterEach(() => {
    seen.length = 0;
  });

  const post = (r: { body: string; headers: Record<string, string> }) => fetch(`${base}/slack/events`, { method: "POST", ...r });

  it("Bolt checks the token with auth.test against the fake, and accepts a signed slash command", async () => {
    await fake.waitForCall("auth.test", (c) => c.token === BOT_TOKEN);
    const req = slack.slashCommand({ text: "help", teamId: "T1", userId: "U1", userName: "ana", channelId: "C100", responseUrl: fake.responseUrl("bolt-1") });
    const res = await post(req);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("working on it");
    expect((await fake.waitForResponse((r) => r.id === "bolt-1")).body).toEqual({ response_type: "ephemeral", text: "done: help" });
    expect(seen).toEqual(["command:help"]);
  });

  it("Bolt refuses a stale, a forged and a wrongly signed request with 401", async () => {
    const params = { text: "help", teamId: "T1", userId: "U1", userName: "ana", channelId: "C100", responseUrl: fake.responseUrl("bolt-x") };
    const stale = slack.at(Math.floor(Date.now() / 1000) - 360).slashCommand(params);
    expect((await post(stale)).status).toBe(401);
    const req = slack.slashCommand(params);
    expect((await post(tampered(req, req.body.replace("help", "evil")))).status).toBe(401);
    expect((await post(slack.withSecret("wrong").slashCommand(params))).status).toBe(401);
    expect(seen).toEqual([]);
  });

  it("Bolt parses block actions, view submissions, events, url_verification and ssl_check as built", async () => {
    const click = slack.blockAction({
      teamId: "T1", userId: "U1", actionId: "approve", value: "sig.123", responseUrl: fake.responseUrl("bolt-2"), channelId: "C100", messageTs: "1700000000.000100",
    });
    expect((await post(click)).status).toBe(200);
    expect((await fake.waitForResponse((r) => r.id === "bolt-2")).body).toEqual({ replace_original: true, text: "approved" });
    expect(seen).toContain("action:sig.123");

    const empty = await post(slack.viewSubmission({ teamId: "T1", userId: "U1", callbackId: "campaign_new", values: { name: { name: input.text(null) } } }));
    expect(await empty.json()).toEqual({ response_action: "errors", errors: { name: "Give the campaign a name" } });
    const ok = await post(slack.viewSubmission({ teamId: "T1", userId: "U1", callbackId: "campaign_new", values: { name: { name: input.text("Summer") } } }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("");

    expect((await post(slack.appHomeOpened({ teamId: "T1", userId: "U1" }))).status).toBe(200);
    await fake.waitForCall("views.publish", (c) => c.body.user_id === "U1" && (c.body.view as { blocks: unknown[] }).blocks.length === 1);

    expect(await (await post(slack.urlVerification("abc"))).json()).toEqual({ challenge: "abc" });
    expect((await post(slack.sslCheck())).status).toBe(200);
    expect((await post(withRetry(slack.appHomeOpened({ teamId: "T1", userId: "U1" }), 1))).status).toBe(200);
  });
});
