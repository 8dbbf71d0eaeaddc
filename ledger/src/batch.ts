// One group-commit batch, independent of where it is stored: integrate the new leaves on top of a
// head (right edge plus the partial rows), produce every record to write (tiles, mid rows, entry
// bundles, state) and the new signed checkpoint, and the results the batch's appends resolve with.
// Also the head a backend opens with: its partial records and whether its checkpoint must be
// signed anew. Shared by the LevelDB log (log.ts) and the PostgreSQL log (pg-log.ts), so both
// write byte-identical records for the same entries; each keeps only its own reads, transaction
// and write order (the split of transparency-dev/tessera's integrate vs storage).
import { bytesEqual } from "@meritlog/core";
import { LedgerError } from "./errors.js";
import {
  batchInclusionProof,
  integrate,
  newNodesAt,
  rootOfEdge,
  type Integration,
  type TreeEdge,
} from "./integrate.js";
import type { AppendResult } from "./log.js";
import { hashLeaf } from "./node-hashing.js";
import { signNote, type NoteSigner } from "./signer.js";
import {
  STATE_KEY,
  STORED_LEVEL_STEP,
  bundleKey,
  bundlePrefixLength,
  encodeBundle,
  encodeState,
  groupKey,
  groupWidth,
  asRecordSource,
  type LogSource,
} from "./store.js";
import type { ReaderHead } from "./tree-reader.js";
import { bitLength, shr } from "./tree-math.js";
import { formatCheckpoint, parseCheckpoint } from "./verify/checkpoint.js";
import { parseNote } from "./verify/note.js";

export interface Head extends ReaderHead {
  readonly edge: TreeEdge;
  readonly root: Uint8Array;
  readonly checkpoint: string;
  /** Encoded partial entry bundle (size mod 256 entries). */
  readonly bundle: Uint8Array;
}

export interface Prepared {
  it: Integration;
  ops: { type: "put"; key: string; value: Uint8Array }[];
  completed: [string, Uint8Array][];
  checkpoint: string;
  head: Head;
}

const EMPTY: Uint8Array = new Uint8Array(0);

export function checkpointFor(origin: string, signer: NoteSigner, size: number, root: Uint8Array): string {
  return signNote(formatCheckpoint({ origin, size, rootHash: root }), signer);
}

/** Whether `note` is a checkpoint of (origin, size, root) with a valid signature by `signer`. */
function checkpointMatches(
  note: string,
  origin: string,
  signer: NoteSigner,
  size: number,
  root: Uint8Array,
): boolean {
  try {
    const { body, signatures } = parseNote(note);
    const cp = parseCheckpoint(body);
    if (cp.origin !== origin || cp.size !== size || !bytesEqual(cp.rootHash, root)) return false;
    const msg = Buffer.from(body, "utf8");
    return signatures.some(
      (s) => s.name === signer.name && s.keyId === signer.keyId && signer.verify(msg, s.signature),
    );
  } catch {
    return false;
  }
}

/**
 * The checkpoint of an opened head whose stored checkpoint is `stored` (undefined for a new log):
 * `stored` itself when it is this head's, signed by `signer` for `origin`; otherwise the same tree
 * head signed anew (a key or origin change), which the caller must store (`signed`).
 * @throws LedgerError `log.corrupt` when `stored` is unreadable or of another size or root
 */
export function headCheckpoint(
  stored: string | undefined,
  origin: string,
  signer: NoteSigner,
  edge: TreeEdge,
  root: Uint8Array,
): { checkpoint: string; signed: boolean } {
  if (stored !== undefined && checkpointMatches(stored, origin, signer, edge.size, root))
    return { checkpoint: stored, signed: false };
  if (stored !== undefined) {
    // A stored head whose tree does not match its own edge is corruption, not a key change.
    try {
      const cp = parseCheckpoint(parseNote(stored).body);
      if (cp.size !== edge.size || !bytesEqual(cp.rootHash, root))
        throw new LedgerError("log.corrupt", "stored checkpoint does not match the stored tree");
    } catch (e) {
      if (e instanceof LedgerError && e.code === "log.corrupt") throw e;
      throw new LedgerError("log.corrupt", "stored checkpoint is unreadable", { cause: e });
    }
  }
  return { checkpoint: checkpointFor(origin, signer, edge.size, root), signed: true };
}

/**
 * The partial rows and partial entry bundle of the tree whose right edge is `edge`, read from
 * `source` (a few records, whatever the size).
 * @throws LedgerError `log.corrupt` when one is missing or short
 */
export async function loadPartials(
  source: LogSource,
  edge: TreeEdge,
): Promise<{ partials: Map<number, Uint8Array>; bundle: Uint8Array }> {
  const wanted: { h: number; key: string; w: number }[] = [];
  for (let h = 0; h < bitLength(edge.size); h += STORED_LEVEL_STEP) {
    const cnt = shr(edge.size, h);
    const w = cnt % groupWidth(h);
    if (w > 0) wanted.push({ h, key: groupKey(h, Math.floor(cnt / groupWidth(h))), w });
  }
  const bw = edge.size % 256;
  const bKey = bundleKey(Math.floor(edge.size / 256));
  const recs = await asRecordSource(source).readRecords([
    ...wanted.map((x) => x.key),
    ...(bw > 0 ? [bKey] : []),
  ]);
  const partials = new Map<number, Uint8Array>();
  wanted.forEach(({ h, key, w }, i) => {
    const rec = recs[i];
    if (rec === undefined || rec.length < w * 32)
      throw new LedgerError("log.corrupt", `partial record ${key} is missing or short`);
    partials.set(h, rec.subarray(0, w * 32));
  });
  let bundle = EMPTY;
  if (bw > 0) {
    const rec = recs[wanted.length];
    const len = rec === undefined ? undefined : bundlePrefixLength(rec, bw);
    if (rec === undefined || len === undefined)
      throw new LedgerError("log.corrupt", `partial entry bundle ${bKey} is missing or short`);
    bundle = rec.subarray(0, len);
  }
  return { partials, bundle };
}

/**
 * The head of the stored tree whose right edge is `edge` and checkpoint `checkpoint`.
 * @throws LedgerError `log.corrupt` (loadPartials)
 */
export async function loadHead(source: LogSource, edge: TreeEdge, checkpoint: string): Promise<Head> {
  const { partials, bundle } = await loadPartials(source, edge);
  return { size: edge.size, edge, root: rootOfEdge(edge), checkpoint, partials, bundle };
}

/** Integrates a batch on top of `head`: new tree, records to write, signed checkpoint. */
export function prepareBatch(
  head: Head,
  entries: readonly Uint8Array[],
  origin: string,
  signer: NoteSigner,
): Prepared {
  const it = integrate(head.edge, entries.map(hashLeaf));
  const n = it.newSize;
  const ops: { type: "put"; key: string; value: Uint8Array }[] = [];
  const completed: [string, Uint8Array][] = [];
  const partials = new Map(head.partials);
  for (let h = 0; h < bitLength(n); h += STORED_LEVEL_STEP) {
    const { first, nodes } = newNodesAt(it, h);
    const width = groupWidth(h);
    let k = first;
    let i = 0;
    let prefix = partials.get(h) ?? EMPTY;
    while (i < nodes.length) {
      const g = Math.floor(k / width);
      const at = k % width;
      const take = Math.min(width - at, nodes.length - i);
      const rec = new Uint8Array((at + take) * 32);
      rec.set(prefix.subarray(0, at * 32), 0);
      for (let j = 0; j < take; j++) rec.set(nodes[i + j]!, (at + j) * 32);
      const key = groupKey(h, g);
      ops.push({ type: "put", key, value: rec });
      k += take;
      i += take;
      prefix = EMPTY;
      if (k % width === 0) {
        partials.delete(h);
        completed.push([key, rec]);
      } else partials.set(h, rec);
    }
  }
  // Entry bundles: the same grouping as level 0 tiles.
  let bundle = head.bundle;
  let k = it.oldSize;
  let i = 0;
  while (i < entries.length) {
    const g = Math.floor(k / 256);
    const take = Math.min(256 - (k % 256), entries.length - i);
    const added = encodeBundle(entries.slice(i, i + take));
    const rec = new Uint8Array(bundle.length + added.length);
    rec.set(bundle, 0);
    rec.set(added, bundle.length);
    ops.push({ type: "put", key: bundleKey(g), value: rec });
    k += take;
    i += take;
    bundle = k % 256 === 0 ? EMPTY : rec;
  }
  const checkpoint = checkpointFor(origin, signer, n, it.root);
  ops.push({
    type: "put",
    key: STATE_KEY,
    value: encodeState({ edge: it.edge, checkpoint, verifierKey: signer.verifierKey }),
  });
  return {
    it,
    ops,
    completed,
    checkpoint,
    head: { size: n, edge: it.edge, root: it.root, checkpoint, partials, bundle },
  };
}

/** What the appends of a durable batch resolve with, in append order (proofs from its own nodes). */
export function appendResults(prepared: Prepared, count: number): AppendResult[] {
  const { it, checkpoint } = prepared;
  const out: AppendResult[] = [];
  for (let j = 0; j < count; j++) {
    out.push({
      leafIndex: it.oldSize + j,
      treeSize: it.newSize,
      inclusionProof: batchInclusionProof(it, it.oldSize + j),
      checkpoint,
    });
  }
  return out;
}
