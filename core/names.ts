import { closest, distance } from "fastest-levenshtein";

/** The form names are compared in: "  Summer  LAUNCH " and "summer launch" are the same campaign. */
export function nameKey(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLocaleLowerCase("en");
}

/** The nearest of the candidates, when it is near enough to be what was meant. */
export function suggest(typed: string, candidates: string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(nameKey(typed), candidates.map(nameKey));
  const index = candidates.map(nameKey).indexOf(best);
  return index >= 0 && similarEnough(nameKey(typed), best) ? candidates[index] : undefined;
}

/** A part of the name, or a few typos: about one edit in three characters. */
function similarEnough(a: string, b: string): boolean {
  return b.includes(a) || a.includes(b) || distance(a, b) <= Math.max(2, Math.floor(Math.min(a.length, b.length) / 3));
}
