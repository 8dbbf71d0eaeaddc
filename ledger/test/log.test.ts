// The log on a real LevelDB: group commit, receipts, proofs from stored tiles, reopen, overload.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  createNoteSigner,
  loadOrCreateLogSigner,
  openLog,
  parseSignerKey,
  signNote,
  type TransparencyLog,
} from "@meritlog/ledger";
import {
  DEFAULT_TREE_HASHER,
  EMPTY_ROOT,
  leafHash,
  nodeHash,
  parseCheckpoint,
  parseNote,
  parseTilePath,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  verifyReceipt,
} from "@meritlog/ledger/verify";
import { enc, removeDir, tempDb, testBox, type TempDb } from "./helpers.js";

const ORIGIN = "meritlog.test/log";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(7));
const dbs: TempDb[] = [];
afterEach(async () => {
  for (const t of dbs.splice(0)) {
    await t.close().catch(() => undefined);
    removeDir(t.dir);
  }
});
async function fresh(): Promise<TempDb> {
  const t = await tempDb();
  dbs.push(t);
  return t;
}

// Naive RFC 9162 §2.1.1 MTH over leaf hashes (reference, independent of the log's code).
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const entryText = (i: number) =>
  JSON.stringify({
    at: "2026-11-21T00:00:00Z",
    digest: i.toString(16).padStart(64, "0"),
    kind: "issue",
    v: 1,
  });

describe("signer", () => {
  it("signs the golang.org/x/mod/sumdb/note vector byte for byte", () => {
    const v = JSON.parse(
      readFileSync(new URL("../../testdata/ledger/signed-note.json", import.meta.url), "utf8"),
    ) as { sign: { signerKey: string; text: string; want: string } };
    const s = parseSignerKey(v.sign.signerKey);
    expect(signNote(v.sign.text, s)).toBe(v.sign.want);
    expect(s.verifierKey).toBe("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  });

  it("round-trips verifier keys whose base64 contains '+'", () => {
    for (let i = 0; i < 64; i++) {
      const s = createNoteSigner(ORIGIN, new Uint8Array(32).fill(i));
      const v = parseVerifierKey(s.verifierKey);
      expect(v.keyId).toBe(s.keyId);
      expect(Buffer.from(v.publicKey)).toEqual(Buffer.from(s.publicKey));
    }
    expect(
      Array.from(
        { length: 64 },
        (_, i) => createNoteSigner(ORIGIN, new Uint8Array(32).fill(i)).verifierKey.split("+").length > 3,
      ).some(Boolean),
    ).toBe(true);
  });

  it("generates the log key once and stores it sealed", async () => {
    const t = await fresh();
    const box = testBox();
    const a = await loadOrCreateLogSigner(t.db, ORIGIN, box);
    const b = await loadOrCreateLogSigner(t.db, ORIGIN, box);
    expect(b.verifierKey).toBe(a.verifierKey);
    expect(parseVerifierKey(a.verifierKey).name).toBe(ORIGIN);
    const stored = (await t.db.get("key/log", { keyEncoding: "utf8", valueEncoding: "view" })) as Uint8Array;
    expect(Buffer.from(stored).includes(Buffer.from(a.publicKey))).toBe(false);
    await expect(loadOrCreateLogSigner(t.db, ORIGIN, testBox())).rejects.toMatchObject({
      code: "log.corrupt",
    });
  });
});

describe("log", () => {
  it("resolves concurrent appends with receipts that verify offline", async () => {
    const t = await fresh();
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 1, batchMaxSize: 64 });
    expect(log.size).toBe(0);
    expect(verifyNote(log.checkpoint(), [parseVerifierKey(log.verifierKey)]).ok).toBe(true);
    const entries = Array.from({ length: 300 }, (_, i) => enc(entryText(i)));
    const results = await Promise.all(entries.map((e) => log.append(e)));
    expect(results.map((r) => r.leafIndex).sort((a, b) => a - b)).toEqual(entries.map((_, i) => i));
    const sizes = new Set(results.map((r) => r.treeSize));
    expect(sizes.size).toBeGreaterThan(1); // several batches
    for (const [i, r] of results.entries()) {
      const rec = log.receipt(entries[i]!, r);
      const v = verifyReceipt(rec, log.verifierKey);
      expect(v, `receipt ${i}`).toMatchObject({
        ok: true,
        code: "receipt.valid",
        leafIndex: i,
        treeSize: r.treeSize,
      });
      // and the receipt is tied to its entry
      expect(verifyReceipt({ ...rec, entry: rec.entry + " " }, log.verifierKey).code).toBe(
        "receipt.inclusion_invalid",
      );
    }
    expect(log.size).toBe(300);
    const leaves = entries.map(leafHash);
    expect(Buffer.from(log.rootHash)).toEqual(Buffer.from(mth(leaves)));
    await log.close();
  });

  it("gives each receipt its own proof text, in any order and whatever a caller did to the last one", async () => {
    const t = await fresh();
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 1 });
    const entries = Array.from({ length: 40 }, (_, i) => enc(entryText(i)));
    const results = await Promise.all(entries.map((e) => log.append(e)));
    const expected = results.map((r) => r.inclusionProof.map((h) => Buffer.from(h).toString("base64")));
    // In leaf order (neighbours share sibling nodes), with each receipt's proof scribbled over after use.
    for (const [i, r] of results.entries()) {
      const rec = log.receipt(entries[i]!, r);
      expect(rec.inclusionProof).toEqual(expected[i]);
      expect(verifyReceipt(rec, log.verifierKey).ok).toBe(true);
      rec.inclusionProof.fill("AAAA");
    }
    // Out of order.
    for (const i of [39, 0, 20, 21, 1, 38]) {
      expect(log.receipt(entries[i]!, results[i]!).inclusionProof).toEqual(expected[i]);
    }
    await log.close();
  });

  it("serves every inclusion and consistency proof from stored tiles, also after reopening", async () => {
    const t = await fresh();
    let log: TransparencyLog = await openLog({
      db: t.db,
      origin: ORIGIN,
      signer,
      batchMaxDelayMs: 0,
      batchMaxSize: 37,
    });
    const n = 530; // crosses two full level-0 tiles, mid rows and a partial level-1 tile
    const entries = Array.from({ length: n }, (_, i) => enc(entryText(i)));
    for (let i = 0; i < n; i += 97) await Promise.all(entries.slice(i, i + 97).map((e) => log.append(e)));
    await log.close();
    await t.close();
    await t.reopen();
    log = await openLog({ db: t.db, origin: ORIGIN, signer, syncReads: false }); // the thread-pool read path
    expect(log.size).toBe(n);
    const leaves = entries.map(leafHash);
    const roots = Array.from({ length: n + 1 }, (_, s) => (s === 0 ? EMPTY_ROOT : undefined));
    const root = (s: number) => (roots[s] ??= mth(leaves.slice(0, s)));
    for (const size of [1, 2, 3, 7, 8, 255, 256, 257, 300, 511, 512, 513, n]) {
      for (let i = 0; i < size; i += size > 64 ? 13 : 1) {
        const proof = await log.inclusionProof(i, size);
        expect(
          verifyInclusion(DEFAULT_TREE_HASHER, leaves[i]!, i, size, proof, root(size)),
          `inclusion ${i}/${size}`,
        ).toBe(true);
      }
      for (const m of [0, 1, 2, 5, 128, 255, 256, 257, 400, size - 1, size]) {
        if (m > size || m < 0) continue;
        const proof = await log.consistencyProof(m, size);
        // From size 0 nothing is proven, so it is refused (RFC 9162 §2.1.4.2; transparency-dev/merkle).
        expect(
          verifyConsistency(DEFAULT_TREE_HASHER, m, size, proof, root(m) ?? EMPTY_ROOT, root(size)),
          `consistency ${m}->${size}`,
        ).toBe(m > 0);
      }
    }
    for (const i of [0, 255, 256, 529]) expect(Buffer.from(await log.entry(i)).toString()).toBe(entryText(i));
    // Appending after reopen continues the same tree.
    const more = enc(entryText(n));
    const r = await log.append(more);
    expect(r.leafIndex).toBe(n);
    expect(
      verifyInclusion(
        DEFAULT_TREE_HASHER,
        leafHash(more),
        n,
        n + 1,
        r.inclusionProof,
        mth([...leaves, leafHash(more)]),
      ),
    ).toBe(true);
    await log.close();
  });

  it("opens by reading only the state and the right-edge records, whatever the size", async () => {
    const t = await fresh();
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 0, batchMaxSize: 4096 });
    const n = 70_000; // the tlog-tiles example size: partial tiles at levels 0, 1 and 2
    for (let i = 0; i < n; i += 10_000)
      await Promise.all(Array.from({ length: 10_000 }, (_, j) => log.append(enc(`e${i + j}`))));
    const root = log.rootHash;
    await log.close();
    const db = t.db as unknown as Record<string, (...a: unknown[]) => unknown>;
    const reads: string[] = [];
    for (const m of ["get", "getMany", "getSync", "iterator", "keys", "values"]) {
      const real = db[m]!.bind(db);
      db[m] = (...a: unknown[]) => {
        reads.push(`${m} ${JSON.stringify(a[0])}`);
        return real(...a);
      };
    }
    const again = await openLog({ db: t.db, origin: ORIGIN, signer });
    expect(again.size).toBe(n);
    expect(Buffer.from(again.rootHash)).toEqual(Buffer.from(root));
    // state + partial rows (levels 0, 4, 8, 12, 16 as far as they are partial) + the partial bundle
    expect(reads.length).toBeLessThanOrEqual(8);
    expect(reads.every((r) => r.startsWith("get "))).toBe(true);
    await again.close();
  });

  it("serves tiles and entry bundles as C2SP tlog-tiles specifies", async () => {
    const t = await fresh();
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 0 });
    const n = 256 * 2 + 17;
    const entries = Array.from({ length: n }, (_, i) => enc(entryText(i)));
    await Promise.all(entries.map((e) => log.append(e)));
    const leaves = entries.map(leafHash);
    const t0 = await log.tile(0, 1);
    expect(Buffer.from(t0)).toEqual(Buffer.concat(leaves.slice(256, 512)));
    expect(Buffer.from(await log.tile(0, 2, 17))).toEqual(Buffer.concat(leaves.slice(512, 529)));
    expect(Buffer.from(await log.tile(0, 2, 5))).toEqual(Buffer.concat(leaves.slice(512, 517)));
    expect(Buffer.from(await log.tile(1, 0, 2))).toEqual(
      Buffer.concat([mth(leaves.slice(0, 256)), mth(leaves.slice(256, 512))]),
    );
    await expect(log.tile(0, 2)).rejects.toMatchObject({ code: "log.not_found" });
    await expect(log.tile(1, 0, 3)).rejects.toMatchObject({ code: "log.not_found" });
    const b = await log.entryBundle(2, 3);
    const want = Buffer.concat(
      entries.slice(512, 515).map((e) => Buffer.concat([Buffer.from([e.length >> 8, e.length & 255]), e])),
    );
    expect(Buffer.from(b)).toEqual(want);
    expect(parseTilePath("tile/entries/002.p/3")).toMatchObject({ kind: "entries", index: 2, width: 3 });
    await expect(log.entryBundle(3)).rejects.toMatchObject({ code: "log.not_found" });
    await log.close();
  });

  it("rejects out-of-range proofs and entries with coded errors", async () => {
    const t = await fresh();
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 0 });
    await Promise.all([1, 2, 3].map((i) => log.append(enc(entryText(i)))));
    await expect(log.inclusionProof(3, 3)).rejects.toMatchObject({ code: "log.size_out_of_range" });
    await expect(log.inclusionProof(0, 4)).rejects.toMatchObject({ code: "log.size_out_of_range" });
    await expect(log.inclusionProof(-1, 2)).rejects.toMatchObject({ code: "log.bad_request" });
    await expect(log.consistencyProof(3, 2)).rejects.toMatchObject({ code: "log.size_out_of_range" });
    await expect(log.consistencyProof(1, 9)).rejects.toMatchObject({ code: "log.size_out_of_range" });
    expect(await log.consistencyProof(0, 3)).toEqual([]);
    expect(await log.consistencyProof(3, 3)).toEqual([]);
    await expect(log.entry(3)).rejects.toMatchObject({ code: "log.not_found" });
    await expect(log.append(new Uint8Array(70_000))).rejects.toMatchObject({ code: "log.entry_too_large" });
    await log.close();
    await expect(log.append(enc("x"))).rejects.toMatchObject({ code: "log.closed" });
  });

  it("refuses an origin that cannot be a checkpoint line or does not name the key", async () => {
    const t = await fresh();
    await expect(openLog({ db: t.db, origin: "two\nlines", signer })).rejects.toMatchObject({
      code: "log.bad_request",
    });
    await expect(openLog({ db: t.db, origin: "other.test/log", signer })).rejects.toMatchObject({
      code: "log.malformed_key",
    });
  });

  it("pushes back with log.overloaded instead of queueing without bound", async () => {
    const t = await fresh();
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 20, maxPending: 10 });
    const settled = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) => log.append(enc(entryText(i)))),
    );
    const rejected = settled.filter((s) => s.status === "rejected");
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(10);
    expect(rejected).toHaveLength(15);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({
      code: "log.overloaded",
      status: 503,
      retryAfterSeconds: 1,
    });
    // Capacity comes back once the batch is durable.
    await expect(log.append(enc("later"))).resolves.toMatchObject({ leafIndex: 10 });
    await log.close();
  });

  it("rejects a batch whose write fails (and any batch prepared on top of it), then carries on", async () => {
    const t = await fresh();
    const db = t.db as unknown as { batch: (...a: unknown[]) => Promise<void> };
    const realBatch = db.batch.bind(db);
    let failNext = false;
    db.batch = async (...a: unknown[]) => {
      if (failNext) {
        failNext = false;
        await new Promise((r) => setTimeout(r, 20)); // let the next batch be prepared meanwhile
        throw new Error("disk full");
      }
      return await realBatch(...a);
    };
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 1, batchMaxSize: 4 });
    await Promise.all([0, 1, 2].map((i) => log.append(enc(entryText(i)))));
    failNext = true;
    const settled = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => log.append(enc(entryText(100 + i)))),
    );
    const failed = settled.filter((s) => s.status === "rejected");
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ code: "log.write_failed" });
    const ok = settled
      .filter(
        (s): s is PromiseFulfilledResult<Awaited<ReturnType<typeof log.append>>> => s.status === "fulfilled",
      )
      .map((s) => s.value);
    // What did commit continues the tree without gaps, and every result still verifies.
    expect(ok.map((r) => r.leafIndex).sort((a, b) => a - b)).toEqual(ok.map((_, i) => 3 + i));
    const after = await log.append(enc("after"));
    expect(after.leafIndex).toBe(3 + ok.length);
    expect(log.size).toBe(4 + ok.length);
    for (const r of [...ok, after]) {
      const leaf = leafHash(await log.entry(r.leafIndex));
      const cp = parseCheckpoint(parseNote(r.checkpoint).body);
      expect(
        verifyInclusion(DEFAULT_TREE_HASHER, leaf, r.leafIndex, r.treeSize, r.inclusionProof, cp.rootHash),
      ).toBe(true);
    }
    await log.close();
  });

  it("re-signs the stored tree head when the key changes, keeping the tree", async () => {
    const t = await fresh();
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 0 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => log.append(enc(entryText(i)))));
    const root = log.rootHash;
    await log.close();
    const other = createNoteSigner(ORIGIN, new Uint8Array(32).fill(9));
    const again = await openLog({ db: t.db, origin: ORIGIN, signer: other });
    expect(again.size).toBe(5);
    expect(Buffer.from(again.rootHash)).toEqual(Buffer.from(root));
    const v = verifyNote(again.checkpoint(), [parseVerifierKey(other.verifierKey)]);
    expect(v.ok).toBe(true);
    expect(parseCheckpoint(parseNote(again.checkpoint()).body).size).toBe(5);
    await again.close();
  });
});
