// RFC 9162 §2.1.1 hashing on the server hot path with node:crypto's one-shot SHA-256, which is
// several times faster than a JS implementation (DEPENDENCIES.md "Speeds"). Same results as
// ./verify/hashing.ts; the tests check both against the RFC 6962 vectors.
import { nodeSha256 } from "@meritlog/core/node";
import type { TreeHasher } from "./verify/hashing.js";

// One scratch buffer for node hashes: JS is single-threaded and hash() copies its input.
const nodeScratch = Buffer.alloc(65);
nodeScratch[0] = 0x01;

/** SHA-256(0x00 || entry). */
export function hashLeaf(entry: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(entry.length + 1);
  buf[0] = 0x00;
  buf.set(entry, 1);
  return nodeSha256(buf);
}

/** SHA-256(0x01 || left || right). */
export function hashNode(left: Uint8Array, right: Uint8Array): Buffer {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 33);
  return nodeSha256(nodeScratch);
}

/** SHA-256(0x01 || buf[at..at+32] || buf[at+32..at+64]): two adjacent hashes of a stored row. */
export function hashNodeAt(buf: Uint8Array, at: number): Buffer {
  nodeScratch.set(buf.subarray(at, at + 64), 1);
  return nodeSha256(nodeScratch);
}

/** The RFC 9162 TreeHasher over node:crypto, for proof verification on the server. */
export const NODE_TREE_HASHER: TreeHasher = { hashLeaf, hashChildren: hashNode };
