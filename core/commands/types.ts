import type { Clock } from "../clock.ts";
import type { SecretBox } from "../secrets.ts";
import type { QrTokens } from "../referrals/qr-tokens.ts";
import type { BoostPrices } from "../payments/boosts.ts";
import type { PlanPrices } from "../billing/plans.ts";
import type { RateLimiter } from "../limits/port.ts";
import type { Payments } from "../payments/port.ts";
import type { Rankings } from "../leaderboard/port.ts";
import type { SyncQueue } from "../sync/port.ts";
import type { DigestWriter } from "../digests/writer.ts";
import type { Db } from "../../db/database.ts";
import type { Translate, MessageKey } from "../i18n/t.ts";
import type { Locale } from "../i18n/locale.ts";
import type { Ids } from "../ids.ts";
import type { DomainEvent } from "../notifications/events.ts";
import type { Outbox } from "../outbox/port.ts";
import type { Reply } from "../reply.ts";
import type { Role } from "../roles.ts";
import type { ArgsSpec, ArgValues } from "./args.ts";

export type ChatPlatform = "console" | "slack" | "discord" | "telegram" | "whatsapp";

/** Who is typing, as the platform tells it; no member may be attached yet. */
export interface Caller {
  platform: ChatPlatform;
  /** Platform-scoped user id (Slack: "TEAM:USER"). */
  externalId: string;
  displayName: string;
  /** The platform's language tag for this user, if it tells one ("pt-BR"). */
  locale?: string;
  /** The platform's own tenant the caller belongs to (Slack team, Discord server), when it has one. */
  tenant?: string;
  /**
   * Mentions carry a platform user id; prefixed with this it is an externalId
   * ("T024BE7LD:" on Slack). Data, not a function, so a caller can ride a queue.
   */
  mentionPrefix?: string;
  /**
   * The conversation the command was typed in (a Slack or Discord channel, a
   * Telegram chat), as the externalId of a ChatTarget with `channel: true`:
   * where `digest schedule --channel here` posts later.
   */
  conversation?: { externalId: string; name: string };
}

/** The member a caller is linked to, in their workspace. */
export interface Actor {
  memberId: string;
  displayName: string;
  role: Role;
  workspace: { id: string; name: string; currency: string; timezone: string; locale: Locale };
  /** Asking from a chat tenant (Slack team, Discord server) bound to another workspace: its commands stay out of there. */
  foreignTenant?: boolean;
}

/** What the core needs from the outside world, wired by the composition root. */
export interface CoreDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  /** The outbound queue's failed messages, for `outbox failed` and `outbox retry`. */
  outbox: Outbox;
  /** Where Clout is reached from outside (PUBLIC_URL, no trailing slash): referral links are made from it. */
  publicUrl: string;
  /** Seals secrets the database keeps (API credentials) with the storage key. */
  vault: SecretBox;
  /** Signs and reads in-store QR tokens. */
  qrTokens: QrTokens;
  /** Stripe, when configured; without it, commands that take money say payments aren't set up. */
  payments: Payments | null;
  /** What each boost costs, in the workspace currency's major units (BOOST_PRICES). */
  boostPrices: BoostPrices;
  /** What the paid plans cost (PLAN_PRICES). */
  planPrices: PlanPrices;
  /** Sliding-window rate limits (commands per member, the API), shared by every process. */
  limiter: RateLimiter;
  /** The leaderboards' fast copy (Redis sorted sets), rebuilt from the database whenever it goes missing. */
  rankings: Rankings;
  /** The metrics sync's queue: `sync` starts runs on it. */
  sync: SyncQueue;
  /** Writes digests: the model when OPENAI_API_KEY is set, its numbers checked, else (and whenever it fails) the built-in writer. */
  digestWriter: DigestWriter;
}

export interface CommandContext extends CoreDeps {
  caller: Caller;
  /** Null until the caller is linked to a member; only `anyone` commands run then. */
  actor: Actor | null;
  locale: Locale;
  t: Translate;
  /** Queues an event to publish once the command has succeeded. */
  emit(event: DomainEvent): void;
}

export interface MemberContext extends CommandContext {
  actor: Actor;
}

interface Base<S extends ArgsSpec> {
  /** Space-separated words: "campaign create". */
  name: string;
  aliases?: string[];
  summary: MessageKey;
  args: S;
  /** Command lines that work, shown in help and in errors. */
  examples: string[];
  /**
   * Too slow to answer inline (a generated report): where the front door can
   * queue commands, it is checked (role, arguments) and acknowledged at once,
   * and a worker runs it and sends its answer, files included, where it was asked.
   */
  queued?: boolean;
}

export type CommandDef<S extends ArgsSpec = ArgsSpec> =
  | (Base<S> & { roles: "anyone"; handler(ctx: CommandContext, args: ArgValues<S>): Promise<Reply> })
  | (Base<S> & { roles: readonly Role[]; handler(ctx: MemberContext, args: ArgValues<S>): Promise<Reply> });

/** Declares a command; the identity function exists so TypeScript infers `args` from the spec. */
export function defineCommand<S extends ArgsSpec>(def: CommandDef<S>): CommandDef<S> {
  return def;
}
