import type { Locale } from "../i18n/locale.ts";
import type { DigestFacts } from "./facts.ts";

/** What a digest says, above its figures and chart. */
export interface DigestText {
  headline: string;
  summary: string;
  recommendations: string[];
}

/**
 * Port: turns facts into words. The built-in writer needs nothing; a model
 * behind an API (ai/openai) may fail, time out or make a number up, which is
 * why its text passes through checkedText before anyone reads it.
 */
export interface DigestWriter {
  /** Names it in logs ("openai:gpt-4o-mini"). */
  readonly name: string;
  write(facts: DigestFacts, locale: Locale): Promise<DigestText>;
}
