// Consistency and inclusion against a large foreign log (issue 13): a log of 2^20 + 12,345 leaves
// whose roots and proofs come from a reference implementation written here, straight from the
// RFC 9162 §2.1 definitions (MTH §2.1.1, PATH §2.1.3.1, PROOF/SUBPROOF §2.1.4.1), sharing no code
// with @meritlog/ledger: it hashes with node:crypto and keeps every complete subtree's hash in
// per-level arrays, so any MTH(D[a:b]) the definitions ask for costs O(log n). Our verifiers
// (`verifyConsistency`, `verifyInclusion` from @meritlog/ledger/verify, the code the verifier,
// the wallet and the CLI run) must accept every proof the definitions produce, at large sizes and
// for random size pairs (fast-check), and refuse each proof with one hash altered; the ledger's
// own proof plan (`inclusionRanges`, the leaf ranges it reads from its tiles) must name the same
// hashes as PATH.
import { createHash, hash } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_TREE_HASHER,
  inclusionRanges,
  rfc6962Hasher,
  verifyConsistency,
  verifyInclusion,
} from "@meritlog/ledger/verify";

const N = 2 ** 20 + 12_345; // ≥ 1,000,000 leaves, not a power of two
const H = 32;
const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** The i-th entry of the foreign log: "foreign-log entry <i>" (the log's own bytes, not ours). */
const entry = (i: number) => Buffer.from(`foreign-log entry ${i}`, "utf8");

/**
 * levels[j][k] = MTH of the complete subtree D[k·2^j : (k+1)·2^j] (RFC 9162 §2.1.1), for the
 * subtrees lying wholly inside D[0:N]; stored as one Buffer per level.
 */
let levels: Buffer[] = [];

function buildLevels(): void {
  // One-shot crypto.hash over reused input buffers: two million SHA-256 calls is the whole cost.
  const leaves = Buffer.allocUnsafe(N * H);
  const input = Buffer.allocUnsafe(1 + 64);
  input[0] = 0x00;
  for (let i = 0; i < N; i++) {
    const len = input.write(`foreign-log entry ${i}`, 1, "latin1");
    hash("sha256", input.subarray(0, 1 + len), "buffer").copy(leaves, i * H);
  }
  levels = [leaves];
  const pair = Buffer.allocUnsafe(1 + 2 * H);
  pair[0] = 0x01;
  for (let width = N; width > 1;) {
    const below = levels[levels.length - 1]!;
    const count = Math.floor(width / 2);
    const up = Buffer.allocUnsafe(count * H);
    for (let k = 0; k < count; k++) {
      below.copy(pair, 1, 2 * k * H, (2 * k + 2) * H);
      hash("sha256", pair, "buffer").copy(up, k * H);
    }
    levels.push(up);
    width = count;
  }
}

/** The largest power of two smaller than n (RFC 9162 §2.1.1's k), for n > 1. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[a : a+n]) by the §2.1.1 recursion; complete aligned subtrees are read from `levels`. */
function mth(a: number, n: number): Buffer {
  if (n === 0) return sha256();
  if ((n & (n - 1)) === 0 && a % n === 0) {
    const j = Math.log2(n);
    return levels[j]!.subarray((a / n) * H, (a / n + 1) * H);
  }
  const k = splitPoint(n);
  return sha256(NODE_PREFIX, mth(a, k), mth(a + k, n - k));
}

/** PATH(m, D[a : a+n]) (RFC 9162 §2.1.3.1): the audit path of leaf m. */
function path(m: number, a: number, n: number): Buffer[] {
  if (n <= 1) return [];
  const k = splitPoint(n);
  return m < k ? [...path(m, a, k), mth(a + k, n - k)] : [...path(m - k, a + k, n - k), mth(a, k)];
}

/** SUBPROOF(m, D[a : a+n], b) (RFC 9162 §2.1.4.1). */
function subproof(m: number, a: number, n: number, b: boolean): Buffer[] {
  if (m === n) return b ? [] : [mth(a, n)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(m, a, k, b), mth(a + k, n - k)]
    : [...subproof(m - k, a + k, n - k, false), mth(a, k)];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
const consistencyProof = (m: number, n: number) => subproof(m, 0, n, true);

const HASHERS = [
  ["portable", DEFAULT_TREE_HASHER],
  ["node:crypto", rfc6962Hasher((d) => new Uint8Array(createHash("sha256").update(d).digest()))],
] as const;

/** The proof with one bit of hash `i` flipped. */
function flipped(proof: Buffer[], i: number): Uint8Array[] {
  return proof.map((p, j) => {
    const c = new Uint8Array(p);
    if (j === i) c[c.length - 1 - (j % H)]! ^= 0x01;
    return c;
  });
}

describe(`a foreign log of ${N.toLocaleString("en")} leaves (RFC 9162 §2.1 reference implementation)`, () => {
  beforeAll(() => {
    buildLevels();
  }, 120_000);

  it("the reference implementation agrees with itself on small trees (MTH split vs. levels)", () => {
    // The recursion and the level arrays are two readings of §2.1.1; check they agree where both apply.
    const full = (a: number, n: number): Buffer =>
      n === 1
        ? sha256(LEAF_PREFIX, entry(a))
        : sha256(NODE_PREFIX, full(a, splitPoint(n)), full(a + splitPoint(n), n - splitPoint(n)));
    for (const n of [1, 2, 3, 5, 8, 13, 64, 100]) expect(mth(0, n).equals(full(0, n))).toBe(true);
    expect(mth(1024, 37).equals(full(1024, 37))).toBe(true);
  });

  for (const [name, hasher] of HASHERS) {
    it(`accepts consistency proofs to the full size from sizes across the range (${name})`, () => {
      const rootN = mth(0, N);
      for (const m of [1, 2, 3, 7, 1000, 65_536, 999_999, 2 ** 20, 2 ** 20 + 1, N - 1]) {
        const proof = consistencyProof(m, N);
        expect(verifyConsistency(hasher, m, N, proof, mth(0, m), rootN), `m=${m}`).toBe(true);
      }
    });

    it(`accepts every random consistency proof and refuses it altered (${name}, fast-check)`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: N }),
          fc.integer({ min: 1, max: N }),
          fc.nat(),
          (x, y, pick) => {
            const [m, n] = x <= y ? [x, y] : [y, x];
            const proof = consistencyProof(m, n);
            const rootM = mth(0, m);
            const rootN = mth(0, n);
            expect(verifyConsistency(hasher, m, n, proof, rootM, rootN)).toBe(true);
            if (m < n) {
              expect(proof.length).toBeGreaterThan(0);
              expect(verifyConsistency(hasher, m, n, flipped(proof, pick % proof.length), rootM, rootN)).toBe(
                false,
              );
              // The proof is for (m, n) only: another first size or another root does not verify.
              if (m > 1) expect(verifyConsistency(hasher, m - 1, n, proof, mth(0, m - 1), rootN)).toBe(false);
              expect(verifyConsistency(hasher, m, n, proof, rootM, mth(0, n - 1))).toBe(false);
            }
          },
        ),
        { numRuns: 150 },
      );
    });

    it(`accepts every random inclusion proof and refuses it altered (${name}, fast-check)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: N }), fc.nat(), fc.nat(), (n, i, pick) => {
          const index = i % n;
          const leaf = sha256(LEAF_PREFIX, entry(index));
          const proof = path(index, 0, n);
          const root = mth(0, n);
          expect(verifyInclusion(hasher, leaf, index, n, proof, root)).toBe(true);
          // The ledger plans its own proofs as leaf ranges (read from its tiles): same hashes.
          const planned = inclusionRanges(index, n).map(([a, b]) => mth(a, b - a));
          expect(Buffer.concat(planned).equals(Buffer.concat(proof))).toBe(true);
          if (proof.length > 0)
            expect(verifyInclusion(hasher, leaf, index, n, flipped(proof, pick % proof.length), root)).toBe(
              false,
            );
          if (n > 1) expect(verifyInclusion(hasher, leaf, (index + 1) % n, n, proof, root)).toBe(false);
        }),
        { numRuns: 150 },
      );
    });
  }
});
