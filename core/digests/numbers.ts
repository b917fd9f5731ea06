import { minorDigits } from "../money.ts";
import type { DigestFacts } from "./facts.ts";
import type { DigestText } from "./writer.ts";

/**
 * A digest never states a number the facts do not hold. Every number in a
 * text (counts, percentages, money, dates) must be one of the facts' values
 * as it could be shown: itself, its magnitude (a fall of 30 %), a ratio as a
 * percentage, minor units as major ones, compacted ("1.2k"), and rounded to
 * however many decimals the text wrote.
 */

/** Every value a text may quote, from every number (and every number inside a name or date) of the facts. */
export function heldValues(facts: DigestFacts): number[] {
  const digits = minorDigits(facts.currency);
  const out = new Set<number>();
  const hold = (x: number) => {
    for (const v of [x, x * 100]) {
      out.add(v);
      out.add(Math.abs(v));
    }
  };
  const walk = (value: unknown, key: string) => {
    if (typeof value === "number") {
      hold(value);
      if (/Minor$/.test(key)) hold(value / 10 ** digits);
    } else if (typeof value === "string") {
      for (const m of value.matchAll(/\d+/g)) hold(Number(m[0]));
    } else if (Array.isArray(value)) {
      hold(value.length);
      value.forEach((v) => walk(v, key));
    } else if (value && typeof value === "object") {
      // Ids are not figures: a uuid's digits would let made-up numbers through.
      for (const [k, v] of Object.entries(value)) if (k !== "id") walk(v, k);
    }
  };
  walk(facts, "");
  return [...out];
}

interface Written {
  text: string;
  /** Every reading of it (a "1.234" is 1.234 in English and 1234 in Portuguese), each with the decimals it was written with. */
  readings: { value: number; decimals: number }[];
}

const NUMBER = /\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?/g;
const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, mil: 1e3, mi: 1e6 };

function readings(raw: string, suffix: number): Written["readings"] {
  const out: Written["readings"] = [];
  const plain = raw.replace(/[\u00a0\u202f ]/g, "");
  for (const [group, decimal] of [[",", "."], [".", ","]] as const) {
    const parts = plain.split(group).join("").split(decimal);
    if (parts.length > 2) continue;
    const decimals = parts[1]?.length ?? 0;
    out.push({ value: Number(parts.join(".")) * suffix, decimals: decimals - Math.log10(suffix) });
  }
  return out;
}

/** The numbers written in a text, in any of the ways English or Portuguese write them. */
export function numbersIn(text: string): Written[] {
  const out: Written[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const after = text.slice(m.index + m[0].length).match(/^\s?(mil|mi|k|K|M)\b/);
    out.push({ text: m[0], readings: readings(m[0], after ? SUFFIX[after[1]!]! : 1) });
  }
  return out;
}

/** The numbers of the text that none of the held values rounds to. */
export function unheldNumbers(text: DigestText, facts: DigestFacts): string[] {
  const held = heldValues(facts);
  const all = [text.headline, text.summary, ...text.recommendations].join("\n");
  return numbersIn(all)
    .filter((w) => !w.readings.some((r) => held.some((h) => Math.abs(h - r.value) <= 0.5 * 10 ** -r.decimals + 1e-9)))
    .map((w) => w.text);
}
