// RFC 9162 §2.1.3.2: verifying an inclusion proof. Arithmetic uses division instead of bit
// operators so indexes above 2^31 stay exact (JS bitwise operators are 32-bit).
import { bytesEqual } from "@meritlog/core";
import { HASH_SIZE, type TreeHasher } from "./hashing.js";

const isIndex = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/**
 * Recomputes the root with `hasher` from a leaf hash and its audit path (RFC 9162 §2.1.3.2 steps 1–6), or
 * returns undefined when the proof cannot be for this index and size (wrong length, bad hash size).
 */
export function rootFromInclusionProof(
  hasher: TreeHasher,
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!isIndex(index) || !isIndex(size) || index >= size) return undefined;
  if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_SIZE || !Array.isArray(proof)) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (!(p instanceof Uint8Array) || p.length !== HASH_SIZE) return undefined;
    if (sn === 0) return undefined; // step 5.1: the proof is longer than the path
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.hashChildren(p, r);
      // Step 5.2: skip the levels where this node has no right sibling (right edge of the tree).
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hasher.hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined; // step 6: the proof must reach the root exactly
}

/** Whether `proof` proves `leaf` (a leaf hash of `hasher`) at `index` in the tree of `size` with `root` (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  hasher: TreeHasher,
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE) return false;
  const r = rootFromInclusionProof(hasher, leaf, index, size, proof);
  return r !== undefined && bytesEqual(r, root);
}
