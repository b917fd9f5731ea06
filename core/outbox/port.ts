import type { ChatPlatform } from "../commands/types.ts";

/** An outbound message that gave up: it ran out of attempts, or the platform refused it for good. */
export interface FailedMessage {
  /** Its dedupe key, which `outbox retry` takes. */
  id: string;
  platform: ChatPlatform;
  /** Who it was for; absent for the late answer to a request (its address is a credential, never shown) and for the edit of a posted message. */
  recipient: string | null;
  kind: "message" | "answer" | "edit";
  /** The last error, with anything secret-looking already removed. */
  reason: string;
  attempts: number;
  failedAt: Date;
}

/** Port: the outbound queue's dead letters, seen and retried one workspace at a time. */
export interface Outbox {
  /** The workspace's failed messages, newest first, at most `limit` of them, and how many there are in all. */
  failed(workspaceId: string, limit: number): Promise<{ messages: FailedMessage[]; total: number }>;
  /** Queues one failed message again with fresh attempts; false when the workspace has no failed message by that id. */
  retry(workspaceId: string, id: string): Promise<boolean>;
  /** Queues all of the workspace's failed messages again; how many. */
  retryAll(workspaceId: string): Promise<number>;
}
