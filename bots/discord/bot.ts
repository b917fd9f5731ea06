import { REST } from "@discordjs/rest";
import type { AdapterServices } from "../common/services.ts";
import {
  InteractionResponseType,
  InteractionType,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type APIMessageComponentInteraction,
  type APIPingInteraction,
  Routes,
} from "discord-api-types/v10";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Sign } from "../../core/actions/signer.ts";
import { flagName, type ArgDef } from "../../core/commands/args.ts";
import { errorReply } from "../../core/commands/run.ts";
import { suggestRefs } from "../../core/commands/suggest.ts";
import type { Actor, Caller } from "../../core/commands/types.ts";
import { DomainError } from "../../core/errors.ts";
import { toLocale, type Locale } from "../../core/i18n/locale.ts";
import { t, translator } from "../../core/i18n/t.ts";
import { resolveActor } from "../../core/identity/actor.ts";
import type { Messenger, ReplyAddress } from "../../core/notifications/messenger.ts";
import { rememberMessage } from "../../core/notifications/tracked.ts";
import type { Reply } from "../../core/reply.ts";
import { InlineRunner } from "../common/inline.ts";
import { mountRawPost } from "../common/raw-route.ts";
import { commandLine, invokedPath } from "./commands.ts";
import { DISCORD_LIMITS } from "./limits.ts";
import { discordMessenger, messageRef, toRequest } from "./messenger.ts";
import { renderMessage } from "./render.ts";
import { discordPublicKey, verifyInteraction } from "./verify.ts";

export interface DiscordBotOptions extends AdapterServices {
  applicationId: string;
  /** Hex, as the developer portal shows it. */
  publicKey: string;
  botToken: string;
  /** DISCORD_API_URL: REST goes there instead of https://discord.com/api. */
  apiUrl?: string;
  /** How long a command may run before the interaction is deferred and answered through its webhook. */
  ackBudgetMs?: number;
  inlineLimit?: number;
}

export interface DiscordBot {
  mount(server: FastifyInstance): Promise<void>;
  messenger: Messenger;
  rest: REST;
}

/** Discord gives an interaction 3 s; this leaves room for the network and a slow moment. */
const ACK_BUDGET_MS = 1_800;
const INLINE_LIMIT = 4;
/** Rate-limit waits up to this long happen inside @discordjs/rest; longer ones reschedule the outbound job. */
const LONGEST_INLINE_WAIT_MS = 5_000;

/** The person behind an interaction: a server member, or a user in a DM with the bot. */
export function discordCaller(i: Exclude<APIInteraction, APIPingInteraction>): Caller {
  const user = i.member?.user ?? i.user!;
  return {
    platform: "discord",
    externalId: user.id,
    displayName: i.member?.nick ?? user.global_name ?? user.username,
    locale: i.locale,
    tenant: i.guild_id,
    // Discord user ids are global, so a mention's id is the identity as it stands.
    mentionPrefix: "",
    ...(i.channel ? { conversation: { externalId: i.channel.id, name: i.channel.name ? `#${i.channel.name}` : i.channel.id } } : {}),
  };
}

/**
 * Discord over HTTP interactions at POST /discord/interactions: every request
 * is checked (Ed25519, 5-minute window, one answer per interaction id), PINGs
 * get PONG, `/clout …` runs the same command line as the console, buttons run
 * their signed command, and autocomplete offers the workspace's campaigns and
 * creators. Answers come in the response when quick, otherwise the
 * interaction is deferred and answered through its webhook.
 */
export function createDiscordBot(o: DiscordBotOptions): DiscordBot {
  const { runner, log } = o;
  const key = discordPublicKey(o.publicKey);
  const rest = new REST({
    version: "10",
    ...(o.apiUrl ? { api: o.apiUrl } : {}),
    rejectOnRateLimit: (limit) => limit.retryAfter > LONGEST_INLINE_WAIT_MS,
  }).setToken(o.botToken);
  const sign: Sign = (command, scope) => o.signer.sign(command, scope);
  const messenger = discordMessenger({ rest, applicationId: o.applicationId, sign });
  const inline = new InlineRunner(runner, { budgetMs: o.ackBudgetMs ?? ACK_BUDGET_MS, limit: o.inlineLimit ?? INLINE_LIMIT, busy: o.busy });

  const deferred = (): APIInteractionResponse => ({ type: InteractionResponseType.DeferredChannelMessageWithSource });

  /**
   * Sends the deferral now; the answer goes through the outbound queue once
   * Discord has the deferral, so a rate limit or an outage delays it rather
   * than losing it.
   */
  function later(reply: FastifyReply, answer: Promise<Reply | undefined>, to: ReplyAddress) {
    reply.raw.once("finish", () => {
      // The error may name the interaction's webhook URL (its token): only its message is logged.
      answer.then((r) => r && o.enqueue({ to, reply: r })).catch((err: unknown) => log.error({ err: (err as Error).message }, "discord: a late answer could not be queued"));
    });
    return reply.send(deferred());
  }

  /** `actor`, when the caller was already looked up (a button press), spares the runner the same query. */
  async function answer(reply: FastifyReply, i: APIInteraction, text: string, caller: Caller, actor?: Actor | null) {
    const locale = toLocale(caller.locale);
    const to: ReplyAddress = { platform: "discord", address: i.token, locale };
    if (inline.overloaded()) {
      await o.defer({ text, caller, replyTo: to });
      return reply.send(deferred());
    }
    const outcome = await inline.run({ text, caller, actor, queue: true });
    // A queued command's worker answers the interaction itself.
    if ("late" in outcome) return later(reply, outcome.late.then(async (r) => (r.queued ? void (await o.defer({ text, caller, replyTo: to })) : r.reply)), to);
    if (outcome.quick.queued) {
      await o.defer({ text, caller, replyTo: to });
      return reply.send(messageResponse(outcome.quick.reply, locale));
    }
    // Attachments need a multipart body, which only the webhook takes.
    if (outcome.quick.reply.images?.length || outcome.quick.reply.files?.length) return later(reply, Promise.resolve(outcome.quick.reply), to);
    if (outcome.quick.reply.track && !outcome.quick.reply.ephemeral && i.channel_id && (await postTracked(i.channel_id, outcome.quick.reply, locale))) {
      return reply.send(messageResponse({ ephemeral: true, text: t(locale, "chat.posted") }, locale));
    }
    return reply.send(messageResponse(outcome.quick.reply, locale));
  }

  /**
   * A reply showing something that will change (an invitation) is posted as
   * the bot's own channel message, which it can edit for as long as the
   * negotiation runs (an interaction's response can be edited for 15 minutes
   * only). Where the bot may not post, the interaction is answered as usual.
   */
  async function postTracked(channel: string, r: Reply, locale: Locale): Promise<boolean> {
    try {
      const posted = (await rest.post(Routes.channelMessages(channel), toRequest(renderMessage(r, { sign, locale })))) as { id: string; channel_id: string };
      await rememberMessage(runner, r.track!, { platform: "discord", ref: messageRef(posted.channel_id, posted.id) }, locale);
      return true;
    } catch (err) {
      log.info({ channel, err: (err as Error).message }, "discord: could not post to the channel; answering the interaction instead");
      return false;
    }
  }

  function messageResponse(r: Reply, locale: Locale): APIInteractionResponse {
    return { type: InteractionResponseType.ChannelMessageWithSource, data: toRequest(renderMessage(r, { sign, locale })).body };
  }

  async function click(reply: FastifyReply, i: APIMessageComponentInteraction, caller: Caller) {
    const locale = toLocale(caller.locale);
    const actor = await resolveActor(runner.db, caller);
    let command: string;
    try {
      command = o.signer.verify(i.data.custom_id, actor?.workspace.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      log.warn({ user: caller.externalId }, "discord: button payload refused");
      return reply.send(messageResponse(errorReply(err, locale), locale));
    }
    return answer(reply, i, command, caller, actor);
  }

  async function autocomplete(reply: FastifyReply, i: APIApplicationCommandAutocompleteInteraction, caller: Caller) {
    const { words, leaves } = invokedPath(i.data.options as APIApplicationCommandInteractionDataOption[]);
    const def = runner.registry.get(words.join(" "));
    const focused = leaves.find((l) => "focused" in l && l.focused);
    const entry = def && focused && (Object.entries(def.args) as [string, ArgDef][]).find(([k]) => flagName(k) === focused.name);
    const actor = entry?.[1].of ? await resolveActor(runner.db, caller) : null;
    // Only what the caller could name anyway: their own workspace, and only for commands their role may run.
    const allowed = actor && def && !actor.foreignTenant && (def.roles === "anyone" || def.roles.includes(actor.role));
    const typed = focused && "value" in focused ? String(focused.value) : "";
    const t = translator(toLocale(caller.locale ?? actor?.workspace.locale));
    const found = allowed && entry?.[1].of ? await suggestRefs(runner.db, actor.workspace.id, entry[1].of, typed, t, DISCORD_LIMITS.choices) : [];
    const clip = (s: string) => (s.length > DISCORD_LIMITS.choiceChars ? `${s.slice(0, DISCORD_LIMITS.choiceChars - 1)}…` : s);
    return reply.send({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: found.map((s) => ({ name: clip(s.label), value: s.value })) } });
  }

  async function handle(raw: string, headers: Record<string, string | string[] | undefined>, ip: string, reply: FastifyReply) {
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const verdict = verifyInteraction(key, raw, header("x-signature-ed25519"), header("x-signature-timestamp"), o.clock.now().getTime());
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason, ip }, "discord: request refused");
      return reply.code(401).send({ error: "invalid_request_signature", message: "The Discord signature or timestamp did not verify." });
    }
    let i: APIInteraction;
    try {
      i = JSON.parse(raw) as APIInteraction;
    } catch {
      return reply.code(400).send({ error: "bad_body" });
    }
    if (i.type === InteractionType.Ping) return reply.send({ type: InteractionResponseType.Pong });
    // A signed request replayed inside its window carries the same interaction id: it does nothing.
    if (!(await o.claims.claim("discord", i.id))) return reply.code(409).send({ error: "duplicate_interaction" });
    const caller = discordCaller(i);
    switch (i.type) {
      case InteractionType.ApplicationCommand: {
        const data = (i as APIChatInputApplicationCommandInteraction).data;
        return answer(reply, i, commandLine(runner.registry, data.options, data.resolved), caller);
      }
      case InteractionType.MessageComponent:
        return click(reply, i, caller);
      case InteractionType.ApplicationCommandAutocomplete:
        return autocomplete(reply, i, caller);
      default:
        return reply.code(400).send({ error: "unsupported_interaction", type: i.type });
    }
  }

  return {
    rest,
    messenger,
    async mount(server) {
      await mountRawPost(server, "/discord/interactions", (raw, req, reply) => handle(raw, req.headers, req.ip, reply));
    },
  };
}

