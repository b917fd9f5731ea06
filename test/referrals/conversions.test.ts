/**
 * POST /api/v1/conversions through the real server over HTTP, on PostgreSQL
 * and Redis: both ways to authenticate and their refusals, exactly one
 * conversion for an order posted 20 times at once, attribution by click id
 * (within the window) before code, tenants kept apart, refunds reversing the
 * roll-up once, and malformed bodies answered with an example.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let base: string;
let team: Team;
let other: Team;
const clock = new ManualClock(new Date("2026-07-10T12:00:00Z"));
const DAY = 86_400_000;
const SECRET = "conversion-test-secret-".padEnd(40, "c");

interface Setup {
  campaignId: string;
  /** Murugi's link (code MURUGI25) and Kofi's (KOFI10). */
  murugi: string;
  kofi: string;
  key: { key: string; id: string; secret: string };
}
const s = {} as Record<"team" | "other", Setup>;
let seq = 0;

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });

async function ok(caller: Caller, text: string) {
  const r = await run(caller, text);
  expect(r.ok, r.reply.text).toBe(true);
  return r;
}

async function apiKey(t: Team, name = `shop-${++seq}`) {
  const text = (await ok(t.members.owner.caller, `apikey create ${name}`)).reply.text ?? "";
  return { key: /`(clout_[0-9a-f]{32}_[\w-]+)`/.exec(text)![1]!, id: /X-Clout-Key: ([0-9a-f-]{36})/.exec(text)![1]!, secret: /with the secret ([\w-]+)>/.exec(text)![1]! };
}

async function link(t: Team, campaignId: string, creator: string, code: string): Promise<string> {
  const c = await app.database.db.creator.findFirstOrThrow({ where: { workspaceId: t.workspaceId, name: creator } });
  const id = crypto.randomUUID();
  await app.database.db.referralLink.create({ data: { id, workspaceId: t.workspaceId, campaignId, creatorId: c.id, slug: `s${id.slice(0, 8)}`, code, codeKey: code.toUpperCase(), createdAt: clock.now() } });
  return id;
}

async function click(linkId: string, agoMs: number): Promise<string> {
  const clickId = `clk${++seq}${crypto.randomUUID().slice(0, 6)}`;
  await app.database.db.click.create({ data: { clickId, linkId, at: new Date(clock.now().getTime() - agoMs), visitorHash: "h", isUnique: true } });
  return clickId;
}

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock, http: true, env: { CLOUT_SECRET: SECRET } });
  base = `http://127.0.0.1:${(app.server!.server.address() as { port: number }).port}`;
  team = await createTeam(app.database.db, "Conversion Brand");
  other = await createTeam(app.database.db, "Other Brand");
  for (const [name, t] of [["team", team], ["other", other]] as const) {
    const m = t.members.owner.caller;
    await ok(m, 'campaign create "Summer Launch" --budget 15000 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales');
    await ok(m, 'creator add "Murugi" --instagram murugi');
    await ok(m, 'creator add "Kofi" --instagram kofi');
    const { id: campaignId } = await app.database.db.campaign.findFirstOrThrow({ where: { workspaceId: t.workspaceId } });
    const prefix = name === "team" ? "" : "X";
    s[name] = { campaignId, murugi: await link(t, campaignId, "Murugi", `${prefix}MURUGI25`), kofi: await link(t, campaignId, "Kofi", `${prefix}KOFI10`), key: await apiKey(t) };
  }
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const post = (body: unknown, headers: Record<string, string>) =>
  fetch(`${base}/api/v1/conversions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

const bearer = (key = s.team.key.key) => ({ authorization: `Bearer ${key}` });

/** The headers of a signed request, timestamped by the app's clock unless told otherwise. */
function signed(body: string, key = s.team.key, at = clock.now()) {
  const ts = String(Math.floor(at.getTime() / 1000));
  return { "x-clout-key": key.id, "x-clout-timestamp": ts, "x-clout-signature": `v1=${createHmac("sha256", key.secret).update(`${ts}.${body}`).digest("hex")}` };
}

async function report(body: Record<string, unknown>, headers: Record<string, string> = bearer()) {
  const res = await post(body, headers);
  return { status: res.status, json: (await res.json()) as any };
}

const order = (extra: Record<string, unknown> = {}) => ({ order_id: `A-${++seq}`, amount: "49.90", currency: "USD", ...extra });

const dayStats = (linkId: string) => app.database.db.linkDailyStat.findMany({ where: { linkId } });

describe("authentication", () => {
  it("takes a good HMAC signature and refuses a forged one, a stale timestamp and no credentials at all", async () => {
    const body = JSON.stringify(order());
    const good = await post(body, signed(body));
    expect(good.status).toBe(201);

    const forgedBody = JSON.stringify(order());
    const forged = await post(forgedBody, { ...signed(forgedBody), "x-clout-signature": `v1=${"0".repeat(64)}` });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: "bad_signature" });
    // Signed for one body, sent with another: the same refusal.
    const swapped = await post(JSON.stringify(order({ amount: "1.00" })), signed(forgedBody));
    expect((await swapped.json()).error).toBe("bad_signature");

    const staleBody = JSON.stringify(order());
    const signedThen = signed(staleBody);
    clock.advance(6 * 60_000);
    const stale = await post(staleBody, signedThen);
    expect(stale.status).toBe(401);
    expect((await stale.json()).error).toBe("stale_timestamp");

    const missing = await post(JSON.stringify(order()), {});
    expect(missing.status).toBe(401);
    expect((await missing.json()).message).toContain("Authorization: Bearer");
    expect(await app.database.db.conversion.count({ where: { workspaceId: team.workspaceId, orderId: { in: [JSON.parse(forgedBody).order_id, JSON.parse(staleBody).order_id] } } })).toBe(0);
  });

  it("takes a bearer key until it is revoked", async () => {
    const key = await apiKey(team, "soon-revoked");
    expect((await report(order(), bearer(key.key))).status).toBe(201);
    await ok(team.members.owner.caller, "apikey revoke soon-revoked");
    const refused = await report(order(), bearer(key.key));
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe("revoked");
  });
});

describe("idempotency", () => {
  it("stores an order posted 20 times at once once, and answers every post with the same body", async () => {
    const body = order({ code: "murugi25" });
    const before = (await dayStats(s.team.murugi)).reduce((n, d) => n + Number(d.conversions), 0);
    const answers = await Promise.all(Array.from({ length: 20 }, () => report(body)));
    expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([...Array(19).fill(200), 201]);
    for (const a of answers) expect(a.json).toEqual(answers[0]!.json);
    expect(answers[0]!.json.conversion).toMatchObject({ order_id: body.order_id, amount: "49.90", amount_minor: 4990, currency: "USD", attributed_by: "code", code: "MURUGI25", refunded_at: null });
    expect(await app.database.db.conversion.count({ where: { workspaceId: team.workspaceId, orderId: body.order_id } })).toBe(1);
    const after = (await dayStats(s.team.murugi)).reduce((n, d) => n + Number(d.conversions), 0);
    expect(after - before).toBe(1);
  });

  it("refuses the same order id with another amount rather than ignoring it", async () => {
    const body = order();
    expect((await report(body)).status).toBe(201);
    const again = await report({ ...body, amount: "59.90" });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain(body.order_id);
  });
});

describe("attribution", () => {
  it("credits the click's link when the click is within the window, whatever code came with it", async () => {
    const clickId = await click(s.team.kofi, 3 * DAY);
    const r = await report(order({ click_id: clickId, code: "MURUGI25" }));
    expect(r.json.conversion).toMatchObject({ attributed_by: "click", code: "KOFI10", click_id: clickId });
    const stored = await app.database.db.conversion.findFirstOrThrow({ where: { orderId: r.json.conversion.order_id } });
    expect(stored.linkId).toBe(s.team.kofi);
  });

  it("falls back to the code (any case) when the click is older than the 30-day window", async () => {
    const old = await click(s.team.kofi, 31 * DAY);
    const r = await report(order({ click_id: old, code: " Murugi25 " }));
    expect(r.json.conversion).toMatchObject({ attributed_by: "code", code: "MURUGI25" });
    expect(r.status).toBe(201);
  });

  it("measures the window from occurred_at, not from when the order is reported", async () => {
    const clickId = await click(s.team.kofi, 40 * DAY);
    const occurred = new Date(clock.now().getTime() - 20 * DAY).toISOString();
    const r = await report(order({ click_id: clickId, occurred_at: occurred }));
    expect(r.json.conversion).toMatchObject({ attributed_by: "click", code: "KOFI10", occurred_at: occurred });
  });

  it("stores an order nothing matches, unattributed", async () => {
    const r = await report(order({ click_id: "no-such-click", code: "NOBODY" }));
    expect(r.status).toBe(201);
    expect(r.json.conversion).toMatchObject({ attributed_by: null, code: null });
  });

  it("never attributes to another workspace's click or code", async () => {
    const theirs = await click(s.other.murugi, DAY);
    const r = await report(order({ click_id: theirs, code: "XMURUGI25" }));
    expect(r.json.conversion.attributed_by).toBeNull();
    // Their own key does attribute to them, and the same order id in two workspaces is two orders.
    const mine = await report({ ...order({ click_id: theirs }), order_id: r.json.conversion.order_id }, bearer(s.other.key.key));
    expect(mine.status).toBe(201);
    expect(mine.json.conversion).toMatchObject({ attributed_by: "click", code: "XMURUGI25" });
  });

  it("refuses an attributed order in another currency than its campaign's, storing nothing", async () => {
    const body = order({ code: "MURUGI25", currency: "EUR" });
    const r = await report(body);
    expect(r.status).toBe(422);
    expect(r.json.message).toMatch(/EUR.*MURUGI25.*USD/);
    expect(await app.database.db.conversion.count({ where: { orderId: body.order_id } })).toBe(0);
  });

  it("follows CONVERSION_WINDOW_DAYS", async () => {
    const narrow = await startTestApp(env.url, { clock, http: true, env: { CLOUT_SECRET: SECRET, CONVERSION_WINDOW_DAYS: "7" } });
    try {
      const port = (narrow.server!.server.address() as { port: number }).port;
      const clickId = await click(s.team.kofi, 10 * DAY);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/conversions`, { method: "POST", headers: bearer(), body: JSON.stringify(order({ click_id: clickId })) });
      expect(((await res.json()) as any).conversion.attributed_by).toBeNull();
      const res30 = await report(order({ click_id: clickId }));
      expect(res30.json.conversion.attributed_by).toBe("click");
    } finally {
      await narrow.stop();
    }
  });
});

describe("refunds", () => {
  it("reverse an order and its roll-up once, however often they are sent", async () => {
    const body = order({ code: "KOFI10", amount: "120.00", occurred_at: "2026-07-09T08:00:00Z" });
    expect((await report(body)).status).toBe(201);
    const day = async () => (await dayStats(s.team.kofi)).find((d) => d.day.toISOString().startsWith("2026-07-09"))!;
    const before = await day();

    const first = await report({ order_id: body.order_id, refund: true });
    expect(first.status).toBe(200);
    expect(first.json.conversion.refunded_at).toBe(clock.now().toISOString());
    const afterFirst = await day();
    expect(Number(afterFirst.conversions)).toBe(Number(before.conversions) - 1);
    expect(Number(afterFirst.revenueMinor)).toBe(Number(before.revenueMinor) - 12000);

    clock.advance(1000);
    const again = await Promise.all(Array.from({ length: 5 }, () => report({ order_id: body.order_id, refund: true })));
    for (const a of again) expect(a).toEqual(first);
    expect(await day()).toEqual(afterFirst);
    // Posting the order again doesn't bring it back: it is the stored, refunded conversion.
    expect((await report(body)).json).toEqual(first.json);
  });

  it("of an unknown order are refused with 404", async () => {
    const r = await report({ order_id: "never-sent", refund: true });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: "refund_unknown" });
    expect(r.json.message).toContain("never-sent");
  });
});

describe("a failure mid-transaction", () => {
  it("leaves no conversion and no roll-up behind, and the retry stores it once", async () => {
    await app.database.sql.exec(`
      CREATE FUNCTION fail_rollup() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
      CREATE TRIGGER fail_rollup BEFORE INSERT OR UPDATE ON link_daily_stats FOR EACH ROW EXECUTE FUNCTION fail_rollup();`);
    const body = order({ code: "MURUGI25", occurred_at: "2026-06-01T10:00:00Z" });
    try {
      const r = await report(body);
      expect(r.status).toBe(500);
      expect(r.json.message).toContain("safe to retry");
      expect(r.json.message).not.toContain("disk on fire");
      expect(await app.database.db.conversion.count({ where: { orderId: body.order_id } })).toBe(0);
    } finally {
      await app.database.sql.exec("DROP TRIGGER fail_rollup ON link_daily_stats; DROP FUNCTION fail_rollup();");
    }
    expect((await report(body)).status).toBe(201);
    const june = (await dayStats(s.team.murugi)).filter((d) => d.day.toISOString().startsWith("2026-06-01"));
    expect(june.map((d) => [Number(d.conversions), Number(d.revenueMinor)])).toEqual([[1, 4990]]);
  });
});

describe("malformed bodies", () => {
  it.each([
    [{ order_id: "M-1", currency: "USD" }, "amount"],
    [{ order_id: "M-2", amount: 49.9, currency: "USD" }, "amount"],
    [{ order_id: "M-3", amount: "49.90" }, "currency"],
    [{ order_id: "M-4", amount: "49.90", currency: "DOLLARS" }, "currency"],
    [{ amount: "49.90", currency: "USD" }, "order_id"],
    [{ order_id: "M-5", amount: "49.90", currency: "USD", occurred_at: "yesterday" }, "occurred_at"],
    [{ order_id: "M-6", amount: "49.999", currency: "USD" }, "decimals"],
  ])("%j → 422 naming %s, with an example", async (body, what) => {
    const r = await report(body);
    expect(r.status).toBe(422);
    expect(r.json.message).toContain(what);
    expect(r.json.example).toMatchObject({ order_id: "A-1001", amount: "49.90", currency: "USD" });
  });

  it("not JSON → 400 with an example", async () => {
    const res = await post("order_id=1", bearer());
    expect(res.status).toBe(400);
    expect((await res.json()).example.order_id).toBe("A-1001");
  });
});

describe("the roll-up feeds stats", () => {
  it("shows reported revenue in stats campaign without reading conversions", async () => {
    const r = await ok(team.members.analyst.caller, 'stats campaign "Summer Launch"');
    const field = (label: string) => r.reply.fields!.find((f) => f.label === label)!.value;
    const net = await app.database.db.conversion.aggregate({ where: { workspaceId: team.workspaceId, linkId: { not: null }, refundedAt: null }, _sum: { amountMinor: true }, _count: true });
    expect(field("Conversions")).toBe(String(net._count));
    expect(field("Revenue")).toBe(`$${(Number(net._sum.amountMinor) / 100).toLocaleString("en", { minimumFractionDigits: 2 })}`);
  });
});

describe("/docs", () => {
  it("documents the route with both ways to authenticate", async () => {
    const spec = (await (await fetch(`${base}/docs/json`)).json()) as any;
    const op = spec.paths["/api/v1/conversions"].post;
    expect(op.tags).toEqual(["public API"]);
    expect(op.security).toEqual([{ apiKey: [] }, { signature: [] }]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "201", "401", "404", "409", "422"]));
    expect(op.requestBody.content["application/json"].schema.properties.order_id).toBeDefined();
  });
});
