import type { StatusState } from "../records.js";

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "always" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400_000],
  ["month", 30 * 86400_000],
  ["day", 86400_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** "in 2 years", "3 days ago". */
function relative(iso: string, now = new Date()): string {
  const diff = Date.parse(iso) - now.getTime();
  for (const [unit, ms] of UNITS)
    if (Math.abs(diff) >= ms || unit === "minute") return rtf.format(Math.round(diff / ms), unit);
  return "";
}

/** "21 Nov 2026". */
export function day(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return "unknown date";
  return new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** "21 Nov 2026, 14:03". */
export function dateTime(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return "never";
  return new Date(iso).toLocaleString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Expiry in plain words: "Expires in 2 years (1 Jan 2028)", "Expired 3 days ago (…)". */
export function expiry(validUntil: string | undefined, now = new Date()): { text: string; expired: boolean } {
  if (!validUntil) return { text: "No expiry date set", expired: false };
  const expired = Date.parse(validUntil) <= now.getTime();
  return {
    text: `${expired ? "Expired" : "Expires"} ${relative(validUntil, now)} (${day(validUntil)})`,
    expired,
  };
}

/** Status words with a symbol, so status is never told by colour alone. */
export const STATUS_LABEL: Record<StatusState, { symbol: string; word: string; explain: string }> = {
  active: { symbol: "✔", word: "Active", explain: "The issuer's records show it as current." },
  suspended: {
    symbol: "‖",
    word: "Suspended",
    explain: "The issuer has paused it for now; it is not current while suspended.",
  },
  revoked: { symbol: "✖", word: "Revoked", explain: "The issuer has withdrawn it for good." },
  superseded: { symbol: "↻", word: "Superseded", explain: "A corrected or renewed record replaces it." },
  archived: {
    symbol: "▣",
    word: "Archived",
    explain: "Kept as a memory only; it carries no current status.",
  },
  unknown: {
    symbol: "?",
    word: "Unknown",
    explain: "The status could not be checked; do not treat it as current.",
  },
};

export const short = (s: string, n = 24): string =>
  s.length <= n ? s : `${s.slice(0, n - 8)}…${s.slice(-6)}`;
