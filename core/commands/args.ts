import { z } from "zod";
import { isCurrency } from "../money.ts";
import { MENTION } from "./tokenize.ts";
import type { MessageKey } from "../i18n/t.ts";

/**
 * Argument kinds. Each parses the text a user typed into a typed value with a
 * zod schema, and says what a right value looks like. Adapters with typed
 * options (Discord) map `kind` to their own option types.
 */
export type ArgKind = "text" | "integer" | "amount" | "currency" | "date" | "duration" | "choice" | "member" | "phone" | "country" | "ref" | "url";

export interface ArgDef<T = unknown> {
  kind: ArgKind;
  /** Bare words in order rather than a --flag. */
  positional: boolean;
  required: boolean;
  /** Help text, as a message key so it can be translated. */
  help: MessageKey;
  /** A right value, shown in errors and help. */
  example: string;
  choices?: readonly string[];
  /** What a `ref` names, so adapters with autocomplete can offer the workspace's own. */
  of?: RefKind;
  schema: z.ZodType<T, string>;
}

export type RefKind = "campaign" | "creator" | "invitation";

export interface Amount {
  /** Digits with an optional fraction, commas removed: "15000.50". */
  decimal: string;
  /** A currency written with the amount ("USD 500", "500 EUR", "$500"). */
  currency?: string;
}

export interface MentionRef {
  /** A platform user id from mention markup (Slack `<@U1>`, Discord `<@1>`). */
  id?: string;
  /** A typed name (`@ana` or `"Ana Souza"`). */
  name?: string;
}

type Options = { help: MessageKey; example: string; positional?: boolean };
type Def<T> = ArgDef<T>;

function def<T>(kind: ArgKind, schema: z.ZodType<T, string>, o: Options, extra: Partial<ArgDef<T>> = {}): Def<T> {
  return { kind, schema, positional: o.positional ?? false, required: true, help: o.help, example: o.example, ...extra };
}

const SYMBOLS: Record<string, string> = { $: "USD", "US$": "USD", "€": "EUR", "£": "GBP", "R$": "BRL", "¥": "JPY", "₹": "INR", KSh: "KES", "₦": "NGN" };
const AMOUNT = /^(?<pre>[A-Za-z]{3}|US\$|R\$|KSh|[$€£¥₹₦])?\s?(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?<post>[A-Za-z]{3})?$/;

const amountSchema = z.string().transform((raw, ctx): Amount => {
  const m = AMOUNT.exec(raw.trim());
  if (!m?.groups) {
    ctx.addIssue({ code: "custom", message: raw.trim().startsWith("-") ? "arg.amount_negative" : "arg.amount" });
    return z.NEVER;
  }
  const { pre, num, post } = m.groups;
  const decimal = num!.replace(/,/g, "");
  if (Number(decimal) <= 0) {
    ctx.addIssue({ code: "custom", message: "arg.amount_negative" });
    return z.NEVER;
  }
  const before = pre ? (SYMBOLS[pre] ?? pre.toUpperCase()) : undefined;
  const after = post?.toUpperCase();
  if (before && after && before !== after) {
    ctx.addIssue({ code: "custom", message: "arg.amount" });
    return z.NEVER;
  }
  const written = before ?? after;
  if (written && !isCurrency(written)) {
    ctx.addIssue({ code: "custom", message: "arg.currency" });
    return z.NEVER;
  }
  return written ? { decimal, currency: written } : { decimal };
});

const dateSchema = z.string().transform((raw, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (!date || date.toISOString().slice(0, 10) !== raw.trim()) {
    ctx.addIssue({ code: "custom", message: "arg.date" });
    return z.NEVER;
  }
  return date;
});

export function parseMention(raw: string): MentionRef {
  const markup = MENTION.exec(raw);
  if (markup) return markup[2] ? { id: markup[1], name: markup[2] } : { id: markup[1] };
  return { name: raw.replace(/^@/, "").trim() };
}

const DURATION_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const issue = (key: MessageKey) => ({ message: key });

export const arg = {
  text: (o: Options & { max?: number }) =>
    def("text", z.string().trim().min(1, issue("arg.text_empty")).max(o.max ?? 200, issue("arg.text_long")), o),
  integer: (o: Options & { min?: number; max?: number }) =>
    def(
      "integer",
      z
        .string()
        .regex(/^-?\d+$/, issue("arg.integer"))
        .transform(Number)
        .pipe(z.number().int().min(o.min ?? 0, issue("arg.integer_range")).max(o.max ?? 1_000_000_000, issue("arg.integer_range"))),
      o,
    ),
  amount: (o: Options) => def("amount", amountSchema, o),
  currency: (o: Options) =>
    def(
      "currency",
      z
        .string()
        .trim()
        .transform((s) => s.toUpperCase())
        .refine(isCurrency, issue("arg.currency")),
      o,
    ),
  date: (o: Options) => def("date", dateSchema, o),
  /** "90m", "48h", "7d": milliseconds, between `min` and `max`. */
  duration: (o: Options & { min: number; max: number }) =>
    def(
      "duration",
      z
        .string()
        .trim()
        .regex(/^\d{1,4}\s?[mhd]$/i, issue("arg.duration"))
        .transform((s) => Number(s.slice(0, -1).trim()) * DURATION_UNIT_MS[s.slice(-1).toLowerCase() as "m" | "h" | "d"])
        .pipe(z.number().min(o.min, issue("arg.duration_range")).max(o.max, issue("arg.duration_range"))),
      o,
    ),
  choice: <const C extends readonly [string, ...string[]]>(o: Options & { choices: C }) =>
    def(
      "choice",
      z
        .string()
        .trim()
        .transform((s) => s.toLowerCase())
        .pipe(z.enum(o.choices, issue("arg.choice"))),
      o,
      { choices: o.choices },
    ),
  member: (o: Options) => def("member", z.string().trim().min(1, issue("arg.text_empty")).transform(parseMention), o),
  phone: (o: Options) =>
    def(
      "phone",
      z
        .string()
        .transform((s) => s.replace(/[\s().-]/g, ""))
        .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, issue("arg.phone"))),
      o,
    ),
  country: (o: Options) =>
    def(
      "country",
      z
        .string()
        .trim()
        .regex(/^[A-Za-z]{2}$/, issue("arg.country"))
        .transform((s) => s.toUpperCase()),
      o,
    ),
  /** An absolute https:// address (where referral links send people), without embedded credentials. */
  url: (o: Options) => def("url", z.string().trim().refine(isHttpsUrl, issue("referral.arg.url_invalid")), o),
  /** A campaign, creator or invite: its #number, or its name. */
  ref: (o: Options & { of: RefKind }) =>
    def(
      "ref",
      z
        .string()
        .trim()
        .min(1, issue("arg.text_empty"))
        .transform((s) => s.replace(/^#(?=\d+$)/, "")),
      o,
      { of: o.of },
    ),
};

function isHttpsUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === "https:" && u.hostname.includes(".") && !u.username && !u.password && raw.length <= 2000;
  } catch {
    return false;
  }
}

/** Makes any argument optional: absent becomes undefined. */
export function optional<T>(a: ArgDef<T>): ArgDef<T | undefined> {
  return { ...a, required: false } as ArgDef<T | undefined>;
}

export type ArgsSpec = Record<string, ArgDef<any>>;
export type ArgValues<S extends ArgsSpec> = { [K in keyof S]: S[K] extends ArgDef<infer T> ? T : never };

/** Kebab-case flag names are what users type; the spec uses camelCase keys. */
export const flagName = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
