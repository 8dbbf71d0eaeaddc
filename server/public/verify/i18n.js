// The language of the /verify and share pages: the visitor's explicit choice (localStorage), else
// the browser's preferences, else English. Every string the pages write comes from messages.js;
// static text in the HTML carries `data-i18n` (text) or `data-i18n-attr="attr:key"` and is filled
// here. Dates are formatted by Intl in the same language. No framework and no build step.
import { MESSAGES } from "./messages.js";

const CHOICE_KEY = "meritlog.lang";
const SUPPORTED = Object.keys(MESSAGES);

function stored() {
  try {
    return localStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

function pick(prefs) {
  for (const p of prefs) {
    const primary = String(p || "")
      .toLowerCase()
      .split(/[-_]/)[0];
    if (SUPPORTED.includes(primary)) return primary;
  }
  return "en";
}

let lang = pick([stored(), ...(navigator.languages || []), navigator.language]);

export const language = () => lang;
export const locale = () => (lang === "fr" ? "fr-FR" : "en-GB");

/** The text of `key`, `{name}` placeholders filled from `values`; English when a key is missing. */
export function t(key, values = {}) {
  const text = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, k) => (Object.hasOwn(values, k) ? String(values[k]) : m));
}

/** True when the page's language has its own text for `key` (no English stand-in). */
export const hasText = (key) => Object.hasOwn(MESSAGES[lang], key);

/** Fills every `data-i18n` element and `data-i18n-attr` attribute under `root`; sets `<html lang>`. */
export function applyStatic(root = document) {
  document.documentElement.lang = lang;
  for (const e of root.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll("[data-i18n-attr]"))
    for (const pair of e.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      e.setAttribute(attr, t(key));
    }
  const title = document.querySelector("title[data-i18n]");
  if (title) document.title = title.textContent;
}

/**
 * The language switch: a button naming the other language in that language. `onSwitch` re-renders
 * whatever the page drew from data (the report); the static text is refilled here.
 */
export function languageSwitch(onSwitch) {
  const button = document.createElement("button");
  button.type = "button";
  button.id = "lang-switch";
  button.className = "secondary lang-switch no-print";
  const label = () => {
    const other = lang === "fr" ? "en" : "fr";
    button.textContent = MESSAGES[other]["lang.name"];
    button.lang = other;
  };
  label();
  button.addEventListener("click", () => {
    lang = lang === "fr" ? "en" : "fr";
    try {
      localStorage.setItem(CHOICE_KEY, lang);
    } catch {
      /* switched for this visit only */
    }
    applyStatic();
    label();
    onSwitch?.();
    button.focus();
  });
  return button;
}
