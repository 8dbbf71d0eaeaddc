import type { StatusState, StoredCredential } from "./records.js";

/**
 * What a refresh changed, and why. Pure: the wallet's controller decides when to refresh
 * (status-schedule.ts) and stores the result. A failed check (`unknown`) is never a change: the
 * last established state stays in `lastKnown`, so going offline and back does not raise a note.
 */

/** The reason codes an issuer may give (docs/API.md `POST /v1/credentials/{id}/status`). */
const REASON_CODES = [
  "issued-in-error",
  "unsupported",
  "unsafe",
  "misclassified",
  "overclaimed",
  "duplicated",
  "superseded",
  "under-review",
  "expired-relevance",
  "other",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const isReasonCode = (v: unknown): v is ReasonCode => REASON_CODES.includes(v as ReasonCode);

/** The event kinds that put a credential into each non-active state. */
const KINDS_OF: Partial<Record<StatusState, string[]>> = {
  suspended: ["suspend"],
  revoked: ["revoke"],
  superseded: ["supersede", "renew"],
  archived: ["archive"],
};

/**
 * The reason code and start time of `state` from a verification report (`POST /v1/verify`):
 * the newest event of the matching kind in `checks.status.history`. Unknown shapes give `{}`.
 */
export function reasonFromReport(
  report: unknown,
  state: StatusState,
): { reason?: ReasonCode; since?: string } {
  const kinds = KINDS_OF[state];
  const status = (report as { checks?: { status?: { history?: unknown; since?: unknown } } } | null)?.checks
    ?.status;
  if (!kinds || !status || !Array.isArray(status.history)) return {};
  const events = status.history.filter(
    (e): e is { kind: string; at?: unknown; reason?: unknown } =>
      !!e && typeof e === "object" && kinds.includes((e as { kind?: unknown }).kind as string),
  );
  const last = events[events.length - 1];
  if (!last) return {};
  const out: { reason?: ReasonCode; since?: string } = {};
  if (isReasonCode(last.reason)) out.reason = last.reason;
  if (typeof last.at === "string") out.since = last.at;
  else if (typeof status.since === "string") out.since = status.since;
  return out;
}

/**
 * Folds a refreshed record into the stored one: keeps `lastKnown` (the last established state)
 * and raises `change` when an established state differs from the previous established one.
 * An unseen older change is replaced by the newer one (the note always tells the present).
 */
export function noteChange(prev: StoredCredential, next: StoredCredential, now: Date): StoredCredential {
  const before = prev.lastKnown ?? (prev.status.state !== "unknown" ? prev.status.state : undefined);
  const after = next.status.state;
  const out: StoredCredential = { ...next };
  if (prev.change) out.change = prev.change;
  if (after === "unknown") {
    if (before) out.lastKnown = before;
    return out;
  }
  out.lastKnown = after;
  if (before && before !== after) {
    out.change = {
      from: before,
      to: after,
      noticedAt: now.toISOString(),
      ...(next.status.since ? { since: next.status.since } : {}),
      ...(next.status.reason ? { reason: next.status.reason } : {}),
    };
  }
  return out;
}

/** The record with its change note acknowledged (removed). */
export function markSeen(rec: StoredCredential): StoredCredential {
  const { change: _seen, ...rest } = rec;
  return rest;
}
