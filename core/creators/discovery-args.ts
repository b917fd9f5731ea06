import { z } from "zod";
import type { ArgDef } from "../commands/args.ts";
import type { MessageKey } from "../i18n/t.ts";

const issue = (key: MessageKey) => ({ message: key });

/** A --flag typed as text (so every platform takes "10k" and "2,5") and read by its own schema. */
function flag<T>(help: MessageKey, example: string, schema: z.ZodType<T, string>): ArgDef<T> {
  return { kind: "text", positional: false, required: true, help, example, schema };
}

/** "2.5", "2.5%" or "2,5" (a Portuguese decimal comma): percent, 0 to 100. */
export const percentArg = (help: MessageKey, example: string) =>
  flag(
    help,
    example,
    z
      .string()
      .trim()
      .regex(/^\d{1,3}(?:[.,]\d+)?\s?%?$/, issue("discovery.arg.percent"))
      .transform((s) => Number(s.replace("%", "").replace(",", ".").trim()))
      .pipe(z.number().max(100, issue("discovery.arg.percent"))),
  );

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6 };

/** "5000", "5,000", "10k", "1.5m": a whole number of followers. */
export const followersArg = (help: MessageKey, example: string) =>
  flag(
    help,
    example,
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?[km]?$/, issue("discovery.arg.count"))
      .transform((s) => Math.round(Number(s.replace(/[km]$/, "").replace(/,/g, "").trim()) * (SUFFIX[s.at(-1)!] ?? 1))),
  );
