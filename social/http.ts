import { z } from "zod";
import type { Clock } from "../core/clock.ts";
import { ProviderError, type ProviderCall, type SocialPlatform } from "../core/social/port.ts";

/**
 * The one HTTP client the four providers share: JSON over fetch, no SDK.
 * Every call takes its cost from the gate first, runs under a timeout and
 * the caller's abort signal, and turns the platform's refusals into
 * ProviderErrors: the platform's own reading first (its error bodies), then
 * the status (429 with its headers, 5xx and network failures, 401/403/404).
 * Messages name the method and path, never the query (keys and tokens travel there).
 */

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface JsonRequest {
  method?: "GET" | "POST";
  path: string;
  query?: Record<string, string | number | null | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth token endpoints). */
  form?: Record<string, string>;
  /** In the platform's quota unit; 1 unless said. */
  cost?: number;
  /** A refusal that stands for a result (YouTube's commentsDisabled is no comments, not a failure): what to read instead, or undefined. */
  instead?: (answer: Answer) => unknown;
}

/** What every provider takes beside its keys: where the API is (its *_API_URL; absent, the platform's own), the clock, a timeout. */
export interface ApiOptions {
  apiUrl?: string;
  clock: Clock;
  timeoutMs?: number;
}

export interface JsonClientOptions {
  platform: SocialPlatform;
  baseUrl: string;
  clock: Clock;
  timeoutMs?: number;
  /** How to read an answer's text; JSON.parse unless said (TikTok's int64 ids need their digits kept). */
  parse?: (text: string) => unknown;
  /** The platform's reading of an answer: a ProviderError for a refusal it recognises (in any status, even 200), else undefined. */
  refusal?: (answer: Answer) => ProviderError | undefined;
}

/** When a rate-limited caller may try again, when the answer doesn't say. */
export const DEFAULT_RETRY_MS = 60_000;

/**
 * How long a 429 asks to wait: Retry-After (seconds or an HTTP date), else a
 * reset moment in epoch seconds (X's x-rate-limit-reset, x-ratelimit-reset),
 * else DEFAULT_RETRY_MS. Never less than a second.
 */
export function retryAfterMs(headers: Headers, clock: Clock): number {
  const now = clock.now().getTime();
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? now + seconds * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(1000, at - now);
  }
  const reset = Number(headers.get("x-rate-limit-reset") ?? headers.get("x-ratelimit-reset"));
  if (reset > 0) return Math.max(1000, reset * 1000 - now);
  return DEFAULT_RETRY_MS;
}

export class JsonClient {
  private readonly base: string;

  constructor(private readonly o: JsonClientOptions) {
    this.base = o.baseUrl.replace(/\/+$/, "");
  }

  /** The answer read by `schema` (its documented shape): a changed API is a bad_response naming the field, not a crash further on. */
  async request<S extends z.ZodType>(call: ProviderCall, req: JsonRequest, schema: S): Promise<z.infer<S>> {
    const { platform } = this.o;
    const method = req.method ?? "GET";
    const what = `${platform} ${method} ${req.path}`;
    await call.gate.take(req.cost ?? 1);
    const url = new URL(this.base + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const timeoutMs = this.o.timeoutMs ?? 15_000;
    const signals = [AbortSignal.timeout(timeoutMs), ...(call.signal ? [call.signal] : [])];
    const headers: Record<string, string> = { accept: "application/json", ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers["content-type"] = "application/json";
      body = jsonWithBigInts(req.json);
    } else if (req.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(req.form).toString();
    }

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.any(signals) });
      text = await response.text();
    } catch (err) {
      // The caller giving up is not the platform failing.
      if (call.signal?.aborted) throw call.signal.reason;
      const reason = (err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
      throw new ProviderError(platform, "unavailable", `${what}: ${reason}`);
    }

    const { status } = response;
    let parsed: unknown;
    let readable = true;
    try {
      parsed = text === "" ? {} : (this.o.parse ?? JSON.parse)(text);
    } catch {
      readable = false;
    }
    const answer: Answer = { status, headers: response.headers, body: parsed };
    const substitute = readable ? req.instead?.(answer) : undefined;
    if (substitute === undefined) this.refuse(what, answer, readable ? undefined : text);
    else parsed = substitute;
    const shaped = schema.safeParse(parsed);
    if (shaped.success) return shaped.data;
    const issue = shaped.error.issues[0]!;
    throw new ProviderError(platform, "bad_response", `${what}: unexpected answer at ${issue.path.join(".") || "the top"} (${issue.message})`);
  }

  /** Throws what a refusal means; returns for a readable success. `unreadable` is the text of an answer that isn't JSON. */
  private refuse(what: string, answer: Answer, unreadable: string | undefined): void {
    const { platform } = this.o;
    const { status } = answer;
    if (unreadable === undefined) {
      const refused = this.o.refusal?.(answer);
      if (refused) throw refused;
    }
    if (status === 429) throw new ProviderError(platform, "rate_limited", `${what}: rate limited (429)`, retryAfterMs(answer.headers, this.o.clock));
    if (status >= 500) throw new ProviderError(platform, "unavailable", `${what}: ${status} from the platform`);
    if (status === 401) throw new ProviderError(platform, "token_expired", `${what}: the credentials were refused (401)`);
    if (status === 403) throw new ProviderError(platform, "private", `${what}: not allowed to read this account (403)`);
    if (status === 404) throw new ProviderError(platform, "not_found", `${what}: not found (404)`);
    if (status >= 400) throw new ProviderError(platform, "bad_response", `${what}: refused (${status}): ${(unreadable ?? JSON.stringify(answer.body)).slice(0, 200)}`);
    if (unreadable !== undefined) throw new ProviderError(platform, "bad_response", `${what}: the answer is not JSON: ${unreadable.slice(0, 80)}`);
  }
}

/** JSON where a bigint is written as a bare number with all its digits (int64 ids JavaScript numbers would round). */
function jsonWithBigInts(value: unknown): string {
  const marked = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `\u0000${v}\u0000` : v));
  return marked.replace(/"\\u0000(-?\d+)\\u0000"/g, "$1");
}

/** JSON where integers too long for a JavaScript number become strings of their digits. */
export function parseKeepingLongIntegers(text: string): unknown {
  return JSON.parse(text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

/** A counter the platform documents as a number, sent as a number or a numeric string (YouTube's statistics). */
export const counter = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);
