import { App, type SlashCommand } from "@slack/bolt";
import type { AdapterServices } from "../common/services.ts";
import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { FastifyInstance } from "fastify";
import type { Sign } from "../../core/actions/signer.ts";
import { authorize, errorReply, runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { DomainError } from "../../core/errors.ts";
import { resolveActor } from "../../core/identity/actor.ts";
import { toLocale, type Locale } from "../../core/i18n/locale.ts";
import { translator } from "../../core/i18n/t.ts";
import type { Messenger } from "../../core/notifications/messenger.ts";
import { rememberMessage } from "../../core/notifications/tracked.ts";
import type { Reply } from "../../core/reply.ts";
import type { SecretBox } from "../../core/secrets.ts";
import { workspaceOverview } from "../../core/workspaces/overview.ts";
import { inChannel, SlackCallers } from "./caller.ts";
import { PrismaInstallationStore } from "./installations.ts";
import { uploadFiles } from "./files.ts";
import { answerAddress, messageRef, slackMessenger } from "./messenger.ts";
import { CAMPAIGN_MODAL, campaignModal, commandFromSubmission, fieldErrors, type ModalOrigin } from "./modal.ts";
import { createInstaller, mountOAuth } from "./oauth.ts";
import { slackLogger } from "./logger.ts";
import { FastifyReceiver, type Body } from "./receiver.ts";
import { InlineRunner } from "../common/inline.ts";
import { BUTTON_ACTION_ID, renderMessage, renderView, responseBody } from "./render.ts";
import { SLACK_LIMITS } from "./limits.ts";

export interface SlackBotOptions extends AdapterServices {
  signingSecret: string;
  /** Single-workspace mode. */
  botToken?: string;
  /** Multi-workspace mode (OAuth); installations are sealed with `box`. */
  oauth?: { clientId: string; clientSecret: string; stateSecret: string; redirectUri?: string };
  box: SecretBox;
  slackApiUrl?: string;
  /** How long a command may run before the ack says "working on it" and the result follows via response_url. */
  ackBudgetMs?: number;
  /** Commands this process runs inside the ack at once; more are acknowledged at once and queued. */
  inlineLimit?: number;
}

export interface SlackBot {
  mount(server: FastifyInstance): Promise<void>;
  messenger: Messenger;
}

/** Inline answers get this long; with users.info bounded at 800 ms it stays inside the receiver's 2.8 s. */
const ACK_BUDGET_MS = 1_800;
/** Commands answered inside acks at once (see InlineRunner). */
const INLINE_LIMIT = 4;

export async function createSlackBot(o: SlackBotOptions): Promise<SlackBot> {
  const { runner, clock, log } = o;
  const sign: Sign = (command, scope) => o.signer.sign(command, scope);
  const callers = new SlackCallers(o.slackApiUrl);
  const receiver = new FastifyReceiver({ signingSecret: o.signingSecret, clock, log, shortcut: (body) => queueWhenBusy(body) });
  const clientOptions = o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {};
  const installations = new PrismaInstallationStore(runner.db, o.box, clock);
  const installer = o.oauth ? createInstaller({ ...o.oauth, logger: slackLogger(log), installationStore: installations, slackApiUrl: o.slackApiUrl }) : undefined;

  const app = new App({
    receiver,
    logger: slackLogger(log),
    clientOptions,
    deferInitialization: true,
    // Bolt's conversation store keeps per-channel state we never read; it costs on every request.
    convoStore: false,
    ...(installer ? { authorize: (source) => installer.authorize(source) } : { token: o.botToken }),
  });
  await app.init();

  const inline = new InlineRunner(runner, { budgetMs: o.ackBudgetMs ?? ACK_BUDGET_MS, limit: o.inlineLimit ?? INLINE_LIMIT, busy: o.busy });
  const callerOf = (client: WebClient, teamId: string, userId: string, userName?: string) => callers.caller(client, teamId, userId, userName);

  const commandText = (command: SlashCommand) => command.text.trim() || "help";
  const opensModal = (text: string) => /^campaign\s+new$/i.test(text);
  const working = (locale: Locale) => ({ response_type: "ephemeral" as const, text: translator(locale)("command.working") });
  const queue = async (command: SlashCommand, caller: Caller, locale: Locale) =>
    o.defer({ text: commandText(command), caller, replyTo: { platform: "slack", address: answerAddress(command.response_url, command.team_id, command.channel_id, command.user_id), locale } });

  /** A busy process only queues commands, from people it knows (no users.info call), without Bolt's pipeline. */
  async function queueWhenBusy(body: Body): Promise<{ response?: object } | undefined> {
    if (body.command !== "/clout" || typeof body.text !== "string" || opensModal(commandText(body as SlashCommand)) || !inline.overloaded()) return undefined;
    const command = body as SlashCommand;
    const known = callers.cached(command.team_id, command.user_id, command.user_name);
    if (!known) return undefined;
    const caller = inChannel(known, command.team_id, command.channel_id, command.channel_name);
    if (!(await o.claims.claim("slack", `trigger:${command.trigger_id}`))) return {};
    const locale = toLocale(caller.locale);
    await queue(command, caller, locale);
    return { response: working(locale) };
  }

  app.command("/clout", async ({ command, ack, respond, client, body }) => {
    // Slack never sends the same trigger twice on purpose; a redelivery must not run the command again.
    if (!(await o.claims.claim("slack", `trigger:${body.trigger_id}`))) return ack();
    const caller = inChannel(await callerOf(client, command.team_id, command.user_id, command.user_name), command.team_id, command.channel_id, command.channel_name);
    const text = commandText(command);
    if (opensModal(text)) return openCampaignModal(client, caller, body.trigger_id, command.channel_id, ack);

    const locale = toLocale(caller.locale);
    if (inline.overloaded()) {
      await queue(command, caller, locale);
      return ack(working(locale));
    }
    const outcome = await inline.run({ text, caller, queue: true });
    const as = { sign, locale };
    const images = (reply: Reply) => uploadFiles(client, { channel: command.channel_id, user: command.user_id, private: reply.ephemeral === true }, reply);
    if ("quick" in outcome) {
      const reply = outcome.quick.reply;
      if (outcome.quick.queued) {
        await queue(command, caller, locale);
        await ack(responseBody(reply, as)).catch(() => respond(responseBody(reply, as)));
        return;
      }
      if (tracked(reply)) {
        await ack().catch(() => {});
        if (!(await postTracked(client, command, reply, locale))) await respond(responseBody(reply, as));
        return images(reply);
      }
      // Past the receiver's deadline the ack is spent (Slack already got a 200); the answer then goes to response_url.
      await ack(responseBody(reply, as)).catch(() => respond(responseBody(reply, as)));
      return images(reply);
    }
    await ack(working(locale)).catch(() => {});
    const late = await outcome.late;
    if (late.queued) return queue(command, caller, locale);
    const reply = late.reply;
    if (tracked(reply) && (await postTracked(client, command, reply, locale))) await respond({ delete_original: true });
    else await respond(responseBody(reply, as));
    await images(reply);
  });

  const tracked = (reply: Reply) => reply.track !== undefined && !reply.ephemeral;

  /**
   * A reply showing something that will change (an invitation) is posted as a
   * channel message, so each change edits it and answers follow in its thread.
   * Where the bot can't post (a private channel it isn't in) it answers as usual.
   */
  async function postTracked(client: WebClient, command: SlashCommand, reply: Reply, locale: Locale): Promise<boolean> {
    const { text, blocks } = renderMessage(reply, { sign, locale });
    try {
      const posted = await client.chat.postMessage({ channel: command.channel_id, text, blocks });
      await rememberMessage(runner, reply.track!, { platform: "slack", ref: messageRef(command.team_id, posted.channel ?? command.channel_id, posted.ts!) }, locale);
      return true;
    } catch (err) {
      log.info({ channel: command.channel_id, err: (err as { data?: { error?: string } }).data?.error ?? (err as Error).message }, "slack: could not post to the channel; answering the command instead");
      return false;
    }
  }

  /** The form stands for `campaign create`, so whoever may not run that may not open it. */
  async function openCampaignModal(client: WebClient, caller: Caller, triggerId: string, channel: string, ack: (r?: object) => Promise<void>) {
    const actor = await resolveActor(runner.db, caller);
    const locale = toLocale(caller.locale ?? actor?.workspace.locale);
    try {
      authorize(runner.registry.get("campaign create")!, actor, caller, locale);
    } catch (err) {
      if (err instanceof DomainError) return ack(responseBody(errorReply(err, locale), { sign, locale }));
      throw err;
    }
    await ack();
    await client.views.open({ trigger_id: triggerId, view: campaignModal(translator(locale), actor.workspace.currency, { channel }) });
  }

  app.action(BUTTON_ACTION_ID, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== "block_actions" || action.type !== "button") return;
    // A replayed click (within the signature's 5 minutes) carries the same trigger: it does nothing.
    if (!(await o.claims.claim("slack", `trigger:${body.trigger_id}`))) return;
    const caller = await callerOf(client, body.team?.id ?? body.user.team_id ?? "", body.user.id, body.user.username);
    const locale = toLocale(caller.locale);
    const actor = await resolveActor(runner.db, caller);
    let command: string;
    try {
      command = o.signer.verify(action.value ?? "", actor?.workspace.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      log.warn({ user: caller.externalId }, "slack: button payload refused");
      await respond({ ...responseBody(errorReply(err, locale), { sign, locale }), replace_original: false });
      return;
    }
    const result = await runCommand(runner, { text: command, caller, actor });
    await respond({ ...responseBody(result.reply, { sign, locale }), replace_original: false });
    await uploadFiles(client, { channel: body.channel?.id ?? body.user.id, user: body.user.id, private: result.reply.ephemeral === true }, result.reply);
  });

  app.view(CAMPAIGN_MODAL, async ({ ack, body, view, client }) => {
    if (!(await o.claims.claim("slack", `trigger:${"trigger_id" in body ? body.trigger_id : view.id}`))) return ack();
    const caller = await callerOf(client, body.team?.id ?? body.user.team_id ?? "", body.user.id, body.user.name);
    const result = await runCommand(runner, { text: commandFromSubmission(view.state.values as never), caller });
    if (!result.ok) return ack({ response_action: "errors", errors: fieldErrors(result) });
    await ack();
    const origin = JSON.parse(view.private_metadata || "{}") as ModalOrigin;
    const { text, blocks } = renderMessage(result.reply, { sign, locale: toLocale(caller.locale) });
    if (origin.channel) await client.chat.postEphemeral({ channel: origin.channel, user: body.user.id, text, blocks });
    else await client.chat.postMessage({ channel: body.user.id, text, blocks });
  });

  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    if (!(await o.claims.claim("slack", body.event_id))) return;
    const caller = await callerOf(client, body.team_id, event.user);
    const actor = await resolveActor(runner.db, caller);
    const locale = toLocale(caller.locale ?? actor?.workspace.locale);
    const t = translator(locale);
    const sections: Reply[] = actor ? await workspaceOverview(runner, actor, t, locale) : [{ text: t("overview.stranger") }];
    // Each section gets its share of the view's blocks (less one for its divider), so none is cut off mid-way.
    const share = Math.floor(SLACK_LIMITS.blocksPerView / sections.length) - 1;
    const blocks: KnownBlock[] = sections.flatMap((s, i) => [...(i > 0 ? [{ type: "divider" } as KnownBlock] : []), ...renderView(s, { sign, locale, maxBlocks: share })]);
    await client.views.publish({ user_id: event.user, view: { type: "home", blocks } });
  });

  /**
   * A workspace that removes the app, or revokes its bot token, takes the
   * stored token with it: nothing keeps a credential Slack no longer honours.
   * (Bolt delivers these two events without authorizing, as the token is gone.)
   */
  async function forget(teamId: string, eventId: string, why: string) {
    if (!(await o.claims.claim("slack", eventId))) return;
    await installations.deleteInstallation({ teamId, isEnterpriseInstall: false, enterpriseId: undefined });
    log.info({ team: teamId, why }, "slack: installation removed");
  }
  app.event("app_uninstalled", async ({ body }) => forget(body.team_id, body.event_id, "app_uninstalled"));
  app.event("tokens_revoked", async ({ event, body }) => {
    if (event.tokens.bot?.length) await forget(body.team_id, body.event_id, "tokens_revoked");
  });

  return {
    async mount(server) {
      await receiver.mount(server);
      if (installer) await mountOAuth(server, installer, o.oauth?.redirectUri);
    },
    messenger: slackMessenger({
      sign,
      slackApiUrl: o.slackApiUrl,
      tokenFor: async (teamId) => {
        if (!installer) return o.botToken!;
        const auth = await installer.authorize({ teamId, isEnterpriseInstall: false, enterpriseId: undefined });
        if (!auth.botToken) throw new Error(`no bot token for Slack team ${teamId}`);
        return auth.botToken;
      },
    }),
  };
}
