/**
 * Words, hashtags and emoji of a caption or a comment, lower-case with accents
 * folded ("Não" → "nao"), so "otimo" typed on a phone matches "ótimo". Words
 * keep inner apostrophes ("don't"); hashtags keep their "#".
 */
const TOKEN = /#[\p{L}\p{N}_]+|[\p{L}\p{N}]+(?:['’][\p{L}]+)*|\p{Extended_Pictographic}/gu;

export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/’/g, "'");
}

export function tokenize(text: string): string[] {
  return fold(text).match(TOKEN) ?? [];
}
