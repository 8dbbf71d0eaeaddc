// The log on PostgreSQL: the same known answers as the LevelDB log, byte-identical records,
// several nodes on one database appending at once into one tree, fsck, and a database that goes
// away and comes back. Needs the local PostgreSQL (.ci/run starts it); never skips.
import { readFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  LEDGER_MIGRATIONS,
  createNoteSigner,
  fsckLog,
  loadOrCreatePgLogSigner,
  openLog,
  openPgLog,
  pgRecordSource,
  type AppendResult,
  type TransparencyLog,
} from "@meritlog/ledger";
import {
  DEFAULT_TREE_HASHER,
  leafHash,
  parseCheckpoint,
  parseNote,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "@meritlog/ledger/verify";
import {
  createPool,
  createTestSchema,
  runMigrations,
  createTcpRelay,
  type Pool,
  type TestSchema,
} from "@meritlog/postgres";
import { enc, removeDir, tempDb, testBox, type TempDb } from "./helpers.js";

const ORIGIN = "meritlog.test/log";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(7));
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));
const vectors = JSON.parse(
  readFileSync(new URL("../../testdata/ledger/rfc6962-tree.json", import.meta.url), "utf8"),
) as { leafInputs: string[]; rootHashes: string[] };

const schemas: TestSchema[] = [];
const temps: TempDb[] = [];
const logs: TransparencyLog[] = [];
const pools: Pool[] = [];
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close().catch(() => undefined);
  for (const p of pools.splice(0)) await p.end().catch(() => undefined);
  for (const t of temps.splice(0)) {
    await t.close().catch(() => undefined);
    removeDir(t.dir);
  }
});
afterAll(async () => {
  for (const s of schemas.splice(0)) await s.drop();
});

async function freshSchema(): Promise<TestSchema> {
  const s = await createTestSchema();
  schemas.push(s);
  await runMigrations(s.pool, [LEDGER_MIGRATIONS]);
  return s;
}

type Backend = (opts: { batchMaxSize?: number; batchMaxDelayMs?: number }) => Promise<TransparencyLog>;
const BACKENDS: [string, Backend][] = [
  [
    "leveldb",
    async (opts) => {
      const t = await tempDb();
      temps.push(t);
      const log = await openLog({ db: t.db, origin: ORIGIN, signer, ...opts });
      logs.push(log);
      return log;
    },
  ],
  [
    "postgresql",
    async (opts) => {
      const s = await freshSchema();
      const log = await openPgLog({ pool: s.pool, origin: ORIGIN, signer, ...opts });
      logs.push(log);
      return log;
    },
  ],
];

const entryText = (i: number) =>
  JSON.stringify({ digest: i.toString(16).padStart(64, "0"), kind: "issue", v: 1 });

describe.each(BACKENDS)("RFC 6962 known answers on %s", (_name, open) => {
  it("has the vector root after every append, and every proof verifies against the vector roots", async () => {
    const log = await open({ batchMaxDelayMs: 0 });
    const leaves = vectors.leafInputs.map(hex);
    expect(toHex(log.rootHash)).toBe(vectors.rootHashes[0]);
    for (let i = 0; i < leaves.length; i++) {
      const r = await log.append(leaves[i]!);
      expect(r.leafIndex).toBe(i);
      expect(toHex(log.rootHash)).toBe(vectors.rootHashes[i + 1]);
      expect(toHex(parseCheckpoint(parseNote(r.checkpoint).body).rootHash)).toBe(vectors.rootHashes[i + 1]);
    }
    const root = (s: number) => hex(vectors.rootHashes[s]!);
    for (let size = 1; size <= leaves.length; size++) {
      for (let i = 0; i < size; i++) {
        const proof = await log.inclusionProof(i, size);
        expect(verifyInclusion(DEFAULT_TREE_HASHER, leafHash(leaves[i]!), i, size, proof, root(size))).toBe(
          true,
        );
      }
      for (let m = 1; m <= size; m++) {
        const proof = await log.consistencyProof(m, size);
        expect(verifyConsistency(DEFAULT_TREE_HASHER, m, size, proof, root(m), root(size))).toBe(true);
      }
    }
    // A corrupted root must not verify (the check above can fail).
    const bad = root(5);
    bad[0]! ^= 1;
    expect(
      verifyInclusion(DEFAULT_TREE_HASHER, leafHash(leaves[0]!), 0, 5, await log.inclusionProof(0, 5), bad),
    ).toBe(false);
  });
});

describe("PostgreSQL and LevelDB agree", () => {
  it("write the same tiles, bundles and checkpoint for the same batches", async () => {
    const [lv, pg] = [
      await BACKENDS[0]![1]({ batchMaxDelayMs: 0 }),
      await BACKENDS[1]![1]({ batchMaxDelayMs: 0 }),
    ];
    const n = 530; // two full level-0 tiles, mid rows, a partial level-1 tile
    const entries = Array.from({ length: n }, (_, i) => enc(entryText(i)));
    for (let i = 0; i < n; i += 97) {
      const wave = entries.slice(i, i + 97);
      const [a, b] = await Promise.all([
        Promise.all(wave.map((e) => lv.append(e))),
        Promise.all(wave.map((e) => pg.append(e))),
      ]);
      expect(b.map((r) => r.leafIndex)).toEqual(a.map((r) => r.leafIndex));
    }
    expect(pg.size).toBe(n);
    expect(pg.checkpoint()).toBe(lv.checkpoint());
    for (const [level, index, width] of [
      [0, 0, 256],
      [0, 1, 256],
      [0, 2, 18],
      [1, 0, 2],
    ] as const)
      expect(Buffer.from(await pg.tile(level, index, width))).toEqual(
        Buffer.from(await lv.tile(level, index, width)),
      );
    for (const [index, width] of [
      [0, 256],
      [1, 256],
      [2, 18],
    ] as const)
      expect(Buffer.from(await pg.entryBundle(index, width))).toEqual(
        Buffer.from(await lv.entryBundle(index, width)),
      );
    for (const i of [0, 255, 256, 529]) expect(Buffer.from(await pg.entry(i)).toString()).toBe(entryText(i));
    for (const [m, size] of [
      [1, 530],
      [256, 513],
      [300, 530],
    ] as const)
      expect((await pg.consistencyProof(m, size)).map(toHex)).toEqual(
        (await lv.consistencyProof(m, size)).map(toHex),
      );
  });
});

describe("several nodes on one database", () => {
  it("append concurrently into one tree whose every checkpoint is consistent with the final one", async () => {
    const s = await freshSchema();
    // Three nodes: separate pools (connections) and separate log instances, as three processes.
    const nodes: TransparencyLog[] = [];
    for (let k = 0; k < 3; k++) {
      const pool = createPool(s.url, { max: 3 });
      pools.push(pool);
      const log = await openPgLog({
        pool,
        origin: ORIGIN,
        signer,
        batchMaxDelayMs: k,
        batchMaxSize: 16 + 7 * k,
      });
      logs.push(log);
      nodes.push(log);
    }
    const perNode = 240;
    const results: { entry: string; r: AppendResult }[] = [];
    await Promise.all(
      nodes.map(async (log, k) => {
        for (let w = 0; w < perNode; w += 40) {
          const texts = Array.from({ length: 40 }, (_, j) => `node ${k} entry ${w + j}`);
          const rs = await Promise.all(texts.map((t) => log.append(enc(t))));
          rs.forEach((r, j) => results.push({ entry: texts[j]!, r }));
        }
      }),
    );
    const total = 3 * perNode;
    expect(results).toHaveLength(total);
    expect(new Set(results.map((x) => x.r.leafIndex)).size).toBe(total);
    expect(Math.max(...results.map((x) => x.r.leafIndex))).toBe(total - 1);
    // Never two roots for one size, across every checkpoint any node handed out.
    const rootBySize = new Map<number, string>();
    for (const { r } of results) {
      const cp = parseCheckpoint(parseNote(r.checkpoint).body);
      const root = toHex(cp.rootHash);
      expect(rootBySize.get(cp.size) ?? root).toBe(root);
      rootBySize.set(cp.size, root);
    }
    const final = nodes[0]!;
    await (final as unknown as { refresh(): Promise<void> }).refresh();
    expect(final.size).toBe(total);
    const finalRoot = final.rootHash;
    for (const { entry, r } of results) {
      const cp = parseCheckpoint(parseNote(r.checkpoint).body);
      expect(
        verifyInclusion(
          DEFAULT_TREE_HASHER,
          leafHash(enc(entry)),
          r.leafIndex,
          cp.size,
          r.inclusionProof,
          cp.rootHash,
        ),
      ).toBe(true);
      expect(Buffer.from(await final.entry(r.leafIndex)).toString()).toBe(entry);
    }
    for (const [size, root] of rootBySize) {
      const proof = await final.consistencyProof(size, total);
      expect(
        verifyConsistency(DEFAULT_TREE_HASHER, size, total, proof, hex(root), finalRoot),
        `consistency ${size}`,
      ).toBe(size > 0);
    }
    // Another node serves a proof for a size it has not seen yet by refreshing from the database.
    expect((await nodes[2]!.consistencyProof(1, total)).length).toBeGreaterThan(0);
    // The database recorded one checkpoint per size, the same roots the nodes handed out.
    const { rows } = await s.pool.query<{ size: string; root: Buffer }>(
      "SELECT size, root FROM ledger_log_checkpoints",
    );
    for (const row of rows) {
      const seen = rootBySize.get(Number(row.size));
      if (seen !== undefined) expect(row.root.toString("hex")).toBe(seen);
    }
    const report = await fsckLog(pgRecordSource(s.pool));
    expect(report.firstError).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.size).toBe(total);
    expect(report.rootHash).toBe(Buffer.from(finalRoot).toString("base64"));
  });
});

describe("fsck on PostgreSQL", () => {
  it("passes a good log and names a tampered tile and a missing bundle", async () => {
    const s = await freshSchema();
    const log = await openPgLog({ pool: s.pool, origin: ORIGIN, signer, batchMaxDelayMs: 0 });
    logs.push(log);
    await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(enc(entryText(i)))));
    expect((await fsckLog(pgRecordSource(s.pool), signer.verifierKey)).ok).toBe(true);
    await s.pool.query(
      "UPDATE ledger_log_hashes SET hashes = overlay(hashes placing '\\x00'::bytea from 33) WHERE level = 0 AND grp = 0",
    );
    const bad = await fsckLog(pgRecordSource(s.pool), signer.verifierKey);
    expect(bad.ok).toBe(false);
    expect(bad.firstError?.code).toBe("fsck.tile_mismatch");
    await s.pool.query("DELETE FROM ledger_log_bundles WHERE grp = 1");
    const gone = await fsckLog(pgRecordSource(s.pool), signer.verifierKey);
    expect(gone.ok).toBe(false);
    expect(["fsck.bundle_missing", "fsck.tile_mismatch"]).toContain(gone.firstError?.code);
  });
});

describe("log key on PostgreSQL", () => {
  it("is generated once when nodes start together, and never for an existing log without one", async () => {
    const s = await freshSchema();
    const box = testBox();
    const keys = await Promise.all(
      Array.from({ length: 4 }, () => loadOrCreatePgLogSigner(s.pool, ORIGIN, box)),
    );
    expect(new Set(keys.map((k) => k.verifierKey)).size).toBe(1);
    await expect(loadOrCreatePgLogSigner(s.pool, ORIGIN, testBox())).rejects.toMatchObject({
      code: "log.corrupt",
    });
    const s2 = await freshSchema();
    logs.push(await openPgLog({ pool: s2.pool, origin: ORIGIN, signer }));
    await expect(loadOrCreatePgLogSigner(s2.pool, ORIGIN, box)).rejects.toThrow(/no log key/);
  });
});

describe("database unavailable", () => {
  it("rejects appends with storage.unavailable while it is gone, acknowledges nothing, and recovers by itself", async () => {
    const s = await freshSchema();
    const r = await createTcpRelay();
    try {
      const pool = createPool(r.url(s.schema), {
        max: 2,
        connectionTimeoutMillis: 1000,
        onIdleError: () => undefined,
      });
      pools.push(pool);
      const log = await openPgLog({ pool, origin: ORIGIN, signer, batchMaxDelayMs: 0, refreshMs: 0 });
      logs.push(log);
      const acked: number[] = [];
      for (let i = 0; i < 5; i++) acked.push((await log.append(enc(entryText(i)))).leafIndex);
      await r.cut();
      const down = await Promise.allSettled(
        Array.from({ length: 3 }, (_, i) => log.append(enc(`down ${i}`))),
      );
      for (const d of down) {
        expect(d.status).toBe("rejected");
        expect((d as PromiseRejectedResult).reason).toMatchObject({ code: "storage.unavailable" });
      }
      await r.restore();
      const after = await log.append(enc(entryText(5)));
      expect(after.leafIndex).toBe(5);
      const report = await fsckLog(pgRecordSource(s.pool), signer.verifierKey);
      expect(report.ok).toBe(true);
      expect(report.size).toBe(6);
    } finally {
      await r.cut().catch(() => undefined);
    }
  });
});
