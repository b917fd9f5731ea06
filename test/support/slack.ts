import type { App } from "../../app/container.ts";
import type { Role } from "../../core/roles.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SlackRequests, type SlackRequest } from "../fakes/slack-requests.ts";
import type { AppOptions } from "../../app/container.ts";
import { startTestApp } from "./app.ts";
import { createTeam, type Team } from "./team.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const BOT_TOKEN = "xoxb-1-clout-test";
export const TEAM = "T0CLOUT01";

/** Slack user ids of the team's members, one per role, plus strangers. */
export const SLACK_USER: Record<Role, string> = { owner: "UOWNER01", admin: "UADMIN01", manager: "UMANAGER1", analyst: "UANALYST1", creator: "UCREATOR1" };

export interface SlackHarness {
  app: App;
  api: FakeSlackApi;
  slack: SlackRequests;
  team: Team;
  base: string;
  /** POSTs a signed request to /slack/events. */
  post(req: SlackRequest): Promise<Response>;
  /** Runs `/clout <text>` as a member and returns Slack's view of the ack. */
  command(role: Role | { userId: string; userName?: string; teamId?: string }, text: string, responseId?: string): Promise<{ status: number; json: any; ms: number }>;
  stop(): Promise<void>;
}

/**
 * The real app with Slack on (single-workspace mode), pointed at a fake Slack
 * Web API; a team whose members each have a Slack identity in TEAM.
 */
export async function startSlackHarness(databaseUrl: string, o: Partial<AppOptions> & { env?: Record<string, string> } = {}): Promise<SlackHarness> {
  const api = new FakeSlackApi({
    tokens: { [BOT_TOKEN]: { teamId: TEAM, userId: "UBOTCLOUT", botId: "BCLOUT", teamName: "Clout Test" } },
    users: {
      [SLACK_USER.owner]: { name: "olivia", realName: "Olivia Owner", locale: "en-US", teamId: TEAM },
      [SLACK_USER.admin]: { name: "adam", realName: "Adam Admin", locale: "en-GB", teamId: TEAM },
      [SLACK_USER.manager]: { name: "maria", realName: "Maria Manager", locale: "pt-BR", teamId: TEAM },
      [SLACK_USER.analyst]: { name: "ana", realName: "Ana Analyst", locale: "en-US", teamId: TEAM },
      [SLACK_USER.creator]: { name: "cris", realName: "Cris Creator", locale: "en-US", teamId: TEAM },
      UNEWBIE1: { name: "newbie", realName: "New Person", locale: "en-US", teamId: TEAM },
      UPORTUG1: { name: "joana", realName: "Joana Silva", locale: "pt-BR", teamId: TEAM },
    },
  });
  await api.start();
  const app = await startTestApp(databaseUrl, {
    http: true,
    ...o,
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.url, CLOUT_SECRET: "test-secret-".padEnd(40, "x"), ...o.env },
  });
  const team = await createTeam(app.database.db, "Slack Brand");
  for (const [role, userId] of Object.entries(SLACK_USER)) {
    await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "slack", externalId: `${TEAM}:${userId}`, memberId: team.members[role as Role].id } });
  }
  const address = app.server!.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  const slack = new SlackRequests({ signingSecret: SIGNING_SECRET });
  const post = (req: SlackRequest) => fetch(`${base}/slack/events`, { method: "POST", ...req });
  let responses = 0;
  return {
    app,
    api,
    slack,
    team,
    base,
    post,
    async command(who, text, responseId = `r${++responses}`) {
      const user = typeof who === "string" ? { userId: SLACK_USER[who], userName: who, teamId: TEAM } : who;
      const started = performance.now();
      const res = await post(slack.slashCommand({ text, teamId: user.teamId ?? TEAM, userId: user.userId, userName: user.userName ?? user.userId, channelId: "C0CAMPAIGN", responseUrl: api.responseUrl(responseId) }));
      const ms = performance.now() - started;
      const body = await res.text();
      return { status: res.status, json: body ? JSON.parse(body) : undefined, ms };
    },
    async stop() {
      await app.stop();
      await api.stop();
    },
  };
}

/** Every text in a Block Kit payload, flattened, for "does the user see X" assertions. */
export function textOf(payload: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "value" && k !== "action_id" && k !== "block_id") walk(x);
  };
  walk(payload);
  return out.join("\n");
}
