import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "../../core/clock.ts";
import type { ProviderError } from "../../core/social/port.ts";
import { DEFAULT_RETRY_MS, JsonClient, retryAfterMs } from "../../social/http.ts";
import { closeNow, listenLocally } from "../fakes/local-server.ts";
import { countingGate } from "./paging.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const clock = new ManualClock(NOW);
let server: Server;
let base: string;
/** What the next request is answered: status, headers and body text; "hang" never answers. */
let next: { status: number; headers?: Record<string, string>; body: string } | "hang";

beforeAll(async () => {
  const started = await listenLocally(async (_req, res) => {
    if (next === "hang") return;
    res.writeHead(next.status, { "content-type": "application/json", ...next.headers });
    res.end(next.body);
  });
  server = started.server;
  base = `http://127.0.0.1:${started.port}`;
});
afterAll(() => closeNow(server));

const client = (timeoutMs = 2_000) => new JsonClient({ platform: "x", baseUrl: base, clock, timeoutMs });
const anything = z.unknown();
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: ProviderError) => e);

describe("the shared JSON client", () => {
  it("maps statuses to what the sync does with them", async () => {
    const cases: [number, string, string][] = [
      [500, `{"oops":1}`, "unavailable"],
      [503, "<html>down</html>", "unavailable"],
      [401, "{}", "token_expired"],
      [403, "{}", "private"],
      [404, "{}", "not_found"],
      [400, `{"bad":"request"}`, "bad_response"],
      [200, "<html>login page</html>", "bad_response"],
    ];
    for (const [status, body, kind] of cases) {
      next = { status, body };
      expect(await failure(client().request({ gate: countingGate() }, { path: "/thing" }, anything)), `${status} ${body}`).toMatchObject({ kind, platform: "x" });
    }
  });

  it("reads how long a 429 asks to wait", async () => {
    next = { status: 429, headers: { "retry-after": "17" }, body: "{}" };
    expect(await failure(client().request({ gate: countingGate() }, { path: "/t" }, anything))).toMatchObject({ kind: "rate_limited", retryAfterMs: 17_000 });
    const at = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), clock);
    expect(at({ "retry-after": new Date(NOW.getTime() + 90_000).toUTCString() })).toBe(90_000);
    expect(at({ "x-rate-limit-reset": String(NOW.getTime() / 1000 + 600) })).toBe(600_000);
    expect(at({ "x-rate-limit-reset": String(NOW.getTime() / 1000 - 5) })).toBe(1_000);
    expect(at({})).toBe(DEFAULT_RETRY_MS);
  });

  it("gives up on a silent platform after its timeout, as unavailable", async () => {
    next = "hang";
    const started = Date.now();
    const err = await failure(client(300).request({ gate: countingGate() }, { path: "/slow" }, anything));
    expect(err).toMatchObject({ kind: "unavailable" });
    expect(err!.message).toContain("no answer within 300 ms");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stops when the caller aborts, with the caller's reason rather than blaming the platform", async () => {
    next = "hang";
    const controller = new AbortController();
    const pending = failure(client(10_000).request({ gate: countingGate(), signal: controller.signal }, { path: "/slow" }, anything));
    setTimeout(() => controller.abort(new Error("worker shutting down")), 50);
    expect(await pending).toEqual(new Error("worker shutting down"));
  });

  it("says a platform it cannot reach is unavailable, and never puts the query (keys) in the message", async () => {
    const { server: gone, port } = await listenLocally(async () => {});
    await closeNow(gone);
    const unreachable = new JsonClient({ platform: "youtube", baseUrl: `http://127.0.0.1:${port}`, clock });
    const err = await failure(unreachable.request({ gate: countingGate() }, { path: "/youtube/v3/channels", query: { key: "AIza-secret" } }, anything));
    expect(err).toMatchObject({ kind: "unavailable" });
    expect(err!.message).toContain("youtube GET /youtube/v3/channels");
    expect(err!.message).not.toContain("AIza-secret");
  });
});
