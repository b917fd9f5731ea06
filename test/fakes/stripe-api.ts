import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { closeNow, listenLocally, readBody, Waiters } from "./local-server.ts";

/**
 * A local Stripe API for tests, speaking the wire format of api.stripe.com so
 * the real `stripe` SDK can be pointed at it with STRIPE_API_URL=fake.url.
 *
 * `POST /v1/checkout/sessions` takes the SDK's form encoding (bracketed keys:
 * `line_items[0][price_data][unit_amount]=500`, `metadata[k]=v`) with
 * `Authorization: Bearer <secret key>`, checks what Checkout requires (mode
 * payment, one priced line item, success_url) and answers a session object.
 * `Idempotency-Key` is honoured as Stripe does: the same key with the same
 * parameters replays the first answer (with `Idempotent-Replayed: true`),
 * with other parameters it is refused (400 idempotency_error).
 * `GET /v1/checkout/sessions/:id` and `GET /v1/checkout/sessions?payment_intent=`
 * read them back. Refusals are Stripe's error JSON `{ error: { type, code?,
 * message, param? } }`.
 *
 * What a customer does on the hosted page is `pay(sessionId)` (completes the
 * session with a PaymentIntent and a Charge) and `refund(chargeId)`; `event`
 * wraps an object in an Event as webhooks carry it (see stripe-webhooks.ts).
 *
 * mode=subscription sessions take one line item, priced by a `price` id or
 * by `price_data` with `recurring[interval]`, an optional `customer` and
 * `subscription_data[metadata]`. `subscribe(sessionId)` completes one: a
 * Customer (unless the session named one) and an active Subscription whose
 * item carries the period (as API versions since basil do) and whose
 * metadata is the session's subscription_data metadata. What Stripe does to
 * a subscription later is `updateSubscription`, `cancelSubscription` and
 * `failInvoice` (an open Invoice whose `parent.subscription_details` names
 * it, as invoice.payment_failed carries).
 *
 * The subscription changes Clout makes itself: `GET /v1/subscriptions/:id`;
 * `POST /v1/subscriptions/:id` with `items[0][id]` + `items[0][price]` (the
 * item's price replaced; `proration_behavior` one of Stripe's three),
 * `cancel_at_period_end`, and `metadata` (merged, as Stripe does); `POST
 * /v1/prices` (a recurring price with `product_data[name]`); `POST
 * /v1/billing_portal/sessions` (`customer`, `return_url`). Every POST honours
 * Idempotency-Key as above. The fake sends nothing on its own: a test wraps
 * the answer (or `subscriptions.get(id)`) in `event(...)` and delivers it
 * signed (stripe-webhooks.ts), as Stripe's customer.subscription.updated
 * would. `createSubscription` makes a subscription as if an earlier checkout
 * had. Not modelled: invoices and prorations themselves, and the refunds API.
 */

export interface FakeStripeApiOptions {
  secretKey: string;
  /** Milliseconds since the epoch, for `created` and `expires_at`. Default Date.now. */
  now?: () => number;
}

export interface FakeStripeCall {
  method: string;
  path: string;
  idempotencyKey?: string;
  status: number;
  params: Json;
}

type Json = Record<string, any>;

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
  ) {
    super(message);
  }
}

/** The SDK's encoding (qs-style brackets) back into nested objects; numeric keys make arrays. */
export function parseForm(body: string): Json {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.split(/\[|\]\[|\]/).filter((p) => p !== "");
    let node: any = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value;
        return;
      }
      node[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
      node = node[part];
    });
  }
  return out;
}

const API_VERSION = "2025-03-31.basil";

export class FakeStripeApi {
  readonly calls: FakeStripeCall[] = [];
  readonly sessions = new Map<string, Json>();
  readonly charges = new Map<string, Json>();
  readonly subscriptions = new Map<string, Json>();
  readonly prices = new Map<string, Json>();
  readonly portalSessions: Json[] = [];
  private readonly replays = new Map<string, { hash: string; status: number; body: Json }>();
  private readonly waiters = new Waiters();
  private server?: Server;
  private port = 0;
  private readonly now: () => number;

  constructor(private readonly o: FakeStripeApiOptions) {
    this.now = o.now ?? Date.now;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const { server, port } = await listenLocally((req, res) => this.handle(req, res));
    this.server = server;
    this.port = port;
  }

  async stop(): Promise<void> {
    if (this.server) await closeNow(this.server);
  }

  /** Waits for the first session created that `match` accepts. */
  waitForSession(match: (s: Json) => boolean, timeoutMs = 5_000): Promise<Json> {
    return this.waiters.until(() => [...this.sessions.values()].find(match), timeoutMs, () => `no matching checkout session among ${this.sessions.size}`);
  }

  /** The customer pays on the hosted page: the session completes with a PaymentIntent and a succeeded Charge. */
  pay(sessionId: string): { session: Json; charge: Json } {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    if (session.status !== "open") throw new Error(`checkout session ${sessionId} is ${session.status}`);
    const pi = `pi_${randomBytes(12).toString("hex")}`;
    const charge = {
      id: `ch_${randomBytes(12).toString("hex")}`,
      object: "charge",
      amount: session.amount_total,
      amount_captured: session.amount_total,
      amount_refunded: 0,
      captured: true,
      created: this.seconds(),
      currency: session.currency,
      livemode: false,
      metadata: { ...(session._payment_metadata ?? {}) },
      paid: true,
      payment_intent: pi,
      refunded: false,
      status: "succeeded",
    };
    this.charges.set(charge.id, charge);
    Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: pi, url: null });
    return { session: this.visible(session), charge: { ...charge } };
  }

  /** The customer subscribes on the hosted page: the session completes with a Customer and an active Subscription. */
  subscribe(sessionId: string): { session: Json; subscription: Json } {
    const session = this.sessions.get(sessionId);
    if (!session || session.mode !== "subscription") throw new Error(`no subscription checkout session ${sessionId}`);
    if (session.status !== "open") throw new Error(`checkout session ${sessionId} is ${session.status}`);
    const item = session._line_item as Json;
    const subscription = this.makeSubscription({ customer: session.customer ?? undefined, metadata: session._subscription_metadata ?? {}, currency: session.currency, unitAmount: session.amount_total, priceId: item.price });
    const customer = subscription.customer;
    Object.assign(session, { status: "complete", payment_status: "paid", customer, subscription: subscription.id, url: null });
    return { session: this.visible(session), subscription: structuredClone(subscription) };
  }

  /** An active subscription, as if a checkout had made it earlier: its current state, as customer.subscription.created carries it. */
  createSubscription(o: { customer?: string; metadata?: Record<string, string>; currency?: string; unitAmount?: number } = {}): Json {
    return structuredClone(this.makeSubscription({ customer: o.customer, metadata: o.metadata ?? {}, currency: o.currency ?? "usd", unitAmount: o.unitAmount ?? 4900 }));
  }

  private makeSubscription(o: { customer: string | undefined; metadata: Json; currency: string; unitAmount: number; priceId?: string }): Json {
    const now = this.seconds();
    const subscription = {
      id: `sub_${randomBytes(12).toString("hex")}`,
      object: "subscription",
      cancel_at: null,
      cancel_at_period_end: false,
      created: now,
      currency: o.currency,
      customer: o.customer ?? `cus_${randomBytes(7).toString("hex")}`,
      ended_at: null,
      livemode: false,
      metadata: { ...o.metadata },
      status: "active",
      items: {
        object: "list",
        data: [{ id: `si_${randomBytes(7).toString("hex")}`, object: "subscription_item", quantity: 1, current_period_start: now, current_period_end: now + 30 * 86_400, price: { id: o.priceId ?? `price_${randomBytes(7).toString("hex")}`, object: "price", currency: o.currency, unit_amount: o.unitAmount, recurring: { interval: "month", interval_count: 1 } } }],
        has_more: false,
      },
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** Stripe changes a subscription (a status, a new period): its current state, as customer.subscription.updated carries it. */
  updateSubscription(id: string, patch: Json): Json {
    const sub = this.subscriptions.get(id);
    if (!sub) throw new Error(`no subscription ${id}`);
    Object.assign(sub, patch);
    return structuredClone(sub);
  }

  /** The subscription ends (cancelled, or Stripe's retries exhausted): as customer.subscription.deleted carries it. */
  cancelSubscription(id: string): Json {
    return this.updateSubscription(id, { status: "canceled", ended_at: this.seconds() });
  }

  /** A renewal invoice whose payment failed, as invoice.payment_failed carries it; `nextAttempt` in seconds, null when Stripe won't retry. */
  failInvoice(subscriptionId: string, nextAttempt: number | null): Json {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no subscription ${subscriptionId}`);
    const amount = sub.items.data[0].price.unit_amount;
    return {
      id: `in_${randomBytes(12).toString("hex")}`,
      object: "invoice",
      amount_due: amount,
      amount_paid: 0,
      amount_remaining: amount,
      attempt_count: 1,
      billing_reason: "subscription_cycle",
      created: this.seconds(),
      currency: sub.currency,
      customer: sub.customer,
      livemode: false,
      next_payment_attempt: nextAttempt,
      parent: { type: "subscription_details", quote_details: null, subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id } },
      status: "open",
    };
  }

  /** A full refund of a charge, as Stripe's dashboard or the refunds API makes it. */
  refund(chargeId: string): Json {
    const charge = this.charges.get(chargeId);
    if (!charge) throw new Error(`no charge ${chargeId}`);
    Object.assign(charge, { refunded: true, amount_refunded: charge.amount });
    return { ...charge };
  }

  /** An Event around `object`, in the shape webhooks deliver (snapshot payload). */
  event(type: string, object: Json, o: { id?: string; created?: number } = {}): Json {
    return {
      id: o.id ?? `evt_${randomBytes(12).toString("hex")}`,
      object: "event",
      api_version: API_VERSION,
      created: o.created ?? this.seconds(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private visible(session: Json): Json {
    const { _payment_metadata, _subscription_metadata, _line_item, ...rest } = session;
    return { ...rest };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const raw = (await readBody(req)).toString("utf8");
    const params = req.method === "GET" ? Object.fromEntries(url.searchParams) : parseForm(raw);
    const key = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
    const send = (status: number, body: Json, headers: Record<string, string> = {}) => {
      this.calls.push({ method: req.method ?? "", path: url.pathname, ...(key ? { idempotencyKey: key } : {}), status, params });
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(7).toString("hex")}`, ...headers });
      res.end(JSON.stringify(body));
      this.waiters.notify();
    };
    try {
      if (req.headers.authorization !== `Bearer ${this.o.secretKey}`) {
        throw new StripeError(401, "invalid_request_error", "Invalid API Key provided.", {});
      }
      const sub = /^\/v1\/subscriptions\/(sub_\w+)$/.exec(url.pathname);
      const create =
        req.method !== "POST"
          ? undefined
          : url.pathname === "/v1/checkout/sessions"
            ? () => this.createSession(params)
            : url.pathname === "/v1/prices"
              ? () => this.createPrice(params)
              : url.pathname === "/v1/billing_portal/sessions"
                ? () => this.createPortalSession(params)
                : sub
                  ? () => this.changeSubscription(sub[1]!, params)
                  : undefined;
      if (create) {
        // Stripe's idempotency: the same key on the same request replays its first answer; on another request it is refused.
        const hash = createHash("sha256").update(`${url.pathname}\n${raw}`).digest("hex");
        const seen = key ? this.replays.get(key) : undefined;
        if (seen) {
          if (seen.hash !== hash) throw new StripeError(400, "idempotency_error", `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
          return send(seen.status, seen.body, { "idempotent-replayed": "true", ...(key ? { "idempotency-key": key } : {}) });
        }
        const body = create();
        if (key) this.replays.set(key, { hash, status: 200, body });
        return send(200, body, key ? { "idempotency-key": key } : {});
      }
      if (req.method === "GET" && sub) {
        const s = this.subscriptions.get(sub[1]!);
        if (!s) throw new StripeError(404, "invalid_request_error", `No such subscription: '${sub[1]}'`, { code: "resource_missing", param: "id" });
        return send(200, structuredClone(s));
      }
      if (req.method === "GET" && url.pathname === "/v1/checkout/sessions") {
        const all = [...this.sessions.values()].filter((s) => !params.payment_intent || s.payment_intent === params.payment_intent);
        const limit = Math.min(100, Number(params.limit ?? 10));
        return send(200, { object: "list", data: all.slice(0, limit).map((s) => this.visible(s)), has_more: all.length > limit, url: "/v1/checkout/sessions" });
      }
      const one = /^\/v1\/checkout\/sessions\/([\w-]+)$/.exec(url.pathname);
      if (req.method === "GET" && one) {
        const s = this.sessions.get(one[1]!);
        if (!s) throw new StripeError(404, "invalid_request_error", `No such checkout.session: '${one[1]}'`, { code: "resource_missing", param: "session" });
        return send(200, this.visible(s));
      }
      throw new StripeError(404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${url.pathname}).`);
    } catch (err) {
      if (!(err instanceof StripeError)) throw err;
      send(err.status, { error: { type: err.type, message: err.message, ...err.extra } });
    }
  }

  private changeSubscription(id: string, p: Json): Json {
    const invalid = (param: string, message: string) => new StripeError(400, "invalid_request_error", message, { code: "parameter_invalid", param });
    const sub = this.subscriptions.get(id);
    if (!sub) throw new StripeError(404, "invalid_request_error", `No such subscription: '${id}'`, { code: "resource_missing", param: "id" });
    if (sub.status === "canceled" && (p.items || p.cancel_at_period_end !== undefined)) throw new StripeError(400, "invalid_request_error", "A canceled subscription can only update its cancellation_details and metadata.");
    if (p.proration_behavior !== undefined && !["create_prorations", "none", "always_invoice"].includes(p.proration_behavior)) throw invalid("proration_behavior", `Invalid proration_behavior: must be one of create_prorations, none, or always_invoice`);
    if (p.cancel_at_period_end !== undefined && !["true", "false"].includes(p.cancel_at_period_end)) throw invalid("cancel_at_period_end", "Invalid boolean: cancel_at_period_end");
    const changes = p.items as Json[] | undefined;
    if (changes !== undefined && !Array.isArray(changes)) throw invalid("items", "Invalid array: items");
    const next = structuredClone(sub);
    for (const [i, change] of (changes ?? []).entries()) {
      const item = next.items.data.find((it: Json) => it.id === change.id);
      if (!change.id || !item) throw new StripeError(400, "invalid_request_error", change.id ? `No such subscription item: '${change.id}'` : "Adding items is not modelled by this fake: pass items[0][id].", { code: "resource_missing", param: `items[${i}][id]` });
      if (change.price !== undefined) {
        if (!/^price_\w+$/.test(change.price)) throw new StripeError(400, "invalid_request_error", `No such price: '${change.price}'`, { code: "resource_missing", param: `items[${i}][price]` });
        const known = this.prices.get(change.price);
        item.price = known ? { id: known.id, object: "price", currency: known.currency, unit_amount: known.unit_amount, recurring: known.recurring, product: known.product } : { ...item.price, id: change.price };
      }
    }
    if (p.metadata) {
      for (const [k, v] of Object.entries(p.metadata as Record<string, string>)) {
        if (v === "") delete next.metadata[k];
        else next.metadata[k] = v;
      }
    }
    if (p.cancel_at_period_end !== undefined) {
      next.cancel_at_period_end = p.cancel_at_period_end === "true";
      next.cancel_at = next.cancel_at_period_end ? next.items.data[0].current_period_end : null;
    }
    this.subscriptions.set(id, next);
    return structuredClone(next);
  }

  private createPrice(p: Json): Json {
    const invalid = (param: string, message: string) => new StripeError(400, "invalid_request_error", message, { code: "parameter_invalid", param });
    if (!p.currency || !/^[a-z]{3}$/.test(p.currency)) throw invalid("currency", "Invalid currency: expected a lower-case ISO code.");
    if (!/^\d+$/.test(String(p.unit_amount ?? ""))) throw invalid("unit_amount", "Invalid integer: unit_amount.");
    if (!p.product && !p.product_data?.name) throw new StripeError(400, "invalid_request_error", "Missing required param: product.", { code: "parameter_missing", param: "product" });
    const price = {
      id: `price_${randomBytes(12).toString("hex")}`,
      object: "price",
      active: true,
      created: this.seconds(),
      currency: p.currency,
      livemode: false,
      product: p.product ?? `prod_${randomBytes(7).toString("hex")}`,
      recurring: p.recurring ? { interval: p.recurring.interval, interval_count: Number(p.recurring.interval_count ?? 1) } : null,
      type: p.recurring ? "recurring" : "one_time",
      unit_amount: Number(p.unit_amount),
      _product_name: p.product_data?.name ?? null,
    };
    this.prices.set(price.id, price);
    const { _product_name, ...visible } = price;
    return visible;
  }

  private createPortalSession(p: Json): Json {
    if (!p.customer) throw new StripeError(400, "invalid_request_error", "Missing required param: customer.", { code: "parameter_missing", param: "customer" });
    if (![...this.subscriptions.values()].some((s) => s.customer === p.customer)) throw new StripeError(400, "invalid_request_error", `No such customer: '${p.customer}'`, { code: "resource_missing", param: "customer" });
    const id = `bps_${randomBytes(12).toString("hex")}`;
    const session = { id, object: "billing_portal.session", created: this.seconds(), customer: p.customer, livemode: false, return_url: p.return_url ?? null, url: `https://billing.stripe.com/p/session/test_${randomBytes(16).toString("base64url")}` };
    this.portalSessions.push(session);
    return { ...session };
  }

  private createSubscriptionSession(p: Json): Json {
    const invalid = (param: string, message: string) => new StripeError(400, "invalid_request_error", message, { code: "parameter_invalid", param });
    if (!p.success_url) throw new StripeError(400, "invalid_request_error", "Missing required param: success_url.", { code: "parameter_missing", param: "success_url" });
    if (p.payment_intent_data) throw invalid("payment_intent_data", "You can not pass `payment_intent_data` in `subscription` mode.");
    const items = p.line_items as Json[] | undefined;
    if (!Array.isArray(items) || items.length !== 1) throw invalid("line_items", "Expected exactly one line item.");
    const item = items[0]!;
    const price = item.price_data as Json | undefined;
    if (!item.price && !price) throw invalid("line_items[0]", "Each line item needs a price or price_data.");
    if (item.price && !/^price_\w+$/.test(item.price)) throw new StripeError(400, "invalid_request_error", `No such price: '${item.price}'`, { code: "resource_missing", param: "line_items[0][price]" });
    if (price && !price.recurring?.interval) throw invalid("line_items[0][price_data][recurring]", "You must specify `recurring` for a price in `subscription` mode.");
    if (price && !/^\d+$/.test(String(price.unit_amount ?? ""))) throw invalid("line_items[0][price_data][unit_amount]", "Invalid integer: unit_amount.");
    const id = `cs_test_${randomBytes(24).toString("base64url")}`;
    const created = this.seconds();
    const amount = price ? Number(price.unit_amount) : 4900;
    const session = {
      id,
      object: "checkout.session",
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: p.cancel_url ?? null,
      created,
      currency: price?.currency ?? "usd",
      customer: p.customer ?? null,
      expires_at: created + 24 * 3600,
      livemode: false,
      metadata: p.metadata ?? {},
      mode: "subscription",
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      subscription: null,
      success_url: p.success_url,
      url: `https://checkout.stripe.com/c/pay/${id}`,
      _subscription_metadata: p.subscription_data?.metadata ?? {},
      _line_item: item,
    };
    this.sessions.set(id, session);
    return this.visible(session);
  }

  private createSession(p: Json): Json {
    const invalid = (param: string, message: string) => new StripeError(400, "invalid_request_error", message, { code: "parameter_invalid", param });
    if (p.mode === "subscription") return this.createSubscriptionSession(p);
    if (p.mode !== "payment") throw invalid("mode", "This fake only models mode=payment and mode=subscription.");
    if (!p.success_url) throw new StripeError(400, "invalid_request_error", "Missing required param: success_url.", { code: "parameter_missing", param: "success_url" });
    const items = p.line_items as Json[] | undefined;
    if (!Array.isArray(items) || items.length !== 1) throw invalid("line_items", "Expected exactly one line item.");
    const item = items[0]!;
    const price = item.price_data as Json | undefined;
    if (!price?.currency || !/^[a-z]{3}$/.test(price.currency)) throw invalid("line_items[0][price_data][currency]", "Invalid currency: expected a lower-case ISO code.");
    if (!/^\d+$/.test(String(price.unit_amount ?? ""))) throw invalid("line_items[0][price_data][unit_amount]", "Invalid integer: unit_amount.");
    if (!price.product_data?.name) throw new StripeError(400, "invalid_request_error", "Missing required param: line_items[0][price_data][product_data][name].", { code: "parameter_missing" });
    const amount = Number(price.unit_amount) * Number(item.quantity ?? 1);
    const id = `cs_test_${randomBytes(24).toString("base64url")}`;
    const created = this.seconds();
    const session = {
      id,
      object: "checkout.session",
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: p.cancel_url ?? null,
      client_reference_id: p.client_reference_id ?? null,
      created,
      currency: price.currency,
      customer: null,
      expires_at: created + 24 * 3600,
      livemode: false,
      metadata: p.metadata ?? {},
      mode: "payment",
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      success_url: p.success_url,
      url: `https://checkout.stripe.com/c/pay/${id}`,
      _payment_metadata: p.payment_intent_data?.metadata ?? {},
    };
    this.sessions.set(id, session);
    return this.visible(session);
  }
}
