// Reads perfect-subtree hashes from stored tiles and mid rows, and folds them into the range
// hashes that proofs are made of. Any node is at most 3 levels above a stored row, so it costs
// one record read (usually cached) and at most 7 hashes.
import { LedgerError } from "./errors.js";
import { hashNode, hashNodeAt } from "./node-hashing.js";
import { perfectNodes, type LeafRange, type NodeId } from "./proofs.js";
import {
  ENC,
  RecordCache,
  groupKey,
  groupWidth,
  isRecordSource,
  type LogSource,
  STORED_LEVEL_STEP,
} from "./store.js";
import { POW2, shr } from "./tree-math.js";

/** What the reader needs of the log's current (durable) head. */
export interface ReaderHead {
  readonly size: number;
  /** Current partial record per stored level h (absent when that level has no partial group). */
  readonly partials: ReadonlyMap<number, Uint8Array>;
}

/**
 * Nodes at tree level ≥ 8 are shared by many proofs (at 10M entries this memo halves the hashing
 * per proof); remember the last MEMO_SLOTS of them in one 2 MiB slab, overwritten in turn.
 */
const MEMO_MIN_LEVEL = 8;
const MEMO_SLOTS = 65_536;

/** A fixed-size memo of node hashes: a slab of 32-byte slots reused round-robin. */
class NodeMemo {
  private readonly slab = new Uint8Array(MEMO_SLOTS * 32);
  private readonly keys = new Float64Array(MEMO_SLOTS).fill(-1);
  private readonly slots = new Map<number, number>();
  private next = 0;

  get(key: number): Uint8Array | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.slab.subarray(slot * 32, slot * 32 + 32);
  }

  set(key: number, hash: Uint8Array): void {
    const slot = this.next;
    this.next = (slot + 1) % MEMO_SLOTS;
    const old = this.keys[slot]!;
    if (old >= 0) this.slots.delete(old);
    this.keys[slot] = key;
    this.slab.set(hash, slot * 32);
    this.slots.set(key, slot);
  }
}

export class TreeReader {
  private readonly syncReads: boolean;
  /** Perfect (hence immutable) upper nodes by `index * 64 + level`. */
  private readonly memo = new NodeMemo();

  /**
   * @param syncReads read with LevelDB's synchronous get when the backend supports it. A proof
   * needs one or two uncached records; on the 10M-entry benchmark log a synchronous get takes
   * ~5 µs (p99 ~20 µs) against ~25 µs (p99 ~150 µs) for a thread-pool round trip, and the
   * records are small (≤ 8 KiB), so the event loop is held for microseconds.
   */
  constructor(
    private readonly db: LogSource,
    private readonly cache: RecordCache,
    syncReads = true,
  ) {
    // abstract-level 3 manifests announce `getSync` (its types do not list it yet).
    this.syncReads =
      syncReads && !isRecordSource(db) && (db.supports as { getSync?: boolean }).getSync === true;
  }

  /** Reads records by key (synchronously when enabled). */
  async read(keys: string[]): Promise<(Uint8Array | undefined)[]> {
    const db = this.db;
    if (isRecordSource(db)) return await db.readRecords(keys);
    if (this.syncReads) return keys.map((k) => db.getSync(k, ENC) as Uint8Array | undefined);
    if (keys.length === 1) return [(await db.get(keys[0]!, ENC)) as Uint8Array | undefined];
    return (await db.getMany(keys, ENC)) as (Uint8Array | undefined)[];
  }

  /**
   * The stored record of tree level h (a multiple of 4), group g, as of `head`.
   * @throws LedgerError `log.corrupt` if a record the head requires is missing.
   */
  async record(head: ReaderHead, h: number, g: number): Promise<Uint8Array> {
    const current = Math.floor(shr(head.size, h) / groupWidth(h));
    if (g === current) {
      const p = head.partials.get(h);
      if (p !== undefined) return p;
    }
    if (g > current) throw new LedgerError("log.not_found", `no stored hashes at level ${h}, group ${g}`);
    const key = groupKey(h, g);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const [v] = await this.read([key]);
    if (v === undefined || v.length !== groupWidth(h) * 32)
      throw new LedgerError("log.corrupt", `stored record ${key} is missing or not full`);
    if (h > 0) this.cache.set(key, v);
    return v;
  }

  /** The record holding each node's stored descendants (same order), fetching misses with one getMany. */
  private async records(head: ReaderHead, nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    const out: Uint8Array[] = new Array<Uint8Array>(nodes.length);
    let missing: Map<string, { h: number; at: number[] }> | undefined;
    for (let n = 0; n < nodes.length; n++) {
      const { level, index } = nodes[n]!;
      const base = level - (level % STORED_LEVEL_STEP);
      const g = Math.floor((index * POW2[level - base]!) / groupWidth(base));
      const current = Math.floor(shr(head.size, base) / groupWidth(base));
      const p = g === current ? head.partials.get(base) : undefined;
      if (p !== undefined) {
        out[n] = p;
        continue;
      }
      if (g > current) throw new LedgerError("log.not_found", `node ${level}/${index} is not in the tree`);
      const key = groupKey(base, g);
      const hit = this.cache.get(key);
      if (hit !== undefined) {
        out[n] = hit;
        continue;
      }
      missing ??= new Map();
      const m = missing.get(key);
      if (m === undefined) missing.set(key, { h: base, at: [n] });
      else m.at.push(n);
    }
    if (missing !== undefined) {
      const keys = [...missing.keys()];
      const values = await this.read(keys);
      keys.forEach((key, i) => {
        const { h, at } = missing.get(key)!;
        const v = values[i];
        if (v === undefined || v.length !== groupWidth(h) * 32)
          throw new LedgerError("log.corrupt", `stored record ${key} is missing or not full`);
        // Old level-0 tiles are read at random (one per proof) and rarely again: caching them
        // would only churn the cache. Recent ones are cached when they are written.
        if (h > 0) this.cache.set(key, v);
        for (const n of at) out[n] = v;
      });
    }
    return out;
  }

  /** MTH of each range (RFC 9162 §2.1.1), for ranges inside the tree of `head`. */
  async rangeHashes(head: ReaderHead, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
    const pieces = ranges.map(([a, b]) => perfectNodes(a, b));
    const flat = pieces.flat();
    const recs = await this.records(head, flat);
    const nodeHash = (n: number): Uint8Array => {
      const { level, index } = flat[n]!;
      const base = level - (level % STORED_LEVEL_STEP);
      const r = level - base;
      const memoKey = index * 64 + level;
      if (r > 0 && level >= MEMO_MIN_LEVEL) {
        const hit = this.memo.get(memoKey);
        if (hit !== undefined) return hit;
      }
      const count = POW2[r]!;
      const first = index * count;
      const rec = recs[n]!;
      const off = (first % groupWidth(base)) * 32;
      if (rec.length < off + count * 32)
        throw new LedgerError("log.corrupt", `stored record for node ${level}/${index} is too short`);
      if (r === 0) return rec.subarray(off, off + 32);
      // Rebuild the node from its 2^r descendants in the stored row (r ≤ 3: at most 7 hashes).
      const row: Uint8Array[] = [];
      for (let i = 0; i < count; i += 2) row.push(hashNodeAt(rec, off + 32 * i));
      for (let width = row.length; width > 1; width /= 2) {
        for (let i = 0; i < width; i += 2) row[i / 2] = hashNode(row[i]!, row[i + 1]!);
      }
      if (level >= MEMO_MIN_LEVEL) this.memo.set(memoKey, row[0]!);
      return row[0]!;
    };
    let n = 0;
    return pieces.map((nodes) => {
      const start = n;
      n += nodes.length;
      let h = nodeHash(n - 1);
      for (let i = n - 2; i >= start; i--) h = hashNode(nodeHash(i), h);
      return new Uint8Array(h); // a copy: callers must not be able to alter cached records
    });
  }
}
