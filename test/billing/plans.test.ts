/**
 * Plans through Stripe subscriptions, end to end: the real stripe SDK against
 * the local fake Stripe API, subscription webhooks signed for real and posted
 * to the real server over HTTP, PostgreSQL, Redis and the real workers, the
 * owner told on Telegram. Each webhook applies exactly once under duplicate
 * and concurrent deliveries, and a late one never rolls the plan back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { runCommand, type RunResult } from "../../core/commands/run.ts";
import type { Role } from "../../core/roles.ts";
import { FakeStripeApi } from "../fakes/stripe-api.ts";
import { deliverStripe } from "../fakes/stripe-webhooks.ts";
import { createTestDatabase } from "../support/database.ts";
import { startTelegramHarness, TELEGRAM_USER, type TelegramHarness } from "../support/telegram.ts";

const SECRET_KEY = "sk_test_clout_plans";
const WEBHOOK_SECRET = "whsec_clout_plans";
let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: TelegramHarness;
let base: string;
const clock = new ManualClock(new Date("2026-06-01T09:00:00Z"));
const stripe = new FakeStripeApi({ secretKey: SECRET_KEY, now: () => clock.now().getTime() });

beforeAll(async () => {
  env = await createTestDatabase();
  await stripe.start();
  h = await startTelegramHarness(env.url, { workers: true, clock, env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
  base = `http://127.0.0.1:${(h.app.server!.server.address() as { port: number }).port}`;
  // The harness's team is on Enterprise; this file is about the way up from free.
  await db().workspaceSubscription.deleteMany({ where: { workspaceId: h.team.workspaceId } });
});
afterAll(async () => {
  await h?.stop();
  await stripe.stop();
  await env?.drop();
});

const db = () => h.app.database.db;
const as = (role: Role, text: string) => runCommand(h.app.runner, { text, caller: h.team.members[role].caller });
const deliver = (event: object) => deliverStripe(base, event, WEBHOOK_SECRET, Math.floor(clock.now().getTime() / 1000));
const ownerSaid = (text: string) => h.api.messagesIn(TELEGRAM_USER.owner.id).filter((m) => (m.text ?? "").includes(text));
const sessionIdIn = (r: RunResult) => /\/c\/pay\/(cs_test_[\w-]+)/.exec(r.reply.text ?? "")?.[1];
const plan = () => db().workspaceSubscription.findUnique({ where: { workspaceId: h.team.workspaceId } });
const creators = () => db().creator.count({ where: { workspaceId: h.team.workspaceId } });
const later = (event: Record<string, any>, seconds: number) => ({ ...event, created: event.created + seconds });

let sessionId: string;
let subscription: Record<string, any>;

describe("limits on the free plan", () => {
  it("shows the plan, its limits and what is used", async () => {
    const r = await as("analyst", "plan show");
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toBe("Telegram Brand · Free plan");
    expect(r.reply.table?.rows).toEqual([
      ["Creators", "0", "25"],
      ["Active campaigns", "0", "1"],
      ["API requests (last hour)", "0", "1,000"],
      ["Your commands (last minute)", "0", "30"],
    ]);
    expect(r.reply.text).toContain("`plan upgrade pro`");
    expect(r.reply.buttons).toBeUndefined();
    expect((await as("owner", "plan show")).reply.buttons?.map((b) => b.command)).toEqual(["plan upgrade pro"]);
    expect((await as("creator", "plan show")).error).toBe("forbidden");
  });

  it("refuses the creator past the limit with the upgrade hint, storing nothing", async () => {
    const now = clock.now();
    await db().creator.createMany({ data: Array.from({ length: 25 }, (_, i) => ({ id: crypto.randomUUID(), workspaceId: h.team.workspaceId, number: 100 + i, name: `Seed ${i}`, nameKey: `seed ${i}`, createdAt: now })) });
    const audits = await db().auditEntry.count();
    // Two at once for the one place that isn't there: both refused.
    const [a, b] = await Promise.all([as("manager", 'creator add "One Too Many" --instagram onetoomany'), as("admin", 'creator add "Two Too Many"')]);
    for (const r of [a, b]) {
      expect(r.error).toBe("conflict");
      expect(r.reply.text).toContain("The Free plan tracks up to 25 creators");
      expect(r.reply.text).toContain("Pro allows 1000: an owner upgrades with `plan upgrade pro`.");
    }
    expect(await creators()).toBe(25);
    expect(await db().auditEntry.count()).toBe(audits);
  });

  it("refuses activating a campaign past the active campaigns limit; the campaign stays approved", async () => {
    for (const name of ["First", "Second"]) {
      for (const line of [`campaign create ${name} --budget 100 --start 2099-01-01 --end 2099-02-01 --objective sales`, `campaign submit ${name}`, `campaign approve ${name}`]) expect((await as("owner", line)).ok).toBe(true);
    }
    expect((await as("manager", "campaign activate First")).ok).toBe(true);
    const r = await as("manager", "campaign activate Second");
    expect(r.error).toBe("conflict");
    expect(r.reply.text).toContain("The Free plan runs up to 1 active campaigns at once");
    expect(r.reply.text).toContain("`plan upgrade pro`");
    expect((await db().campaign.findFirstOrThrow({ where: { workspaceId: h.team.workspaceId, name: "Second" } })).status).toBe("approved");
  });
});

describe("upgrading through Stripe", () => {
  it("gives the owner a Checkout link in subscription mode, the same one when asked again; nobody else may", async () => {
    const r = await as("owner", "plan upgrade pro");
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toBe("Upgrade to Pro · $49.00 a month");
    sessionId = sessionIdIn(r)!;
    const session = stripe.sessions.get(sessionId)!;
    expect(session).toMatchObject({ mode: "subscription", amount_total: 4900, currency: "usd", metadata: { clout_kind: "plan", clout_plan: "pro", clout_workspace_id: h.team.workspaceId } });
    const create = stripe.calls.find((c) => c.method === "POST" && c.path === "/v1/checkout/sessions")!;
    expect(create.idempotencyKey).toBe(`clout-plan-${h.team.workspaceId}-pro-0`);
    expect(create.params.line_items[0].price_data).toMatchObject({ unit_amount: "4900", currency: "usd", recurring: { interval: "month" } });
    expect(create.params.subscription_data.metadata).toEqual({ clout_kind: "plan", clout_workspace_id: h.team.workspaceId, clout_plan: "pro" });

    const again = await Promise.all([1, 2, 3].map(() => as("owner", "plan upgrade pro")));
    expect(again.map(sessionIdIn)).toEqual([sessionId, sessionId, sessionId]);
    expect((await as("admin", "plan upgrade pro")).error).toBe("forbidden");
  });

  it("puts the workspace on Pro once when customer.subscription.created arrives 10 times at once, and tells the owner once", async () => {
    ({ subscription } = stripe.subscribe(sessionId));
    const created = stripe.event("customer.subscription.created", subscription);
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(created)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.outcome === "applied")).toHaveLength(1);
    expect(answers.filter((a) => a.body.outcome === "duplicate")).toHaveLength(9);
    expect(await plan()).toMatchObject({ plan: "pro", status: "active", stripeSubscriptionId: subscription.id, stripeCustomerId: subscription.customer });

    await h.api.waitForMessage(TELEGRAM_USER.owner.id, (m) => (m.text ?? "").includes("is on the Pro plan now"), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(ownerSaid("is on the Pro plan now")).toHaveLength(1);
    expect((await as("manager", 'creator add "Welcome Back"')).ok).toBe(true);
    expect((await as("manager", "campaign activate Second")).ok).toBe(true);
    expect((await as("owner", "plan upgrade pro")).reply.text).toContain("on Pro already");
  });

  it("follows customer.subscription.updated, and ignores an older event delivered late", async () => {
    const renewed = stripe.updateSubscription(subscription.id, { items: { ...subscription.items, data: [{ ...subscription.items.data[0], current_period_end: subscription.items.data[0].current_period_end + 30 * 86_400 }] } });
    const updated = later(stripe.event("customer.subscription.updated", renewed), 60);
    expect((await deliver(updated)).body.outcome).toBe("applied");
    expect((await plan())!.currentPeriodEnd!.getTime()).toBe(renewed.items.data[0].current_period_end * 1000);
    // An incomplete snapshot from before: Stripe's clock says it is older, so nothing moves.
    const stale = stripe.event("customer.subscription.updated", { ...subscription, status: "incomplete" });
    expect((await deliver(stale)).body.outcome).toBe("ignored");
    expect(await plan()).toMatchObject({ plan: "pro", status: "active" });
  });

  it("marks the plan past_due on invoice.payment_failed, keeps its limits, and tells the owner once", async () => {
    const failed = later(stripe.event("invoice.payment_failed", stripe.failInvoice(subscription.id, Math.floor(clock.now().getTime() / 1000) + 3 * 86_400)), 120);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(failed)));
    expect(answers.filter((a) => a.body.outcome === "applied")).toHaveLength(1);
    expect(await plan()).toMatchObject({ plan: "pro", status: "past_due" });
    await h.api.waitForMessage(TELEGRAM_USER.owner.id, (m) => (m.text ?? "").includes("payment of $49.00"), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const told = ownerSaid("payment of $49.00");
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain("Stripe tries the card again at 2026-06-04 09:00 UTC");
    expect(told[0]!.text).toContain("The Pro limits stay meanwhile");
    // The grace period: Pro's room is still there.
    expect((await as("manager", 'creator add "During Grace"')).ok).toBe(true);
    expect((await as("analyst", "plan show")).reply.text).toContain("The last payment failed");
  });

  it("drops to free on customer.subscription.deleted, once under concurrent deliveries, and stays there", async () => {
    const deleted = later(stripe.event("customer.subscription.deleted", stripe.cancelSubscription(subscription.id)), 180);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(deleted)));
    expect(answers.filter((a) => a.body.outcome === "applied")).toHaveLength(1);
    expect(await plan()).toMatchObject({ plan: "free", status: "canceled" });
    await h.api.waitForMessage(TELEGRAM_USER.owner.id, (m) => (m.text ?? "").includes("subscription of Telegram Brand has ended"), 10_000);
    // Nothing stored is lost; only new room is refused.
    expect(await creators()).toBe(27);
    expect((await as("manager", 'creator add "After The End"')).reply.text).toContain("`plan upgrade pro`");
    // A deleted subscription stays deleted, whatever arrives for it after.
    expect((await deliver(later(stripe.event("customer.subscription.updated", { ...subscription, status: "active" }), 240))).body.outcome).toBe("ignored");
    expect((await plan())!.plan).toBe("free");
  });
});
