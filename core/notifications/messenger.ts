import type { ChatPlatform } from "../commands/types.ts";
import type { Reply } from "../reply.ts";

/** Where a message goes: one chat identity of a member. */
export interface ChatTarget {
  platform: ChatPlatform;
  externalId: string;
  /** Who it is, for platforms that address people by name. */
  name: string;
}

/** Port: sends a reply to a person on one platform. Each chat adapter provides one. */
export interface Messenger {
  readonly platform: ChatPlatform;
  send(target: ChatTarget, reply: Reply): Promise<void>;
}
