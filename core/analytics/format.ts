import type { Locale } from "../i18n/locale.ts";

// Building an Intl.NumberFormat costs tens of microseconds; a profile shows dozens of figures.
const formats = new Map<string, Intl.NumberFormat>();
function format(locale: Locale, digits: number, signed: boolean): Intl.NumberFormat {
  const key = `${locale}|${digits}|${signed}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.NumberFormat(locale === "pt" ? "pt-BR" : "en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits, signDisplay: signed ? "exceptZero" : "auto" })));
  return f;
}

/** How the analytics' figures are written: counts whole, rates and scores to one decimal, changes with their sign. */
export function figures(locale: Locale) {
  return {
    count: (n: number) => format(locale, 0, false).format(n),
    signedCount: (n: number) => format(locale, 0, true).format(n),
    one: (n: number) => format(locale, 1, false).format(n),
    signedOne: (n: number) => format(locale, 1, true).format(n),
    two: (n: number) => format(locale, 2, false).format(n),
  };
}
