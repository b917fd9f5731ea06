/**
 * Changing plans from chat: a paid subscription moves between Pro and
 * Enterprise by a prorated price change of the same Stripe subscription
 * (never a second one), and down to Free by cancelling at the period's end.
 * The real stripe SDK against the local fake Stripe API, which sends nothing
 * on its own: each webhook Stripe would send is signed here and posted to the
 * real server, and only that moves the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Role } from "../../core/roles.ts";
import { FakeStripeApi } from "../fakes/stripe-api.ts";
import { deliverStripe } from "../fakes/stripe-webhooks.ts";
import { createTestDatabase } from "../support/database.ts";
import { startTelegramHarness, type TelegramHarness } from "../support/telegram.ts";

const SECRET_KEY = "sk_test_clout_plan_changes";
const WEBHOOK_SECRET = "whsec_clout_plan_changes";
let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: TelegramHarness;
let base: string;
const clock = new ManualClock(new Date("2026-07-01T09:00:00Z"));
const stripe = new FakeStripeApi({ secretKey: SECRET_KEY, now: () => clock.now().getTime() });

beforeAll(async () => {
  env = await createTestDatabase();
  await stripe.start();
  h = await startTelegramHarness(env.url, { clock, env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
  base = `http://127.0.0.1:${(h.app.server!.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await h?.stop();
  await stripe.stop();
  await env?.drop();
});

const db = () => h.app.database.db;
const ws = () => h.team.workspaceId;
const as = (role: Role, text: string) => runCommand(h.app.runner, { text, caller: h.team.members[role].caller });
/** Stripe's event time moves on between steps, as it does between a request and its webhook. */
const deliver = async (type: string, object: object) => {
  clock.advance(60_000);
  return deliverStripe(base, stripe.event(type, object), WEBHOOK_SECRET, Math.floor(clock.now().getTime() / 1000));
};
const plan = () => db().workspaceSubscription.findUniqueOrThrow({ where: { workspaceId: ws() } });
const updates = (id: string) => stripe.calls.filter((c) => c.method === "POST" && c.path === `/v1/subscriptions/${id}`);

let sub: Record<string, any>;

describe("changing plans", () => {
  it("says a plan not billed through Stripe can't be changed from chat", async () => {
    // The harness's team is on Enterprise, set by hand.
    const r = await as("owner", "plan downgrade pro");
    expect(r.error).toBe("conflict");
    expect(r.reply.text).toContain("isn't billed through Stripe");
    expect(stripe.calls).toHaveLength(0);
  });

  it("starts on a paid Pro subscription", async () => {
    await db().workspaceSubscription.deleteMany({ where: { workspaceId: ws() } });
    sub = stripe.createSubscription({ metadata: { clout_kind: "plan", clout_workspace_id: ws(), clout_plan: "pro" } });
    expect((await deliver("customer.subscription.created", sub)).body.outcome).toBe("applied");
    expect(await plan()).toMatchObject({ plan: "pro", status: "active", stripeSubscriptionId: sub.id, cancelAtPeriodEnd: false });
  });

  it("lets only the owner change the plan", async () => {
    for (const role of ["admin", "manager", "analyst", "creator"] as const) {
      expect((await as(role, "plan downgrade free")).error, role).toBe("forbidden");
      expect((await as(role, "plan upgrade enterprise")).error, role).toBe("forbidden");
    }
    expect(stripe.calls).toHaveLength(0);
  });

  it("shows the owner a billing portal link, in a reply only they see; others get none", async () => {
    const r = await as("owner", "plan show");
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.ephemeral).toBe(true);
    expect(r.reply.text).toMatch(/\[Manage billing in Stripe\]\(https:\/\/billing\.stripe\.com\/p\/session\/test_[\w-]+\)/);
    const call = stripe.calls.find((c) => c.path === "/v1/billing_portal/sessions")!;
    expect(call.params).toMatchObject({ customer: sub.customer });
    expect(call.params.return_url).toMatch(/\/stripe\/billing\/done$/);
    const analyst = await as("analyst", "plan show");
    expect(analyst.reply.text).not.toContain("Manage billing");
    expect(analyst.reply.ephemeral).toBeFalsy();
    expect(stripe.portalSessions).toHaveLength(1);
  });

  it("moves Pro to Enterprise by changing the same subscription's price, once for two owners asking at once; the webhook moves the plan", async () => {
    const [a, b] = await Promise.all([as("owner", "plan upgrade enterprise"), as("owner", "plan upgrade enterprise")]);
    for (const r of [a, b]) {
      expect(r.ok, r.reply.text).toBe(true);
      expect(r.reply.title).toBe("Changing to Enterprise · $499.00 a month");
      expect(r.reply.text).toContain("from Pro to Enterprise");
    }
    const calls = updates(sub.id);
    expect(calls).toHaveLength(2);
    const key = `clout-plan-${ws()}-${sub.id}-to-enterprise-${(await plan()).eventAt!.getTime()}`;
    expect(calls.map((c) => c.idempotencyKey)).toEqual([key, key]);
    expect(calls[0]!.params).toMatchObject({ items: [{ id: sub.items.data[0].id, price: expect.stringMatching(/^price_/) }], proration_behavior: "create_prorations", cancel_at_period_end: "false", metadata: { clout_plan: "enterprise" } });
    // One price made for it, no Checkout page, no second subscription.
    expect(stripe.prices.size).toBe(1);
    expect([...stripe.prices.values()][0]).toMatchObject({ unit_amount: 49_900, currency: "usd", recurring: { interval: "month" } });
    expect(stripe.sessions.size).toBe(0);
    expect(stripe.subscriptions.size).toBe(1);
    const changed = stripe.subscriptions.get(sub.id)!;
    expect(changed.items.data[0]).toMatchObject({ id: sub.items.data[0].id, price: { unit_amount: 49_900 } });

    // Nothing moves until Stripe says so.
    expect((await plan()).plan).toBe("pro");
    expect((await deliver("customer.subscription.updated", changed)).body.outcome).toBe("applied");
    expect(await plan()).toMatchObject({ plan: "enterprise", status: "active", stripeSubscriptionId: sub.id });
  });

  it("moves Enterprise down to Pro the same way", async () => {
    const r = await as("owner", "plan downgrade pro");
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toBe("Changing to Pro · $49.00 a month");
    const last = updates(sub.id).at(-1)!;
    expect(last.idempotencyKey).toBe(`clout-plan-${ws()}-${sub.id}-to-pro-${(await plan()).eventAt!.getTime()}`);
    expect(last.params).toMatchObject({ proration_behavior: "create_prorations", metadata: { clout_plan: "pro" } });
    const changed = stripe.subscriptions.get(sub.id)!;
    expect(changed.items.data[0].price.unit_amount).toBe(4_900);
    expect((await deliver("customer.subscription.updated", changed)).body.outcome).toBe("applied");
    expect(await plan()).toMatchObject({ plan: "pro", stripeSubscriptionId: sub.id });
    expect(stripe.subscriptions.size).toBe(1);
    expect((await as("owner", "plan downgrade pro")).reply.text).toContain("on Pro already");
  });

  it("refuses a downgrade to Free past Free's limits, naming what to reduce, with nothing changed", async () => {
    const now = clock.now();
    await db().creator.createMany({ data: Array.from({ length: 26 }, (_, i) => ({ id: crypto.randomUUID(), workspaceId: ws(), number: 100 + i, name: `Seed ${i}`, nameKey: `seed ${i}`, createdAt: now })) });
    for (const name of ["First", "Second"]) {
      for (const line of [`campaign create ${name} --budget 100 --start 2099-01-01 --end 2099-02-01 --objective sales`, `campaign submit ${name}`, `campaign approve ${name}`, `campaign activate ${name}`]) {
        const r = await as("owner", line);
        expect(r.ok, r.reply.text).toBe(true);
      }
    }
    const calls = stripe.calls.length;
    const audits = await db().auditEntry.count();
    const r = await as("owner", "plan downgrade free");
    expect(r.error).toBe("conflict");
    expect(r.reply.text).toContain("The workspace uses more than Free allows, so nothing was changed");
    expect(r.reply.text).toContain("2 active campaigns where 1 are allowed at once (complete or cancel 1)");
    expect(r.reply.text).toContain("26 creators where 25 are kept (remove 1)");
    expect(stripe.calls).toHaveLength(calls);
    expect(stripe.subscriptions.get(sub.id)!.cancel_at_period_end).toBe(false);
    expect(await db().auditEntry.count()).toBe(audits);
    expect(await plan()).toMatchObject({ plan: "pro", cancelAtPeriodEnd: false });
  });

  it("downgrades to Free at the period's end: the plan stays until customer.subscription.deleted", async () => {
    expect((await as("owner", "campaign complete Second")).ok).toBe(true);
    await db().creator.deleteMany({ where: { workspaceId: ws(), name: "Seed 0" } });
    const r = await as("owner", "plan downgrade free");
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toBe("Pro ends at the end of the paid period");
    const end = new Date(sub.items.data[0].current_period_end * 1000);
    expect(r.reply.text).toContain(`The subscription ends ${end.toISOString().slice(0, 16).replace("T", " ")} UTC`);
    const last = updates(sub.id).at(-1)!;
    expect(last.params).toEqual({ cancel_at_period_end: "true" });
    expect(last.idempotencyKey).toMatch(new RegExp(`-to-free-\\d+$`));
    const ending = stripe.subscriptions.get(sub.id)!;
    expect(ending).toMatchObject({ status: "active", cancel_at_period_end: true, cancel_at: sub.items.data[0].current_period_end });

    expect((await deliver("customer.subscription.updated", ending)).body.outcome).toBe("applied");
    expect(await plan()).toMatchObject({ plan: "pro", status: "active", cancelAtPeriodEnd: true });
    const shown = await as("analyst", "plan show");
    expect(shown.reply.title).toBe("Telegram Brand · Pro plan");
    expect(shown.reply.text).toContain("Set to end");
    // Pro's room is still there meanwhile.
    expect((await as("manager", "campaign activate Second")).error).toBe("illegal_transition");
    expect((await as("manager", 'creator add "Still Pro"')).ok).toBe(true);

    // Asking again changes nothing at Stripe.
    const calls = stripe.calls.length;
    const again = await as("owner", "plan downgrade free");
    expect(again.ok).toBe(true);
    expect(again.reply.text).toContain("set to end");
    expect(stripe.calls).toHaveLength(calls);

    expect((await deliver("customer.subscription.deleted", stripe.cancelSubscription(sub.id))).body.outcome).toBe("applied");
    expect(await plan()).toMatchObject({ plan: "free", status: "canceled", cancelAtPeriodEnd: false });
    expect((await as("owner", "plan downgrade free")).reply.text).toContain("on Free already");
  });
});
