import type { ChatPlatform } from "../../core/commands/types.ts";
import type { ChatTarget, Messenger } from "../../core/notifications/messenger.ts";
import type { Reply } from "../../core/reply.ts";

/**
 * A stand-in chat platform for the notification port: it keeps what was sent
 * so tests can read each person's inbox. Optional delay models a slow API.
 */
export class ChatInbox implements Messenger {
  readonly sent: { target: ChatTarget; reply: Reply }[] = [];
  private waiters: (() => void)[] = [];

  constructor(
    readonly platform: ChatPlatform = "console",
    private readonly delayMs = 0,
  ) {}

  async send(target: ChatTarget, reply: Reply): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.sent.push({ target, reply });
    for (const w of this.waiters.splice(0)) w();
  }

  to(externalId: string): Reply[] {
    return this.sent.filter((s) => s.target.externalId === externalId).map((s) => s.reply);
  }

  /** Resolves once at least n messages have arrived, or rejects after timeoutMs. */
  async waitFor(n: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sent.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${this.sent.length}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
}
