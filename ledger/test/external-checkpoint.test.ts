// The checkpoint kept outside the database (issue 9, defect 2): the log hands each new checkpoint
// to `onCommit` before any append of its batch resolves, and fsckLog checks a stored tree against
// such a checkpoint (a smaller tree is a rollback, another root for its size a fork).
import { afterEach, describe, expect, it } from "vitest";
import { createNoteSigner, fsckLog, loadOrCreateLogSigner, openLog, signNote } from "@meritlog/ledger";
import { formatCheckpoint } from "@meritlog/ledger/verify";
import { enc, removeDir, tempDb, testBox, type TempDb } from "./helpers.js";

const ORIGIN = "meritlog.test/log";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(7));
const dbs: TempDb[] = [];
afterEach(async () => {
  for (const t of dbs.splice(0)) {
    await t.close();
    removeDir(t.dir);
  }
});

async function fresh(): Promise<TempDb> {
  const t = await tempDb();
  dbs.push(t);
  return t;
}

describe("onCommit", () => {
  it("sees every checkpoint before the appends of its batch resolve", async () => {
    const t = await fresh();
    const seen: string[] = [];
    const log = await openLog({
      db: t.db,
      origin: ORIGIN,
      signer,
      batchMaxDelayMs: 0,
      batchMaxSize: 7,
      onCommit: async (cp) => {
        await new Promise((r) => setTimeout(r, 1));
        seen.push(cp);
      },
    });
    const results = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const r = await log.append(enc(`e${i}`));
        // Resolved only after the hook has the checkpoint this receipt carries (or a newer one).
        expect(seen).toContain(r.checkpoint);
        return r;
      }),
    );
    expect(seen.at(-1)).toBe(log.checkpoint());
    expect(Math.max(...results.map((r) => r.treeSize))).toBe(30);
    await log.close();
  });

  it("fails the batch's appends when the hook fails, and keeps the durable tree", async () => {
    const t = await fresh();
    let fail = true;
    const log = await openLog({
      db: t.db,
      origin: ORIGIN,
      signer,
      batchMaxDelayMs: 0,
      onCommit: async () => {
        if (fail) throw new Error("disk full");
      },
    });
    await expect(log.append(enc("a"))).rejects.toMatchObject({ code: "log.write_failed" });
    expect(log.size).toBe(1);
    fail = false;
    const r = await log.append(enc("b"));
    expect(r).toMatchObject({ leafIndex: 1, treeSize: 2 });
    await log.close();
  });
});

describe("loadOrCreateLogSigner with create: false", () => {
  it("refuses to generate a key for an existing database", async () => {
    const t = await fresh();
    await expect(loadOrCreateLogSigner(t.db, ORIGIN, testBox(), { create: false })).rejects.toMatchObject({
      code: "log.corrupt",
    });
    const box = testBox();
    const made = await loadOrCreateLogSigner(t.db, ORIGIN, box);
    const again = await loadOrCreateLogSigner(t.db, ORIGIN, box, { create: false });
    expect(again.verifierKey).toBe(made.verifierKey);
  });
});

describe("fsckLog against the published checkpoint", () => {
  async function logOf(n: number, t: TempDb): Promise<string[]> {
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 0, batchMaxSize: 5 });
    const cps: string[] = [];
    for (let i = 0; i < n; i++) cps.push((await log.append(enc(`entry ${i}`))).checkpoint);
    await log.close();
    return cps;
  }

  it("passes the stored tree against every checkpoint it published", async () => {
    const t = await fresh();
    const cps = await logOf(20, t);
    for (const cp of [cps[0]!, cps[6]!, cps[19]!]) {
      const r = await fsckLog(t.db, signer.verifierKey, { externalCheckpoint: cp });
      expect(r.ok, JSON.stringify(r.firstError)).toBe(true);
    }
  });

  it("reports a rollback when the published checkpoint is bigger than the stored tree", async () => {
    const small = await fresh();
    await logOf(5, small);
    const big = await fresh();
    const cps = await logOf(9, big);
    const r = await fsckLog(small.db, signer.verifierKey, { externalCheckpoint: cps[8]! });
    expect(r.firstError?.code).toBe("fsck.rollback");
  });

  it("reports a fork when a published checkpoint names another root for a size of the stored tree", async () => {
    const t = await fresh();
    await logOf(9, t);
    const forked = signNote(
      formatCheckpoint({ origin: ORIGIN, size: 4, rootHash: new Uint8Array(32).fill(1) }),
      signer,
    );
    const r = await fsckLog(t.db, signer.verifierKey, { externalCheckpoint: forked });
    expect(r.firstError?.code).toBe("fsck.fork");
  });

  it("reports a checkpoint not signed by the log key", async () => {
    const t = await fresh();
    await logOf(3, t);
    const other = createNoteSigner(ORIGIN, new Uint8Array(32).fill(9));
    const cp = signNote(formatCheckpoint({ origin: ORIGIN, size: 2, rootHash: new Uint8Array(32) }), other);
    const r = await fsckLog(t.db, signer.verifierKey, { externalCheckpoint: cp });
    expect(r.firstError?.code).toBe("fsck.checkpoint_file");
  });
});
