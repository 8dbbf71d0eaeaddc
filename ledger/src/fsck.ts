// `meritlog log verify`: recompute every stored tile row and the root from the stored entries,
// check the signed checkpoint, and report the first inconsistency. Streams: memory stays
// O(log n) plus one record per stored level, whatever the log size.
import { hashLeaf, hashNode } from "./node-hashing.js";
import {
  STATE_KEY,
  STORED_LEVEL_STEP,
  bundleKey,
  decodeBundle,
  decodeState,
  groupKey,
  groupWidth,
  getRecord,
  type LogSource,
  type StoredState,
} from "./store.js";
import { EMPTY_ROOT } from "./verify/hashing.js";
import { LedgerError } from "./errors.js";
import { bytesEqual, toBase64 } from "@meritlog/core";
import { parseVerifierKey, verifyNote, type NoteVerifier } from "./verify/note.js";

export type FsckCode =
  | "fsck.no_log"
  | "fsck.state_unreadable"
  | "fsck.bad_verifier_key"
  | "fsck.checkpoint_signature"
  | "fsck.checkpoint_mismatch"
  | "fsck.bundle_missing"
  | "fsck.bundle_malformed"
  | "fsck.tile_missing"
  | "fsck.tile_mismatch"
  | "fsck.root_mismatch"
  | "fsck.checkpoint_file"
  | "fsck.rollback"
  | "fsck.fork"
  | "fsck.record_damaged";

/** Result of `fsckLog`; `firstError` names the first inconsistency found. */
export interface FsckReport {
  ok: boolean;
  size: number;
  /** Base64 root recomputed from the entries (or of the state when entries were not reached). */
  rootHash: string;
  /** Entries and stored records that were checked. */
  checked: { entries: number; records: number };
  /** Whether the checkpoint was checked against a key the caller gave (else the key stored with the state). */
  verifierKeySource: "argument" | "stored" | "none";
  firstError?: { code: FsckCode; message: string; level?: number; index?: number };
}

class Stop extends Error {
  constructor(readonly detail: NonNullable<FsckReport["firstError"]>) {
    super(detail.message);
  }
}

/**
 * Checks the log stored in `db`: the checkpoint's signature (by `verifierKey`, or the key stored
 * with the state when omitted) and that it names the stored tree; that every entry bundle is
 * present and well-formed; that every stored tile and mid row equals the hashes recomputed
 * from the entries (RFC 9162 §2.1.1, C2SP tlog-tiles); and that the root matches.
 */
export async function fsckLog(
  db: LogSource,
  verifierKey?: string,
  opts: {
    /**
     * The newest checkpoint the log published, kept outside the database: the stored tree must
     * not be smaller than it, and its first `size` entries must hash to its root (a tree never
     * signs two roots for one size, RFC 9162 §2.1.4).
     */
    externalCheckpoint?: string;
  } = {},
): Promise<FsckReport> {
  const report: FsckReport = {
    ok: false,
    size: 0,
    rootHash: toBase64(EMPTY_ROOT),
    checked: { entries: 0, records: 0 },
    verifierKeySource: "none",
  };
  const stop = (code: FsckCode, message: string, where: { level?: number; index?: number } = {}): never => {
    throw new Stop({ code, message, ...where });
  };
  // A value whose CRC-32 header does not match (value-codec.ts) is named with its key.
  const read = async (k: string, where: { level?: number; index?: number } = {}) => {
    try {
      return await getRecord(db, k);
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause;
      if (cause instanceof LedgerError && cause.code === "log.corrupt")
        return stop("fsck.record_damaged", `stored record ${k}: ${cause.message}`, where);
      throw e;
    }
  };
  try {
    const raw = await read(STATE_KEY);
    if (raw === undefined)
      stop(
        opts.externalCheckpoint === undefined ? "fsck.no_log" : "fsck.rollback",
        opts.externalCheckpoint === undefined
          ? "no transparency log is stored here"
          : "no transparency log is stored here, but a published checkpoint is: the database was rolled back or replaced",
      );
    let state: StoredState;
    try {
      state = decodeState(raw!);
    } catch (e) {
      return stop("fsck.state_unreadable", e instanceof Error ? e.message : "state unreadable");
    }
    const size = state.edge.size;
    report.size = size;
    const key = verifierKey ?? state.verifierKey;
    report.verifierKeySource = verifierKey !== undefined ? "argument" : key !== undefined ? "stored" : "none";
    if (key === undefined)
      stop("fsck.bad_verifier_key", "no verifier key given and none stored with the log");
    let verifier: NoteVerifier;
    try {
      verifier = parseVerifierKey(key!);
    } catch (e) {
      return stop("fsck.bad_verifier_key", e instanceof Error ? e.message : "malformed verifier key");
    }
    const note = verifyNote(state.checkpoint, [verifier]);
    if (!note.ok) stop("fsck.checkpoint_signature", `stored checkpoint: ${note.message}`);
    if (note.checkpoint === undefined || note.checkpoint.size !== size)
      stop("fsck.checkpoint_mismatch", "the signed checkpoint does not name the stored tree size");
    let external: { size: number; rootHash: Uint8Array } | undefined;
    if (opts.externalCheckpoint !== undefined) {
      const ext = verifyNote(opts.externalCheckpoint, [verifier!]);
      if (!ext.ok || ext.checkpoint === undefined)
        stop("fsck.checkpoint_file", `the checkpoint kept outside the database: ${ext.message}`);
      if (ext.checkpoint!.origin !== note.checkpoint!.origin)
        stop("fsck.checkpoint_file", "the checkpoint kept outside the database names another origin");
      external = ext.checkpoint!;
      if (external.size > size)
        stop(
          "fsck.rollback",
          `the stored tree has ${size} entries but the log already published a checkpoint of ${external.size}: the database was rolled back`,
        );
    }

    // Streaming recomputation: a compact range plus one pending row per stored level.
    const stack: { level: number; hash: Uint8Array }[] = [];
    const rows = new Map<number, { group: number; hashes: Uint8Array[] }>();
    const compare = async (h: number, group: number, hashes: Uint8Array[]): Promise<void> => {
      const k = groupKey(h, group);
      const where = { level: h, index: group };
      const stored = await read(k, where);
      report.checked.records++;
      if (stored === undefined)
        stop("fsck.tile_missing", `stored record ${k} (tree level ${h}) is missing`, where);
      if (stored!.length !== hashes.length * 32)
        stop(
          "fsck.tile_mismatch",
          `stored record ${k} holds ${stored!.length / 32} hashes, expected ${hashes.length}`,
          where,
        );
      for (let i = 0; i < hashes.length; i++) {
        if (!bytesEqual(stored!.subarray(32 * i, 32 * i + 32), hashes[i]!))
          stop("fsck.tile_mismatch", `stored record ${k} (tree level ${h}) differs at hash ${i}`, where);
      }
    };
    const emit = async (h: number, index: number, hash: Uint8Array): Promise<void> => {
      if (h % STORED_LEVEL_STEP !== 0) return;
      const width = groupWidth(h);
      const group = Math.floor(index / width);
      let row = rows.get(h);
      if (row === undefined || row.group !== group) {
        row = { group, hashes: [] };
        rows.set(h, row);
      }
      row.hashes.push(hash);
      if (row.hashes.length === width) {
        await compare(h, group, row.hashes);
        rows.delete(h);
      }
    };
    let leafIndex = 0;
    const rootOfStack = (): Uint8Array => {
      if (stack.length === 0) return EMPTY_ROOT;
      let r = stack[stack.length - 1]!.hash;
      for (let i = stack.length - 2; i >= 0; i--) r = hashNode(stack[i]!.hash, r);
      return r;
    };
    const checkExternal = (): void => {
      if (
        external !== undefined &&
        leafIndex === external.size &&
        !bytesEqual(rootOfStack(), external.rootHash)
      )
        stop(
          "fsck.fork",
          `the stored tree's first ${external.size} entries do not hash to the root of the published checkpoint of that size`,
        );
    };
    checkExternal();
    const push = async (leaf: Uint8Array): Promise<void> => {
      await emit(0, leafIndex, leaf);
      stack.push({ level: 0, hash: leaf });
      leafIndex++;
      // Merge equal levels (a binary counter): each merge completes one node.
      while (stack.length >= 2 && stack[stack.length - 1]!.level === stack[stack.length - 2]!.level) {
        const r = stack.pop()!;
        const l = stack.pop()!;
        const node = { level: l.level + 1, hash: hashNode(l.hash, r.hash) };
        stack.push(node);
        await emit(node.level, Math.floor(leafIndex / 2 ** node.level) - 1, node.hash);
      }
      checkExternal();
    };

    const bundles = Math.ceil(size / 256);
    for (let g = 0; g < bundles; g++) {
      const bytes = await read(bundleKey(g), { index: g });
      if (bytes === undefined) stop("fsck.bundle_missing", `entry bundle ${g} is missing`, { index: g });
      let entries: Uint8Array[];
      try {
        entries = decodeBundle(bytes!);
      } catch {
        return stop("fsck.bundle_malformed", `entry bundle ${g} is truncated`, { index: g });
      }
      const want = Math.min(256, size - g * 256);
      if (entries.length !== want)
        stop("fsck.bundle_malformed", `entry bundle ${g} holds ${entries.length} entries, expected ${want}`, {
          index: g,
        });
      for (const e of entries) await push(hashLeaf(e));
      report.checked.entries += entries.length;
    }
    // The partial rows of the right edge.
    for (const [h, row] of [...rows.entries()].sort((a, b) => a[0] - b[0]))
      await compare(h, row.group, row.hashes);

    const root = rootOfStack();
    report.rootHash = toBase64(root);
    if (!bytesEqual(root, note.checkpoint!.rootHash))
      stop("fsck.root_mismatch", "the root recomputed from the entries differs from the signed checkpoint");
    const edgeOk =
      state.edge.stack.length === stack.length &&
      stack.every((s, i) => bytesEqual(s.hash, state.edge.stack[i]!));
    if (!edgeOk)
      stop("fsck.root_mismatch", "the stored right edge differs from the one recomputed from the entries");
    report.ok = true;
    return report;
  } catch (e) {
    if (e instanceof Stop) {
      report.firstError = e.detail;
      return report;
    }
    throw e;
  }
}
