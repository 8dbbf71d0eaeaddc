// The request side both logs share: the checks of the options and of request arguments
// (log.bad_request, log.size_out_of_range, log.not_found) and the reads of proofs, entries, hash
// tiles and entry bundles from a head through the backend's TreeReader. Which head a read sees is
// the backend's choice (the LevelDB log: its durable head; the PostgreSQL log: refreshed first
// when a request reaches beyond it), so every method takes it.
import { toBase64 } from "@meritlog/core";
import type { Head } from "./batch.js";
import { LedgerError } from "./errors.js";
import type { AppendResult } from "./log.js";
import { consistencyRanges, inclusionRanges } from "./proofs.js";
import { RecordCache, bundleKey, bundlePrefixLength, decodeBundle } from "./store.js";
import type { NoteSigner } from "./signer.js";
import type { TreeReader } from "./tree-reader.js";
import { POW2, shr } from "./tree-math.js";
import { isValidKeyName } from "./verify/note.js";
import type { Receipt } from "./verify/receipt.js";

const MAX_ENTRY = 0xffff; // uint16 length prefix in entry bundles (C2SP tlog-tiles "Log entries")
const decoder = new TextDecoder();

export const isIndex = (n: unknown): n is number =>
  typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/** An append waiting for its batch to be durable. */
export interface PendingAppend {
  entry: Uint8Array;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

/**
 * @throws LedgerError `log.bad_request` for an origin that cannot be a checkpoint origin,
 * `log.malformed_key` for a key not named after it
 */
export function checkOriginAndSigner(origin: string, signer: NoteSigner): void {
  // c2sp.org/tlog-checkpoint: the origin is one non-empty line; signed-note: the key name has no
  // spaces or '+'; receipts are verified by a key whose name is the origin.
  if (typeof origin !== "string" || !isValidKeyName(origin))
    throw new LedgerError("log.bad_request", "the log origin must be a non-empty line without spaces or '+'");
  if (signer.name !== origin)
    throw new LedgerError(
      "log.malformed_key",
      `the log key is named "${signer.name}", not the origin "${origin}"`,
    );
}

/** Why `entry` cannot be queued now, or undefined when it can. */
export function appendRefusal(
  entry: unknown,
  closed: boolean,
  queued: number,
  maxPending: number,
): LedgerError | undefined {
  if (closed) return new LedgerError("log.closed", "the log is closed");
  if (!(entry instanceof Uint8Array)) return new LedgerError("log.bad_request", "entry must be bytes");
  if (entry.length > MAX_ENTRY)
    return new LedgerError("log.entry_too_large", `entries are at most ${MAX_ENTRY} bytes`);
  // Push back instead of queueing without bound; the server answers 503 with Retry-After.
  if (queued >= maxPending)
    return new LedgerError("log.overloaded", "the log is at capacity; retry shortly", {
      retryAfterSeconds: 1,
    });
  return undefined;
}

/** @throws LedgerError `log.bad_request` for bad tile coordinates (c2sp.org/tlog-tiles). */
export function checkTileArgs(level: number, index: number, width: number): void {
  if (
    !isIndex(level) ||
    level > 63 ||
    !isIndex(index) ||
    !Number.isInteger(width) ||
    width < 1 ||
    width > 256
  )
    throw new LedgerError("log.bad_request", "bad tile coordinates");
}

/** @throws LedgerError `log.bad_request` for bad entry bundle coordinates. */
export function checkBundleArgs(index: number, width: number): void {
  if (!isIndex(index) || !Number.isInteger(width) || width < 1 || width > 256)
    throw new LedgerError("log.bad_request", "bad bundle coordinates");
}

/** Proofs, entries, tiles and bundles of a head, with the checks that depend on its size. */
export class LogReads {
  private readonly bundleCache: RecordCache;

  constructor(
    private readonly origin: string,
    private readonly reader: TreeReader,
    bundleCacheBytes: number,
  ) {
    this.bundleCache = new RecordCache(bundleCacheBytes);
  }

  /** The proof of the last receipt and its base64 form (see {@link receipt}). */
  private lastProof: readonly Uint8Array[] = [];
  private lastProofBase64: readonly string[] = [];

  receipt(entry: Uint8Array, r: AppendResult): Receipt {
    // The appends of one batch take their proofs from the batch's own nodes (batch.ts
    // appendResults) and ask for their receipts in leaf order: neighbouring leaves share every
    // sibling above the level where their paths join (RFC 9162 §2.1.3.1), so a sibling node that
    // is the very object of the last receipt's proof is encoded once and its text shared. A
    // batch of 1000 encodes ~2,000 hashes instead of ~14,000, and keeps one string of each.
    const last = this.lastProof;
    const lastBase64 = this.lastProofBase64;
    const inclusionProof = r.inclusionProof.map((h, i) => (last[i] === h ? lastBase64[i]! : toBase64(h)));
    // Copies, so a caller that changes its receipt cannot change the next one.
    this.lastProof = r.inclusionProof.slice();
    this.lastProofBase64 = inclusionProof.slice();
    return {
      origin: this.origin,
      leafIndex: r.leafIndex,
      entry: decoder.decode(entry),
      inclusionProof,
      checkpoint: r.checkpoint,
    };
  }

  /** @throws LedgerError `log.size_out_of_range` (arguments already checked with isIndex) */
  async inclusionProof(head: Head, index: number, n: number): Promise<Uint8Array[]> {
    if (n > head.size)
      throw new LedgerError(
        "log.size_out_of_range",
        `tree size ${n} is beyond the current size ${head.size}`,
      );
    if (index >= n)
      throw new LedgerError("log.size_out_of_range", `leaf index ${index} is not below tree size ${n}`);
    return await this.reader.rangeHashes(head, inclusionRanges(index, n));
  }

  /** @throws LedgerError `log.size_out_of_range` (arguments already checked with isIndex) */
  async consistencyProof(head: Head, first: number, n: number): Promise<Uint8Array[]> {
    if (n > head.size)
      throw new LedgerError(
        "log.size_out_of_range",
        `tree size ${n} is beyond the current size ${head.size}`,
      );
    if (first > n)
      throw new LedgerError("log.size_out_of_range", `first size ${first} is above second size ${n}`);
    return await this.reader.rangeHashes(head, consistencyRanges(first, n));
  }

  /** @throws LedgerError `log.not_found`, `log.corrupt` (index already checked with isIndex) */
  async entry(head: Head, index: number): Promise<Uint8Array> {
    if (index >= head.size)
      throw new LedgerError("log.not_found", `no entry ${index}; the log has ${head.size}`);
    const bundle = await this.bundleRecord(head, Math.floor(index / 256));
    const e = decodeBundle(bundle)[index % 256];
    if (e === undefined)
      throw new LedgerError("log.corrupt", `entry bundle ${Math.floor(index / 256)} is short`);
    return new Uint8Array(e);
  }

  /** @throws LedgerError `log.not_found` (coordinates already checked with checkTileArgs) */
  async tile(head: Head, level: number, index: number, width: number): Promise<Uint8Array> {
    const h = 8 * level;
    const count = h < POW2.length ? shr(head.size, h) : 0;
    // c2sp.org/tlog-tiles: a tile exists only once the tree has all its hashes.
    if (index * 256 + width > count)
      throw new LedgerError(
        "log.not_found",
        `tile ${level}/${index} of width ${width} is not in the tree of size ${head.size}`,
      );
    const rec = await this.reader.record(head, h, index);
    return rec.subarray(0, width * 32);
  }

  /** @throws LedgerError `log.not_found`, `log.corrupt` (coordinates already checked with checkBundleArgs) */
  async entryBundle(head: Head, index: number, width: number): Promise<Uint8Array> {
    if (index * 256 + width > head.size)
      throw new LedgerError(
        "log.not_found",
        `entry bundle ${index} of width ${width} is not in the log of size ${head.size}`,
      );
    const rec = await this.bundleRecord(head, index);
    const len = bundlePrefixLength(rec, width);
    if (len === undefined) throw new LedgerError("log.corrupt", `entry bundle ${index} is short`);
    return rec.subarray(0, len);
  }

  private async bundleRecord(head: Head, g: number): Promise<Uint8Array> {
    if (g === Math.floor(head.size / 256) && head.bundle.length > 0) return head.bundle;
    const key = bundleKey(g);
    const hit = this.bundleCache.get(key);
    if (hit !== undefined) return hit;
    const [v] = await this.reader.read([key]);
    if (v === undefined) throw new LedgerError("log.corrupt", `entry bundle ${g} is missing`);
    // Bundles below the head's partial one are full and never change: safe to cache.
    this.bundleCache.set(key, v);
    return v;
  }
}
