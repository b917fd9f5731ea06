import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { systemClock, type Clock } from "../core/clock.ts";
import { createRegistry } from "../core/commands/catalog.ts";
import type { RunnerDeps } from "../core/commands/run.ts";
import { randomIds, type Ids } from "../core/ids.ts";
import type { Messenger, OutboundMessage } from "../core/notifications/messenger.ts";
import { connectDatabase } from "../db/connect.ts";
import type { Database } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { redisClaims } from "../jobs/claims.ts";
import { redisPacer } from "../jobs/pacer.ts";
import { noRateLimits, redisRateLimiter } from "../jobs/rate-limit.ts";
import { applySubscriptionEvent } from "../core/billing/apply.ts";
import { enqueueOutbound } from "../jobs/outbound.ts";
import { queueOutbox } from "../jobs/outbox.ts";
import { redisSendLedger } from "../jobs/send-ledger.ts";
import { JOB_TUNING, type JobTuning } from "../jobs/tuning.ts";
import { connectRedis } from "../jobs/connection.ts";
import { queuePublisher } from "../jobs/publisher.ts";
import type { DeferredCommand } from "../core/commands/deferred.ts";
import { closeQueues, createQueues, watchQueues, type Queues } from "../jobs/queues.ts";
import { openAiWriter } from "../ai/openai/writer.ts";
import { checkedWriter } from "../core/digests/writing.ts";
import { ensureSchedules, startWorkers, type RunningWorkers } from "../jobs/workers.ts";
import { createMetrics } from "../http/metrics.ts";
import { mountConversions } from "../http/api/conversions.ts";
import { mountRedemptions } from "../http/api/redemptions.ts";
import { buildServer } from "../http/server.ts";
import { mountRedirect } from "../http/redirect.ts";
import { ClickConsumer } from "../jobs/clicks.ts";
import { announcingLinkChanges } from "../jobs/link-changes.ts";
import { redisRankings } from "../jobs/rankings.ts";
import { rankingEvents } from "../core/leaderboard/events.ts";
import { ActionSigner } from "../core/actions/signer.ts";
import { deriveKey, SecretBox } from "../core/secrets.ts";
import { QrTokens } from "../core/referrals/qr-tokens.ts";
import { applyPaymentEvent } from "../core/payments/apply.ts";
import { createStripe, stripePayments } from "../payments/stripe/client.ts";
import { mountStripeWebhook } from "../payments/stripe/webhook.ts";
import { startBots, type Bot } from "./bots.ts";
import type { Config } from "./config.ts";
import { eventLoopGauge, type LoadGauge } from "./load.ts";
import { loadSecret } from "./secret.ts";
import { socialProviders } from "../social/providers.ts";
import type { SocialPlatform } from "../core/social/port.ts";
import { redisSyncGates } from "../jobs/sync/gate.ts";
import { queueSync } from "../jobs/sync/runs.ts";
import { SOCIAL_PLATFORMS } from "../core/creators/handles.ts";

export interface AppOptions {
  log: Logger;
  clock?: Clock;
  ids?: Ids;
  /** Which parts run in this process: `npm start` has http + schedules, `npm run worker` workers. */
  http?: boolean;
  workers?: boolean;
  schedules?: boolean;
  messengers?: Messenger[];
  /** How busy the process is; tests hold it steady so answers don't depend on the machine's load. */
  load?: LoadGauge;
  /** Queue timings (retry backoff, stall detection); tests shorten them. */
  jobs?: Partial<JobTuning>;
}

export interface App {
  config: Config;
  database: Database;
  redis: Redis;
  queues: Queues;
  runner: RunnerDeps;
  signer: ActionSigner;
  server?: FastifyInstance;
  workers?: RunningWorkers;
  /** Graceful: in-flight requests and jobs finish, then connections close. */
  stop(): Promise<void>;
}

/** Longest a sync call waits in-process for its platform's quota; past it the job is delayed instead, freeing the worker. */
const SYNC_GATE_WAIT_MS = 10_000;

/** The composition root: real implementations of every port, wired once. */
export async function createApp(config: Config, o: AppOptions): Promise<App> {
  const { env } = config;
  const clock = o.clock ?? systemClock;
  const ids = o.ids ?? randomIds;
  const log = o.log;

  // Before anything opens: a missing production secret stops start-up with nothing to close.
  const secret = loadSecret(config);
  const vault = new SecretBox(deriveKey(secret, "storage"));
  const database = await connectDatabase({ url: env.DATABASE_URL, dataDir: join(config.dataDir, "pglite"), poolSize: env.DATABASE_POOL_SIZE });
  const redis = connectRedis(env.REDIS_URL, "command");
  const tuning = { ...JOB_TUNING, ...o.jobs };
  const queues = createQueues(redis, env.QUEUE_PREFIX, tuning.backoffMs);
  watchQueues(queues, redis, log);
  const load = o.load ?? eventLoopGauge();
  let server: FastifyInstance | undefined;
  let workers: RunningWorkers | undefined;
  let clicks: ClickConsumer | undefined;
  let bots: Bot[] = [];
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    for (const bot of bots) await bot.close?.().catch((err: unknown) => log.warn({ err: (err as Error).message }, "a bot did not stop cleanly"));
    await server?.close();
    await workers?.close();
    await clicks?.close();
    await closeQueues(queues);
    redis.disconnect();
    await database.close();
    load.stop();
  };

  const registry = createRegistry();
  // Referral links are made from it; without PUBLIC_URL they point at this machine, fine for trying Clout locally.
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  // Off (one log line below) without both keys: payment commands then say so.
  const stripe = config.integrations.stripe.on ? createStripe({ secretKey: env.STRIPE_SECRET_KEY!, ...(env.STRIPE_API_URL ? { apiUrl: env.STRIPE_API_URL } : {}) }) : null;
  const payments = stripe ? stripePayments(stripe) : null;
  const limiter = env.RATE_LIMITS === "on" ? redisRateLimiter(redis, env.QUEUE_PREFIX) : noRateLimits;
  const rankings = redisRankings(redis, env.QUEUE_PREFIX);
  const providers = socialProviders(config, { clock, log });
  const syncPlatforms = Object.keys(providers) as SocialPlatform[];
  const runner: RunnerDeps = { db: database.db, clock, ids, outbox: queueOutbox(queues.outbound), publicUrl, vault, qrTokens: new QrTokens(deriveKey(secret, "qr-tokens"), clock), payments, boostPrices: env.BOOST_PRICES, rankings, planPrices: env.PLAN_PRICES, limiter, sync: queueSync(queues, syncPlatforms), digestWriter: checkedWriter(env.OPENAI_API_KEY ? openAiWriter({ apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) }) : null, log), registry, events: rankingEvents(announcingLinkChanges(queuePublisher(queues), redis, env.QUEUE_PREFIX), { db: database.db, clock, rankings, log }), log };
  let signer: ActionSigner;
  try {
    const applied = await migrate(database.sql);
    log.info({ database: database.location, kind: database.kind, applied }, "database ready");

    signer = new ActionSigner(deriveKey(secret, "actions"), clock);

    for (const [name, state] of Object.entries(config.integrations)) {
      // A social platform without keys is not off but simulated: social/providers.ts says so.
      if (!state.on && !(SOCIAL_PLATFORMS as readonly string[]).includes(name)) log.info({ integration: name }, `${name}: off (set ${state.missing.join(", ")} to turn it on)`);
    }

    const claims = redisClaims(redis, env.QUEUE_PREFIX);
    // A command acknowledged now and answered later runs once: no automatic retry of a change.
    const defer = async (command: DeferredCommand) => void (await queues.commands.add("command", command, { attempts: 1 }));
    const enqueue = (message: OutboundMessage, key?: string) => enqueueOutbound(queues, message, key);
    bots = await startBots(config, { keyFor: (purpose) => deriveKey(secret, purpose), services: { runner, signer, claims, defer, enqueue, busy: load.busy, clock, log }, box: vault });
    const messengers = [...(o.messengers ?? []), ...bots.map((b) => b.messenger)];

    if (o.http) {
      const serverMetrics = createMetrics(queues);
      server = await buildServer({ sql: database.sql, redis, queues, metrics: serverMetrics, log, adminToken: env.ADMIN_TOKEN });
      for (const bot of bots) await bot.mount(server);
      await mountRedirect(server, { db: database.db, redis, prefix: env.QUEUE_PREFIX, clock, ids, visitorSalt: deriveKey(secret, "referral-visitors"), metrics: serverMetrics, log, limiter, ipPerMinute: env.RATE_LIMITS === "on" ? env.RATE_LIMIT_REDIRECT_PER_MINUTE : null });
      const limits = { limiter, ipPerMinute: env.RATE_LIMIT_API_IP_PER_MINUTE };
      await mountRedemptions(server, { db: database.db, vault, clock, log, limits, qrTokens: runner.qrTokens });
      await mountConversions(server, { db: database.db, vault, clock, ids, log, limits, windowDays: env.CONVERSION_WINDOW_DAYS });
      if (stripe) await mountStripeWebhook(server, { stripe, secret: env.STRIPE_WEBHOOK_SECRET!, clock, log, apply: (e) => applyPaymentEvent(runner, e), applySubscription: (e) => applySubscriptionEvent(runner, e) });
      await server.listen({ port: env.PORT, host: env.HOST });
      for (const bot of bots) await bot.listen?.();
    }
    if (o.workers) {
      const ledger = redisSendLedger(redis, env.QUEUE_PREFIX, { claimMs: tuning.sendClaimMs, sentTtlSeconds: tuning.sentTtlSeconds });
      workers = startWorkers({ db: database.db, runner, pacer: redisPacer(redis, env.QUEUE_PREFIX), ledger, timing: tuning, clock, log, queues, messengers, publicUrl, redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX, sync: { providers, platforms: syncPlatforms, gates: redisSyncGates(redis, env.QUEUE_PREFIX, env.SYNC_LIMITS, clock, SYNC_GATE_WAIT_MS), concurrency: env.SYNC_CONCURRENCY } });
      // A loop of its own rather than a BullMQ job: it blocks on the click stream and takes batches as they come.
      clicks = new ClickConsumer({ db: database.db, redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX, log }).start();
    }
    if (o.schedules) await ensureSchedules(queues);
  } catch (err) {
    // Whatever opened before the failure closes again: the embedded database above all.
    await stop().catch(() => {});
    throw err;
  }

  return {
    config,
    database,
    redis,
    queues,
    runner,
    signer,
    server,
    workers,
    // Signals, errors and the console's exit may all ask; the first one does it.
    stop: () => (stopping ??= stop()),
  };
}
