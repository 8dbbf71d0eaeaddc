import type { StatusState } from "../records.js";
import { isReasonCode } from "../status-change.js";
import { locale, t, type WalletKey } from "../i18n.js";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400_000],
  ["month", 30 * 86400_000],
  ["day", 86400_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** "in 2 years", "il y a 3 jours", in the wallet's language. */
function relative(iso: string, now = new Date()): string {
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: "always" });
  const diff = Date.parse(iso) - now.getTime();
  for (const [unit, ms] of UNITS)
    if (Math.abs(diff) >= ms || unit === "minute") return rtf.format(Math.round(diff / ms), unit);
  return "";
}

/** "21 Nov 2026" / "21 nov. 2026". */
export function day(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return t("date.unknown");
  return new Date(iso).toLocaleDateString(locale(), {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** "21 Nov 2026, 14:03". */
export function dateTime(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return t("date.never");
  return new Date(iso).toLocaleString(locale(), {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Expiry in plain words: "Expires in 2 years (1 Jan 2028)", "Expired 3 days ago (…)". */
export function expiry(validUntil: string | undefined, now = new Date()): { text: string; expired: boolean } {
  if (!validUntil) return { text: t("expiry.none"), expired: false };
  const expired = Date.parse(validUntil) <= now.getTime();
  return {
    text: t(expired ? "expiry.past" : "expiry.future", {
      when: relative(validUntil, now),
      date: day(validUntil),
    }),
    expired,
  };
}

const SYMBOL: Record<StatusState, string> = {
  active: "✔",
  suspended: "‖",
  revoked: "✖",
  superseded: "↻",
  archived: "▣",
  unknown: "?",
};

/** Status words with a symbol, so status is never told by colour alone. */
export function statusLabel(state: StatusState): { symbol: string; word: string; explain: string } {
  return {
    symbol: SYMBOL[state],
    word: t(`state.${state}` as WalletKey),
    explain: t(`state.${state}.explain` as WalletKey),
  };
}

/** A public reason code in plain words, with what the holder can do about it. */
export function reasonWords(code: string): { words: string; todo: string } {
  const c = isReasonCode(code) ? code : "other";
  return { words: t(`reason.${c}` as WalletKey), todo: t(`reason.${c}.todo` as WalletKey) };
}

export const short = (s: string, n = 24): string =>
  s.length <= n ? s : `${s.slice(0, n - 8)}…${s.slice(-6)}`;
