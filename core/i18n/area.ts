/**
 * One concept's messages in both languages, kept beside its code; en.ts and
 * pt.ts spread them in. Portuguese must have every English key.
 */
export function messages<const E extends Record<string, string>>(m: { en: E; pt: Record<keyof E, string> }): { en: E; pt: Record<keyof E, string> } {
  return m;
}
