import { tokenize } from "../tokens.ts";
import { detectLanguage, type DetectedLanguage } from "./language.ts";
import { EITHER, LEXICONS, valence, type Lexicon } from "./lexicon.ts";
import { LONGEST_PHRASE, PHRASES } from "./phrases.ts";

export type SentimentLabel = "positive" | "negative" | "neutral";

export interface Sentiment {
  language: DetectedLanguage;
  /** -1 (as negative as it gets) to 1. */
  score: number;
  label: SentimentLabel;
}

/**
 * The rules, after VADER (Hutto & Gilbert, 2014) in a small form:
 * - a word's intensity comes from its language's lexicon (-4..4);
 * - a negator up to three words before it, in the same clause (a comma or a
 *   full stop ends its reach: "não vou comprar, caro demais" is two complaints), turns it around at 0.74 of its
 *   strength ("not good" is less bad than "bad"), and only the first such word
 *   after it ("never disappoints 👏" keeps the applause); two cancel ("não tem como
 *   não amar"), and "nothing/nada" comparing ("nada mais perfeito", "nothing
 *   so cute") is praise, not negation;
 * - intensifiers before it (and "demais"/"mesmo" after it in Portuguese) scale it;
 * - after "but"/"mas" words count 1.5×, before it 0.5×;
 * - each "!" (up to four) adds 8 %; a question counts half ("is it greasy?");
 * - the sum s is squashed to s / √(s² + 15), so one strong word is about ±0.6.
 */
export const SENTIMENT_RULES = {
  negationScope: 3,
  negationFactor: -0.74,
  intensifierScope: 2,
  beforeContrast: 0.5,
  afterContrast: 1.5,
  exclamationBoost: 0.08,
  question: 0.5,
  maxExclamations: 4,
  squash: 15,
  /** |score| below this is neutral. */
  neutralBand: 0.1,
} as const;

const R = SENTIMENT_RULES;

export function analyzeSentiment(text: string): Sentiment {
  const language = detectLanguage(text);
  const exclamations = Math.min((text.match(/!/g) ?? []).length, R.maxExclamations);
  const asked = text.trim().endsWith("?") ? R.question : 1;
  const sum = sentimentSum(clauses(text), language === "und" ? EITHER : LEXICONS[language]) * asked * (1 + R.exclamationBoost * exclamations);
  const boosted = sum / Math.sqrt(sum * sum + R.squash);
  return { language, score: boosted, label: labelOf(boosted) };
}

export function labelOf(score: number): SentimentLabel {
  if (score >= R.neutralBand) return "positive";
  if (score <= -R.neutralBand) return "negative";
  return "neutral";
}

interface Hit {
  at: number;
  value: number;
}

interface Clauses {
  tokens: string[];
  /** The index of the first token of the clause each token is in. */
  clauseStart: number[];
}

function clauses(text: string): Clauses {
  const tokens: string[] = [];
  const clauseStart: number[] = [];
  for (const part of text.split(/[,.;:!?()]+/)) {
    const start = tokens.length;
    for (const token of tokenize(part)) {
      tokens.push(token);
      clauseStart.push(start);
    }
  }
  return { tokens, clauseStart };
}

function sentimentSum({ tokens, clauseStart }: Clauses, lex: Lexicon): number {
  const hits: Hit[] = [];
  // Words a phrase or a negation has already used: a negator turns one sentiment word, not every one after it.
  const used = new Set<number>();
  let contrastAt = -1;
  let i = 0;
  while (i < tokens.length) {
    const phrase = phraseAt(tokens, i);
    if (phrase) {
      const negated = !lex.negators.has(tokens[i]!) && negatedAt(tokens, i, clauseStart[i]!, lex, used);
      hits.push({ at: i, value: phrase.value * (negated ? R.negationFactor : 1) });
      for (let j = i; j < i + phrase.length; j++) used.add(j);
      i += phrase.length;
      continue;
    }
    const word = tokens[i]!;
    if (lex.contrasts.has(word) && contrastAt < 0) contrastAt = i;
    const v = valence(lex, word);
    if (v !== undefined && !actsAsIntensifier(tokens, i, lex)) {
      let value = v * intensity(tokens, i, lex);
      if (negatedAt(tokens, i, clauseStart[i]!, lex, used)) value *= R.negationFactor;
      hits.push({ at: i, value });
    }
    i++;
  }
  return hits.reduce((s, h) => s + h.value * (contrastAt < 0 ? 1 : h.at < contrastAt ? R.beforeContrast : R.afterContrast), 0);
}

function phraseAt(tokens: string[], i: number): { value: number; length: number } | undefined {
  for (let n = Math.min(LONGEST_PHRASE, tokens.length - i); n >= 2; n--) {
    const value = PHRASES.get(tokens.slice(i, i + n).join(" "));
    if (value !== undefined) return { value, length: n };
  }
  return undefined;
}

/** "pretty good", "bem legal", "lindo demais": the first or last word only scales the other. */
function actsAsIntensifier(tokens: string[], i: number, lex: Lexicon): boolean {
  const word = tokens[i]!;
  const next = tokens[i + 1];
  const prev = tokens[i - 1];
  if (lex.intensifiers.has(word) && next !== undefined && valence(lex, next) !== undefined) return true;
  return lex.postIntensifiers.has(word) && prev !== undefined && valence(lex, prev) !== undefined;
}

function intensity(tokens: string[], i: number, lex: Lexicon): number {
  let factor = 1;
  for (let j = Math.max(0, i - R.intensifierScope); j < i; j++) factor *= lex.intensifiers.get(tokens[j]!) ?? 1;
  const after = tokens[i + 1];
  if (after !== undefined && lex.postIntensifiers.has(after)) factor *= lex.intensifiers.get(after) ?? 1;
  return factor;
}

const COMPARING = new Set(["nada", "nothing", "ninguem", "nobody"]);
const COMPARATIVES = new Set(["tao", "mais", "more", "so", "as"]);

/** An odd number of unused negators in the words just before, none of them comparing; those found are used up. */
function negatedAt(tokens: string[], i: number, clauseStart: number, lex: Lexicon, used: Set<number>): boolean {
  const negators: number[] = [];
  for (let j = i - 1; j >= Math.max(clauseStart, i - R.negationScope); j--) {
    const word = tokens[j]!;
    if (lex.contrasts.has(word)) break;
    if (used.has(j) || !lex.negators.has(word)) continue;
    if (COMPARING.has(word) && COMPARATIVES.has(tokens[j + 1] ?? "")) continue;
    negators.push(j);
  }
  for (const j of negators) used.add(j);
  return negators.length % 2 === 1;
}
