import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { closeNow, listenLocally, readBody, Waiters } from "./local-server.ts";

/**
 * A local OpenAI API for tests, speaking the wire format of api.openai.com's
 * `POST /v1/chat/completions`, so the real `openai` SDK can be pointed at it
 * with OPENAI_BASE_URL=fake.baseUrl. It checks `Authorization: Bearer <key>`
 * (401 with OpenAI's error JSON otherwise) and a request with a model and
 * messages, and answers from a script: each call takes the next scripted
 * step (a JSON answer as the message content, an HTTP error, or a stall
 * longer than the client waits); with nothing scripted it answers 500.
 */
export type Step = { content: string } | { status: number; message: string } | { stallMs: number };

export interface ChatCall {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
}

export interface FakeOpenAiApi {
  baseUrl: string;
  calls: ChatCall[];
  /** Queues what the next calls answer, in order. */
  script(...steps: Step[]): void;
  waitForCalls(n: number, timeoutMs?: number): Promise<ChatCall[]>;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const error = (res: ServerResponse, status: number, message: string, type: string) => json(res, status, { error: { message, type, param: null, code: null } });

export async function startFakeOpenAiApi(o: { apiKey: string }): Promise<FakeOpenAiApi> {
  const calls: ChatCall[] = [];
  const steps: Step[] = [];
  const waiters = new Waiters();
  let server: Server;
  let n = 0;
  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") return error(res, 404, `Unknown request URL: ${req.method} ${req.url}`, "invalid_request_error");
    if (req.headers.authorization !== `Bearer ${o.apiKey}`) return error(res, 401, "Incorrect API key provided.", "invalid_request_error");
    const body = JSON.parse((await readBody(req)).toString("utf8")) as ChatCall;
    if (!body.model || !Array.isArray(body.messages) || body.messages.length === 0) return error(res, 400, "model and messages are required", "invalid_request_error");
    calls.push(body);
    waiters.notify();
    const step = steps.shift() ?? { status: 500, message: "nothing scripted" };
    if ("stallMs" in step) {
      await new Promise((r) => setTimeout(r, step.stallMs));
      if (!res.destroyed) error(res, 504, "stalled", "server_error");
      return;
    }
    if ("status" in step) return error(res, step.status, step.message, "server_error");
    json(res, 200, {
      id: `chatcmpl-${++n}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: step.content, refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    });
  }
  const started = await listenLocally(handle);
  server = started.server;
  return {
    baseUrl: `http://127.0.0.1:${started.port}/v1`,
    calls,
    script: (...s) => void steps.push(...s),
    waitForCalls: (count, timeoutMs = 10_000) => waiters.until(() => (calls.length >= count ? calls : undefined), timeoutMs, () => `expected ${count} OpenAI calls, saw ${calls.length}`),
    close: () => closeNow(server),
  };
}
