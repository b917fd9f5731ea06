/**
 * Entry point. `dev` is what scripts/dev runs (everything plus the console),
 * `serve` is `npm start` (HTTP server, workers and schedules), `worker` is
 * `npm run worker` (workers alone).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import closeWithGrace from "close-with-grace";
import { consoleMessenger } from "../bots/console/messenger.ts";
import { runScript, startRepl } from "../bots/console/repl.ts";
import { ConsoleSession, UnknownMemberError } from "../bots/console/session.ts";
import { DatabaseBusyError } from "../db/pglite-lock.ts";
import { MigrationError } from "../db/migrate.ts";
import { seedDemo } from "../db/seed.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createApp, type App } from "./container.ts";
import { createLogger } from "./logger.ts";
import { waitForIdle } from "../jobs/idle.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { script: { type: "string" }, as: { type: "string", default: "Ana Souza" } },
});
const mode = positionals[0] ?? "serve";

function fail(message: string): never {
  process.stderr.write(`clout: ${message}\n`);
  process.exit(2);
}

/** Kept for the failure path, which must close what start-up opened. */
let app: App | undefined;

async function main(): Promise<void> {
  if (!["dev", "serve", "worker"].includes(mode)) fail(`unknown mode "${mode}"; use dev, serve or worker`);
  const config = loadConfig(process.env);
  const dev = mode === "dev";
  // The console owns the terminal in dev, so logs go to a file there.
  const logFile = dev ? join(config.dataDir, "clout.log") : undefined;
  const log = createLogger(config.env.LOG_LEVEL, logFile);
  const say = (s: string) => process.stdout.write(s);

  const running = await createApp(config, {
    log,
    http: mode === "serve" || (dev && !values.script),
    workers: mode === "worker" || config.env.RUN_WORKERS,
    schedules: mode !== "worker",
    messengers: dev ? [consoleMessenger(say)] : [],
  });
  app = running;
  closeWithGrace({ delay: 10_000, logger: { error: (m: unknown) => log.error({ err: m }, "shutdown") } }, async ({ signal, err }) => {
    if (err) log.error({ err }, "fatal error; shutting down");
    else log.info({ signal }, "shutting down");
    await running.stop();
  });

  if (!dev) return;
  const slug = config.env.DEMO_WORKSPACE;
  await seedDemo(running.database.db, running.runner, slug);
  const session = await ConsoleSession.open(running.runner, slug, values.as);

  if (values.script) {
    const ok = await runScript(session, readFileSync(values.script, "utf8"), say, () => waitForIdle([running.queues.sync, running.queues.scores, running.queues.notifications, running.queues.outbound], 20_000));
    await running.stop();
    process.exit(ok ? 0 : 1);
  }

  const url = `http://localhost:${config.env.PORT}`;
  process.stderr.write(
    [
      `clout: HTTP ${url}  (/health, /metrics${config.env.ADMIN_TOKEN ? ", /admin/queues" : ""})`,
      `clout: database ${running.database.kind} ${running.database.location}; logs in ${logFile}`,
      "",
    ].join("\n"),
  );
  await startRepl(session, process.stdin, process.stdout);
  await running.stop();
  process.exit(0);
}

main().catch(async (err: unknown) => {
  // Whatever failed after start-up, close the embedded database and the queues cleanly before exiting.
  await app?.stop().catch(() => {});
  if (err instanceof ConfigError || err instanceof DatabaseBusyError || err instanceof MigrationError || err instanceof UnknownMemberError) fail(err.message);
  process.stderr.write(`clout: could not start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
