import { UsageError } from "./errors.ts";

/** Money is integer minor units with an ISO 4217 currency, never a float. */
export interface Money {
  minor: number;
  currency: string;
}

const KNOWN = new Set(Intl.supportedValuesOf("currency"));

export function isCurrency(code: string): boolean {
  return KNOWN.has(code.toUpperCase());
}

// Building an Intl.NumberFormat costs tens of microseconds; a list of campaigns would build dozens per reply.
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, { style: "currency", currency })));
  return f;
}

/** Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return formatter("en", currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "15,000.50" in USD → 1500050. The decimal string must already be validated as digits. */
export function toMinor(decimal: string, currency: string): number {
  const digits = minorDigits(currency);
  const [whole = "0", fraction = ""] = decimal.replace(/,/g, "").split(".");
  if (fraction.length > digits) {
    throw new UsageError("money.too_precise", { amount: decimal, currency, digits });
  }
  const minor = Number(whole + fraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) throw new UsageError("money.too_large", { amount: decimal });
  return minor;
}

export function formatMoney(money: Money, locale = "en"): string {
  const digits = minorDigits(money.currency);
  return formatter(locale, money.currency).format(money.minor / 10 ** digits);
}

/** 150050 in USD → "1500.50": the amount as a user would type it back. */
export function toDecimal(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(Math.abs(minor)).padStart(digits + 1, "0");
  const fraction = s.slice(-digits).replace(/0+$/, "");
  return `${minor < 0 ? "-" : ""}${s.slice(0, -digits)}${fraction ? `.${fraction.padEnd(2, "0").slice(0, Math.max(2, fraction.length))}` : ""}`;
}
