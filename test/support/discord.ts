import type { APIInteractionDataResolved } from "discord-api-types/v10";
import type { App, AppOptions } from "../../app/container.ts";
import type { Role } from "../../core/roles.ts";
import { FakeDiscordApi } from "../fakes/discord-api.ts";
import { DiscordInteractions, type DiscordInteractionRequest, type InteractionUser } from "../fakes/discord-interactions.ts";
import { startTestApp } from "./app.ts";
import { createTeam, type Team } from "./team.ts";

export const DISCORD_BOT_TOKEN = "MTE4.clout-test.bot-token";
export const GUILD = "1180000000000000500";
export const CHANNEL = "1180000000000000600";

/** Discord user ids of the team's members, one per role. */
export const DISCORD_USER: Record<Role, InteractionUser> = {
  owner: { id: "1180000000000001001", username: "olivia", globalName: "Olivia Owner" },
  admin: { id: "1180000000000001002", username: "adam", globalName: "Adam Admin" },
  manager: { id: "1180000000000001003", username: "maria", globalName: "Maria Manager" },
  analyst: { id: "1180000000000001004", username: "ana", globalName: "Ana Analyst" },
  creator: { id: "1180000000000001005", username: "cris", globalName: "Cris Creator" },
};

export interface DiscordHarness {
  app: App;
  api: FakeDiscordApi;
  discord: DiscordInteractions;
  team: Team;
  post(req: { body: string; headers: Record<string, string> }): Promise<Response>;
  /** `/clout <path…>` with options as a member (or any user), in the guild; returns the interaction response and the request. */
  command(who: Role | InteractionUser, path: string[], options?: Record<string, string | number | boolean>, extra?: { types?: Record<string, 6>; locale?: string; guildId?: string; resolved?: APIInteractionDataResolved }): Promise<{ status: number; json: any; req: DiscordInteractionRequest }>;
  stop(): Promise<void>;
}

/** The real app with Discord on, pointed at a fake Discord REST API; a team whose members each have a Discord identity. */
export async function startDiscordHarness(databaseUrl: string, o: Partial<AppOptions> & { env?: Record<string, string> } = {}): Promise<DiscordHarness> {
  const discord = new DiscordInteractions();
  const api = new FakeDiscordApi({ botToken: DISCORD_BOT_TOKEN, publicKey: discord.publicKeyHex, bucket: { limit: 50, resetAfter: 1 } });
  await api.start();
  const app = await startTestApp(databaseUrl, {
    http: true,
    ...o,
    env: {
      DISCORD_APPLICATION_ID: api.applicationId,
      DISCORD_PUBLIC_KEY: discord.publicKeyHex,
      DISCORD_BOT_TOKEN,
      DISCORD_API_URL: api.url,
      CLOUT_SECRET: "test-secret-".padEnd(40, "x"),
      ...o.env,
    },
  });
  const team = await createTeam(app.database.db, "Discord Brand");
  for (const [role, user] of Object.entries(DISCORD_USER)) {
    await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "discord", externalId: user.id, memberId: team.members[role as Role].id } });
  }
  const address = app.server!.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  const post = (req: { body: string; headers: Record<string, string> }) => fetch(`${base}/discord/interactions`, { method: "POST", body: req.body, headers: req.headers });
  return {
    app,
    api,
    discord,
    team,
    post,
    async command(who, path, options = {}, extra = {}) {
      const user = typeof who === "string" ? DISCORD_USER[who] : who;
      const req = discord.command({ guildId: extra.guildId ?? GUILD, channelId: CHANNEL, user, path, options, ...(extra.types ? { types: extra.types } : {}), ...(extra.locale ? { locale: extra.locale } : {}), ...(extra.resolved ? { resolved: extra.resolved } : {}) });
      const res = await post(req);
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, req };
    },
    async stop() {
      await app.stop();
      await api.stop();
    },
  };
}

/** Every text a Discord message shows (embed title, description, fields, footer, button labels), for "does the user see X". */
export function discordText(message: any): string {
  const out: string[] = [];
  if (message?.content) out.push(message.content);
  for (const e of message?.embeds ?? []) {
    out.push(e.title ?? "", e.description ?? "", ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value]), e.footer?.text ?? "");
  }
  for (const row of message?.components ?? []) for (const c of row.components ?? []) out.push(c.label ?? "");
  return out.filter(Boolean).join("\n");
}
