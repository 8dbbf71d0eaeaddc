import type { ServiceContext } from "./context.js";
import type { CredentialRecord, CredentialState } from "./records.js";

/** Filters of `GET /v1/credentials` (docs/API.md "What an issuer has issued"). */
export interface CredentialQuery {
  type?: CredentialRecord["type"];
  state?: CredentialState;
  subject?: string;
  offer?: string;
  /** Issued at or after (ISO 8601). */
  since?: string;
  /** Issued before (ISO 8601). */
  until?: string;
  limit?: number;
  /** The last id of the previous page. */
  cursor?: string;
}

/** One row of the listing (JSON and CSV carry the same columns). */
export interface CredentialListItem {
  id: string;
  type: CredentialRecord["type"];
  name: string;
  subject: string;
  state: CredentialState;
  issuedAt: string;
  validUntil: string | null;
  offerId?: string;
}

export const CREDENTIAL_LIST_COLUMNS = [
  "id",
  "type",
  "name",
  "subject",
  "state",
  "issuedAt",
  "validUntil",
  "offerId",
] as const;

function itemOf(r: CredentialRecord): CredentialListItem {
  return {
    id: r.id,
    type: r.type,
    name: r.name ?? "",
    subject: r.subject ?? "",
    state: r.state,
    issuedAt: r.createdAt,
    validUntil: r.validUntil ?? null,
    ...(r.offerId !== undefined ? { offerId: r.offerId } : {}),
  };
}

/** The issuer's credentials, newest first, filtered; `next` is the cursor of the following page or null. */
export async function listCredentials(
  ctx: ServiceContext,
  issuerId: string,
  q: CredentialQuery,
): Promise<{ items: CredentialListItem[]; next: string | null }> {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  const since = q.since !== undefined ? Date.parse(q.since) : undefined;
  const until = q.until !== undefined ? Date.parse(q.until) : undefined;
  const items: CredentialListItem[] = [];
  for await (const id of ctx.records.idsOf(issuerId, q.cursor)) {
    const r = await ctx.records.get(id);
    if (!r) continue;
    const at = Date.parse(r.createdAt);
    // Newest first: once below `since`, every later id is older still.
    if (since !== undefined && at < since) break;
    if (until !== undefined && at >= until) continue;
    if (q.type !== undefined && r.type !== q.type) continue;
    if (q.state !== undefined && r.state !== q.state) continue;
    if (q.subject !== undefined && r.subject !== q.subject) continue;
    if (q.offer !== undefined && r.offerId !== q.offer) continue;
    if (items.length === limit) return { items, next: items[items.length - 1]!.id };
    items.push(itemOf(r));
  }
  return { items, next: null };
}

/** RFC 4180 CSV of listing rows (header line first, CRLF line ends, fields quoted when needed). */
export function credentialsCsv(items: readonly CredentialListItem[]): string {
  const cell = (v: unknown): string => {
    const s = v === undefined || v === null ? "" : String(v);
    // A leading =, +, - or @ would be run as a formula by spreadsheet programs (OWASP "CSV injection").
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [CREDENTIAL_LIST_COLUMNS.join(",")];
  for (const it of items)
    lines.push(
      CREDENTIAL_LIST_COLUMNS.map((c) => cell((it as unknown as Record<string, unknown>)[c])).join(","),
    );
  return `${lines.join("\r\n")}\r\n`;
}
