import type { App, AppOptions } from "../../app/container.ts";
import type { Role } from "../../core/roles.ts";
import { FakeTelegramApi } from "../fakes/telegram-api.ts";
import { TelegramUpdates, type TelegramChatSpec, type TelegramFrom } from "../fakes/telegram-updates.ts";
import { startTestApp } from "./app.ts";
import { createTeam, type Team } from "./team.ts";

export const TELEGRAM_TOKEN = "7000000001:AAclout-test-token";
export const WEBHOOK_SECRET = "clout-webhook-secret_1";

/** Telegram users of the team's members, one per role (their private chat has the same id). */
export const TELEGRAM_USER: Record<Role, TelegramFrom> = {
  owner: { id: 5000001, first_name: "Olivia", last_name: "Owner", username: "olivia", language_code: "en" },
  admin: { id: 5000002, first_name: "Adam", last_name: "Admin", username: "adam", language_code: "en" },
  manager: { id: 5000003, first_name: "Maria", last_name: "Manager", username: "maria", language_code: "pt-br" },
  analyst: { id: 5000004, first_name: "Ana", last_name: "Analyst", username: "ana", language_code: "en" },
  creator: { id: 5000005, first_name: "Cris", last_name: "Creator", username: "cris", language_code: "en" },
};

export interface TelegramHarness {
  app: App;
  api: FakeTelegramApi;
  updates: TelegramUpdates;
  team: Team;
  /** POSTs an update to /telegram/webhook with the right secret (or the one given). */
  deliver(update: object, secret?: string | null): Promise<Response>;
  /** A member (or anyone) types `text`, in their private chat unless a chat is given. */
  say(who: Role | TelegramFrom, text: string, chat?: TelegramChatSpec): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The real app with Telegram on, pointed at a fake Bot API. With a PUBLIC_URL
 * (the default here) updates arrive by webhook; `env: { PUBLIC_URL: "" }`
 * makes it poll.
 */
export async function startTelegramHarness(databaseUrl: string, o: Partial<AppOptions> & { env?: Record<string, string> } = {}): Promise<TelegramHarness> {
  const api = new FakeTelegramApi({ token: TELEGRAM_TOKEN, username: "CloutBot" });
  await api.start();
  const updates = new TelegramUpdates({ api });
  const app = await startTestApp(databaseUrl, {
    http: true,
    ...o,
    env: {
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_URL: api.url,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PUBLIC_URL: "https://clout.example.com",
      CLOUT_SECRET: "test-secret-".padEnd(40, "x"),
      ...o.env,
    },
  });
  const team = await createTeam(app.database.db, "Telegram Brand");
  for (const [role, user] of Object.entries(TELEGRAM_USER)) {
    await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "telegram", externalId: String(user.id), memberId: team.members[role as Role].id } });
  }
  const address = app.server!.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  const deliver = (update: object, secret: string | null = WEBHOOK_SECRET) => {
    const req = updates.webhookRequest(update as never, secret ?? undefined);
    return fetch(`${base}/telegram/webhook`, { method: "POST", body: req.body, headers: req.headers });
  };
  return {
    app,
    api,
    updates,
    team,
    deliver,
    say: (who, text, chat) => deliver(updates.message({ from: typeof who === "string" ? TELEGRAM_USER[who] : who, text, ...(chat ? { chat } : {}) })),
    async stop() {
      await app.stop();
      await api.stop();
    },
  };
}
