import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { parse } from "yaml";
import type { App } from "../../app/container.ts";
import { BOT_SCOPES } from "../../bots/slack/oauth.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SlackRequests } from "../fakes/slack-requests.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { TEST_DATABASE_URL } from "../support/env.ts";
import { SIGNING_SECRET, textOf } from "../support/slack.ts";

const CLIENT = { clientId: "1234567890.987654321", clientSecret: "f0e1d2c3b4a5968778695a4b3c2d1e0f" };
const GRANT = { teamId: "T0NEWCO01", teamName: "NewCo", botToken: "xoxb-newco-secret-token", botUserId: "UBOTNEWCO", botId: "BNEWCO", authedUserId: "UFOUNDER1" };
const PUBLIC_URL = "https://clout.example.test";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let api: FakeSlackApi;
let app: App;
let base: string;
const slack = new SlackRequests({ signingSecret: SIGNING_SECRET });

beforeAll(async () => {
  env = await createTestDatabase();
  api = new FakeSlackApi({
    oauth: { ...CLIENT, redirectUri: `${PUBLIC_URL}/slack/oauth_redirect`, codes: { "code-newco": GRANT } },
    users: { UFOUNDER1: { name: "founder", realName: "Fola Founder", locale: "en-US", teamId: GRANT.teamId } },
  });
  await api.start();
  app = await startTestApp(env.url, {
    http: true,
    env: {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_CLIENT_ID: CLIENT.clientId,
      SLACK_CLIENT_SECRET: CLIENT.clientSecret,
      SLACK_API_URL: api.url,
      PUBLIC_URL,
      CLOUT_SECRET: "oauth-test-secret-".padEnd(40, "y"),
    },
  });
  base = `http://127.0.0.1:${(app.server!.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.stop();
  await api?.stop();
  await env?.drop();
});

async function install(code = "code-newco"): Promise<Response> {
  const start = await fetch(`${base}/slack/install`, { redirect: "manual" });
  const html = await start.text();
  const link = /https:\/\/slack\.com\/oauth\/v2\/authorize\?[^"']+/.exec(html.replaceAll("&amp;", "&"))?.[0] ?? start.headers.get("location") ?? "";
  const authorize = new URL(link);
  expect(authorize.searchParams.get("client_id")).toBe(CLIENT.clientId);
  expect(authorize.searchParams.get("scope")?.split(",")).toEqual(BOT_SCOPES);
  const state = authorize.searchParams.get("state")!;
  const cookie = start.headers.get("set-cookie")?.split(";")[0] ?? "";
  return fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: "manual" });
}

describe("Slack OAuth (many workspaces)", () => {
  it("installs: state-checked callback, code exchanged, installation stored with its token sealed", async () => {
    const res = await install();
    expect(res.status).toBeLessThan(400);
    const row = await app.database.db.slackInstallation.findUniqueOrThrow({ where: { installKey: GRANT.teamId } });
    expect(row).toMatchObject({ teamId: GRANT.teamId, teamName: "NewCo", botUserId: GRANT.botUserId });
    expect(row.sealed).not.toContain(GRANT.botToken);
    expect(row.sealed.startsWith("v1.")).toBe(true);
  });

  it("refuses a callback whose state was not issued here", async () => {
    const res = await fetch(`${base}/slack/oauth_redirect?code=code-newco&state=forged`, { redirect: "manual" });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it("serves the installed workspace with its own token", async () => {
    const post = (text: string) =>
      fetch(`${base}/slack/events`, { method: "POST", ...slack.slashCommand({ text, teamId: GRANT.teamId, userId: "UFOUNDER1", userName: "founder", channelId: "C0NEWCO", responseUrl: api.responseUrl(text) }) }).then(async (r) => ({ status: r.status, json: await r.json() }));
    const created = await post('workspace create "NewCo"');
    expect(created.status).toBe(200);
    expect(textOf(created.json)).toContain("Workspace NewCo created");
    const usersInfo = api.callsTo("users.info").find((c) => c.body.user === "UFOUNDER1");
    expect(usersInfo?.token).toBe(GRANT.botToken);
    const show = await post("workspace show");
    expect(textOf(show.json)).toContain("Fola Founder");
  });
});

describe("Slack uninstall", () => {
  it("forgets a workspace's sealed token when it uninstalls the app or revokes the bot token", async () => {
    const sealedFor = (teamId: string) => app.database.db.slackInstallation.findUnique({ where: { installKey: teamId } });
    expect(await sealedFor(GRANT.teamId)).not.toBeNull();
    const uninstall = slack.event({ teamId: GRANT.teamId, event: { type: "app_uninstalled" } });
    expect((await fetch(`${base}/slack/events`, { method: "POST", ...uninstall })).status).toBe(200);
    await waitFor(async () => (await sealedFor(GRANT.teamId)) === null);

    api.addOAuthCode("code-newco-2", GRANT);
    await install("code-newco-2");
    expect(await sealedFor(GRANT.teamId)).not.toBeNull();
    const userOnly = slack.event({ teamId: GRANT.teamId, event: { type: "tokens_revoked", tokens: { oauth: ["UFOUNDER1"] } } });
    await fetch(`${base}/slack/events`, { method: "POST", ...userOnly });
    await new Promise((r) => setTimeout(r, 200));
    expect(await sealedFor(GRANT.teamId)).not.toBeNull();
    const revoked = slack.event({ teamId: GRANT.teamId, event: { type: "tokens_revoked", tokens: { bot: [GRANT.botUserId] } } });
    await fetch(`${base}/slack/events`, { method: "POST", ...revoked });
    await waitFor(async () => (await sealedFor(GRANT.teamId)) === null);
    api.addOAuthCode("code-newco-3", GRANT);
    await install("code-newco-3");
  });
});

async function waitFor(done: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("Slack start-up", () => {
  it("stops with one line naming SLACK_BOT_TOKEN when Slack refuses it, and leaves nothing open", async () => {
    const own = await createTestDatabase();
    try {
      const started = startTestApp(own.url, { env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_API_URL: api.url, CLOUT_SECRET: "x".repeat(40) } });
      await expect(started).rejects.toThrow(/^SLACK_BOT_TOKEN was not accepted by Slack \(invalid_auth\)/);
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      const open = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [new URL(own.url).pathname.slice(1)]);
      await admin.end();
      expect(open.rows[0].n).toBe(0);
    } finally {
      await own.drop();
    }
  });
});

describe("Slack app manifest", () => {
  const manifest = parse(readFileSync(new URL("../../bots/slack/manifest.yaml", import.meta.url), "utf8"));

  it("asks for exactly the scopes the OAuth install requests", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
  });

  it("points the command, interactivity and events at the routes Clout mounts", async () => {
    const urls = [manifest.features.slash_commands[0].url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url];
    for (const url of urls) expect(new URL(url).pathname).toBe("/slack/events");
    expect(new URL(manifest.oauth_config.redirect_urls[0]).pathname).toBe("/slack/oauth_redirect");
    expect(manifest.features.slash_commands[0].command).toBe("/clout");
    expect(manifest.features.slash_commands[0].should_escape).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened", "app_uninstalled", "tokens_revoked"]);
    expect((await fetch(`${base}/slack/events`, { method: "POST", body: "" })).status).toBe(401);
  });
});
