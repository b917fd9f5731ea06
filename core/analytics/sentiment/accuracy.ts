import { analyzeSentiment, type SentimentLabel } from "./analyze.ts";
import type { Language } from "./language.ts";
import { EN_LABELLED } from "./labelled/en.ts";
import { EN_HELD_OUT, PT_HELD_OUT } from "./labelled/held-out.ts";
import { PT_LABELLED } from "./labelled/pt.ts";

export interface Labelled {
  text: string;
  label: SentimentLabel;
}

const LABELS: Record<string, SentimentLabel> = { "+": "positive", "-": "negative", "0": "neutral" };

export function parseLabelled(lines: string): Labelled[] {
  return lines
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => ({ label: LABELS[l[0]!]!, text: l.slice(2) }));
}

/** The sets the lexicons were tuned on. */
export const LABELLED: Record<Language, Labelled[]> = { en: parseLabelled(EN_LABELLED), pt: parseLabelled(PT_LABELLED) };
/** Written afterwards and never tuned on (labelled/held-out.ts). */
export const HELD_OUT: Record<Language, Labelled[]> = { en: parseLabelled(EN_HELD_OUT), pt: parseLabelled(PT_HELD_OUT) };

export interface Accuracy {
  total: number;
  correct: number;
  /** correct / total, 0..1. */
  accuracy: number;
  /** How many comments of the set the detector put in the set's own language. */
  languageDetected: number;
  /** expected → predicted → count. */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
  misses: Array<Labelled & { predicted: SentimentLabel; score: number }>;
}

export function measure(set: Labelled[], language: Language): Accuracy {
  const zero = () => ({ positive: 0, negative: 0, neutral: 0 });
  const confusion = { positive: zero(), negative: zero(), neutral: zero() };
  const misses: Accuracy["misses"] = [];
  let languageDetected = 0;
  for (const item of set) {
    const s = analyzeSentiment(item.text);
    confusion[item.label][s.label]++;
    if (s.language === language) languageDetected++;
    if (s.label !== item.label) misses.push({ ...item, predicted: s.label, score: s.score });
  }
  const correct = set.length - misses.length;
  return { total: set.length, correct, accuracy: correct / set.length, languageDetected, confusion, misses };
}
