// RFC 9162 §2.1.4.2: verifying a consistency proof between two tree sizes.
import { bytesEqual } from "@meritlog/core";
import { HASH_SIZE, type TreeHasher } from "./hashing.js";

const isSize = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;
const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/**
 * Whether `proof` shows that the tree of size `m` with root `rootM` is a prefix of the tree of size
 * `n` with root `rootN` (RFC 9162 §2.1.4.2), hashing with `hasher`. As in transparency-dev/merkle, `m = 0` is consistent with
 * anything given an empty proof, and `m = n` needs an empty proof and equal roots (checked first).
 */
export function verifyConsistency(
  hasher: TreeHasher,
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  rootM: Uint8Array,
  rootN: Uint8Array,
): boolean {
  if (!isSize(m) || !isSize(n) || m > n || !Array.isArray(proof)) return false;
  if (!proof.every(isHash)) return false;
  if (m === n) return proof.length === 0 && isHash(rootM) && isHash(rootN) && bytesEqual(rootM, rootN);
  if (m === 0) return proof.length === 0;
  if (!isHash(rootM) || !isHash(rootN)) return false;
  if (proof.length === 0) return false; // step 1
  // Step 2: when m is a power of two its root is a node of the path and is left implicit.
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  let fn = m - 1; // step 3
  let sn = n - 1;
  while (fn % 2 === 1) {
    // step 4
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!; // step 5
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false; // step 6.1
    if (fn % 2 === 1 || fn === sn) {
      fr = hasher.hashChildren(c, fr);
      sr = hasher.hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hasher.hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, rootM) && bytesEqual(sr, rootN); // step 7
}
