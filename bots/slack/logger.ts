import { LogLevel, type Logger as SlackLogger } from "@slack/logger";
import type { Logger } from "../../core/logger.ts";

/** Bolt and @slack/oauth log through their own interface; route it into ours so nothing prints to stdout. */
export function slackLogger(log: Logger): SlackLogger {
  const line = (m: unknown[]) => ({ slack: m.map(String).join(" ") });
  return {
    debug: () => {},
    info: (...m: unknown[]) => log.info(line(m)),
    warn: (...m: unknown[]) => log.warn(line(m)),
    error: (...m: unknown[]) => log.error(line(m)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
