// Which subtree hashes make up a proof, as ranges of leaves [a, b): RFC 9162 §2.1.3.1 (PATH)
// and §2.1.4.1 (SUBPROOF). Pure planning; ./tree-reader.ts turns ranges into hashes from storage.
import { largestPow2Below, POW2 } from "./tree-math.js";

/** A range of leaves [start, end) whose MTH is one proof element. */
export type LeafRange = readonly [start: number, end: number];

/** PATH(m, D[0:n]) as ranges, leaf to root (RFC 9162 §2.1.3.1). Requires 0 ≤ m < n. */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  const out: LeafRange[] = [];
  const path = (m: number, a: number, n: number): void => {
    if (n <= 1) return;
    const k = largestPow2Below(n);
    if (m < k) {
      path(m, a, k);
      out.push([a + k, a + n]);
    } else {
      path(m - k, a + k, n - k);
      out.push([a, a + k]);
    }
  };
  path(m, 0, n);
  return out;
}

/** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) as ranges (RFC 9162 §2.1.4.1); [] unless 0 < m < n. */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  const out: LeafRange[] = [];
  if (m <= 0 || m >= n) return out;
  const sub = (m: number, a: number, n: number, b: boolean): void => {
    if (m === n) {
      if (!b) out.push([a, a + m]);
      return;
    }
    const k = largestPow2Below(n);
    if (m <= k) {
      sub(m, a, k, b);
      out.push([a + k, a + n]);
    } else {
      sub(m - k, a + k, n - k, false);
      out.push([a, a + k]);
    }
  };
  sub(m, 0, n, true);
  return out;
}

/** A perfect subtree: node `index` at tree level `level` covers leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/**
 * The perfect subtrees whose right-to-left fold is MTH(D[a:b]) (RFC 9162 §2.1.1: split at the
 * largest power of two below the length). For ranges from the plans above every piece is aligned.
 */
export function perfectNodes(a: number, b: number): NodeId[] {
  const out: NodeId[] = [];
  while (a < b) {
    const len = b - a;
    const k = POW2_SET.has(len) ? len : largestPow2Below(len);
    const level = Math.round(Math.log2(k));
    out.push({ level, index: a / POW2[level]! });
    a += k;
  }
  return out;
}

const POW2_SET = new Set(POW2);
