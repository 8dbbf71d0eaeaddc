// Offline verification of the receipt returned with every anchored event (docs/API.md "Receipt").
import { tryFromBase64, toBase64, utf8 } from "@meritlog/core";
import { DEFAULT_TREE_HASHER, type TreeHasher } from "./hashing.js";
import { verifyInclusion } from "./inclusion.js";
import { parseVerifierKey, verifyNote, type NoteVerifier } from "./note.js";
import type { Checkpoint } from "./checkpoint.js";

/** `{origin, leafIndex, entry, inclusionProof, checkpoint}` as in docs/API.md. */
export interface Receipt {
  origin: string;
  leafIndex: number;
  /** The RFC 8785 canonical JSON entry, as text; its UTF-8 bytes are the leaf data. */
  entry: string;
  /** Base64 hashes, leaf to root (RFC 9162 §2.1.3). */
  inclusionProof: string[];
  /** The signed checkpoint note the proof is relative to. */
  checkpoint: string;
}

export type ReceiptCode =
  | "receipt.valid"
  | "receipt.malformed"
  | "receipt.bad_verifier_key"
  | "receipt.checkpoint_malformed"
  | "receipt.unknown_key"
  | "receipt.signature_invalid"
  | "receipt.origin_mismatch"
  | "receipt.index_out_of_range"
  | "receipt.inclusion_invalid";

/** The outcome of `verifyReceipt`; `ok` only when every step holds. */
export interface ReceiptResult {
  ok: boolean;
  code: ReceiptCode;
  message: string;
  leafIndex?: number;
  treeSize?: number;
  /** Base64 root hash of the checkpoint, once it verified. */
  rootHash?: string;
  /** The parsed checkpoint, once its signature verified. */
  checkpoint?: Checkpoint;
}

const fail = (code: ReceiptCode, message: string, extra: Partial<ReceiptResult> = {}): ReceiptResult => ({
  ok: false,
  code,
  message,
  ...extra,
});

/**
 * Verifies a receipt offline against the log's verifier key: the checkpoint's signed-note
 * signature, its origin, and the inclusion proof of SHA-256(0x00 || entry) at `leafIndex`
 * (RFC 9162 §2.1.3.2). Returns a coded result for any input; never throws.
 * @example verifyReceipt(receipt, "example.org/log+1a2b3c4d+AX...").ok
 */
export function verifyReceipt(
  r: Receipt,
  verifierKey: string | NoteVerifier,
  hasher: TreeHasher = DEFAULT_TREE_HASHER,
): ReceiptResult {
  if (typeof r !== "object" || r === null) return fail("receipt.malformed", "receipt is not an object");
  const { origin, leafIndex, entry, inclusionProof, checkpoint } = r as Partial<Receipt>;
  if (typeof origin !== "string" || typeof entry !== "string" || typeof checkpoint !== "string") {
    return fail("receipt.malformed", "receipt needs string origin, entry and checkpoint");
  }
  if (typeof leafIndex !== "number" || !Number.isSafeInteger(leafIndex) || leafIndex < 0) {
    return fail("receipt.malformed", "leafIndex is not a non-negative integer");
  }
  if (!Array.isArray(inclusionProof) || inclusionProof.length > 64)
    return fail("receipt.malformed", "inclusionProof is not a list of hashes");
  const proof: Uint8Array[] = [];
  for (const p of inclusionProof as unknown[]) {
    const h = typeof p === "string" ? tryFromBase64(p) : undefined;
    if (h === undefined || h.length !== 32)
      return fail("receipt.malformed", "inclusionProof holds a value that is not a base64 SHA-256 hash", {
        leafIndex,
      });
    proof.push(h);
  }
  let verifier: NoteVerifier;
  try {
    verifier = typeof verifierKey === "string" ? parseVerifierKey(verifierKey) : verifierKey;
  } catch (e) {
    return fail("receipt.bad_verifier_key", e instanceof Error ? e.message : "malformed verifier key", {
      leafIndex,
    });
  }
  const note = verifyNote(checkpoint, [verifier]);
  if (!note.ok) {
    const code =
      note.code === "note.malformed"
        ? "receipt.checkpoint_malformed"
        : note.code === "note.unknown_key"
          ? "receipt.unknown_key"
          : "receipt.signature_invalid";
    return fail(code, `checkpoint: ${note.message}`, { leafIndex });
  }
  const cp = note.checkpoint;
  if (cp === undefined)
    return fail("receipt.checkpoint_malformed", "the signed note is not a tlog checkpoint", { leafIndex });
  const base = { leafIndex, treeSize: cp.size, rootHash: toBase64(cp.rootHash), checkpoint: cp };
  if (cp.origin !== origin || verifier.name !== origin) {
    return fail(
      "receipt.origin_mismatch",
      `checkpoint origin "${cp.origin}" and key name "${verifier.name}" must equal the receipt origin "${origin}"`,
      base,
    );
  }
  if (leafIndex >= cp.size)
    return fail(
      "receipt.index_out_of_range",
      `leaf ${leafIndex} is not inside the tree of size ${cp.size}`,
      base,
    );
  if (!verifyInclusion(hasher, hasher.hashLeaf(utf8(entry)), leafIndex, cp.size, proof, cp.rootHash)) {
    return fail(
      "receipt.inclusion_invalid",
      `the inclusion proof does not connect leaf ${leafIndex} to the checkpoint root`,
      base,
    );
  }
  return {
    ok: true,
    code: "receipt.valid",
    message: `entry ${leafIndex} is included in the signed tree of size ${cp.size}`,
    ...base,
  };
}
