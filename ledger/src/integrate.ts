// Integrating a batch of leaves into the tree using only the right edge (the compact range of
// the current size): every node that becomes complete is computed exactly once, and the
// inclusion proofs of the new leaves come out of the same arrays without touching storage.
import { EMPTY_ROOT } from "./verify/hashing.js";
import { hashNode } from "./node-hashing.js";
import { POW2, bit, bitLength, shr } from "./tree-math.js";

/**
 * The right edge of a tree: the roots of its maximal perfect subtrees, one per set bit of
 * `size`, highest level first (a "compact range" [0, size) in transparency-dev/merkle's terms).
 */
export interface TreeEdge {
  readonly size: number;
  readonly stack: readonly Uint8Array[];
}

export const EMPTY_EDGE: TreeEdge = { size: 0, stack: [] };

/** The nodes touched by one batch; `levels[h][k - lo[h]]` is node (h, k) of the new tree. */
export interface Integration {
  readonly oldSize: number;
  readonly newSize: number;
  /** Per level h: complete nodes lo[h] .. floor(newSize / 2^h) - 1. */
  readonly levels: readonly Uint8Array[][];
  readonly lo: readonly number[];
  /** ephemeral[h]: MTH of D[floor(n/2^h)·2^h : n], the incomplete right node at level h (if any). */
  readonly ephemeral: readonly (Uint8Array | undefined)[];
  readonly root: Uint8Array;
  readonly edge: TreeEdge;
}

/** Edge nodes by level (the set bits of size, highest first in `stack`). */
function edgeByLevel(edge: TreeEdge): Map<number, Uint8Array> {
  const byLevel = new Map<number, Uint8Array>();
  let i = 0;
  for (let h = bitLength(edge.size) - 1; h >= 0; h--) {
    if (bit(edge.size, h)) byLevel.set(h, edge.stack[i++]!);
  }
  return byLevel;
}

/** Root of a tree from its right edge: fold right to left (RFC 9162 §2.1.1 structure). */
export function rootOfEdge(edge: TreeEdge): Uint8Array {
  if (edge.size === 0) return EMPTY_ROOT;
  let r = edge.stack[edge.stack.length - 1]!;
  for (let i = edge.stack.length - 2; i >= 0; i--) r = hashNode(edge.stack[i]!, r);
  return r;
}

/**
 * Appends `leaves` (leaf hashes) to the tree whose right edge is `edge`. Cost: one hash per new
 * node plus O(log n); memory: the new nodes of this batch only.
 */
export function integrate(edge: TreeEdge, leaves: readonly Uint8Array[]): Integration {
  const s = edge.size;
  const n = s + leaves.length;
  const old = edgeByLevel(edge);
  const top = bitLength(n); // complete nodes exist at levels 0 .. top-1
  const levels: Uint8Array[][] = [];
  const lo: number[] = [];
  // Level h starts at the even index at or below floor(s/2^h): when floor(s/2^h) is odd, its left
  // sibling is the old edge node at level h, the only old node any new path needs.
  const first0: Uint8Array[] = s % 2 === 1 ? [old.get(0)!] : [];
  levels.push(first0.concat(leaves as Uint8Array[]));
  lo.push(s - (s % 2));
  for (let h = 0; h + 1 < top; h++) {
    const sNext = shr(s, h + 1);
    const cntNext = shr(n, h + 1);
    const next: Uint8Array[] = sNext % 2 === 1 ? [old.get(h + 1)!] : [];
    const cur = levels[h]!;
    const curLo = lo[h]!;
    for (let k = sNext; k < cntNext; k++) next.push(hashNode(cur[2 * k - curLo]!, cur[2 * k + 1 - curLo]!));
    levels.push(next);
    lo.push(sNext - (sNext % 2));
  }
  const ephemeral: (Uint8Array | undefined)[] = [undefined];
  let r: Uint8Array | undefined;
  for (let h = 1; h <= top; h++) {
    if (bit(n, h - 1)) {
      const node = levels[h - 1]![shr(n, h - 1) - 1 - lo[h - 1]!]!;
      r = r === undefined ? node : hashNode(node, r);
    }
    ephemeral.push(r);
  }
  const stack: Uint8Array[] = [];
  for (let h = top - 1; h >= 0; h--) if (bit(n, h)) stack.push(levels[h]![shr(n, h) - 1 - lo[h]!]!);
  return {
    oldSize: s,
    newSize: n,
    levels,
    lo,
    ephemeral,
    root: n === 0 ? EMPTY_ROOT : ephemeral[top]!,
    edge: { size: n, stack },
  };
}

/** Inclusion proof (RFC 9162 §2.1.3.1 PATH) of a leaf added by `it`, from the batch's own nodes. */
export function batchInclusionProof(it: Integration, index: number): Uint8Array[] {
  const n = it.newSize;
  const proof: Uint8Array[] = [];
  const depth = bitLength(n - 1);
  if (n < 2 ** 31) {
    // Hot path (one proof per appended entry): 32-bit shifts are exact below 2^31.
    for (let h = 0; h < depth; h++) {
      const k = index >>> h;
      const level = it.levels[h]!;
      const lo = it.lo[h]!;
      if ((k & 1) === 1) proof.push(level[k - 1 - lo]!);
      else if (k + 1 < n >>> h) proof.push(level[k + 1 - lo]!);
      else if ((k + 1) * POW2[h]! < n) proof.push(it.ephemeral[h]!);
    }
    return proof;
  }
  for (let h = 0; h < depth; h++) {
    const k = shr(index, h);
    const level = it.levels[h]!;
    const lo = it.lo[h]!;
    if (k % 2 === 1) proof.push(level[k - 1 - lo]!);
    else if (k + 1 < shr(n, h)) proof.push(level[k + 1 - lo]!);
    else if ((k + 1) * POW2[h]! < n) proof.push(it.ephemeral[h]!);
    // else: no right sibling at this level (right edge), the node is promoted unchanged.
  }
  return proof;
}

/** Nodes at level h that became complete in this batch: indexes first .. first+nodes.length-1. */
export function newNodesAt(it: Integration, h: number): { first: number; nodes: Uint8Array[] } {
  const first = shr(it.oldSize, h);
  const level = it.levels[h];
  if (level === undefined) return { first, nodes: [] };
  return { first, nodes: level.slice(first - it.lo[h]!) };
}
