// Property test (fast-check): the LevelDB log and the PostgreSQL log, fed the same random sequence
// of batches (with a restart of both somewhere in it), hand out the same results and store the same
// tree: identical checkpoints (signed notes, byte for byte), roots, inclusion proofs, hash tiles
// (C2SP tlog-tiles, full and partial) and entry bundles. Roots are also checked against a naive
// RFC 9162 §2.1.1 MTH written here, so the two cannot agree on a wrong tree. Needs the local
// PostgreSQL (.ci/run starts it); each run uses its own schema, so it never collides.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  LEDGER_MIGRATIONS,
  createNoteSigner,
  openLog,
  openPgLog,
  type AppendResult,
  type TransparencyLog,
} from "@meritlog/ledger";
import { EMPTY_ROOT, leafHash, nodeHash, toHex } from "@meritlog/ledger/verify";
import { createTestSchema, runMigrations, type TestSchema } from "@meritlog/postgres";
import { removeDir, tempDb, type TempDb } from "./helpers.js";

const ORIGIN = "meritlog.test/agree";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(11));
// One wave of appends is one batch: every append of a wave is queued before the 0 ms timer fires.
const OPTS = { origin: ORIGIN, signer, batchMaxDelayMs: 0, batchMaxSize: 4096 } as const;

/** MTH(D[0:n]) (RFC 9162 §2.1.1), recursively, from leaf hashes. */
function mth(leaves: readonly Uint8Array[], a: number, b: number): Uint8Array {
  const n = b - a;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[a]!;
  let k = 1;
  while (k * 2 < n) k *= 2;
  return nodeHash(mth(leaves, a, a + k), mth(leaves, a + k, b));
}

const temps: TempDb[] = [];
const schemas: TestSchema[] = [];
afterAll(async () => {
  for (const t of temps.splice(0)) {
    await t.close().catch(() => undefined);
    removeDir(t.dir);
  }
  for (const s of schemas.splice(0)) await s.drop();
});

const summary = (r: AppendResult) => ({
  leafIndex: r.leafIndex,
  treeSize: r.treeSize,
  proof: r.inclusionProof.map(toHex),
  checkpoint: r.checkpoint,
});

/** Every hash tile and entry bundle of `log` at its size, full and partial (c2sp.org/tlog-tiles). */
async function storedTree(log: TransparencyLog): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const n = log.size;
  for (let level = 0, count = n; count > 0; level++, count = Math.floor(count / 256)) {
    for (let index = 0; index * 256 < count; index++) {
      const width = Math.min(256, count - index * 256);
      out.set(`tile/${level}/${index}.${width}`, toHex(await log.tile(level, index, width)));
      // A partial tile is a prefix of what the full tile will be; the narrower widths are prefixes too.
      if (width > 1) out.set(`tile/${level}/${index}.1`, toHex(await log.tile(level, index, 1)));
    }
  }
  for (let index = 0; index * 256 < n; index++) {
    const width = Math.min(256, n - index * 256);
    out.set(`entries/${index}.${width}`, toHex(await log.entryBundle(index, width)));
  }
  return out;
}

describe("LevelDB and PostgreSQL logs (property)", () => {
  it("produce identical tiles, roots and checkpoints for the same random batches", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 1, max: 300 }),
            fc.constantFrom(15, 16, 17, 255, 256, 257),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.nat({ max: 8 }),
        fc.uint8Array({ maxLength: 24 }),
        async (batches, restartAt, salt) => {
          const t = await tempDb();
          temps.push(t);
          const s = await createTestSchema();
          schemas.push(s);
          await runMigrations(s.pool, [LEDGER_MIGRATIONS]);
          let lv: TransparencyLog = await openLog({ db: t.db, ...OPTS });
          let pg: TransparencyLog = await openPgLog({ pool: s.pool, refreshMs: 0, ...OPTS });
          expect(pg.checkpoint()).toBe(lv.checkpoint());
          const leaves: Uint8Array[] = [];
          let next = 0;
          try {
            for (let b = 0; b < batches.length; b++) {
              if (b === restartAt) {
                // Both reopen from what they stored: the right edge and the partial records.
                await lv.close();
                await pg.close();
                lv = await openLog({ db: t.db, ...OPTS });
                pg = await openPgLog({ pool: s.pool, refreshMs: 0, ...OPTS });
                expect(pg.checkpoint()).toBe(lv.checkpoint());
              }
              const wave = Array.from({ length: batches[b]! }, () => {
                const i = next++;
                const e = new Uint8Array(salt.length + 8);
                e.set(salt, 0);
                new DataView(e.buffer).setFloat64(salt.length, i);
                return e.subarray(0, salt.length + (i % 9));
              });
              for (const e of wave) leaves.push(leafHash(e));
              const [a, p] = await Promise.all([
                Promise.all(wave.map((e) => lv.append(e))),
                Promise.all(wave.map((e) => pg.append(e))),
              ]);
              // The wave was one batch on each backend, ending at the same size.
              expect(new Set(a.map((r) => r.treeSize))).toEqual(new Set([next]));
              expect(p.map(summary)).toEqual(a.map(summary));
              expect(toHex(pg.rootHash)).toBe(toHex(lv.rootHash));
              expect(toHex(lv.rootHash)).toBe(toHex(mth(leaves, 0, next)));
              expect(pg.checkpoint()).toBe(lv.checkpoint());
            }
            expect(pg.size).toBe(next);
            expect(await storedTree(pg)).toEqual(await storedTree(lv));
          } finally {
            await lv.close();
            await pg.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 240_000);
});
