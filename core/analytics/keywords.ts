import { isStopWord } from "./stopwords.ts";
import { tokenize } from "./tokens.ts";

/**
 * Keywords by TF-IDF: a creator's captions are one document, the workspace's
 * creators the corpus.
 *   tf(t)  = occurrences of t in the creator's captions / all their terms
 *   idf(t) = ln((1 + N) / (1 + df(t))) + 1, N creators with captions, df(t) of them using t
 * (the smoothed form: a term every creator uses still counts a little).
 * Terms are words of 3+ letters that are not stop words (English or
 * Portuguese) or numbers, and hashtags, kept with their "#".
 */
export const KEYWORDS_SHOWN = 10;

export function captionTerms(caption: string): string[] {
  return tokenize(caption).filter((t) => t.startsWith("#") ? t.length > 2 : t.length >= 3 && /\p{L}/u.test(t) && !isStopWord(t));
}

export interface Keyword {
  term: string;
  weight: number;
}

export interface Corpus {
  /** Creators with at least one term, this one included. */
  documents: number;
  /** Of those, how many use each term. */
  frequency: (term: string) => number;
}

export function termCounts(captions: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const caption of captions) for (const t of captionTerms(caption)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

export function topKeywords(counts: ReadonlyMap<string, number>, corpus: Corpus, shown = KEYWORDS_SHOWN): Keyword[] {
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  return [...counts]
    .map(([term, n]) => ({ term, weight: (n / total) * (Math.log((1 + corpus.documents) / (1 + corpus.frequency(term))) + 1) }))
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .slice(0, shown);
}
