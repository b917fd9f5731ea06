import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";

const TOKEN = "admin-token-0123456789abcdef";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let guarded: App;
let open: App;
const urlOf = (app: App, path: string) => `http://127.0.0.1:${(app.server!.server.address() as AddressInfo).port}${path}`;

beforeAll(async () => {
  env = await createTestDatabase();
  [guarded, open] = await Promise.all([startTestApp(env.url, { http: true, env: { ADMIN_TOKEN: TOKEN } }), startTestApp(env.url, { http: true })]);
});
afterAll(async () => {
  await Promise.all([guarded?.stop(), open?.stop()]);
  await env?.drop();
});

describe("/admin/queues with ADMIN_TOKEN set", () => {
  const get = (path: string, authorization?: string) => fetch(urlOf(guarded, path), { headers: authorization ? { authorization } : {} });

  it("asks for credentials when none are sent", async () => {
    const res = await get("/admin/queues");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm="/);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe("unauthorized");
    expect(body.message).toContain("ADMIN_TOKEN");
  });

  it.each([
    ["a wrong Bearer token", `Bearer ${TOKEN}x`],
    ["a Bearer token that is a prefix of the right one", `Bearer ${TOKEN.slice(0, -1)}`],
    ["an empty Bearer token", "Bearer "],
    ["a wrong Basic password", basic("admin", "not-the-token-at-all")],
    ["the token as the Basic user name", basic(TOKEN, "")],
    ["another scheme", `Token ${TOKEN}`],
  ])("refuses %s with 401", async (_, authorization) => {
    const res = await get("/admin/queues", authorization);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
  });

  it("serves the dashboard to a Bearer token", async () => {
    const res = await get("/admin/queues", `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain("/admin/queues");
  });

  it("serves the dashboard to Basic auth with any user name and the token as password", async () => {
    for (const user of ["admin", "someone-else", ""]) {
      const res = await get("/admin/queues", basic(user, TOKEN));
      expect(res.status, user).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
  });

  it("lists Clout's queues through the dashboard API, and guards the API too", async () => {
    expect((await get("/admin/queues/api/queues")).status).toBe(401);
    const res = await get("/admin/queues/api/queues", `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: { name: string }[] };
    const names = body.queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(["notifications", "housekeeping"]));
    // Every queue the app runs is on the board, and nothing else.
    expect([...names].sort()).toEqual(Object.values(guarded.queues).map((q) => q.name).sort());
  });

  it("guards the dashboard's static assets and API routes as well as its page", async () => {
    for (const path of ["/admin/queues/static/index.html", "/admin/queues/api/redis/stats", "/admin/queues/queue/notifications"]) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
    }
  });

  it("leaves the rest of the server unguarded", async () => {
    expect((await get("/health")).status).toBe(200);
  });
});

describe("/admin/queues without ADMIN_TOKEN", () => {
  it("is not served at all", async () => {
    for (const path of ["/admin/queues", "/admin/queues/api/queues"]) {
      const res = await fetch(urlOf(open, path), { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, path).toBe(404);
    }
  });
});
