// Reads perfect-subtree hashes from stored tiles and mid rows, and folds them into the range
// hashes that proofs are made of. Any node is at most 3 levels above a stored row, so it costs
// one record read (usually cached) and at most 7 hashes.
import { LedgerError } from "./errors.js";
import { hashNode } from "./node-hashing.js";
import { perfectNodes, type LeafRange, type NodeId } from "./proofs.js";
import { ENC, RecordCache, groupKey, groupWidth, type LedgerDb, STORED_LEVEL_STEP } from "./store.js";
import { POW2, shr } from "./tree-math.js";

/** What the reader needs of the log's current (durable) head. */
export interface ReaderHead {
  readonly size: number;
  /** Current partial record per stored level h (absent when that level has no partial group). */
  readonly partials: ReadonlyMap<number, Uint8Array>;
}

export class TreeReader {
  constructor(
    private readonly db: LedgerDb,
    private readonly cache: RecordCache,
  ) {}

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
    const v = (await this.db.get(key, ENC)) as Uint8Array | undefined;
    if (v === undefined || v.length !== groupWidth(h) * 32) throw new LedgerError("log.corrupt", `stored record ${key} is missing or not full`);
    this.cache.set(key, v);
    return v;
  }

  /** Fetches all records the given nodes need in one round (getMany for the misses). */
  private async records(head: ReaderHead, nodes: NodeId[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    const missing: { key: string; h: number }[] = [];
    for (const { level, index } of nodes) {
      const base = level - (level % STORED_LEVEL_STEP);
      const g = Math.floor((index * POW2[level - base]!) / groupWidth(base));
      const key = groupKey(base, g);
      if (found.has(key) || missing.some((m) => m.key === key)) continue;
      const current = Math.floor(shr(head.size, base) / groupWidth(base));
      const p = g === current ? head.partials.get(base) : undefined;
      if (p !== undefined) {
        found.set(key, p);
        continue;
      }
      if (g > current) throw new LedgerError("log.not_found", `node ${level}/${index} is not in the tree`);
      const hit = this.cache.get(key);
      if (hit !== undefined) found.set(key, hit);
      else missing.push({ key, h: base });
    }
    if (missing.length > 0) {
      const values = (await this.db.getMany(
        missing.map((m) => m.key),
        ENC,
      )) as (Uint8Array | undefined)[];
      missing.forEach((m, i) => {
        const v = values[i];
        if (v === undefined || v.length !== groupWidth(m.h) * 32) throw new LedgerError("log.corrupt", `stored record ${m.key} is missing or not full`);
        this.cache.set(m.key, v);
        found.set(m.key, v);
      });
    }
    return found;
  }

  /** MTH of each range (RFC 9162 §2.1.1), for ranges inside the tree of `head`. */
  async rangeHashes(head: ReaderHead, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
    const pieces = ranges.map(([a, b]) => perfectNodes(a, b));
    const recs = await this.records(head, pieces.flat());
    const nodeHash = ({ level, index }: NodeId): Uint8Array => {
      const base = level - (level % STORED_LEVEL_STEP);
      const r = level - base;
      const width = groupWidth(base);
      const first = index * POW2[r]!;
      const rec = recs.get(groupKey(base, Math.floor(first / width)))!;
      const off = (first % width) * 32;
      if (rec.length < off + POW2[r]! * 32) throw new LedgerError("log.corrupt", `stored record for node ${level}/${index} is too short`);
      // Rebuild the node from its 2^r descendants in the stored row (r ≤ 3: at most 7 hashes).
      let row: Uint8Array[] = [];
      for (let i = 0; i < POW2[r]!; i++) row.push(rec.subarray(off + 32 * i, off + 32 * (i + 1)));
      while (row.length > 1) {
        const up: Uint8Array[] = [];
        for (let i = 0; i < row.length; i += 2) up.push(hashNode(row[i]!, row[i + 1]!));
        row = up;
      }
      return row[0]!;
    };
    return pieces.map((nodes) => {
      let h = nodeHash(nodes[nodes.length - 1]!);
      for (let i = nodes.length - 2; i >= 0; i--) h = hashNode(nodeHash(nodes[i]!), h);
      return Uint8Array.from(h); // a copy: callers must not be able to alter cached records
    });
  }
}
