import { en, type MessageKey } from "./en.ts";
import type { Locale } from "./locale.ts";
import { pt } from "./pt.ts";

export type { MessageKey };
export type MessageVars = Record<string, string | number>;

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, pt };

/** Looks a message up in the locale's catalog and fills its {placeholders}. */
export function t(locale: Locale, key: MessageKey, vars: MessageVars = {}): string {
  return CATALOGS[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type Translate = (key: MessageKey, vars?: MessageVars) => string;

export function translator(locale: Locale): Translate {
  return (key, vars) => t(locale, key, vars);
}
