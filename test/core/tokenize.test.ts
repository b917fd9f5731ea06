import { describe, expect, it } from "vitest";
import { tokenize, type Token } from "../../core/commands/tokenize.ts";
import { usageError } from "../support/errors.ts";

const word = (value: string, quoted = false): Token => ({ type: "word", value, quoted });
const flag = (name: string, value?: string): Token => (value === undefined ? { type: "flag", name } : { type: "flag", name, value });


describe("tokenize: words", () => {
  it("splits plain words on whitespace", () => {
    expect(tokenize("campaign list")).toEqual([word("campaign"), word("list")]);
  });

  it.each([
    ["tabs and runs of spaces", "campaign \t  list"],
    ["newlines", "campaign\nlist\n"],
    ["leading and trailing spaces", "   campaign list   "],
    ["a no-break space (phones insert them)", "campaign\u00a0list"],
    ["an ideographic space", "campaign\u3000list"],
  ])("treats %s as separators", (_label, input) => {
    expect(tokenize(input)).toEqual([word("campaign"), word("list")]);
  });

  it("returns no tokens for empty or blank input", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" \t\n ")).toEqual([]);
  });

  it("keeps $, |, > and ; as ordinary characters (chat is not a shell)", () => {
    expect(tokenize("a|b $500 > c; d")).toEqual([word("a|b"), word("$500"), word(">"), word("c;"), word("d")]);
  });

  it.each(["-500", "-5", "-0.5"])("reads the negative number %s as a word, not a flag", (n) => {
    expect(tokenize(`--budget ${n}`)).toEqual([flag("budget", n)]);
    expect(tokenize(n)).toEqual([word(n)]);
  });

  it.each(["--500", "-budget", "--", "—", "--_x"])("reads %s as a word, not a flag", (raw) => {
    expect(tokenize(raw)).toEqual([word(raw)]);
  });
});

describe("tokenize: quotes", () => {
  it.each([
    ["straight double quotes", '"Summer Launch"'],
    ["straight single quotes", "'Summer Launch'"],
    ["curly double quotes", "“Summer Launch”"],
    ["curly single quotes", "‘Summer Launch’"],
    ["guillemets", "«Summer Launch»"],
    ["German low-high quotes", "„Summer Launch“"],
    ["a right double quote on both ends", "”Summer Launch”"],
    ["curly double quotes closed with the opening glyph", "“Summer Launch“"],
  ])("reads %s as one quoted word", (_label, quoted) => {
    expect(tokenize(`campaign show ${quoted} --status active`)).toEqual([word("campaign"), word("show"), word("Summer Launch", true), flag("status", "active")]);
  });

  it("keeps the other kind of quote inside a quoted string", () => {
    expect(tokenize(`"Murugi's Launch"`)).toEqual([word("Murugi's Launch", true)]);
    expect(tokenize(`'the "big" one'`)).toEqual([word('the "big" one', true)]);
    expect(tokenize("“Ana’s launch”")).toEqual([word("Ana’s launch", true)]);
  });

  it("reads an empty quoted string as an empty quoted word", () => {
    expect(tokenize('link ""')).toEqual([word("link"), word("", true)]);
  });

  it("ends a quoted word at its closing quote even without a space after it", () => {
    expect(tokenize('"abc"def')).toEqual([word("abc", true), word("def")]);
  });

  it("only opens a quote at the start of a word", () => {
    expect(tokenize("O'Brien don't")).toEqual([word("O'Brien"), word("don't")]);
  });

  it.each([
    ["an escaped double quote", String.raw`"say \"hi\" now"`, 'say "hi" now'],
    ["an escaped single quote", String.raw`'it\'s'`, "it's"],
    ["an escaped closing curly quote", String.raw`“a \” b”`, "a ” b"],
    ["an escaped opening curly quote", String.raw`“a \“ b”`, "a “ b"],
    ["an escaped backslash", String.raw`"a\\b"`, String.raw`a\b`],
    ["a backslash before anything else, kept", String.raw`"C:\path\to"`, String.raw`C:\path\to`],
  ])("unescapes %s inside quotes", (_label, input, value) => {
    expect(tokenize(input)).toEqual([word(value, true)]);
  });

  it.each([
    ['"', 'campaign create "Summer Launch --budget 5'],
    ["'", "campaign show 'Summer"],
    ["“", "campaign show “Summer Launch"],
    ["«", "campaign show «Summer Launch"],
    ['"', String.raw`campaign show "Summer\"`],
  ])("rejects an unclosed %s quote with parse.unclosed_quote", (quote, input) => {
    const err = usageError(() => tokenize(input));
    expect(err.key).toBe("parse.unclosed_quote");
    expect(err.vars).toEqual({ quote });
    expect(err.example).toMatch(/^campaign create "Summer Launch"/);
  });
});

describe("tokenize: flags", () => {
  it.each([
    ["--flag value", "--budget 15000", flag("budget", "15000")],
    ["--flag=value", "--budget=15000", flag("budget", "15000")],
    ["--flag=value with an = in the value", "--reason=a=b", flag("reason", "a=b")],
    ['--flag "multi word"', '--reason "Budget moved to Q4"', flag("reason", "Budget moved to Q4")],
    ["--flag “curly multi word”", "--reason “Budget moved”", flag("reason", "Budget moved")],
    ["an em dash flag (phones autocorrect --)", "—budget 15000", flag("budget", "15000")],
    ["an en dash flag", "–budget 15000", flag("budget", "15000")],
    ["an em dash flag with =", "—budget=15000", flag("budget", "15000")],
    ["an upper-case flag name, lower-cased", "--Budget 15000", flag("budget", "15000")],
    ["a kebab-case flag name", "--min-followers 1000", flag("min-followers", "1000")],
    ["a flag whose value is a mention", "--campaign @ana", flag("campaign", "@ana")],
    ["a flag whose value is Slack mention markup", "--who <@U123|ana>", flag("who", "<@U123|ana>")],
    ["a flag with an empty = value", "--budget=", flag("budget", "")],
  ])("reads %s", (_label, input, expected) => {
    expect(tokenize(input)).toEqual([expected]);
  });

  it("does not give a flag the next flag as its value", () => {
    expect(tokenize("--budget --currency USD")).toEqual([flag("budget"), flag("currency", "USD")]);
  });

  it("leaves a flag at the end of the line without a value", () => {
    expect(tokenize("campaign list --status")).toEqual([word("campaign"), word("list"), flag("status")]);
  });

  it("takes only one word as a flag's value; the rest are words", () => {
    expect(tokenize("--reason Budget moved")).toEqual([flag("reason", "Budget"), word("moved")]);
  });

  it("reads a whole command line", () => {
    expect(tokenize('campaign create "Summer Launch" --budget 15,000.50 —currency USD --start=2026-07-01 --end 2026-07-31 --objective sales')).toEqual([
      word("campaign"),
      word("create"),
      word("Summer Launch", true),
      flag("budget", "15,000.50"),
      flag("currency", "USD"),
      flag("start", "2026-07-01"),
      flag("end", "2026-07-31"),
      flag("objective", "sales"),
    ]);
  });

  // Users who write `--flag=value` also write `--flag="two words"`; the quotes
  // must delimit the value, not end up inside it.
  it.each([
    ['--currency="USD"', flag("currency", "USD")],
    ['--reason="Budget moved to Q4"', flag("reason", "Budget moved to Q4")],
    ["--reason=“Budget moved”", flag("reason", "Budget moved")],
  ])("reads a quoted =value: %s", (input, expected) => {
    expect(tokenize(input)).toEqual([expected]);
  });
});

describe("tokenize: unicode", () => {
  it.each([
    ['"Tomás Reis"', "Tomás Reis"],
    ['"Zoë"', "Zoë"],
    ['"Murugi Wanjiku 🌸"', "Murugi Wanjiku 🌸"],
    ['"山田 太郎"', "山田 太郎"],
    ['"محمد علي"', "محمد علي"],
    ['"👩🏽‍💻 Dev"', "👩🏽‍💻 Dev"],
  ])("keeps the quoted name %s intact", (input, value) => {
    expect(tokenize(`creator add ${input}`)).toEqual([word("creator"), word("add"), word(value, true)]);
  });

  it("keeps unquoted non-Latin words and emoji intact", () => {
    expect(tokenize("Zoë 山田太郎 🌸")).toEqual([word("Zoë"), word("山田太郎"), word("🌸")]);
  });

  it("normalizes decomposed characters to NFC", () => {
    const decomposed = '"Toma\u0301s Reis" Zoe\u0308';
    const [name, zoe] = tokenize(decomposed);
    expect(name).toEqual(word("Tomás Reis", true));
    expect(name).toEqual(word("Tom\u00e1s Reis", true));
    expect(zoe).toEqual(word("Zo\u00eb"));
    expect((name as { value: string }).value).toHaveLength(10);
  });

  it("normalizes mention names and flag values too", () => {
    expect(tokenize("@Zoe\u0308 --category cafe\u0301")).toEqual([
      { type: "mention", name: "Zoë", raw: "@Zoë" },
      flag("category", "café"),
    ]);
  });
});

describe("tokenize: mentions", () => {
  it.each([
    ["a typed @name", "@ana", { name: "ana" }],
    ["a typed @name with dots, dashes and underscores", "@ana.souza_1-x", { name: "ana.souza_1-x" }],
    ["a typed @name in another script", "@Zoë", { name: "Zoë" }],
    ["Slack user markup", "<@U123ABC>", { id: "U123ABC" }],
    ["Slack user markup with a name", "<@U123|ana>", { id: "U123", name: "ana" }],
    ["Discord user markup", "<@123456>", { id: "123456" }],
    ["Discord nickname markup", "<@!123456>", { id: "123456" }],
  ])("reads %s", (_label, raw, parts) => {
    const [tok] = tokenize(`member add ${raw} --role analyst`).slice(2);
    expect(tok).toMatchObject({ type: "mention", raw, ...parts });
    if (!("id" in parts)) expect(tok).not.toHaveProperty("id");
    if (!("name" in parts)) expect((tok as { name?: string }).name).toBeUndefined();
  });

  it.each(["@", "ana@example.com", "<@&123>", "<#C123|general>", "@ana,"])("reads %s as a plain word", (raw) => {
    expect(tokenize(raw)).toEqual([word(raw)]);
  });

  it("reads a quoted @name as a word, not a mention", () => {
    expect(tokenize('"@ana"')).toEqual([word("@ana", true)]);
  });
});
