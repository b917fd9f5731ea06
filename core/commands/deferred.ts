import type { ReplyAddress } from "../notifications/messenger.ts";
import type { Caller } from "./types.ts";

/** A command acknowledged at once and run later by a worker; its answer goes to `replyTo`. */
export interface DeferredCommand {
  text: string;
  caller: Caller;
  replyTo: ReplyAddress;
}
