import type { Logger as SlackLogger } from "@slack/logger";
import { InstallProvider, type InstallationStore } from "@slack/oauth";
import type { FastifyInstance } from "fastify";

/** What Clout asks a Slack workspace for; the manifest declares the same. */
export const BOT_SCOPES = ["commands", "chat:write", "chat:write.public", "im:write", "users:read", "files:write"];

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  installationStore: InstallationStore;
  logger: SlackLogger;
  /** Slack's Web API base (SLACK_API_URL). */
  slackApiUrl?: string;
}

export function createInstaller(o: SlackOAuthOptions): InstallProvider {
  return new InstallProvider({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    stateSecret: o.stateSecret,
    installationStore: o.installationStore,
    logger: o.logger,
    ...(o.slackApiUrl ? { clientOptions: { slackApiUrl: o.slackApiUrl } } : {}),
  });
}

/**
 * Multi-workspace install: /slack/install sends the browser to Slack with a
 * signed state, /slack/oauth_redirect exchanges the code and stores the
 * installation. @slack/oauth writes the pages itself, so Fastify hands over the raw response.
 */
export async function mountOAuth(server: FastifyInstance, installer: InstallProvider, redirectUri?: string): Promise<void> {
  const install = { scopes: BOT_SCOPES, ...(redirectUri ? { redirectUri } : {}) };
  server.get("/slack/install", async (req, reply) => {
    reply.hijack();
    await installer.handleInstallPath(req.raw, reply.raw, {}, install);
  });
  server.get("/slack/oauth_redirect", async (req, reply) => {
    reply.hijack();
    await installer.handleCallback(req.raw, reply.raw, {}, install);
  });
}
