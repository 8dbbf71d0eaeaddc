// Property tests (fast-check): every proof of every index and size verifies, and every root
// equals a naive recursive RFC 9162 §2.1.1 reference written here, independent of the log code.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createNoteSigner, openLog } from "@meritlog/ledger";
import {
  DEFAULT_TREE_HASHER,
  EMPTY_ROOT,
  LedgerError,
  entriesPath,
  formatCheckpoint,
  leafHash,
  nodeHash,
  parseCheckpoint,
  parseNote,
  parseTilePath,
  parseVerifierKey,
  tilePath,
  toBase64,
  tryFromBase64,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  verifyReceipt,
  type Receipt,
} from "@meritlog/ledger/verify";
import { enc, removeDir, tempDb, type TempDb } from "./helpers.js";

/** Naive MTH (RFC 9162 §2.1.1), memoised on aligned perfect subtrees so all prefixes are cheap. */
function reference(leaves: Uint8Array[]): (m: number) => Uint8Array {
  const memo = new Map<string, Uint8Array>();
  const mth = (a: number, b: number): Uint8Array => {
    const n = b - a;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return leaves[a]!;
    const key = `${a}:${b}`;
    const hit = memo.get(key);
    if (hit) return hit;
    let k = 1;
    while (k * 2 < n) k *= 2;
    const h = nodeHash(mth(a, a + k), mth(a + k, b));
    if ((n & (n - 1)) === 0) memo.set(key, h); // only perfect subtrees are shared between prefixes
    return h;
  };
  return (m) => mth(0, m);
}

const dbs: TempDb[] = [];
afterAll(async () => {
  for (const t of dbs) {
    await t.close();
    removeDir(t.dir);
  }
});

describe("log proofs (property)", () => {
  it("every inclusion and consistency proof verifies against the naive reference", async () => {
    const ORIGIN = "meritlog.test/prop";
    const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(1));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 700 }),
        async (n, batch) => {
          const t = await tempDb();
          dbs.push(t);
          const log = await openLog({
            db: t.db,
            origin: ORIGIN,
            signer,
            batchMaxDelayMs: 0,
            batchMaxSize: batch,
          });
          const entries = Array.from({ length: n }, (_, i) => enc(`e${i}:${n}`));
          const leaves = entries.map(leafHash);
          const root = reference(leaves);
          const results = await Promise.all(entries.map((e) => log.append(e)));
          // Proofs handed out by append (from the batch's in-memory nodes).
          for (const r of results) {
            expect(
              verifyInclusion(
                DEFAULT_TREE_HASHER,
                leaves[r.leafIndex]!,
                r.leafIndex,
                r.treeSize,
                r.inclusionProof,
                root(r.treeSize),
              ),
            ).toBe(true);
          }
          expect(toBase64(log.rootHash)).toBe(toBase64(root(n)));
          // Proofs computed from stored tiles: every index at size n, every m ≤ n.
          for (let i = 0; i < n; i++) {
            expect(
              verifyInclusion(DEFAULT_TREE_HASHER, leaves[i]!, i, n, await log.inclusionProof(i, n), root(n)),
              `inclusion ${i}/${n}`,
            ).toBe(true);
          }
          for (let m = 0; m <= n; m++) {
            expect(
              verifyConsistency(
                DEFAULT_TREE_HASHER,
                m,
                n,
                await log.consistencyProof(m, n),
                root(m),
                root(n),
              ),
              `consistency ${m}/${n}`,
            ).toBe(m > 0 || n === 0);
          }
          // And a sample of older sizes.
          for (let k = 0; k < 50; k++) {
            const size = 1 + ((k * 7919) % n);
            const i = (k * 104729) % size;
            const m = (k * 31) % (size + 1);
            expect(
              verifyInclusion(
                DEFAULT_TREE_HASHER,
                leaves[i]!,
                i,
                size,
                await log.inclusionProof(i, size),
                root(size),
              ),
            ).toBe(true);
            expect(
              verifyConsistency(
                DEFAULT_TREE_HASHER,
                m,
                size,
                await log.consistencyProof(m, size),
                root(m),
                root(size),
              ),
            ).toBe(m > 0);
          }
          await log.close();
        },
      ),
      {
        numRuns: 5,
        examples: [
          [1, 1],
          [256, 7],
          [257, 256],
          [2049, 300],
        ],
      },
    );
  }, 120_000);
});

describe("codecs (property)", () => {
  it("base64 round-trips and agrees with Buffer", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const s = toBase64(b);
        expect(s).toBe(Buffer.from(b).toString("base64"));
        expect(Buffer.from(tryFromBase64(s)!)).toEqual(Buffer.from(b));
      }),
    );
  });
  it("tile paths round-trip", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          expect(parseTilePath(tilePath(level, index, width))).toEqual({ kind: "hash", level, index, width });
          expect(parseTilePath(entriesPath(index, width))).toEqual({
            kind: "entries",
            level: 0,
            index,
            width,
          });
        },
      ),
    );
  });
  it("checkpoints round-trip", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9./-]{1,30}$/),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (origin, size, rootHash) => {
          const cp = parseCheckpoint(formatCheckpoint({ origin, size, rootHash }));
          expect(cp).toEqual({ origin, size, rootHash: Uint8Array.from(rootHash), extensions: [] });
        },
      ),
    );
  });
});

describe("untrusted input (property)", () => {
  // Parsers throw LedgerError with a stable code; verifiers return results. Nothing else escapes.
  const onlyLedgerErrors = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(LedgerError);
    }
  };
  const noteish = fc.oneof(
    fc.string(),
    fc.string({ unit: "grapheme" }),
    fc.tuple(fc.string(), fc.string(), fc.string()).map(([a, b, c]) => `${a}\n${b}\n\n\u2014 ${c}\n`),
    fc.tuple(fc.string(), fc.nat(), fc.base64String()).map(([o, n, r]) => `${o}\n${n}\n${r}\n`),
  );
  it("parsers only throw LedgerError", () => {
    fc.assert(
      fc.property(noteish, (s) => {
        onlyLedgerErrors(() => parseCheckpoint(s));
        onlyLedgerErrors(() => parseNote(s));
        onlyLedgerErrors(() => parseVerifierKey(s));
        onlyLedgerErrors(() => parseTilePath(s));
      }),
      { numRuns: 2000 },
    );
  });
  it("verifyNote and verifyReceipt never throw", () => {
    const key = createNoteSigner("meritlog.test/prop", new Uint8Array(32).fill(2)).verifierKey;
    fc.assert(
      fc.property(noteish, fc.anything(), fc.anything(), (s, a, b) => {
        expect(verifyNote(s, [parseVerifierKey(key)]).ok).toBe(false);
        expect(
          verifyReceipt(
            { origin: a, leafIndex: b, entry: s, inclusionProof: [s], checkpoint: s } as unknown as Receipt,
            key,
          ).ok,
        ).toBe(false);
        expect(verifyReceipt(a as Receipt, key).ok).toBe(false);
        expect(verifyReceipt(a as Receipt, s).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
