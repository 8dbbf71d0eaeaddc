/**
 * Message catalogues for the browser apps (wallet, issuer console): one flat key → text map per
 * language, `{name}` placeholders filled from named values. English is the source catalogue; every
 * other catalogue must have every English key (the apps' tests check it, and the `Catalogue<K>`
 * type makes a missing key a compile error). Pure: the caller says which language to use.
 */

/** The languages the apps ship; BCP 47 primary subtags. */
export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

/** A catalogue with exactly the keys `K`. */
export type Catalogue<K extends string> = Readonly<Record<K, string>>;

/**
 * The first supported language in the user's preference list (`navigator.languages`), by primary
 * subtag ("fr-CA" → "fr"); English when none matches. An explicit choice goes first in `prefs`.
 */
export function pickLanguage(prefs: readonly (string | null | undefined)[]): Language {
  for (const p of prefs) {
    const primary = (p ?? "").toLowerCase().split(/[-_]/)[0];
    const hit = LANGUAGES.find((l) => l === primary);
    if (hit) return hit;
  }
  return "en";
}

/** Fills `{name}` placeholders; a placeholder without a value stays visible, so a gap is noticed. */
export function format(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(values, k) ? String(values[k]) : m));
}

/** The keys of `source` that `other` lacks or leaves empty (for catalogue completeness tests). */
export function missingKeys(source: Record<string, string>, other: Record<string, string>): string[] {
  return Object.keys(source).filter((k) => typeof other[k] !== "string" || other[k].trim() === "");
}
