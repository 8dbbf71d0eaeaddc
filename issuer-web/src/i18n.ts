import { format, pickLanguage, type Language } from "@meritlog/core";
import { EN, type ConsoleKey } from "./messages-en.js";
import { FR } from "./messages-fr.js";

/**
 * The console's language: the explicit choice (localStorage), else the browser's preferences,
 * else English. Every user-facing string goes through {@link t}.
 */
const CATALOGUES: Record<Language, Readonly<Record<ConsoleKey, string>>> = { en: EN, fr: FR };
const CHOICE_KEY = "meritlog.lang";
let current: Language = "en";

/** Chooses the language at start; sets `<html lang>`. */
export function initLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(CHOICE_KEY);
  } catch {
    /* storage blocked: the browser's preference decides */
  }
  current = pickLanguage([stored, ...(navigator.languages ?? []), navigator.language]);
  document.documentElement.lang = current;
  return current;
}

/** Switches and remembers the language; the caller re-renders. */
export function setLanguage(lang: Language): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(CHOICE_KEY, lang);
  } catch {
    /* switched for this visit only */
  }
}

export const language = (): Language => current;

export function t(key: ConsoleKey, values?: Record<string, string | number>): string {
  return format(CATALOGUES[current][key] ?? EN[key] ?? key, values);
}

export type { ConsoleKey };
