/**
 * The referral redirect on the real server, PostgreSQL and Redis: 302 with
 * UTM parameters and a click id, 404 and 410 pages, bots and previews
 * redirected but never stored, unique visitors per hour on an injected clock,
 * QR scans, a cache that hears about changes made by another process, and a
 * click consumer killed mid-batch losing and doubling nothing.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { ClickConsumer, clickStreamKey } from "../../jobs/clicks.ts";
import { silentLog, startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { createTeam, type Team } from "../support/team.ts";

const PREFIX = `test-ref-${randomBytes(4).toString("hex")}`;
const START = new Date("2026-07-10T10:05:00Z");
const clock = new ManualClock(START);
const HUMAN = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
let env: Awaited<ReturnType<typeof createTestDatabase>>;
/** Two app processes on one database and one Redis, as two replicas behind a load balancer. */
let a: App;
let b: App;
let redis: Redis;
let team: Team;
const consumers: ClickConsumer[] = [];

beforeAll(async () => {
  env = await createTestDatabase();
  const shared = { clock, http: true, env: { QUEUE_PREFIX: PREFIX, PUBLIC_URL: "https://go.clout.test" } };
  a = await startTestApp(env.url, shared);
  b = await startTestApp(env.url, shared);
  redis = new Redis(TEST_REDIS_URL);
  team = await createTeam(a.database.db, "Redirect Brand");
  await ok(owner(), 'creator add "Murugi Wanjiku" --instagram murugi --member "Cris Creator"');
});
afterAll(async () => {
  for (const c of consumers) c.kill();
  await a?.stop();
  await b?.stop();
  redis?.disconnect();
  await env?.drop();
});

const owner = (): Caller => team.members.owner.caller;
const db = () => a.database.db;
async function ok(caller: Caller, text: string) {
  const r = await runCommand(a.runner, { text, caller });
  expect(r.ok, `${text}\n${r.reply.text}`).toBe(true);
  return r;
}
const base = (app: App) => {
  const addr = app.server!.server.address() as { port: number };
  return `http://127.0.0.1:${addr.port}`;
};

let campaigns = 0;
/** An accepted deal on a fresh active campaign: its link's slug and code. */
async function liveLink(url: string | null = "https://shop.example.com/summer?color=red#buy") {
  const name = `Summer ${++campaigns}`;
  await ok(owner(), `campaign create "${name}" --budget 5000 --currency USD --start 2026-07-01 --end 2026-08-31 --objective sales${url ? ` --url ${url}` : ""}`);
  for (const step of ["submit", "approve", "activate"]) await ok(owner(), `campaign ${step} "${name}"`);
  await ok(owner(), `invite @murugi --campaign "${name}" --fee 100`);
  const inv = await db().invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId }, orderBy: { number: "desc" } });
  await ok(team.members.creator.caller, `accept ${inv.number}`);
  const link = await db().referralLink.findUniqueOrThrow({ where: { invitationId: inv.id } });
  const campaign = await db().campaign.findUniqueOrThrow({ where: { id: link.campaignId } });
  return { ...link, campaign };
}

function visit(app: App, slug: string, o: { ua?: string | null; ip?: string; method?: string; qr?: boolean; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": o.ip ?? "203.0.113.7", ...o.headers };
  if (o.ua !== null) headers["user-agent"] = o.ua ?? HUMAN;
  return fetch(`${base(app)}/r/${slug}${o.qr ? "?qr=1" : ""}`, { method: o.method ?? "GET", headers, redirect: "manual" });
}

/** Runs a consumer until the stream is empty and `expected` clicks are stored. */
async function drain(expected: number) {
  const c = new ClickConsumer({ db: db(), redisUrl: TEST_REDIS_URL, prefix: PREFIX, log: silentLog, claimIdleMs: 200, blockMs: 100 }).start();
  consumers.push(c);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await redis.xlen(clickStreamKey(PREFIX))) === 0 && (await db().click.count()) >= expected) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await c.close();
}

async function stats(linkId: string) {
  const rows = await db().linkDailyStat.findMany({ where: { linkId } });
  const sum = (k: "clicks" | "uniqueClicks" | "qrClicks") => rows.reduce((n, r) => n + Number(r[k]), 0);
  return { clicks: sum("clicks"), unique: sum("uniqueClicks"), qr: sum("qrClicks"), days: rows.length };
}

describe("GET /r/:slug", () => {
  it("302s a known link to the destination with UTM parameters and a click id, keeping the brand's own", async () => {
    const link = await liveLink();
    const res = await visit(b, link.slug);
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const to = new URL(res.headers.get("location")!);
    expect(`${to.origin}${to.pathname}`).toBe("https://shop.example.com/summer");
    expect(to.hash).toBe("#buy");
    expect(Object.fromEntries(to.searchParams)).toEqual({
      color: "red",
      utm_source: "clout",
      utm_medium: "referral",
      utm_campaign: `summer-${campaigns}`,
      utm_content: link.code,
      clk: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // Each click its own id; a slug typed in capitals still works.
    const again = new URL((await visit(b, link.slug.toUpperCase())).headers.get("location")!);
    expect(again.searchParams.get("clk")).not.toBe(to.searchParams.get("clk"));
  });

  it("answers 404 with a small page for an unknown slug, and for a campaign with no destination yet", async () => {
    const unknown = await visit(b, "nosuchslug");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("text/html");
    expect(await unknown.text()).toContain("Link not found");
    const pending = await liveLink(null);
    const res = await visit(b, pending.slug);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("hasn't set where this link goes");
    // Setting the destination on one replica makes the other redirect at once.
    await ok(owner(), `campaign update ${pending.campaign.number} --url https://shop.example.com/later`);
    await expect.poll(async () => (await visit(b, pending.slug)).headers.get("location"), { timeout: 3_000 }).toMatch(/^https:\/\/shop\.example\.com\/later\?utm_source=clout/);
  });

  it("drops a changed destination from another replica's cache, and answers 410 once the campaign is finished", async () => {
    const link = await liveLink();
    expect((await visit(b, link.slug)).headers.get("location")).toMatch(/^https:\/\/shop\.example\.com\/summer/);
    await ok(owner(), `campaign update ${link.campaign.number} --url https://shop.example.com/winter`);
    await expect.poll(async () => (await visit(b, link.slug)).headers.get("location"), { timeout: 3_000 }).toMatch(/^https:\/\/shop\.example\.com\/winter\?/);
    await ok(owner(), `campaign complete ${link.campaign.number}`);
    await expect.poll(async () => (await visit(b, link.slug)).status, { timeout: 3_000 }).toBe(410);
    expect(await (await visit(b, link.slug)).text()).toContain("This campaign has ended");
  });

  it("never reads the database per click once the link is cached", async () => {
    const link = await liveLink();
    await visit(b, link.slug);
    // With the link's rows gone from the database, the cached answer still serves.
    await db().$executeRawUnsafe("ALTER TABLE referral_links RENAME TO referral_links_away");
    try {
      for (let i = 0; i < 5; i++) expect((await visit(b, link.slug)).status).toBe(302);
    } finally {
      await db().$executeRawUnsafe("ALTER TABLE referral_links_away RENAME TO referral_links");
    }
  });
});

describe("clicks", () => {
  it("counts people only: bots, link previews, prefetches, HEAD and no user agent are redirected but not stored", async () => {
    await drain(await db().click.count());
    const link = await liveLink();
    const before = await db().click.count();
    const notPeople = [
      { ua: "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)" },
      { ua: "WhatsApp/2.23.20.0 A" },
      { ua: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" },
      { ua: "TelegramBot (like TwitterBot)" },
      { ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
      { ua: null },
      { method: "HEAD" },
      { headers: { "sec-purpose": "prefetch" } },
    ];
    for (const o of notPeople) expect((await visit(b, link.slug, o)).status, JSON.stringify(o)).toBe(302);
    expect((await visit(b, link.slug)).status).toBe(302);
    await drain(before + 1);
    expect(await db().click.count({ where: { linkId: link.id } })).toBe(1);
    const stored = await db().click.findFirstOrThrow({ where: { linkId: link.id } });
    expect(stored.visitorHash).not.toContain("203.0.113.7");
    expect(stored.visitorHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("dedupes a visitor within the UTC hour, counts them unique again the next hour, and marks QR scans", async () => {
    clock.set(START);
    const link = await liveLink();
    const before = await db().click.count();
    const at = async (app: App, o: Parameters<typeof visit>[2]) => {
      await visit(app, link.slug, o);
      clock.advance(1_000);
    };
    await at(a, { ip: "198.51.100.1" });
    await at(b, { ip: "198.51.100.1" }); // same visitor, other replica, same hour
    await at(a, { ip: "198.51.100.2" });
    await at(a, { ip: "198.51.100.1", ua: `${HUMAN} Other` }); // another browser on the same IP
    await at(a, { ip: "198.51.100.3", qr: true });
    clock.set(new Date("2026-07-10T11:00:00Z")); // a new hour
    await at(b, { ip: "198.51.100.1" });
    await at(b, { ip: "198.51.100.1" });
    clock.set(new Date("2026-07-11T11:00:00Z")); // the next day
    await at(b, { ip: "198.51.100.1", qr: true });
    await drain(before + 8);
    const clicks = await db().click.findMany({ where: { linkId: link.id }, orderBy: { at: "asc" } });
    expect(clicks.map((c) => [c.at.toISOString().slice(0, 13), c.isUnique, c.isQr])).toEqual([
      ["2026-07-10T10", true, false],
      ["2026-07-10T10", false, false],
      ["2026-07-10T10", true, false],
      ["2026-07-10T10", true, false],
      ["2026-07-10T10", true, true],
      ["2026-07-10T11", true, false],
      ["2026-07-10T11", false, false],
      ["2026-07-11T11", true, true],
    ]);
    expect(await stats(link.id)).toEqual({ clicks: 8, unique: 6, qr: 2, days: 2 });
    clock.set(START);
  });

  it("loses and doubles nothing when consumers die mid-batch: before storing, and after storing but before acknowledging", async () => {
    await drain(await db().click.count());
    const link = await liveLink();
    const before = await db().click.count();
    const humans = 300;
    for (let i = 0; i < humans; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => visit(j % 2 ? a : b, link.slug, { ip: `10.0.${(i + j) >> 8}.${(i + j) & 255}`, qr: (i + j) % 10 === 0 })));
      await Promise.all(Array.from({ length: 5 }, () => visit(a, link.slug, { ua: "Googlebot/2.1" })));
    }
    await expect.poll(() => redis.xlen(clickStreamKey(PREFIX)), { timeout: 5_000 }).toBe(humans);

    const readsThenDies = new ClickConsumer({ db: db(), redisUrl: TEST_REDIS_URL, prefix: PREFIX, log: silentLog, batch: 100 });
    consumers.push(readsThenDies);
    expect(await readsThenDies.read()).toHaveLength(100);
    readsThenDies.kill();

    const storesThenDies = new ClickConsumer({ db: db(), redisUrl: TEST_REDIS_URL, prefix: PREFIX, log: silentLog, batch: 100 });
    consumers.push(storesThenDies);
    const batch = await storesThenDies.read();
    expect(batch).toHaveLength(100);
    expect(await storesThenDies.store(batch)).toBe(100);
    storesThenDies.kill();

    await drain(before + humans);
    expect(await db().click.count({ where: { linkId: link.id } })).toBe(humans);
    expect(await stats(link.id)).toEqual({ clicks: humans, unique: humans, qr: humans / 10, days: 1 });
    expect(await redis.xpending(clickStreamKey(PREFIX), "click-writers")).toEqual([0, null, null, null]);
  });
});
