import type { Language } from "./language.ts";
import { EMOJI_WORDS } from "./lexicon-emoji.ts";
import { EN_CONTRASTS, EN_INTENSIFIERS, EN_NEGATORS, EN_WORDS } from "./lexicon-en.ts";
import { PT_CONTRASTS, PT_INTENSIFIERS, PT_NEGATORS, PT_WORDS } from "./lexicon-pt.ts";

export interface Lexicon {
  words: Map<string, number>;
  intensifiers: Map<string, number>;
  negators: Set<string>;
  contrasts: Set<string>;
  /** Where an intensifier may also come after its word ("lindo demais"). */
  postIntensifiers: Set<string>;
}

function weighted(list: string): Map<string, number> {
  return new Map(
    list
      .split(/\s+/)
      .filter(Boolean)
      .map((entry) => {
        const at = entry.lastIndexOf(":");
        return [entry.slice(0, at), Number(entry.slice(at + 1))] as const;
      }),
  );
}

const set = (list: string) => new Set(list.split(/\s+/).filter(Boolean));
const emoji = weighted(EMOJI_WORDS);

export const LEXICONS: Record<Language, Lexicon> = {
  en: { words: new Map([...weighted(EN_WORDS), ...emoji]), intensifiers: weighted(EN_INTENSIFIERS), negators: set(EN_NEGATORS), contrasts: set(EN_CONTRASTS), postIntensifiers: new Set() },
  pt: { words: new Map([...weighted(PT_WORDS), ...emoji]), intensifiers: weighted(PT_INTENSIFIERS), negators: set(PT_NEGATORS), contrasts: set(PT_CONTRASTS), postIntensifiers: set("demais mesmo") },
};

/** Both languages at once, for a comment whose language could not be told. */
export const EITHER: Lexicon = {
  words: new Map([...LEXICONS.pt.words, ...LEXICONS.en.words]),
  intensifiers: new Map([...LEXICONS.pt.intensifiers, ...LEXICONS.en.intensifiers]),
  negators: new Set([...LEXICONS.en.negators, ...LEXICONS.pt.negators]),
  contrasts: new Set([...LEXICONS.en.contrasts, ...LEXICONS.pt.contrasts]),
  postIntensifiers: LEXICONS.pt.postIntensifiers,
};

/**
 * Other forms of a word to try when it is not in the lexicon as written:
 * English plurals and tenses ("loves", "hated"), Portuguese gender and number
 * ("lindas" → "lindo") and the superlative ("lindissima" → "lindo", stronger),
 * and letters stretched for emphasis ("amooo" → "amo").
 */
const FORMS: Array<[RegExp, string, number]> = [
  [/(.)\1{2,}/g, "$1", 1.2],
  [/issim[oa]s?$/, "o", 1.5],
  [/s$/, "", 1],
  [/as$/, "o", 1],
  [/a$/, "o", 1],
  [/es$/, "", 1],
  [/ed$/, "", 1],
  [/ed$/, "e", 1],
  [/ing$/, "", 1],
  [/ing$/, "e", 1],
  [/ly$/, "", 1],
  [/zinh[oa]s?$/, "o", 1],
];

/** The word's intensity, or undefined when it carries none. */
export function valence(lexicon: Lexicon, word: string): number | undefined {
  const direct = lexicon.words.get(word);
  if (direct !== undefined) return direct;
  for (const [pattern, replacement, strength] of FORMS) {
    const form = word.replace(pattern, replacement);
    if (form === word) continue;
    const v = lexicon.words.get(form) ?? (strength > 1 ? valence(lexicon, form) : undefined);
    if (v !== undefined) return v * strength;
  }
  return undefined;
}
