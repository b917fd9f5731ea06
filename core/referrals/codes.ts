import type { Ids } from "../ids.ts";

/** Fewer letters than this and a name part is an initial ("J."), not something people recognise at checkout. */
const MIN_STEM = 2;
const MAX_STEM = 10;
/** Used when a name has no Latin letters to build a code from. */
const FALLBACK_STEM = "CLOUT";

/**
 * The readable part of a creator's code: their first name in capitals, accents
 * dropped ("Zoë Okafor" → "ZOE"), so it is easy to say on a video and to type
 * at checkout.
 */
export function codeStem(name: string): string {
  const words = name.normalize("NFKD").replace(/\p{M}/gu, "").toUpperCase().split(/\s+/).map((w) => w.replace(/[^A-Z]/g, ""));
  return (words.find((w) => w.length >= MIN_STEM) ?? FALLBACK_STEM).slice(0, MAX_STEM);
}

/**
 * A candidate code for the nth attempt: stem + two digits ("MURUGI25"), widening
 * to three and then four digits when a popular first name has used up the
 * shorter ones in the workspace. Digits come from the injected ids.
 */
export function candidateCode(stem: string, attempt: number, ids: Ids): string {
  const width = attempt < 8 ? 2 : attempt < 16 ? 3 : 4;
  const low = 10 ** (width - 1);
  const n = Number.parseInt(ids.uuid().replace(/-/g, "").slice(0, 8), 16);
  return `${stem}${low + (n % (9 * low))}`;
}

/** What a code is compared by: codes are typed in any case, so "murugi25" is MURUGI25. */
export const codeKey = (code: string): string => code.trim().toUpperCase();

/** /r/<slug>: ten characters of the unambiguous alphabet, about 49 bits, too many to enumerate. */
export const newSlug = (ids: Ids): string => ids.code(10).toLowerCase();
