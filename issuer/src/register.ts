// The public register (docs/API.md "Public register"): public-safe aggregate counts of what this
// service has issued, by issuer, type, state and month. Only four fields of each record are read
// (issuer id, type, state, creation time): never a holder DID, a claim or a JWT. Counts of 1–4
// are suppressed, and when a table would hide a single cell, the next smallest is hidden too, so
// no hidden cell can be recovered by subtracting the shown ones from the total.
import type { CredentialState } from "./records.js";

/** Cells below this count are never published. */
export const REGISTER_MIN_CELL = 5;

/** One row of a register table; `count` is null when suppressed. */
export interface RegisterCell {
  key: string;
  /** For issuer rows: the issuer's public name and DID from the registry. */
  label?: string;
  count: number | null;
}

export interface RegisterStats {
  generatedAt: string;
  minCell: number;
  /** All credentials; null when fewer than `minCell`. */
  total: number | null;
  byIssuer: RegisterCell[];
  byType: RegisterCell[];
  byState: RegisterCell[];
  /** `YYYY-MM` of issuance (UTC). */
  byMonth: RegisterCell[];
  /** How many cells each table suppressed. */
  suppressed: { issuer: number; type: number; state: number; month: number };
}

/** The only fields the register reads from a credential record. */
export interface RegisterRow {
  issuerId: string;
  type: string;
  state: CredentialState | string;
  createdAt: string;
}

/** Counts of one dimension with primary and secondary suppression. */
function table(
  counts: Map<string, number>,
  labels: (key: string) => string | undefined,
  min: number,
): { cells: RegisterCell[]; hidden: number } {
  const entries = [...counts.entries()].filter(([, n]) => n > 0);
  const hide = new Set(entries.filter(([, n]) => n < min).map(([k]) => k));
  if (hide.size === 1) {
    // Secondary suppression: one hidden cell would be total − the others.
    const smallest = entries.filter(([k]) => !hide.has(k)).sort((a, b) => a[1] - b[1])[0];
    if (smallest) hide.add(smallest[0]);
  }
  const cells = entries
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([key, n]): RegisterCell => {
      const label = labels(key);
      return { key, ...(label !== undefined ? { label } : {}), count: hide.has(key) ? null : n };
    });
  return { cells, hidden: hide.size };
}

/** Aggregates rows into the public register. Pure: the caller passes the clock and the issuer names. */
export function aggregateRegister(
  rows: Iterable<RegisterRow>,
  issuers: ReadonlyMap<string, { name: string }>,
  now: Date,
  min = REGISTER_MIN_CELL,
): RegisterStats {
  const by = {
    issuer: new Map<string, number>(),
    type: new Map<string, number>(),
    state: new Map<string, number>(),
    month: new Map<string, number>(),
  };
  let total = 0;
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const r of rows) {
    total++;
    bump(by.issuer, r.issuerId);
    bump(by.type, r.type);
    bump(by.state, r.state);
    bump(by.month, /^\d{4}-\d{2}/.test(r.createdAt) ? r.createdAt.slice(0, 7) : "unknown");
  }
  const none = (): undefined => undefined;
  const issuer = table(by.issuer, (id) => issuers.get(id)?.name, min);
  const type = table(by.type, none, min);
  const state = table(by.state, none, min);
  const month = table(by.month, none, min);
  return {
    generatedAt: now.toISOString(),
    minCell: min,
    total: total >= min ? total : null,
    byIssuer: issuer.cells,
    byType: type.cells,
    byState: state.cells,
    byMonth: month.cells,
    suppressed: { issuer: issuer.hidden, type: type.hidden, state: state.hidden, month: month.hidden },
  };
}
