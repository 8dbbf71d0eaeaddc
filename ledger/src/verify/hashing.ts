// RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256, domain-separated leaves and nodes. Proof
// verification takes a TreeHasher as its first argument (as transparency-dev/merkle's
// VerifyInclusion(hasher, …)), so the one implementation the RFC 6962 / transparency-dev vectors
// test runs in the browser (portable SHA-256) and on the server (node:crypto, `NODE_TREE_HASHER`).
import { sha256 as portableSha256, type Hasher } from "@meritlog/core";

export const HASH_SIZE = 32;

/** The RFC 9162 §2.1.1 leaf and interior-node hashes over one SHA-256 implementation. */
export interface TreeHasher {
  /** MTH({d(0)}) = SHA-256(0x00 || d(0)). */
  hashLeaf(entry: Uint8Array): Uint8Array;
  /** SHA-256(0x01 || left || right). */
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
}

/** A TreeHasher over `sha256` (the caller's: node:crypto on the server, noble in the browser). */
export function rfc6962Hasher(sha256: Hasher): TreeHasher {
  // One 65-byte scratch for interior nodes: hashing is synchronous and the hasher copies its input.
  const node = new Uint8Array(65);
  node[0] = 0x01;
  return {
    hashLeaf(entry) {
      const buf = new Uint8Array(entry.length + 1); // 0x00 prefix
      buf.set(entry, 1);
      return sha256(buf);
    },
    hashChildren(left, right) {
      node.set(left, 1);
      node.set(right, 33);
      return sha256(node);
    },
  };
}

/** The portable TreeHasher (@noble/hashes SHA-256 through @meritlog/core). */
export const DEFAULT_TREE_HASHER: TreeHasher = rfc6962Hasher(portableSha256);

/** MTH({}) = SHA-256() (RFC 9162 §2.1.1): the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = portableSha256(new Uint8Array(0));

/** MTH({d(0)}) = SHA-256(0x00 || d(0)) with the portable hasher (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Uint8Array {
  return DEFAULT_TREE_HASHER.hashLeaf(entry);
}

/** SHA-256(0x01 || left || right) with the portable hasher (RFC 9162 §2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return DEFAULT_TREE_HASHER.hashChildren(left, right);
}
