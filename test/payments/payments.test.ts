/**
 * Boosts and campaign payments through Stripe, end to end: the real stripe
 * SDK against the local fake Stripe API, webhooks signed for real and posted
 * to the real server over HTTP, PostgreSQL and Redis, the real workers, and
 * the creator told on Telegram (a fake Bot API). Exactly once throughout:
 * ten concurrent deliveries of one event, a refund that beats its completion,
 * and two worker processes racing to expire the same boost.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand, type RunResult } from "../../core/commands/run.ts";
import type { Role } from "../../core/roles.ts";
import { createStripe, stripePayments } from "../../payments/stripe/client.ts";
import { FakeStripeApi } from "../fakes/stripe-api.ts";
import { deliverStripe } from "../fakes/stripe-webhooks.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { pdfText } from "../support/pdf.ts";
import { startTelegramHarness, TELEGRAM_USER, type TelegramHarness } from "../support/telegram.ts";

const SECRET_KEY = "sk_test_clout_fake_key";
const WEBHOOK_SECRET = "whsec_clout_test_secret";
const HOUR = 3_600_000;

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: TelegramHarness;
let base: string;
const clock = new ManualClock(new Date("2026-06-01T09:00:00Z"));
const stripe = new FakeStripeApi({ secretKey: SECRET_KEY, now: () => clock.now().getTime() });
const stripeEnv = { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url, BOOST_PRICES: "24h=5,30d=79.99" };

beforeAll(async () => {
  env = await createTestDatabase();
  await stripe.start();
  h = await startTelegramHarness(env.url, { workers: true, schedules: true, clock, env: { ...stripeEnv, STRIPE_API_URL: stripe.url } });
  base = `http://127.0.0.1:${(h.app.server!.server.address() as { port: number }).port}`;
  await runAll(h.app.runner, h.team.members.owner.caller, ['creator add "Cris Creator" --member "Cris Creator" --instagram cris']);
});
afterAll(async () => {
  await h?.stop();
  await stripe.stop();
  await env?.drop();
});

const as = (role: Role, text: string, app: App = h.app) => runCommand(app.runner, { text, caller: h.team.members[role].caller });
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
const deliver = (event: object, o: { secret?: string; at?: number } = {}) => deliverStripe(base, event, o.secret ?? WEBHOOK_SECRET, o.at ?? nowSeconds());
const creatorSaid = (text: string) => h.api.messagesIn(TELEGRAM_USER.creator.id).filter((m) => (m.text ?? "").includes(text));
const sessionIdIn = (r: RunResult) => /\/c\/pay\/(cs_test_[\w-]+)/.exec(r.reply.text ?? "")?.[1];

async function buy(duration: string): Promise<string> {
  const r = await as("creator", `boost buy ${duration}`);
  expect(r.ok, r.reply.text).toBe(true);
  return sessionIdIn(r)!;
}

const boostOf = async (sessionId: string) => {
  const s = await h.app.database.db.checkoutSession.findUniqueOrThrow({ where: { id: sessionId } });
  return h.app.database.db.boost.findUniqueOrThrow({ where: { id: s.boostId! } });
};

describe("boosts", () => {
  /** A paid 24h boost's completion, refused while forged or stale, then delivered for real. */
  let completion: object;
  let paidSession: string;

  it("gives a Stripe Checkout link priced from BOOST_PRICES in the workspace currency, the same one when asked again", async () => {
    const r = await as("creator", "boost buy 24h");
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toBe("Boost 24h · $5.00");
    const id = sessionIdIn(r)!;
    expect(r.reply.text).toContain(`https://checkout.stripe.com/c/pay/${id}`);
    const session = stripe.sessions.get(id)!;
    expect(session).toMatchObject({ mode: "payment", amount_total: 500, currency: "usd", status: "open", success_url: "https://clout.example.com/stripe/checkout/paid" });
    expect(session.metadata.clout_kind).toBe("boost");
    const create = stripe.calls.find((c) => c.method === "POST" && c.status === 200)!;
    expect(create.idempotencyKey).toMatch(/^clout-boost-[0-9a-f-]{36}-24h-0$/);
    expect(create.params.line_items[0].price_data).toMatchObject({ unit_amount: "500", currency: "usd", product_data: { name: "Clout boost 24h (×1.5 ranking)" } });

    const again = await Promise.all([1, 2, 3].map(() => as("creator", "boost buy 24h")));
    expect(again.map(sessionIdIn)).toEqual([id, id, id]);
    expect(stripe.sessions.size).toBe(1);
    // Through the SDK itself: a retried create with the same key is Stripe's replay of the first, not a second session.
    const port = stripePayments(createStripe({ secretKey: SECRET_KEY, apiUrl: stripe.url }));
    const req = { idempotencyKey: "clout-test-replay", amount: { minor: 1234, currency: "EUR" }, productName: "Replay", metadata: {}, successUrl: "https://x.example/ok", cancelUrl: "https://x.example/no" };
    const [one, two] = [await port.createCheckout(req), await port.createCheckout(req)];
    expect(two.id).toBe(one.id);
    await expect(port.createCheckout({ ...req, amount: { minor: 999, currency: "EUR" } })).rejects.toThrow(/same parameters/);
    stripe.sessions.delete(one.id);
    // A price left out of BOOST_PRICES keeps its default; one given in it is used to the cent. Asked at once, one page.
    const monthly = await Promise.all([1, 2, 3, 4].map(() => as("creator", "boost buy 30d")));
    expect(monthly[0]!.reply.title).toBe("Boost 30d · $79.99");
    expect(new Set(monthly.map(sessionIdIn)).size).toBe(1);
    expect(await h.app.database.db.boost.count({ where: { duration: "30d" } })).toBe(1);
  });

  it("refuses a forged signature and a stale one with 401, and changes nothing", async () => {
    const id = (paidSession = await buy("24h"));
    const { session } = stripe.pay(id);
    const event = (completion = stripe.event("checkout.session.completed", session));
    expect((await deliver(event, { secret: "whsec_someone_else" })).status).toBe(401);
    expect((await deliver(event, { at: nowSeconds() - 6 * 60 })).status).toBe(401);
    const unsigned = await fetch(`${base}/stripe/webhook`, { method: "POST", body: JSON.stringify(event), headers: { "content-type": "application/json" } });
    expect(unsigned.status).toBe(401);
    expect((await boostOf(id)).status).toBe("pending");
    expect(await h.app.database.db.processedEvent.count({ where: { source: "stripe" } })).toBe(0);
  });

  it("activates on the signed completion exactly once when Stripe delivers it 10 times at once, and tells the creator once", async () => {
    const id = paidSession;
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(completion)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.outcome === "applied")).toHaveLength(1);
    expect(answers.filter((a) => a.body.outcome === "duplicate")).toHaveLength(9);

    const boost = await boostOf(id);
    expect(boost.status).toBe("active");
    expect(boost.multiplier).toBe(1.5);
    expect(boost.startsAt).toEqual(clock.now());
    expect(boost.endsAt!.getTime() - boost.startsAt!.getTime()).toBe(24 * HOUR);
    expect(await h.app.database.db.auditEntry.count({ where: { action: "boost.activated" } })).toBe(1);

    await h.api.waitForMessage(TELEGRAM_USER.creator.id, (m) => (m.text ?? "").includes("24h boost is on"), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(creatorSaid("24h boost is on")).toHaveLength(1);

    const status = await as("creator", "boost status");
    expect(status.reply.fields?.find((f) => f.label === "Multiplier now")?.value).toBe("×1.5");
    expect(status.reply.fields?.find((f) => f.label === "Time left")?.value).toBe("1d 0h");
    // The async twin of the same payment (another event id) finds the session paid already.
    expect((await deliver(stripe.event("checkout.session.async_payment_succeeded", (completion as { data: { object: object } }).data.object))).body.outcome).toBe("ignored");
  });

  it("never starts a boost whose refund arrived before its completion", async () => {
    const id = await buy("30d");
    const { session, charge } = stripe.pay(id);
    const refund = await deliver(stripe.event("charge.refunded", stripe.refund(charge.id)));
    expect(refund.body.outcome).toBe("applied");
    const completion = await deliver(stripe.event("checkout.session.completed", session));
    expect(completion.body.outcome).toBe("ignored");
    const boost = await boostOf(id);
    expect(boost.status).toBe("refunded");
    expect(boost.startsAt).toBeNull();
    expect((await h.app.database.db.checkoutSession.findUniqueOrThrow({ where: { id } })).status).toBe("refunded");
    expect(creatorSaid("30d boost")).toHaveLength(0);
  });

  it("expires on time once across two worker processes, and tells the creator once", async () => {
    expect((await h.app.queues.expiry.getJobSchedulers()).map((s) => s.key)).toEqual(expect.arrayContaining(["invitations-every-minute", "boosts-every-minute"]));
    // A second process on the same queues, database and clock: its workers race the first one's for every job.
    const second = await startTestApp(env.url, { workers: true, clock, env: { ...stripeEnv, QUEUE_PREFIX: h.app.config.env.QUEUE_PREFIX, TELEGRAM_BOT_TOKEN: h.api.token, TELEGRAM_API_URL: h.api.url, CLOUT_SECRET: "test-secret-".padEnd(40, "x") } });
    try {
      const running = await h.app.database.db.boost.findFirstOrThrow({ where: { status: "active" } });
      await h.app.queues.expiry.addBulk([1, 2, 3].map((n) => ({ name: "boosts", data: {}, opts: { jobId: `early-${n}` } })));
      clock.set(new Date(running.endsAt!.getTime() + 1));
      await Promise.all([h.app, second].map((a) => a.queues.expiry.addBulk([1, 2, 3].map((n) => ({ name: "boosts", data: {}, opts: { jobId: `due-${a === h.app ? "a" : "b"}-${n}` } })))));

      await h.api.waitForMessage(TELEGRAM_USER.creator.id, (m) => (m.text ?? "").includes("24h boost has ended"), 10_000);
      await expect.poll(async () => (await h.app.queues.expiry.getJobCounts("completed")).completed, { timeout: 10_000 }).toBeGreaterThanOrEqual(9);
      await new Promise((r) => setTimeout(r, 500));
      expect((await h.app.database.db.boost.findUniqueOrThrow({ where: { id: running.id } })).status).toBe("expired");
      expect(await h.app.database.db.auditEntry.count({ where: { action: "boost.expired" } })).toBe(1);
      expect(creatorSaid("24h boost has ended")).toHaveLength(1);
      expect((await as("creator", "boost status")).reply.text).toContain("No boost is running");
    } finally {
      await second.stop();
    }
  }, 30_000);

  it("ends a running boost when its charge is refunded, and says so", async () => {
    const id = await buy("24h");
    const { session, charge } = stripe.pay(id);
    expect((await deliver(stripe.event("checkout.session.completed", session))).body.outcome).toBe("applied");
    clock.advance(HOUR);
    expect((await deliver(stripe.event("charge.refunded", stripe.refund(charge.id)))).body.outcome).toBe("applied");
    const boost = await boostOf(id);
    expect(boost.status).toBe("refunded");
    expect(boost.endsAt).toEqual(clock.now());
    await h.api.waitForMessage(TELEGRAM_USER.creator.id, (m) => (m.text ?? "").includes("was refunded"), 10_000);
  });

  it("is the creator's own: the brand's team can't buy one, and without Stripe the answer says payments aren't set up", async () => {
    expect((await as("manager", "boost buy 24h")).error).toBe("forbidden");
    const off = await runCommand({ ...h.app.runner, payments: null }, { text: "boost buy 7d", caller: h.team.members.creator.caller });
    expect(off.ok).toBe(false);
    expect(off.reply.text).toContain("Payments aren't set up");
  });
});

describe("campaign payments", () => {
  let number: number;

  beforeAll(async () => {
    await runAll(h.app.runner, h.team.members.owner.caller, [
      'campaign create "Summer Pay" --budget 1000 --currency USD --start 2099-07-01 --end 2099-07-31 --objective sales',
      'campaign submit "Summer Pay"',
      'campaign approve "Summer Pay"',
      'invite "Cris Creator" --campaign "Summer Pay" --fee 300',
    ]);
    number = (await h.app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: h.team.workspaceId } })).number;
    expect((await as("creator", `accept ${number}`)).ok).toBe(true);
  });

  it("gives one Checkout link per milestone, however many times (and however concurrently) it is asked for", async () => {
    const before = stripe.sessions.size;
    const answers = await Promise.all(Array.from({ length: 5 }, () => as("manager", `pay ${number} --milestone advance`)));
    expect(answers.every((a) => a.ok)).toBe(true);
    const ids = new Set(answers.map(sessionIdIn));
    expect(ids.size).toBe(1);
    expect(stripe.sessions.size).toBe(before + 1);
    const [id] = [...ids];
    // A $300 fee: advance 30 % ($90), milestone 40 % ($120), final 30 % ($90).
    expect(stripe.sessions.get(id!)).toMatchObject({ amount_total: 9000, currency: "usd" });
    expect(await h.app.database.db.checkoutSession.count({ where: { milestoneId: { not: null } } })).toBe(1);
    expect(answers[0]!.reply.title).toBe("Advance · $90.00 to Cris Creator");
  });

  it("marks the milestone paid once under duplicate deliveries, tells the creator, and shows it on the campaign", async () => {
    const id = sessionIdIn(await as("admin", `pay ${number} --milestone advance`))!;
    const { session } = stripe.pay(id);
    const event = stripe.event("checkout.session.completed", session);
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
    expect(answers.filter((a) => a.body.outcome === "applied")).toHaveLength(1);

    const milestones = await h.app.database.db.paymentMilestone.findMany({ where: { workspaceId: h.team.workspaceId } });
    expect(milestones.map((m) => [m.kind, m.status]).sort()).toEqual([["advance", "paid"], ["final", "due"], ["milestone", "due"]]);
    expect(await h.app.database.db.auditEntry.count({ where: { action: "payment.milestone_paid" } })).toBe(1);
    await h.api.waitForMessage(TELEGRAM_USER.creator.id, (m) => (m.text ?? "").includes("paid the Advance of $90.00"), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(creatorSaid("paid the Advance")).toHaveLength(1);

    const again = await as("manager", `pay ${number} --milestone advance`);
    expect(again.error).toBe("conflict");
    expect(again.reply.text).toContain("already paid");
    const list = await as("manager", `pay ${number}`);
    expect(list.reply.table?.rows.map((r) => [r[0], r[1], r[3]])).toEqual([["Advance", "$90.00", expect.stringMatching(/^paid /)], ["Milestone", "$120.00", "due"], ["Final payment", "$90.00", "due"]]);
    expect(list.reply.buttons?.map((b) => b.command)).toEqual([`pay ${number} --milestone milestone`, `pay ${number} --milestone final`]);

    const show = await as("analyst", 'campaign show "Summer Pay"');
    const field = (label: string) => show.reply.fields?.find((f) => f.label === label)?.value;
    expect(field("Agreed with creators")).toBe("$300.00");
    expect(field("Budget left")).toBe("$700.00");
    expect(field("Payments")).toBe("$90.00 paid · $210.00 due");
  });

  it("answers a paid milestone's receipt as a PDF, to the brand's team and to the creator; refuses one not paid yet", async () => {
    for (const role of ["manager", "analyst", "creator"] as const) {
      const r = await as(role, `receipt ${number} --milestone advance`);
      expect(r.ok, r.reply.text).toBe(true);
      const [file] = r.reply.files!;
      expect(file).toMatchObject({ filename: `receipt-${number}-advance.pdf`, mime: "application/pdf" });
      expect(Buffer.from(file!.bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
      const text = pdfText(file!.bytes);
      const session = (await h.app.database.db.checkoutSession.findFirstOrThrow({ where: { status: "paid", milestoneId: { not: null } } })).id;
      for (const words of ["Telegram Brand", "Summer Pay", "Cris Creator", "Advance", "$90.00 (USD)", `#${number}`, session, clock.now().toISOString().slice(0, 10)]) expect(text, words).toContain(words);
    }
    const unpaid = await as("manager", `receipt ${number} --milestone milestone`);
    expect(unpaid.ok).toBe(false);
    expect(unpaid.error).toBe("conflict");
    expect(unpaid.reply.text).toContain("Milestone of invitation #" + number + " ($120.00) isn't paid yet");
    expect(unpaid.reply.files).toBeUndefined();
  });

  it("is for the brand's owners, admins and managers: an analyst can't pay", async () => {
    const r = await as("analyst", `pay ${number} --milestone final`);
    expect(r.error).toBe("forbidden");
    expect(await h.app.database.db.checkoutSession.count({ where: { milestoneId: { not: null } } })).toBe(1);
  });

  it("explains what can't be paid: an invitation not accepted, a milestone it doesn't have", async () => {
    await runAll(h.app.runner, h.team.members.owner.caller, ['creator add "Other One" --instagram otherone', 'invite "Other One" --campaign "Summer Pay" --fee 100']);
    const open = await h.app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: h.team.workspaceId, status: "pending" } });
    expect((await as("manager", `pay ${open.number} --milestone advance`)).reply.text).toContain("only an accepted invitation has payments");
    expect((await as("manager", `pay ${number} --milestone middle`)).reply.text).toContain("advance, milestone, final");
  });

  it("pays the midpoint milestone too: its own link, for its own 40 %", async () => {
    const r = await as("manager", `pay ${number} --milestone milestone`);
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toBe("Milestone · $120.00 to Cris Creator");
    expect(stripe.sessions.get(sessionIdIn(r)!)).toMatchObject({ amount_total: 12000, currency: "usd" });
  });
});
