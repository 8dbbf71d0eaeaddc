import {
  DEFAULT_TREE_HASHER,
  TILE_WIDTH,
  entriesPath,
  leafHash,
  verifyInclusion,
} from "@meritlog/ledger/verify";
import { sha256Hex } from "@meritlog/core";
import { tileHasher } from "./tile-proof.js";
import { fromBase64, fromUtf8 } from "./encoding.js";
import type { HistoryItem, LogView, StatusState } from "./records.js";

/**
 * Lifecycle history from the public log, the way a log monitor reads it: the wallet downloads
 * whole entry bundles (C2SP tlog-tiles "Log entries", 256 entries each) from where it stopped, so
 * the server cannot tell which credential it looks for; entries about its own credentials (same
 * `credentialId` and `digest` = hex SHA-256 of the JWT) are then authenticated with an inclusion
 * proof against the checkpoint the wallet already verified (RFC 9162 §2.1.3.2), computed from the
 * public hash tiles (tile-proof.ts) rather than requested for that entry.
 */

/** Most bundles read per refresh (64 × 256 = 16,384 entries); the rest waits for the next refresh. */
const MAX_BUNDLES_PER_SCAN = 64;

export interface LogReader {
  /** An entry bundle, `tile/entries/…`. */
  bundle(path: string): Promise<Uint8Array>;
  /** A hash tile, `tile/<L>/…`. */
  tile(path: string): Promise<Uint8Array>;
}

export interface ScanResult {
  /** New authenticated events per credential id. */
  events: Map<string, HistoryItem[]>;
  /** Entries [0, scannedTo) have been read. */
  scannedTo: number;
  complete: boolean;
}

/** Splits an entry bundle: big-endian uint16 length, then the entry bytes. */
export function splitBundle(bundle: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o + 2 <= bundle.length) {
    const len = (bundle[o]! << 8) | bundle[o + 1]!;
    if (o + 2 + len > bundle.length) break;
    out.push(bundle.subarray(o + 2, o + 2 + len));
    o += 2 + len;
  }
  return out;
}

/**
 * Reads entries [from, view.size) (at most {@link MAX_BUNDLES_PER_SCAN} bundles) and returns the
 * authenticated events of the wanted credentials (`wanted`: credential id → hex SHA-256 of its JWT).
 */
export async function scanLog(
  view: LogView,
  from: number,
  wanted: Map<string, string>,
  reader: LogReader,
  maxBundles = MAX_BUNDLES_PER_SCAN,
): Promise<ScanResult> {
  const events = new Map<string, HistoryItem[]>();
  const size = view.size;
  const root = fromBase64(view.rootHash);
  const tiles = tileHasher(reader, size);
  let index = Math.max(0, from);
  let bundles = 0;
  while (index < size && bundles < maxBundles) {
    const n = Math.floor(index / TILE_WIDTH);
    const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
    const entries = splitBundle(
      await reader.bundle(entriesPath(n, width === TILE_WIDTH ? undefined : width)),
    );
    bundles++;
    for (let i = index - n * TILE_WIDTH; i < entries.length && n * TILE_WIDTH + i < size; i++) {
      const bytes = entries[i]!;
      const leafIndex = n * TILE_WIDTH + i;
      let e: { kind?: unknown; credentialId?: unknown; digest?: unknown; at?: unknown };
      try {
        e = JSON.parse(fromUtf8(bytes)) as typeof e;
      } catch {
        continue;
      }
      if (
        typeof e.credentialId !== "string" ||
        wanted.get(e.credentialId) !== e.digest ||
        typeof e.kind !== "string" ||
        typeof e.at !== "string"
      )
        continue;
      // Only an entry proven to be in the verified tree counts.
      const proof = await tiles.inclusionProof(leafIndex).catch(() => undefined);
      if (!proof || !verifyInclusion(DEFAULT_TREE_HASHER, leafHash(bytes), leafIndex, size, proof, root))
        continue;
      const list = events.get(e.credentialId) ?? [];
      list.push({ kind: e.kind, at: e.at, leafIndex });
      events.set(e.credentialId, list);
    }
    index = n * TILE_WIDTH + width;
  }
  return { events, scannedTo: Math.min(index, size), complete: index >= size };
}

/** Hex SHA-256 of a JWT (the `digest` of its log entries), as the verifier computes it. */
export async function jwtDigest(jwt: string): Promise<string> {
  return sha256Hex(jwt);
}

/** The state a credential's authenticated log history implies (last event of each kind wins). */
function historyState(history: HistoryItem[]): StatusState | undefined {
  let suspended = false;
  let final: StatusState | undefined;
  for (const e of [...history].sort((a, b) => (a.leafIndex ?? 0) - (b.leafIndex ?? 0))) {
    if (e.kind === "revoke") final = "revoked";
    else if ((e.kind === "supersede" || e.kind === "renew") && final !== "revoked") final = "superseded";
    else if (e.kind === "archive" && final === undefined) final = "archived";
    else if (e.kind === "suspend") suspended = true;
    else if (e.kind === "reinstate") suspended = false;
  }
  return final ?? (suspended ? "suspended" : undefined);
}

/**
 * The display state. Status lists only carry "revoked" and "suspended" bits (superseding, renewal
 * and archiving set the revocation bit too) and may lag the record by a moment; the authenticated
 * log history names the event. Negative facts from either source win: the result is never more
 * current than either says.
 */
export function refineState(state: StatusState, history: HistoryItem[]): StatusState {
  const fromLog = historyState(history);
  if (fromLog === "revoked" || fromLog === "superseded" || fromLog === "archived") return fromLog;
  if (fromLog === "suspended" && (state === "active" || state === "unknown")) return "suspended";
  return state;
}
