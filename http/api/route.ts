import type { FastifyInstance, FastifyReply } from "fastify";
import type { z } from "zod";
import { authenticateApi, type ApiCaller } from "../../core/api/credentials.ts";
import { nextPlan } from "../../core/billing/plans.ts";
import { planOf } from "../../core/billing/subscription.ts";
import { buckets } from "../../core/limits/buckets.ts";
import { retrySeconds, type RateLimiter } from "../../core/limits/port.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { SecretBox } from "../../core/secrets.ts";
import type { Db } from "../../db/database.ts";

export interface ApiDeps {
  db: Db;
  vault: SecretBox;
  clock: Clock;
  log: Logger;
  limits: { limiter: RateLimiter; ipPerMinute: number };
}

/** An answer of the public API: status and JSON body. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface ApiRoute<T> {
  /** OpenAPI for /docs: summary, description, body and responses (documentation only; `body` below validates). */
  schema: Record<string, unknown>;
  body: z.ZodType<T>;
  /** A body that works, shown with every refusal of a malformed one. */
  example: Record<string, unknown>;
}

const BODY_LIMIT = 65_536;

/** Every refusal: a code to branch on, words to read, and for a malformed body one that works. */
export const REFUSAL = {
  description: "Refused: what was wrong, and for a malformed body an example that works",
  type: "object",
  properties: { error: { type: "string" }, message: { type: "string" }, example: { type: "object", additionalProperties: true } },
} as const;

const RATE_LIMITED = {
  description: "Too many requests: wait `retry_after` seconds (also in the Retry-After header)",
  type: "object",
  properties: { error: { type: "string" }, message: { type: "string" }, retry_after: { type: "integer" } },
} as const;

/** The header names a signed request carries. */
export const SIGNATURE_HEADERS = { key: "x-clout-key", timestamp: "x-clout-timestamp", signature: "x-clout-signature" } as const;

/**
 * A POST route of the public API: the body kept as the exact bytes sent (a
 * signature covers them), the caller authenticated by API key or signature,
 * then the JSON checked against its schema. Every refusal says what was wrong
 * and, for a malformed body, shows one that works.
 */
export async function mountApiPost<T>(server: FastifyInstance, path: string, route: ApiRoute<T>, deps: ApiDeps, handle: (caller: ApiCaller, body: T) => Promise<ApiAnswer>): Promise<void> {
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    // The schema is for /docs; the body is checked with zod once the signature over its bytes has been.
    scope.setValidatorCompiler(() => () => true);
    const response = { 400: REFUSAL, 401: REFUSAL, 422: REFUSAL, 429: RATE_LIMITED, ...(route.schema.response as object | undefined) };
    scope.post(path, { schema: { ...route.schema, response } }, async (req, reply) => {
      // Per address first, before any credential is looked up: guessing keys costs the guesser, not the database.
      const byIp = await deps.limits.limiter.take([buckets.apiIp(req.ip, deps.limits.ipPerMinute)], deps.clock.now());
      if (!byIp.ok) return tooMany(reply, byIp.retryAfterMs, `Too many requests from this address (at most ${deps.limits.ipPerMinute} a minute)`);
      const raw = typeof req.body === "string" ? req.body : "";
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const auth = await authenticateApi(deps, {
        body: raw,
        ...(header("authorization") ? { authorization: header("authorization") } : {}),
        ...(header(SIGNATURE_HEADERS.key) ? { keyId: header(SIGNATURE_HEADERS.key) } : {}),
        ...(header(SIGNATURE_HEADERS.timestamp) ? { timestamp: header(SIGNATURE_HEADERS.timestamp) } : {}),
        ...(header(SIGNATURE_HEADERS.signature) ? { signature: header(SIGNATURE_HEADERS.signature) } : {}),
      });
      if (!auth.ok) {
        deps.log.warn({ path, ip: req.ip, code: auth.refusal.code }, "api: request refused");
        return send(reply, { status: 401, body: { error: auth.refusal.code, message: auth.refusal.message } });
      }
      const { plan, limits } = await planOf(deps.db, auth.caller.workspaceId);
      const quota = await deps.limits.limiter.take([buckets.apiWorkspace(auth.caller.workspaceId, limits), buckets.apiCredential(auth.caller.credentialId, limits)], deps.clock.now());
      if (!quota.ok) {
        const next = nextPlan(plan);
        const more = next ? `; a brand owner raises it with \`plan upgrade ${next}\` in chat` : "";
        return tooMany(reply, quota.retryAfterMs, `The workspace's API limit is reached (${plan} plan: ${limits.apiPerHour} requests an hour, ${limits.apiPerCredentialPerMinute} a minute per key${more})`);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return send(reply, { status: 400, body: { error: "invalid_json", message: "The body is not JSON.", example: route.example } });
      }
      const parsed = route.body.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path.length ? issue.path.join(".") : "body";
        return send(reply, { status: 422, body: { error: "invalid_body", message: `${where}: ${issue.message}`, example: route.example } });
      }
      return send(reply, await handle(auth.caller, parsed.data));
    });
  });
}

/** 429 with Retry-After in whole seconds, and the same number in the body for clients that read only JSON. */
function tooMany(reply: FastifyReply, retryAfterMs: number, why: string) {
  const seconds = retrySeconds(retryAfterMs);
  reply.header("retry-after", String(seconds));
  return send(reply, { status: 429, body: { error: "rate_limited", message: `${why}: try again in ${seconds} s.`, retry_after: seconds } });
}

function send(reply: FastifyReply, answer: ApiAnswer) {
  return reply.code(answer.status).header("content-type", "application/json; charset=utf-8").send(answer.body);
}
