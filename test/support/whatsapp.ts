import type { App, AppOptions } from "../../app/container.ts";
import { runCommand } from "../../core/commands/run.ts";
import { FakeWhatsAppApi } from "../fakes/whatsapp-api.ts";
import { WhatsAppWebhooks, type WhatsAppFrom } from "../fakes/whatsapp-webhooks.ts";
import { startTestApp } from "./app.ts";
import { createTeam, type Team } from "./team.ts";

export const WA = {
  accessToken: "EAAG-test-access-token",
  phoneNumberId: "106540352242922",
  appSecret: "whatsapp-app-secret-for-tests",
  verifyToken: "clout-verify-token",
} as const;

/** Team members with WhatsApp numbers of their own, and a creator known only by the number on their profile. */
export const PHONES = {
  owner: { waId: "5511900000001", name: "Olivia" },
  admin: { waId: "5511900000002", name: "Adam" },
  creator: { waId: "254712345678", name: "Wanjiru" },
} satisfies Record<string, WhatsAppFrom>;

export interface WhatsAppHarness {
  app: App;
  api: FakeWhatsAppApi;
  hooks: WhatsAppWebhooks;
  team: Team;
  base: string;
  /** POSTs a payload to /whatsapp/webhook, signed with the app secret (or the one given; null: unsigned). */
  deliver(payload: object, secret?: string | null): Promise<Response>;
  say(from: WhatsAppFrom, text: string): Promise<Response>;
  stop(): Promise<void>;
}

/** The real app with WhatsApp (Cloud API) on, pointed at a fake Graph API. */
export async function startWhatsAppHarness(databaseUrl: string, o: Partial<AppOptions> & { env?: Record<string, string> } = {}): Promise<WhatsAppHarness> {
  const api = new FakeWhatsAppApi({ accessToken: WA.accessToken, phoneNumberId: WA.phoneNumberId });
  await api.start();
  const hooks = new WhatsAppWebhooks({ appSecret: WA.appSecret, phoneNumberId: WA.phoneNumberId, api });
  const app = await startTestApp(databaseUrl, {
    http: true,
    ...o,
    env: {
      WHATSAPP_ACCESS_TOKEN: WA.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
      WHATSAPP_APP_SECRET: WA.appSecret,
      WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
      WHATSAPP_API_URL: api.url,
      CLOUT_SECRET: "test-secret-".padEnd(40, "x"),
      ...o.env,
    },
  });
  const team = await createTeam(app.database.db, "WhatsApp Brand");
  for (const role of ["owner", "admin"] as const) {
    await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "whatsapp", externalId: `+${PHONES[role].waId}`, memberId: team.members[role].id } });
  }
  const added = await runCommand(app.runner, { text: `creator add "Wanjiru Kamau" --phone +${PHONES.creator.waId} --location KE`, caller: team.members.owner.caller });
  if (!added.ok) throw new Error(`creator add failed: ${added.reply.text}`);
  const address = app.server!.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  const deliver = (payload: object, secret?: string | null) => {
    const req = hooks.request(payload, secret === undefined ? WA.appSecret : secret);
    return fetch(`${base}/whatsapp/webhook`, { method: "POST", body: req.body, headers: req.headers });
  };
  return {
    app,
    api,
    hooks,
    team,
    base,
    deliver,
    say: (from, text) => deliver(hooks.text(from, text)),
    async stop() {
      await app.stop();
      await api.stop();
    },
  };
}
