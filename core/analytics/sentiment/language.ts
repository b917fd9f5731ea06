import { STOP_WORDS } from "../stopwords.ts";
import { tokenize } from "../tokens.ts";

export const LANGUAGES = ["en", "pt"] as const;
export type Language = (typeof LANGUAGES)[number];
/** A comment too short or too mixed to tell (emoji only, a name, "ok"). */
export type DetectedLanguage = Language | "und";

/** Letters only Portuguese spelling uses: one of them is as good as a Portuguese stop word. */
const PORTUGUESE_LETTERS = /[ãõçâêôà]/iu;

/**
 * Counts each language's stop words (a word both lists hold counts for neither)
 * and takes the larger; a tie is undetermined.
 */
export function detectLanguage(text: string): DetectedLanguage {
  let en = 0;
  let pt = PORTUGUESE_LETTERS.test(text) ? 1 : 0;
  for (const word of tokenize(text)) {
    const inEn = STOP_WORDS.en.has(word);
    const inPt = STOP_WORDS.pt.has(word);
    if (inEn && !inPt) en++;
    if (inPt && !inEn) pt++;
  }
  if (en === pt) return "und";
  return en > pt ? "en" : "pt";
}
