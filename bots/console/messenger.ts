import type { Messenger } from "../../core/notifications/messenger.ts";
import { renderReply } from "./render.ts";

/** Notifications for console identities print in the terminal, the way a chat app would pop them up. */
export function consoleMessenger(write: (text: string) => void): Messenger {
  return {
    platform: "console",
    async send(target, reply) {
      write(`🔔 ${target.name}: ${renderReply(reply)}\n\n`);
    },
  };
}
