/**
 * Abuse limits on every front door, on the real server over HTTP with
 * PostgreSQL and Redis and an injected clock: commands per member (the
 * plan's rate; English and Portuguese, with the seconds to wait), the public
 * API per credential and workspace (the plan's) and per IP (429 with
 * Retry-After and a JSON message), and the referral redirect per IP (429 for
 * the abusive address, nobody else).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { PLAN_LIMITS } from "../../core/billing/plans.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

const HUMAN = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const REDIRECT_LIMIT = 5;
const API_IP_LIMIT = 80;
const clock = new ManualClock(new Date("2026-07-10T10:00:00Z"));
let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
let base: string;

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock, http: true, env: { RATE_LIMITS: "on", RATE_LIMIT_REDIRECT_PER_MINUTE: String(REDIRECT_LIMIT), RATE_LIMIT_API_IP_PER_MINUTE: String(API_IP_LIMIT), PUBLIC_URL: "https://go.clout.test" } });
  team = await createTeam(app.database.db, "Limits Brand", "free");
  base = `http://127.0.0.1:${(app.server!.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });

describe("commands per member", () => {
  it("refuses the command past the plan's rate with the seconds left, in the member's language, and allows it again once the window slides", async () => {
    const owner = team.members.owner.caller;
    const limit = PLAN_LIMITS.free.commandsPerMinute;
    for (let i = 0; i < limit; i++) {
      expect((await run(owner, "help")).ok).toBe(true);
      clock.advance(1_000);
    }
    // The first of the window was taken `limit` seconds ago: it leaves the window in 60 − limit seconds.
    const refused = await run(owner, "workspace show");
    expect(refused.ok).toBe(false);
    expect(refused.error).toBe("rate_limited");
    expect(refused.reply.text).toBe(`You're going a bit fast — try again in ${60 - limit} s.`);
    // The same member on another platform shares the window; in Portuguese when the platform says so.
    const pt = await run({ ...owner, locale: "pt-BR" }, "help");
    expect(pt.reply.text).toBe(`Você está indo um pouco rápido — tente de novo em ${60 - limit} s.`);
    // Another member is not held up.
    expect((await run(team.members.admin.caller, "workspace show")).ok).toBe(true);

    clock.advance((60 - limit) * 1_000 - 1);
    expect((await run(owner, "help")).reply.text).toContain("try again in 1 s");
    clock.advance(1);
    expect((await run(owner, "workspace show")).ok).toBe(true);
  });

  it("counts a chat account not linked to any member yet on its own", async () => {
    const stranger: Caller = { platform: "telegram", externalId: "990001", displayName: "Someone" };
    for (let i = 0; i < PLAN_LIMITS.free.commandsPerMinute; i++) expect((await run(stranger, "help")).ok).toBe(true);
    const r = await run(stranger, "help");
    expect(r.error).toBe("rate_limited");
    expect(r.reply.text).toBe("You're going a bit fast — try again in 60 s.");
  });
});

describe("public API", () => {
  let key: string;
  const post = (headers: Record<string, string>) => fetch(`${base}/api/v1/conversions`, { method: "POST", body: "{}", headers: { "content-type": "application/json", ...headers } });

  beforeAll(async () => {
    clock.advance(120_000);
    const r = await run(team.members.owner.caller, "apikey create shop");
    key = /`(clout_[\w-]+)`/.exec(r.reply.text ?? "")![1]!;
  });

  it("answers 429 with Retry-After past the credential's per-minute share of the plan, saying how to get more", async () => {
    const auth = { authorization: `Bearer ${key}`, "x-forwarded-for": "198.51.100.1" };
    const limit = PLAN_LIMITS.free.apiPerCredentialPerMinute;
    for (let i = 0; i < limit; i++) expect((await post(auth)).status).toBe(422);
    const res = await post(auth);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    const body = await res.json();
    expect(body).toMatchObject({ error: "rate_limited", retry_after: 60 });
    expect(body.message).toContain("free plan");
    expect(body.message).toContain("`plan upgrade pro`");
    expect(body.message).toContain("try again in 60 s.");
    clock.advance(60_000);
    expect((await post(auth)).status).toBe(422);
  });

  it("limits an address before looking at credentials, and leaves other addresses alone", async () => {
    clock.advance(60_000);
    const from = { "x-forwarded-for": "203.0.113.50" };
    for (let i = 0; i < API_IP_LIMIT; i++) expect((await post({ ...from, authorization: "Bearer clout_guess" })).status).toBe(401);
    const res = await post({ ...from, authorization: "Bearer clout_guess" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBe(60);
    expect((await res.json()).message).toMatch(/^Too many requests from this address \(at most 80 a minute\): try again in 60 s\.$/);
    expect((await post({ "x-forwarded-for": "203.0.113.51", authorization: `Bearer ${key}` })).status).toBe(422);
  });
});

describe("referral redirect", () => {
  let slug: string;
  const open = (ip: string, ua = HUMAN) => fetch(`${base}/r/${slug}`, { redirect: "manual", headers: { "user-agent": ua, "x-forwarded-for": ip } });

  beforeAll(async () => {
    clock.advance(120_000);
    const owner = team.members.owner.caller;
    await runAll(app.runner, owner, [
      'creator add "Murugi Wanjiku" --instagram murugi --member "Cris Creator"',
      'campaign create "Limits" --budget 500 --currency USD --start 2026-07-01 --end 2026-08-31 --objective sales --url https://shop.example.com/x',
      "campaign submit Limits",
      "campaign approve Limits",
      "campaign activate Limits",
      'invite @murugi --campaign Limits --fee 100',
    ]);
    const inv = await app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId } });
    await runAll(app.runner, team.members.creator.caller, [`accept ${inv.number}`]);
    slug = (await app.database.db.referralLink.findUniqueOrThrow({ where: { invitationId: inv.id } })).slug;
  });

  it("answers 429 with Retry-After to an address past its limit, while another address is redirected as ever", async () => {
    const abuser = "192.0.2.66";
    for (let i = 0; i < REDIRECT_LIMIT; i++) expect((await open(abuser)).status).toBe(302);
    // The request that crosses the limit is counted after its answer; the ones after it are refused.
    let refused: Response | undefined;
    await expect
      .poll(async () => {
        refused = await open(abuser);
        return refused.status;
      })
      .toBe(429);
    expect(refused!.headers.get("retry-after")).toBe("60");
    expect(await refused!.text()).toContain("Too many requests");
    expect((await open("192.0.2.67")).status).toBe(302);
    // Crawlers count against their address too, though they are never recorded as clicks.
    const bot = "192.0.2.80";
    for (let i = 0; i <= REDIRECT_LIMIT; i++) await open(bot, "Googlebot/2.1 (+http://www.google.com/bot.html)");
    await expect.poll(async () => (await open(bot, "Googlebot/2.1 (+http://www.google.com/bot.html)")).status).toBe(429);

    clock.advance(60_000);
    expect((await open(abuser)).status).toBe(302);
  });
});
