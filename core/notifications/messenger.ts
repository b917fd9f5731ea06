import type { ChatPlatform } from "../commands/types.ts";
import type { Locale } from "../i18n/locale.ts";
import type { Reply } from "../reply.ts";

/** Where a message goes: one chat identity of a member. */
export interface ChatTarget {
  platform: ChatPlatform;
  externalId: string;
  /** Who it is, for platforms that address people by name. */
  name: string;
  /** `externalId` names a channel or group (digests, reports) rather than a person to message directly. */
  channel?: boolean;
  /** Post under this message, as a thread reply where the platform has threads (a ref kept by rememberMessage). */
  thread?: string;
  /** The language the reply was written in, for words an adapter adds around it. */
  locale?: Locale;
}

/** A message posted earlier, in its adapter's own form (see rememberMessage). */
export interface MessageRef {
  platform: ChatPlatform;
  ref: string;
}

/**
 * Where the answer to one request goes once it is ready: Slack's response_url,
 * Discord's interaction token. Opaque to everyone but its platform's adapter.
 */
export interface ReplyAddress {
  platform: ChatPlatform;
  address: string;
  locale?: Locale;
}

/**
 * One message for the outbound queue (paced, retried, failures kept for admins): to a person or channel, or the late answer to a request.
 * `workspaceId` says whose it is, so only that workspace's admins see it if it fails; a message without one is shown to no tenant.
 */
export type OutboundMessage = ({ target: ChatTarget; reply: Reply } | { to: ReplyAddress; reply: Reply } | { update: MessageRef; reply: Reply }) & { workspaceId?: string };

/** Port: a chat platform's way to reach people. Each chat adapter provides one. */
export interface Messenger {
  readonly platform: ChatPlatform;
  send(target: ChatTarget, reply: Reply): Promise<void>;
  /** Answers a request after its acknowledgement (optional: platforms without deferred answers omit it). */
  respond?(to: ReplyAddress, reply: Reply): Promise<void>;
  /** Edits a message it posted earlier into this reply (optional: platforms that can't edit omit it, and get no tracked messages). */
  update?(ref: string, reply: Reply): Promise<void>;
}

/** A platform said "not now, retry after ms" (Slack's 429 Retry-After): the send is rescheduled, not failed. */
export class RetryAfterError extends Error {
  constructor(readonly ms: number) {
    super(`rate limited: retry after ${ms} ms`);
    this.name = "RetryAfterError";
  }
}

/**
 * The platform refused the message for good (unknown chat, bot blocked, revoked token): retrying cannot help,
 * so the message goes straight to the failed list for an admin to see.
 */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentSendError";
  }
}
