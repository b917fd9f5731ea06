import { describe, expect, it } from "vitest";
import { arg, flagName, optional, parseMention, type ArgDef } from "../../core/commands/args.ts";
import { bindArgs } from "../../core/commands/bind.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { tokenize } from "../../core/commands/tokenize.ts";
import { defineCommand } from "../../core/commands/types.ts";
import { handleArg, normalizeHandle } from "../../core/creators/handles.ts";
import { formatMoney, toMinor } from "../../core/money.ts";
import { usageError } from "../support/errors.ts";


/** The parsed value, or a failure naming the input and the message key. */
function accept<T>(d: ArgDef<T>, raw: string): T {
  const r = d.schema.safeParse(raw);
  if (!r.success) throw new Error(`expected ${JSON.stringify(raw)} to be accepted, got ${r.error.issues[0]?.message}`);
  return r.data;
}

/** The message key of the first issue; fails if the input was accepted. */
function reject(d: ArgDef<unknown>, raw: string): string | undefined {
  const r = d.schema.safeParse(raw);
  if (r.success) throw new Error(`expected ${JSON.stringify(raw)} to be rejected, got ${JSON.stringify(r.data)}`);
  return r.error.issues[0]?.message;
}

const o = { help: "help.arg.command", example: "x" } as const;

describe("arg.amount", () => {
  const amount = arg.amount(o);

  it.each([
    ["15000", { decimal: "15000" }],
    ["15,000.50", { decimal: "15000.50" }],
    ["1,234,567", { decimal: "1234567" }],
    ["0.5", { decimal: "0.5" }],
    [" 500 ", { decimal: "500" }],
    ["USD 500", { decimal: "500", currency: "USD" }],
    ["USD500", { decimal: "500", currency: "USD" }],
    ["usd 500", { decimal: "500", currency: "USD" }],
    ["500 EUR", { decimal: "500", currency: "EUR" }],
    ["500eur", { decimal: "500", currency: "EUR" }],
    ["$500", { decimal: "500", currency: "USD" }],
    ["US$5", { decimal: "5", currency: "USD" }],
    ["€1,000", { decimal: "1000", currency: "EUR" }],
    ["£20", { decimal: "20", currency: "GBP" }],
    ["¥500", { decimal: "500", currency: "JPY" }],
    ["₹999", { decimal: "999", currency: "INR" }],
    ["₦5000", { decimal: "5000", currency: "NGN" }],
    ["KSh 500", { decimal: "500", currency: "KES" }],
    ["R$1500", { decimal: "1500", currency: "BRL" }],
    ["R$ 1500", { decimal: "1500", currency: "BRL" }],
    ["$500 USD", { decimal: "500", currency: "USD" }],
  ])("reads %s", (raw, expected) => {
    expect(accept(amount, raw)).toEqual(expected);
  });

  it.each([
    ["abc", "arg.amount"],
    ["", "arg.amount"],
    ["1,50,0", "arg.amount"],
    ["15,00", "arg.amount"],
    ["1.5.0", "arg.amount"],
    ["500.", "arg.amount"],
    [".5", "arg.amount"],
    ["1e5", "arg.amount"],
    ["15k", "arg.amount"],
    ["R$ 1.500,00", "arg.amount"],
    ["USD  500", "arg.amount"],
    ["-5", "arg.amount_negative"],
    ["-500", "arg.amount_negative"],
    ["-USD 5", "arg.amount_negative"],
    ["0", "arg.amount_negative"],
    ["0.00", "arg.amount_negative"],
    ["USD 0", "arg.amount_negative"],
    ["XYZ 5", "arg.currency"],
    ["5 XYZ", "arg.currency"],
    ["abc5", "arg.currency"],
  ])("rejects %s with %s", (raw, key) => {
    expect(reject(amount, raw)).toBe(key);
  });

  // "." is always the decimal point, so Brazilian "R$ 1.500" (one thousand five
  // hundred) reads as 1.500 BRL; money then refuses it rather than storing R$ 1,50.
  it("reads R$ 1.500 as a three-decimal amount that toMinor refuses", () => {
    expect(accept(amount, "R$ 1.500")).toEqual({ decimal: "1.500", currency: "BRL" });
    expect(usageError(() => toMinor("1.500", "BRL")).key).toBe("money.too_precise");
  });

  // Two different currencies in one amount is a contradiction; it must not
  // silently become the first one.
  it.each(["$500 EUR", "USD 500 EUR", "€500 GBP"])("rejects %s, which names two different currencies", (raw) => {
    expect(amount.schema.safeParse(raw).success).toBe(false);
  });
});

describe("arg.date", () => {
  const date = arg.date(o);

  it("reads YYYY-MM-DD as UTC midnight", () => {
    const d = accept(date, "2026-07-01") as Date;
    expect(d).toBeInstanceOf(Date);
    expect(d.toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(d.getTime()).toBe(Date.UTC(2026, 6, 1));
  });

  it("accepts surrounding spaces", () => {
    expect((accept(date, " 2026-12-31 ") as Date).toISOString()).toBe("2026-12-31T00:00:00.000Z");
  });

  it("accepts the leap day of a leap year", () => {
    expect((accept(date, "2028-02-29") as Date).toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it.each(["2027-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-07-00", "2026-07-32", "01/07/2026", "2026-7-1", "2026/07/01", "20260701", "2026-07-01T00:00", "tomorrow", "", "0000-01-01"])(
    "rejects %s with arg.date",
    (raw) => {
      expect(reject(date, raw)).toBe("arg.date");
    },
  );
});

describe("arg.currency", () => {
  const currency = arg.currency(o);

  it.each([
    ["USD", "USD"],
    ["usd", "USD"],
    [" brl ", "BRL"],
    ["Kes", "KES"],
    ["JPY", "JPY"],
  ])("reads %s as %s", (raw, code) => {
    expect(accept(currency, raw)).toBe(code);
  });

  it.each(["XXY", "XYZ", "US", "USDT", "$", "", "dollars"])("rejects %s with arg.currency", (raw) => {
    expect(reject(currency, raw)).toBe("arg.currency");
  });
});

describe("arg.phone", () => {
  const phone = arg.phone(o);

  it.each([
    ["+254 712 345 678", "+254712345678"],
    ["+254712345678", "+254712345678"],
    ["+55 (11) 98765-4321", "+5511987654321"],
    ["+1.415.555.0100", "+14155550100"],
    ["+254\u00a0712\u00a0345\u00a0678", "+254712345678"],
  ])("reads %s as %s", (raw, e164) => {
    expect(accept(phone, raw)).toBe(e164);
  });

  it.each(["0712345678", "254712345678", "+0712345678", "+12345", "+1234567890123456", "+254 712 ABC", "", "call me"])("rejects %s with arg.phone", (raw) => {
    expect(reject(phone, raw)).toBe("arg.phone");
  });
});

describe("arg.country", () => {
  const country = arg.country(o);

  it.each([
    ["ke", "KE"],
    ["BR", "BR"],
    [" pt ", "PT"],
  ])("reads %s as %s", (raw, code) => {
    expect(accept(country, raw)).toBe(code);
  });

  it.each(["KEN", "K", "", "k3", "Kenya"])("rejects %s with arg.country", (raw) => {
    expect(reject(country, raw)).toBe("arg.country");
  });
});

describe("arg.choice", () => {
  const objective = arg.choice({ ...o, choices: ["awareness", "engagement", "sales"] as const });

  it.each([
    ["sales", "sales"],
    ["SALES", "sales"],
    [" Awareness ", "awareness"],
  ])("reads %s as %s", (raw, value) => {
    expect(accept(objective, raw)).toBe(value);
  });

  it.each(["sale", "fun", ""])("rejects %s with arg.choice", (raw) => {
    expect(reject(objective, raw)).toBe("arg.choice");
  });

  it("exposes its choices for help and errors", () => {
    expect(objective.choices).toEqual(["awareness", "engagement", "sales"]);
    expect(objective.kind).toBe("choice");
  });
});

describe("arg.ref", () => {
  const ref = arg.ref({ ...o, of: "campaign" });

  it.each([
    ["#12", "12"],
    ["12", "12"],
    [" #7 ", "7"],
    ["Summer Launch", "Summer Launch"],
    ["#summer", "#summer"],
    ["#12b", "#12b"],
  ])("reads %s as %s", (raw, value) => {
    expect(accept(ref, raw)).toBe(value);
  });

  it("rejects a blank ref with arg.text_empty", () => {
    expect(reject(ref, "  ")).toBe("arg.text_empty");
  });
});

describe("arg.text and arg.integer", () => {
  it("trims text and enforces its length", () => {
    const text = arg.text({ ...o, max: 5 });
    expect(accept(text, "  hello  ")).toBe("hello");
    expect(reject(text, "   ")).toBe("arg.text_empty");
    expect(reject(text, "hello!")).toBe("arg.text_long");
  });

  it("defaults text to 200 characters", () => {
    const text = arg.text(o);
    expect(accept(text, "a".repeat(200))).toHaveLength(200);
    expect(reject(text, "a".repeat(201))).toBe("arg.text_long");
  });

  it.each([
    ["0", 0],
    ["1000", 1000],
    ["007", 7],
  ])("reads the integer %s", (raw, n) => {
    expect(accept(arg.integer({ ...o, max: 5000 }), raw)).toBe(n);
  });

  it.each([
    ["1.5", "arg.integer"],
    ["abc", "arg.integer"],
    ["1,000", "arg.integer"],
    ["", "arg.integer"],
    ["-5", "arg.integer_range"],
    ["5001", "arg.integer_range"],
  ])("rejects the integer %s with %s", (raw, key) => {
    expect(reject(arg.integer({ ...o, max: 5000 }), raw)).toBe(key);
  });
});

describe("arg.member and parseMention", () => {
  it.each([
    ["@ana", { name: "ana" }],
    ["Ana Souza", { name: "Ana Souza" }],
    ["<@U123ABC>", { id: "U123ABC" }],
    ["<@U123|ana>", { id: "U123", name: "ana" }],
    ["<@123456>", { id: "123456" }],
    ["<@!123456>", { id: "123456" }],
  ])("reads %s", (raw, ref) => {
    expect(parseMention(raw)).toEqual(ref);
    expect(accept(arg.member(o), raw)).toEqual(ref);
  });

  it("rejects a blank member with arg.text_empty", () => {
    expect(reject(arg.member(o), " ")).toBe("arg.text_empty");
  });
});

describe("optional and flagName", () => {
  it("makes an argument optional without changing its schema", () => {
    const required = arg.currency(o);
    const opt = optional(required);
    expect(required.required).toBe(true);
    expect(opt.required).toBe(false);
    expect(opt.schema).toBe(required.schema);
  });

  it.each([
    ["budget", "budget"],
    ["minFollowers", "min-followers"],
    ["minEngagementPct", "min-engagement-pct"],
  ])("spells the key %s as the flag --%s", (key, flag) => {
    expect(flagName(key)).toBe(flag);
  });
});

describe("social handles", () => {
  it.each([
    ["murugi", "murugi"],
    ["@Murugi", "murugi"],
    ["  @murugi.w ", "murugi.w"],
    ["https://instagram.com/murugi/", "murugi"],
    ["https://www.instagram.com/Murugi?igsh=abc", "murugi"],
    ["instagram.com/murugi", "murugi"],
    ["https://www.youtube.com/@MurugiChannel", "murugichannel"],
    ["https://www.tiktok.com/@murugi.w?lang=en", "murugi.w"],
    ["https://x.com/murugi_w", "murugi_w"],
    ["http://twitter.com/Murugi_W#top", "murugi_w"],
  ])("normalizes %s to %s", (raw, handle) => {
    expect(normalizeHandle(raw)).toBe(handle);
  });

  it.each([
    ["instagram", "@Murugi", "murugi"],
    ["instagram", "https://instagram.com/murugi/", "murugi"],
    ["instagram", "a".repeat(30), "a".repeat(30)],
    ["youtube", "murugi-channel", "murugi-channel"],
    ["tiktok", "murugi.w", "murugi.w"],
    ["x", "Murugi_W", "murugi_w"],
    ["x", "a".repeat(15), "a".repeat(15)],
  ] as const)("accepts a %s handle %s", (platform, raw, handle) => {
    expect(accept(handleArg(platform), raw)).toBe(handle);
  });

  it.each([
    ["x", "a".repeat(16)],
    ["x", "https://x.com/abcdefghijklmnopq"],
    ["x", "murugi.w"],
    ["instagram", "a".repeat(31)],
    ["instagram", "murugi-w"],
    ["youtube", "ab"],
    ["tiktok", "m"],
    ["instagram", "murugi wanjiku"],
    ["instagram", ""],
  ] as const)("rejects a %s handle %s with arg.handle", (platform, raw) => {
    expect(reject(handleArg(platform), raw)).toBe("arg.handle");
  });
});

describe("money", () => {
  it.each([
    ["15,000.50", "USD", 1500050],
    ["15000.5", "USD", 1500050],
    ["15000", "USD", 1500000],
    ["0.01", "USD", 1],
    ["10", "JPY", 10],
    ["1,500", "JPY", 1500],
    ["1.5", "KWD", 1500],
    ["1.234", "KWD", 1234],
    ["90071992547409.91", "USD", Number.MAX_SAFE_INTEGER],
  ])("converts %s %s to %i minor units", (decimal, currency, minor) => {
    expect(toMinor(decimal, currency)).toBe(minor);
  });

  it.each([
    ["10.5", "JPY", 0],
    ["1.005", "USD", 2],
    ["1.2345", "KWD", 3],
  ])("refuses %s %s with money.too_precise", (decimal, currency, digits) => {
    const err = usageError(() => toMinor(decimal, currency));
    expect(err.key).toBe("money.too_precise");
    expect(err.vars).toEqual({ amount: decimal, currency, digits });
  });

  it.each(["90071992547409.92", "99999999999999999999"])("refuses the huge amount %s with money.too_large", (decimal) => {
    const err = usageError(() => toMinor(decimal, "USD"));
    expect(err.key).toBe("money.too_large");
    expect(err.vars).toEqual({ amount: decimal });
  });

  it.each([
    [1500050, "USD", "en", /^\$15,000\.50$/],
    [1500050, "KES", "en", /KES\s?15,000\.50/],
    [1500050, "BRL", "pt", /^R\$\s15\.000,50$/],
    [1500, "JPY", "en", /^¥1,500$/],
    [1500, "KWD", "en", /^KWD\s?1\.500$/],
  ])("formats %i %s (%s) with its currency", (minor, currency, locale, shape) => {
    expect(formatMoney({ minor, currency }, locale)).toMatch(shape);
  });
});

describe("bindArgs on the real commands", () => {
  const registry = createRegistry();
  const bind = (line: string) => {
    const { command, rest } = registry.resolve(tokenize(line));
    return bindArgs(command, rest);
  };
  const CREATE = 'campaign create "Summer Launch" --budget 15000 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales';

  it("binds a full campaign create line to typed values", () => {
    expect(bind(CREATE)).toEqual({
      name: "Summer Launch",
      budget: { decimal: "15000" },
      currency: "USD",
      start: new Date("2026-07-01T00:00:00Z"),
      end: new Date("2026-07-31T00:00:00Z"),
      objective: "sales",
    });
  });

  it("binds what a phone sends: unquoted name, dashes, = values, odd case", () => {
    expect(bind("campaign create Summer Launch —budget USD500 –currency usd --start=2026-07-01 --end 2026-07-31 --objective SALES")).toEqual({
      name: "Summer Launch",
      budget: { decimal: "500", currency: "USD" },
      currency: "USD",
      start: new Date("2026-07-01T00:00:00Z"),
      end: new Date("2026-07-31T00:00:00Z"),
      objective: "sales",
    });
  });

  it("leaves absent optional arguments undefined", () => {
    const a = bind('campaign create "X" --budget 5 --start 2026-07-01 --end 2026-07-31 --objective sales');
    expect(a).toHaveProperty("currency", undefined);
    expect(bind("campaign list")).toEqual({ status: undefined });
  });

  it.each([
    ["campaign show Summer Launch", { campaign: "Summer Launch" }],
    ['campaign show "Summer Launch"', { campaign: "Summer Launch" }],
    ["campaign show #12", { campaign: "12" }],
    ["campaign approve Tomás Reis Launch", { campaign: "Tomás Reis Launch" }],
    ["campaign cancel Summer Launch --reason Moved", { campaign: "Summer Launch", reason: "Moved" }],
    ['campaign reject Summer Launch --reason "Budget moved to Q4"', { campaign: "Summer Launch", reason: "Budget moved to Q4" }],
    ["help campaign create", { command: "campaign create" }],
    ["creators search murugi wanjiku", { query: "murugi wanjiku", platform: undefined, location: undefined, category: undefined, language: undefined }],
  ])("joins an unquoted multi-word final positional: %s", (line, expected) => {
    expect(bind(line)).toEqual(expected);
  });

  it.each([
    ['member add "Carla Mendes" --role manager', { who: { name: "Carla Mendes" }, role: "manager" }],
    ["member add @carla --role Analyst", { who: { name: "carla" }, role: "analyst" }],
    ["member add <@U123|ana> --role admin", { who: { id: "U123", name: "ana" }, role: "admin" }],
    ["member add <@!123456> --role creator", { who: { id: "123456" }, role: "creator" }],
  ])("binds a member from %s", (line, expected) => {
    expect(bind(line)).toEqual(expected);
  });

  it("binds creator add with handles, phone and country normalized", () => {
    expect(bind('creator add "Murugi Wanjiku 🌸" --instagram @Murugi --x https://x.com/Murugi_W --phone "+254 712 345 678" --location ke --language PT')).toEqual({
      name: "Murugi Wanjiku 🌸",
      instagram: "murugi",
      youtube: undefined,
      tiktok: undefined,
      x: "murugi_w",
      phone: "+254712345678",
      category: undefined,
      location: "KE",
      language: "pt",
    });
  });

  it.each([
    ['campaign create "X" --start 2026-07-01 --end 2026-07-31 --objective sales', "--budget", "15000"],
    ['campaign create "X" --budget 5 --end 2026-07-31 --objective sales', "--start", "2026-07-01"],
    ["campaign create --budget 5 --start 2026-07-01 --end 2026-07-31 --objective sales", "<name>", '"Summer Launch"'],
    ["member add --role manager", "<who>", '"Carla Mendes"'],
    ["campaign show", "<campaign>", '"Summer Launch"'],
  ])("reports a missing argument: %s", (line, label, example) => {
    const err = usageError(() => bind(line));
    expect(err.key).toBe("arg.missing");
    expect(err.vars).toEqual({ arg: label, example });
    expect(err.example).toBe(registry.resolve(tokenize(line)).command.examples[0]);
  });

  it("suggests the closest flag for an unknown one", () => {
    const err = usageError(() => bind('campaign create "X" --budjet 5'));
    expect(err.key).toBe("arg.unknown_flag");
    expect(err.vars).toEqual({ flag: "budjet", command: "campaign create", suggestion: "budget", options: "--budget, --currency, --start, --end, --objective, --url" });
    expect(err.example).toBe(CREATE);
  });

  it.each([
    ['campaign create "X" --objectve sales', "objective"],
    ['campaign create "X" --curency USD', "currency"],
    ['creator add "X" --instgram murugi', "instagram"],
    ["campaign list --stat active", "status"],
  ])("suggests a flag for %s", (line, suggestion) => {
    const err = usageError(() => bind(line));
    expect(err.key).toBe("arg.unknown_flag");
    expect(err.vars.suggestion).toBe(suggestion);
  });

  it.each(["campaign show X --foo 1", "workspace show --verbose yes", "campaign show --campaign X"])("refuses any flag on a command without flags: %s", (line) => {
    const err = usageError(() => bind(line));
    expect(err.key).toBe("arg.no_flags");
    expect(err.vars.command).toBe(registry.resolve(tokenize(line)).command.name);
  });

  it.each([
    ['campaign create "X" --budget 1 --budget 2 --start 2026-07-01 --end 2026-07-31 --objective sales', "budget"],
    ['campaign create "X" —budget 1 --budget=2', "budget"],
    ["campaign list --status active --STATUS draft", "status"],
  ])("refuses a duplicate flag: %s", (line, flag) => {
    const err = usageError(() => bind(line));
    expect(err.key).toBe("arg.duplicate_flag");
    expect(err.vars).toEqual({ flag });
  });

  it.each([
    ['campaign create "X" --budget --currency USD', "budget", "15000"],
    ['campaign create "X" --start 2026-07-01 --budget', "budget", "15000"],
    ['campaign create "X" --budget=', "budget", "15000"],
    ['campaign create "X" --budget ""', "budget", "15000"],
    ['campaign create "X" --budget "  "', "budget", "15000"],
    ["campaign list --status", "status", "active"],
  ])("refuses a flag without a value: %s", (line, flag, example) => {
    const err = usageError(() => bind(line));
    expect(err.key).toBe("arg.flag_needs_value");
    expect(err.vars).toEqual({ flag, example });
  });

  it.each([
    ["member add Carla Mendes --role manager", "Mendes", "member add"],
    ["campaign list active", "active", "campaign list"],
    ["workspace show extra", "extra", "workspace show"],
    ["campaigns @ana", "@ana", "campaign list"],
  ])("refuses extra words when there is no text positional to join: %s", (line, value, command) => {
    const err = usageError(() => bind(line));
    expect(err.key).toBe("arg.unexpected");
    expect(err.vars).toEqual({ value, command });
  });

  it.each([
    ['campaign create "X" --budget -500 --start 2026-07-01 --end 2026-07-31 --objective sales', "arg.amount_negative", "--budget", "-500"],
    ['campaign create "X" --budget abc --start 2026-07-01 --end 2026-07-31 --objective sales', "arg.amount", "--budget", "abc"],
    ['campaign create "X" --budget 5 --start 2026-02-30 --end 2026-07-31 --objective sales', "arg.date", "--start", "2026-02-30"],
    ['campaign create "X" --budget 5 --currency XXY --start 2026-07-01 --end 2026-07-31 --objective sales', "arg.currency", "--currency", "XXY"],
    ['campaign create "X" --budget 5 --start 2026-07-01 --end 2026-07-31 --objective fun', "arg.choice", "--objective", "fun"],
    ['creator add "X" --x https://x.com/abcdefghijklmnopq', "arg.handle", "--x", "https://x.com/abcdefghijklmnopq"],
    ['creator add "X" --phone 0712345678', "arg.phone", "--phone", "0712345678"],
    ['campaign create "" --budget 5 --start 2026-07-01 --end 2026-07-31 --objective sales', "arg.text_empty", "<name>", ""],
  ])("reports a schema failure with its own key: %s", (line, key, label, value) => {
    const err = usageError(() => bind(line));
    expect(err.key).toBe(key);
    expect(err.vars).toMatchObject({ arg: label, value });
  });

  it("lists the choices when a choice is wrong", () => {
    const err = usageError(() => bind("member add @ana --role boss"));
    expect(err.key).toBe("arg.choice");
    expect(err.vars.choices).toBe("owner, admin, manager, analyst, creator");
  });

  // `--reason="two words"` is the same as `--reason "two words"`; it must not
  // leak a quote into the reason nor the rest of the reason into the campaign.
  it("binds a quoted =value like a spaced quoted value", () => {
    expect(bind('campaign reject "Summer Launch" --reason="Budget moved"')).toEqual(bind('campaign reject "Summer Launch" --reason "Budget moved"'));
  });
});

describe("bindArgs with camelCase keys", () => {
  const probe = defineCommand({
    name: "probe search",
    summary: "help.summary",
    roles: "anyone",
    examples: ["probe search --min-followers 1000"],
    args: {
      minFollowers: optional(arg.integer({ help: "help.arg.command", example: "1000" })),
      maxEngagementPct: optional(arg.integer({ help: "help.arg.command", example: "5", max: 100 })),
    },
    async handler() {
      return { text: "" };
    },
  });

  it("binds kebab-case flags to camelCase keys", () => {
    expect(bindArgs(probe, tokenize("--min-followers 1000 —max-engagement-pct=5"))).toEqual({ minFollowers: 1000, maxEngagementPct: 5 });
  });

  it("accepts the kebab-case flag in any case", () => {
    expect(bindArgs(probe, tokenize("--Min-Followers 10"))).toEqual({ minFollowers: 10, maxEngagementPct: undefined });
  });

  it("does not accept the camelCase spelling, and suggests the kebab-case one", () => {
    const err = usageError(() => bindArgs(probe, tokenize("--minFollowers 1000")));
    expect(err.key).toBe("arg.unknown_flag");
    expect(err.vars).toMatchObject({ flag: "minfollowers", suggestion: "min-followers", options: "--min-followers, --max-engagement-pct" });
  });

  it("labels a bad value with the kebab-case flag", () => {
    const err = usageError(() => bindArgs(probe, tokenize("--max-engagement-pct 500")));
    expect(err.key).toBe("arg.integer_range");
    expect(err.vars).toMatchObject({ arg: "--max-engagement-pct", value: "500", example: "5" });
  });
});
