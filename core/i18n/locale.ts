export const LOCALES = ["en", "pt"] as const;
export type Locale = (typeof LOCALES)[number];

/** Maps whatever a platform reports ("pt-BR", "pt_PT", "en-US", null) to a locale we speak. */
export function toLocale(tag: string | null | undefined, fallback: Locale = "en"): Locale {
  const base = tag?.toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base ?? "") ? (base as Locale) : fallback;
}
