import {
  DEFAULT_TREE_HASHER,
  EMPTY_ROOT,
  parseVerifierKey,
  verifyConsistency,
  verifyNote,
  type Checkpoint,
} from "@meritlog/ledger/verify";
import { toBase64 } from "./encoding.js";
import type { LogView } from "./records.js";

/**
 * Split-view protection. The wallet remembers, per log, the newest checkpoint it has seen. Every
 * newer checkpoint must be provably an extension of it (RFC 9162 §2.1.4 consistency proof): a log
 * that shows different histories to different people cannot do so to this wallet without the
 * proof failing. A failure is kept on the view as a warning until the learner sees it.
 */
export interface LogSource {
  checkpoint(): Promise<string>;
  consistency(first: number, second: number): Promise<Uint8Array[]>;
}

export type WatchOutcome =
  | { ok: true; view: LogView; change: "first" | "same" | "grew" | "older" }
  | {
      ok: false;
      view: LogView;
      code: "log.bad_signature" | "log.wrong_origin" | "log.inconsistent" | "log.unreachable";
      message: string;
    };

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Checks a signed checkpoint against the log's pinned verifier key. */
function readCheckpoint(
  text: string,
  verifierKey: string,
  origin: string,
):
  | { ok: true; cp: Checkpoint }
  | { ok: false; code: "log.bad_signature" | "log.wrong_origin"; message: string } {
  let note;
  try {
    note = verifyNote(text, [parseVerifierKey(verifierKey)]);
  } catch {
    return { ok: false, code: "log.bad_signature", message: "The log's key could not be read." };
  }
  if (!note.ok || !note.checkpoint)
    return {
      ok: false,
      code: "log.bad_signature",
      message: `The log served a checkpoint that is not signed by its key (${note.code}).`,
    };
  if (note.checkpoint.origin !== origin)
    return {
      ok: false,
      code: "log.wrong_origin",
      message: `The checkpoint belongs to another log (${note.checkpoint.origin}).`,
    };
  return { ok: true, cp: note.checkpoint };
}

/**
 * Compares a checkpoint (fetched now, or carried by a receipt) with the newest one remembered
 * and returns the view to store. Never throws: network trouble is `log.unreachable`.
 */
export async function reconcile(
  prev: LogView | undefined,
  candidate: string,
  o: { origin: string; baseUrl: string; verifierKey: string; source: LogSource; now: Date },
): Promise<WatchOutcome> {
  const at = o.now.toISOString();
  const base: LogView = prev ?? {
    origin: o.origin,
    baseUrl: o.baseUrl,
    verifierKey: o.verifierKey,
    size: 0,
    rootHash: "",
    checkpoint: "",
    seenAt: at,
  };
  const warn = (
    code: "log.bad_signature" | "log.wrong_origin" | "log.inconsistent",
    message: string,
  ): WatchOutcome => ({
    ok: false,
    code,
    message,
    view: { ...base, warning: { at, code, message } },
  });
  const read = readCheckpoint(candidate, o.verifierKey, o.origin);
  if (!read.ok) return warn(read.code, read.message);
  const cp = read.cp;
  const next: LogView = {
    ...base,
    verifierKey: o.verifierKey,
    size: cp.size,
    rootHash: toBase64(cp.rootHash),
    checkpoint: candidate,
    seenAt: at,
  };
  if (!prev || !prev.checkpoint) return { ok: true, view: next, change: "first" };
  const prevRead = readCheckpoint(prev.checkpoint, o.verifierKey, o.origin);
  if (!prevRead.ok)
    return warn(prevRead.code, `The remembered checkpoint no longer verifies: ${prevRead.message}`);
  const old = prevRead.cp;
  if (cp.size === old.size) {
    if (eq(cp.rootHash, old.rootHash)) return { ok: true, view: { ...prev, seenAt: at }, change: "same" };
    return warn(
      "log.inconsistent",
      `The log shows two different histories of the same size (${cp.size} entries).`,
    );
  }
  const [small, large] = cp.size < old.size ? [cp, old] : [old, cp];
  // The empty tree is a prefix of every tree; a proof from size 0 proves nothing and is refused
  // by verifyConsistency, so an empty checkpoint is checked by its root alone (RFC 9162 §2.1.1).
  if (small.size === 0) {
    if (!eq(small.rootHash, EMPTY_ROOT))
      return warn(
        "log.inconsistent",
        "The log's checkpoint of 0 entries does not have the empty tree's root.",
      );
    return cp.size > old.size
      ? { ok: true, view: next, change: "grew" }
      : { ok: true, view: { ...prev, seenAt: at }, change: "older" };
  }
  let proof: Uint8Array[];
  try {
    proof = await o.source.consistency(small.size, large.size);
  } catch (e) {
    const message = `The log's consistency proof could not be fetched (${e instanceof Error ? e.message : "error"}).`;
    return { ok: false, code: "log.unreachable", message, view: prev };
  }
  if (
    !verifyConsistency(DEFAULT_TREE_HASHER, small.size, large.size, proof, small.rootHash, large.rootHash)
  ) {
    return warn(
      "log.inconsistent",
      `The log's checkpoint of ${cp.size} entries does not extend the one of ${old.size} entries this wallet saw before.`,
    );
  }
  // An older but consistent checkpoint (a stale cache) is fine; keep the newest.
  return cp.size > old.size
    ? { ok: true, view: next, change: "grew" }
    : { ok: true, view: { ...prev, seenAt: at }, change: "older" };
}

/** Fetches the log's current checkpoint and reconciles it with the remembered view. */
export async function watchLog(
  prev: LogView | undefined,
  o: { origin: string; baseUrl: string; verifierKey: string; source: LogSource; now: Date },
): Promise<WatchOutcome> {
  let text: string;
  try {
    text = await o.source.checkpoint();
  } catch (e) {
    const message = `The log could not be reached (${e instanceof Error ? e.message : "error"}).`;
    return {
      ok: false,
      code: "log.unreachable",
      message,
      view: prev ?? {
        origin: o.origin,
        baseUrl: o.baseUrl,
        verifierKey: o.verifierKey,
        size: 0,
        rootHash: "",
        checkpoint: "",
        seenAt: o.now.toISOString(),
      },
    };
  }
  return reconcile(prev, text, o);
}
