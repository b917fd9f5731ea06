import { describe, expect, it } from "vitest";
import { bindArgs } from "../../core/commands/bind.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { tokenize } from "../../core/commands/tokenize.ts";
import { en, type MessageKey } from "../../core/i18n/en.ts";
import { LOCALES, toLocale } from "../../core/i18n/locale.ts";
import { pt } from "../../core/i18n/pt.ts";
import { t, translator } from "../../core/i18n/t.ts";
import { toMinor } from "../../core/money.ts";
import { usageError } from "../support/errors.ts";

const keys = Object.keys(en) as MessageKey[];
const placeholders = (message: string) => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe("message catalogs", () => {
  it("en and pt have the same keys", () => {
    expect(Object.keys(pt).sort()).toEqual([...keys].sort());
  });

  it.each(keys)("%s has the same {placeholders} in pt as in en", (key) => {
    expect(placeholders(pt[key])).toEqual(placeholders(en[key]));
  });

  it.each(keys)("%s is a non-empty message in every locale", (key) => {
    expect(en[key].trim()).not.toBe("");
    expect(pt[key].trim()).not.toBe("");
  });

  it("keeps code spans balanced, so adapters render them", () => {
    for (const key of keys) {
      for (const message of [en[key], pt[key]]) expect((message.match(/`/g) ?? []).length % 2, `${key}: ${message}`).toBe(0);
    }
  });
});

describe("toLocale", () => {
  it.each([
    ["pt-BR", "pt"],
    ["pt_PT", "pt"],
    ["PT", "pt"],
    ["pt", "pt"],
    ["en-US", "en"],
    ["en_GB", "en"],
    ["en", "en"],
    ["fr", "en"],
    ["fr-CA", "en"],
    ["", "en"],
    [undefined, "en"],
    [null, "en"],
  ] as const)("maps %j to %s", (tag, locale) => {
    expect(toLocale(tag)).toBe(locale);
  });

  it("uses the given fallback for a language we do not speak", () => {
    expect(toLocale("fr", "pt")).toBe("pt");
    expect(toLocale(undefined, "pt")).toBe("pt");
    expect(toLocale("en-US", "pt")).toBe("en");
  });

  it("only ever returns a locale with a catalog", () => {
    expect(LOCALES).toEqual(["en", "pt"]);
  });
});

describe("t", () => {
  it("fills placeholders", () => {
    expect(t("en", "command.unknown", { typed: "campain list", suggestion: "campaign list" })).toBe("There is no command `campain list`. Did you mean `campaign list`?");
    expect(t("pt", "command.unknown", { typed: "campain list", suggestion: "campaign list" })).toBe("Não existe o comando `campain list`. Você quis dizer `campaign list`?");
  });

  it("fills numbers and repeated placeholders", () => {
    expect(t("en", "link.code", { code: "K7M2QX", minutes: 10 })).toBe("Your link code is **K7M2QX**. Send `link K7M2QX` from your other chat account within 10 minutes.");
  });

  it("leaves a placeholder it was not given as it is", () => {
    expect(t("en", "arg.duplicate_flag")).toBe("`--{flag}` was given twice; give it once.");
  });

  it("does not interpret $ patterns in values", () => {
    expect(t("en", "arg.duplicate_flag", { flag: "$& $1 $$" })).toBe("`--$& $1 $$` was given twice; give it once.");
  });

  it("returns messages without placeholders unchanged", () => {
    expect(t("pt", "help.title")).toBe(pt["help.title"]);
  });

  it("translator binds a locale", () => {
    expect(translator("pt")("role.owner")).toBe("proprietário");
    expect(translator("en")("role.owner")).toBe("owner");
  });
});

// Every error the parser raises must render completely in both languages: a
// missing var shows the user a raw {placeholder}.
describe("parser errors render fully", () => {
  const registry = createRegistry();
  const line = (text: string) => () => {
    const { command, rest } = registry.resolve(tokenize(text));
    return bindArgs(command, rest);
  };

  it.each([
    ["parse.unclosed_quote", line('campaign show "Summer')],
    ["command.empty", line("")],
    ["command.unknown", line("hepl")],
    ["command.unknown_sub", line("campaign frobnicate")],
    ["arg.missing", line("campaign show")],
    ["arg.unknown_flag", line('campaign create "X" --budjet 5')],
    ["arg.no_flags", line("campaign show X --foo 1")],
    ["arg.duplicate_flag", line("campaign list --status active --status draft")],
    ["arg.flag_needs_value", line("campaign list --status")],
    ["arg.unexpected", line("campaign list active")],
    ["arg.text_empty", line('campaign show ""')],
    ["arg.text_long", line(`campaign create "${"x".repeat(121)}" --budget 5 --start 2026-07-01 --end 2026-07-31 --objective sales`)],
    ["arg.amount", line('campaign create "X" --budget abc --start 2026-07-01 --end 2026-07-31 --objective sales')],
    ["arg.amount_negative", line('campaign create "X" --budget -5 --start 2026-07-01 --end 2026-07-31 --objective sales')],
    ["arg.currency", line('campaign create "X" --budget 5 --currency XXY --start 2026-07-01 --end 2026-07-31 --objective sales')],
    ["arg.date", line('campaign create "X" --budget 5 --start 2026-02-30 --end 2026-07-31 --objective sales')],
    ["arg.choice", line('campaign create "X" --budget 5 --start 2026-07-01 --end 2026-07-31 --objective fun')],
    ["arg.phone", line('creator add "X" --phone 0712345678')],
    ["arg.country", line('creator add "X" --location KEN')],
    ["arg.handle", line('creator add "X" --x way_too_long_for_x')],
    ["money.too_precise", () => toMinor("10.5", "JPY")],
    ["money.too_large", () => toMinor("99999999999999999999", "USD")],
  ] as const)("%s", (key, fn) => {
    const err = usageError(fn);
    expect(err.key).toBe(key);
    for (const locale of LOCALES) {
      const text = t(locale, err.key, err.vars);
      expect(text, `${locale}: ${text}`).not.toMatch(/\{\w+\}/);
      if (err.example) expect(t(locale, "error.example", { example: err.example })).toContain(err.example);
    }
  });
});
