import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { verifySlackRequest } from "@slack/bolt";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import { mountRawPost } from "../common/raw-route.ts";

export interface FastifyReceiverOptions {
  signingSecret: string;
  clock: Clock;
  log: Logger;
  /** Answer Slack by then even if no listener acknowledged; Slack gives up at 3 s. */
  ackDeadlineMs?: number;
  /**
   * Answers a verified request before Bolt sees it, or returns undefined to
   * let Bolt route it. Under load a slash command is only queued, which needs
   * none of Bolt's per-event pipeline (about a third of the ack's CPU).
   */
  shortcut?(body: Body): Promise<{ response?: object } | undefined>;
}

export type Body = Record<string, any>;

/** Slack sends slash commands and interactivity as forms (interactivity JSON in `payload`), events as JSON. */
export function parseSlackBody(raw: string, contentType = ""): Body {
  if (contentType.includes("application/json")) return JSON.parse(raw) as Body;
  const form = Object.fromEntries(new URLSearchParams(raw));
  return typeof form.payload === "string" ? (JSON.parse(form.payload) as Body) : form;
}

/**
 * Bolt's transport on our one Fastify server, the way bolt-js keeps receivers
 * apart from routing: verify the v0 signature (5-minute window, on our clock),
 * answer Slack's handshakes, hand everything else to Bolt, and respond as soon
 * as a listener acks while the listener carries on.
 */
export class FastifyReceiver implements Receiver {
  private bolt?: App;

  constructor(private readonly o: FastifyReceiverOptions) {}

  init(app: App): void {
    this.bolt = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async mount(server: FastifyInstance, path = "/slack/events"): Promise<void> {
    await mountRawPost(server, path, (raw, req, reply) => this.handle(raw, req, reply));
  }

  private async handle(raw: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      verifySlackRequest({
        signingSecret: this.o.signingSecret,
        body: raw,
        headers: { "x-slack-signature": String(req.headers["x-slack-signature"] ?? ""), "x-slack-request-timestamp": Number(req.headers["x-slack-request-timestamp"]) },
        nowMilliseconds: this.o.clock.now().getTime(),
      });
    } catch (err) {
      this.o.log.warn({ reason: (err as Error).message, ip: req.ip }, "slack: request refused");
      return reply.code(401).send({ error: "invalid_signature", message: "The Slack signature or timestamp did not verify." });
    }
    let body: Body;
    try {
      body = parseSlackBody(raw, req.headers["content-type"]);
    } catch {
      return reply.code(400).send({ error: "bad_body" });
    }
    if (body.ssl_check) return reply.send();
    if (body.type === "url_verification") return reply.send({ challenge: body.challenge });
    const early = await this.o.shortcut?.(body);
    if (early) return early.response ? reply.send(early.response) : reply.code(200).send();
    await this.dispatch(body, req, reply);
  }

  private dispatch(body: Body, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    return new Promise((resolve) => {
      let answered = false;
      const answer = (send: () => unknown) => {
        if (answered) return false;
        answered = true;
        clearTimeout(deadline);
        send();
        resolve();
        return true;
      };
      const deadline = setTimeout(() => answer(() => reply.code(200).send()), this.o.ackDeadlineMs ?? 2_800);
      const retry = req.headers["x-slack-retry-num"];
      const event: ReceiverEvent = {
        body,
        retryNum: retry === undefined ? undefined : Number(retry),
        retryReason: req.headers["x-slack-retry-reason"] as string | undefined,
        ack: async (response?: unknown) => {
          const sent = answer(() => {
            if (response === undefined || response === "") return reply.code(200).send();
            if (typeof response === "string") return reply.code(200).type("text/plain; charset=utf-8").send(response);
            return reply.code(200).send(response);
          });
          if (!sent) throw new Error("slack: the request was already answered");
        },
      };
      this.bolt!.processEvent(event).catch((err: unknown) => {
        this.o.log.error({ err }, "slack: listener failed");
        answer(() => reply.code(500).send());
      });
    });
  }
}
