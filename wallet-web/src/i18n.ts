import { format, pickLanguage, type Language } from "@meritlog/core";
import { EN, type WalletKey } from "./messages-en.js";
import { FR } from "./messages-fr.js";

/**
 * The wallet's language: the holder's explicit choice (kept in localStorage; it is not secret and
 * must work before unlock), else the browser's preferences, else English. Every user-facing string
 * goes through {@link t}; dates and numbers through `Intl` in the same language.
 */
const CATALOGUES: Record<Language, Readonly<Record<WalletKey, string>>> = { en: EN, fr: FR };
const CHOICE_KEY = "meritlog.lang";
let current: Language = "en";

function storedChoice(): string | null {
  try {
    return globalThis.localStorage?.getItem(CHOICE_KEY) ?? null;
  } catch {
    return null; // storage blocked: fall back to the browser's preference
  }
}

/** Chooses the language at start; sets `<html lang>`. */
export function initLanguage(): Language {
  const prefs = typeof navigator === "undefined" ? [] : [...(navigator.languages ?? []), navigator.language];
  return setLanguage(pickLanguage([storedChoice(), ...prefs]), false);
}

/** Switches language (the caller re-renders); `remember` keeps the choice for next time. */
export function setLanguage(lang: Language, remember = true): Language {
  current = lang;
  if (typeof document !== "undefined") document.documentElement.lang = lang;
  if (remember)
    try {
      globalThis.localStorage?.setItem(CHOICE_KEY, lang);
    } catch {
      /* not remembered; still switched */
    }
  return lang;
}

export const language = (): Language => current;

/** The text of `key` in the current language, placeholders filled. */
export function t(key: WalletKey, values?: Record<string, string | number>): string {
  return format(CATALOGUES[current][key] ?? EN[key], values);
}

/** `Intl` locale for the current language (dates as "21 Nov 2026" / "21 nov. 2026"). */
export const locale = (): string => (current === "fr" ? "fr-FR" : "en-GB");

export type { WalletKey };
