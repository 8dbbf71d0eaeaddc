// The witness (C2SP tlog-witness add-checkpoint) on a real LevelDB, fed by real logs, and the
// log's witnessing rounds (ledger/src/witnessing.ts) against it through an in-process fetch.
import { afterEach, describe, expect, it } from "vitest";
import {
  createCosigner,
  createNoteSigner,
  createWitness,
  loadOrCreateWitnessCosigner,
  openLog,
  parseWitnessList,
  witnessLog,
  type TransparencyLog,
  type Witness,
} from "@meritlog/ledger";
import {
  formatAddCheckpoint,
  parseCheckpoint,
  parseNote,
  verifyCosignatures,
  verifyNote,
  parseVerifierKey,
} from "@meritlog/ledger/verify";
import { enc, removeDir, tempDb, testBox, type TempDb } from "./helpers.js";

const ORIGIN = "a.example/log";
const logSigner = createNoteSigner(ORIGIN, new Uint8Array(32).fill(1));
const cosigner = createCosigner("w.example/witness", new Uint8Array(32).fill(2));
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
async function newLog(): Promise<TransparencyLog> {
  return await openLog({ db: (await fresh()).db, origin: ORIGIN, signer: logSigner, batchMaxDelayMs: 0 });
}
async function fill(log: TransparencyLog, from: number, to: number, tag = "a"): Promise<void> {
  await Promise.all(Array.from({ length: to - from }, (_, i) => log.append(enc(`${tag}-${from + i}`))));
}
async function newWitness(t?: TempDb): Promise<{ w: Witness; t: TempDb }> {
  const db = t ?? (await fresh());
  return {
    w: createWitness({
      db: db.level.sublevel("witness", { keyEncoding: "utf8", valueEncoding: "view" }),
      cosigner,
      logs: [logSigner.verifierKey],
      now: () => 1_800_000_000,
    }),
    t: db,
  };
}
async function submit(w: Witness, log: TransparencyLog, old: number) {
  const size = log.size;
  const proof = old === 0 || old === size ? [] : await log.consistencyProof(old, size);
  return await w.addCheckpoint(formatAddCheckpoint({ oldSize: old, proof, checkpoint: log.checkpoint() }));
}

describe("witness add-checkpoint", () => {
  it("cosigns a first checkpoint (old 0), then one consistent with it; the cosignature verifies", async () => {
    const log = await newLog();
    const { w } = await newWitness();
    await fill(log, 0, 5);
    const r1 = await submit(w, log, 0);
    expect(r1.status).toBe(200);
    expect(r1.body).toMatch(/^\u2014 w\.example\/witness [A-Za-z0-9+/=]+\n$/);
    const v1 = verifyCosignatures(log.checkpoint() + r1.body, [cosigner.key]);
    expect(v1).toMatchObject({ ok: true, valid: 1 });
    expect(v1.cosigners[0]!.timestamp).toBe(1_800_000_000);
    await fill(log, 5, 300);
    const r2 = await submit(w, log, 5);
    expect(r2.status).toBe(200);
    expect(verifyCosignatures(log.checkpoint() + r2.body, [cosigner.key]).ok).toBe(true);
    expect((await w.state(ORIGIN))!.size).toBe(300);
  });

  it("answers a stale old size with 409 text/x.tlog.size and the size it cosigned", async () => {
    const log = await newLog();
    const { w } = await newWitness();
    await fill(log, 0, 7);
    await submit(w, log, 0);
    await fill(log, 7, 9);
    const r = await submit(w, log, 0);
    expect(r).toEqual({ status: 409, contentType: "text/x.tlog.size", body: "7\n" });
    expect((await submit(w, log, 3)).body).toBe("7\n");
  });

  it("refuses a proof from size 0, a wrong proof, an unknown log, a foreign signature, old > size", async () => {
    const log = await newLog();
    const { w } = await newWitness();
    await fill(log, 0, 10);
    const cp = log.checkpoint();
    const proof = await log.consistencyProof(4, 10);
    await expect(
      w.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof, checkpoint: cp })),
    ).rejects.toMatchObject({ code: "witness.bad_proof" });
    await submit(w, log, 0);
    await fill(log, 10, 20);
    const good = await log.consistencyProof(10, 20);
    const bad = good.map((h, i) => (i === 0 ? Uint8Array.from(h, (b) => b ^ 1) : h));
    await expect(
      w.addCheckpoint(formatAddCheckpoint({ oldSize: 10, proof: bad, checkpoint: log.checkpoint() })),
    ).rejects.toMatchObject({ code: "witness.bad_proof" });
    const other = createNoteSigner("b.example/log", new Uint8Array(32).fill(3));
    const otherLog = await openLog({ db: (await fresh()).db, origin: "b.example/log", signer: other });
    await expect(submit(w, otherLog, 0)).rejects.toMatchObject({ code: "witness.unknown_log" });
    const impostor = createNoteSigner(ORIGIN, new Uint8Array(32).fill(9));
    const forged = await openLog({ db: (await fresh()).db, origin: ORIGIN, signer: impostor });
    await expect(submit(w, forged, 0)).rejects.toMatchObject({ code: "witness.bad_signature" });
    await expect(
      w.addCheckpoint(formatAddCheckpoint({ oldSize: 21, proof: [], checkpoint: log.checkpoint() })),
    ).rejects.toMatchObject({ code: "log.bad_request" });
    await expect(w.addCheckpoint("garbage")).rejects.toMatchObject({ code: "log.bad_request" });
    // Nothing refused moved the state.
    expect((await w.state(ORIGIN))!.size).toBe(10);
  });

  it("catches a forked log (the damaged disk: one key, two trees): same size → witness.fork, later size → bad proof", async () => {
    const honest = await newLog();
    const forked = await newLog(); // same origin and key, different history
    const { w } = await newWitness();
    await fill(honest, 0, 12, "honest");
    await fill(forked, 0, 12, "forked");
    expect(parseCheckpoint(parseNote(honest.checkpoint()).body).size).toBe(12);
    expect(verifyNote(forked.checkpoint(), [parseVerifierKey(logSigner.verifierKey)]).ok).toBe(true);
    expect((await submit(w, honest, 0)).status).toBe(200);
    await expect(submit(w, forked, 12)).rejects.toMatchObject({ code: "witness.fork" });
    await fill(forked, 12, 20, "forked");
    await expect(submit(w, forked, 12)).rejects.toMatchObject({ code: "witness.bad_proof" });
    const st = await w.state(ORIGIN);
    expect(st!.checkpoint).toBe(honest.checkpoint());
    // Both refusals are kept: each pairs a checkpoint the log key signed with the one cosigned before.
    const ev = await w.evidence(ORIGIN);
    expect(ev.map((e) => e.code)).toEqual(["witness.fork", "witness.bad_proof"]);
    expect(ev[0]!.cosigned).toBe(honest.checkpoint());
    expect(verifyNote(ev[0]!.submitted, [parseVerifierKey(logSigner.verifierKey)]).ok).toBe(true);
    expect(parseCheckpoint(parseNote(ev[0]!.submitted).body).size).toBe(12);
  });

  it("keeps its state across a restart and serialises racing requests (one 200, one 409)", async () => {
    const log = await newLog();
    const first = await newWitness();
    await fill(log, 0, 3);
    const [a, b] = await Promise.all([submit(first.w, log, 0), submit(first.w, log, 0)]);
    // Checked and stored atomically: the second sees size 3 already cosigned, so its old 0 is stale.
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    await fill(log, 3, 6);
    const proof = await log.consistencyProof(3, 6);
    const req = formatAddCheckpoint({ oldSize: 3, proof, checkpoint: log.checkpoint() });
    const [c, d] = await Promise.all([
      first.w.addCheckpoint(req),
      first.w.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: log.checkpoint() })),
    ]);
    expect(c.status).toBe(200);
    expect(d).toMatchObject({ status: 409, body: "6\n" });
    await first.t.close();
    await first.t.reopen();
    const again = await newWitness(first.t);
    expect((await again.w.state(ORIGIN))!.size).toBe(6);
    expect((await submit(again.w, log, 0)).body).toBe("6\n");
  });

  it("keeps its key sealed at rest and loads the same key again", async () => {
    const t = await fresh();
    const box = testBox();
    const k1 = await loadOrCreateWitnessCosigner(t.db, "w.example/witness", box);
    const k2 = await loadOrCreateWitnessCosigner(t.db, "w.example/witness", box);
    expect(k2.key.verifierKey).toBe(k1.key.verifierKey);
    expect(k1.key.verifierKey).toMatch(/^w\.example\/witness\+[0-9a-f]{8}\+B[A-P]/);
    await expect(loadOrCreateWitnessCosigner(t.db, "w.example/witness", testBox())).rejects.toMatchObject({
      code: "log.corrupt",
    });
  });
});

/** A fetch that routes `<url>/add-checkpoint` to in-process witnesses. */
function fetchTo(witnesses: Record<string, Witness | "hang" | "down">): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url);
    const target = Object.entries(witnesses).find(([prefix]) => u === `${prefix}/add-checkpoint`)?.[1];
    if (target === undefined || target === "down") throw new TypeError("fetch failed: connection refused");
    if (target === "hang") {
      return await new Promise<Response>((_r, reject) =>
        init?.signal?.addEventListener("abort", () => reject(new Error("aborted: timeout"))),
      );
    }
    try {
      const r = await target.addCheckpoint(String(init?.body));
      return new Response(r.body, { status: r.status, headers: { "content-type": r.contentType } });
    } catch (e) {
      const c = (e as { status?: number }).status ?? 500;
      return new Response(JSON.stringify({ code: (e as { code?: string }).code }), {
        status: c,
        headers: { "content-type": "application/problem+json" },
      });
    }
  }) as typeof fetch;
}

describe("the log's witnessing rounds", () => {
  it("parses MERITLOG_WITNESSES and refuses bad entries", () => {
    const list = parseWitnessList(` ${cosigner.key.verifierKey}=http://127.0.0.1:9/witness/ ,`);
    expect(list).toHaveLength(1);
    expect(list[0]!.url).toBe("http://127.0.0.1:9/witness");
    expect(parseWitnessList(undefined)).toEqual([]);
    expect(() => parseWitnessList(cosigner.key.verifierKey)).toThrow();
    expect(() => parseWitnessList(`${logSigner.verifierKey}=http://x/`)).toThrow(); // a 0x01 log key is no cosigner key
    expect(() => parseWitnessList(`${cosigner.key.verifierKey}=ftp://x/`)).toThrow();
  });

  it("publishes the checkpoint with the cosignatures it got; a hanging witness only costs its timeout", async () => {
    const { w } = await newWitness();
    const hanging = createCosigner("hang.example/w", new Uint8Array(32).fill(5));
    const log = witnessLog({
      log: await newLog(),
      witnesses: parseWitnessList(
        `${cosigner.key.verifierKey}=http://w1/witness,${hanging.key.verifierKey}=http://w2/witness`,
      ),
      fetch: fetchTo({ "http://w1/witness": w, "http://w2/witness": "hang" }),
      timeoutMs: 200,
    });
    const t0 = Date.now();
    const r = await log.append(enc("x"));
    expect(Date.now() - t0).toBeLessThan(150); // resolved with the log-signed checkpoint, no waiting
    expect(verifyCosignatures(r.checkpoint, [cosigner.key]).valid).toBe(0);
    await log.settled();
    const cp = log.checkpoint();
    const v = verifyCosignatures(cp, [cosigner.key, hanging.key]);
    expect(v.cosigners.map((c) => c.state)).toEqual(["valid", "absent"]);
    expect(parseCheckpoint(parseNote(cp).body).size).toBe(1);
    expect(verifyNote(cp, [parseVerifierKey(logSigner.verifierKey)]).ok).toBe(true); // still the log's note
    expect(log.attempts().find((a) => a.name === "hang.example/w")).toMatchObject({ ok: false });
    // The receipt of that entry now carries the cosignature.
    expect(verifyCosignatures(log.receipt(enc("x"), r).checkpoint, [cosigner.key]).valid).toBe(1);
    await log.close();
  });

  it("learns the witness's size from a 409 and sends a consistency proof; waits for cosignatures when asked", async () => {
    const { w } = await newWitness();
    const inner = await newLog();
    await fill(inner, 0, 40);
    await submit(w, inner, 0); // the witness already knows size 40; the wrapper does not
    const log = witnessLog({
      log: inner,
      witnesses: parseWitnessList(`${cosigner.key.verifierKey}=http://w1/witness`),
      fetch: fetchTo({ "http://w1/witness": w }),
      waitMs: 2000,
    });
    const r = await log.append(enc("y"));
    expect(verifyCosignatures(r.checkpoint, [cosigner.key]).ok).toBe(true);
    expect(r.treeSize).toBe(41);
    expect((await w.state(ORIGIN))!.size).toBe(41);
    await log.close();
  });

  it("with a witness down, appends still resolve within the wait bound", async () => {
    const log = witnessLog({
      log: await newLog(),
      witnesses: parseWitnessList(`${cosigner.key.verifierKey}=http://w1/witness`),
      fetch: fetchTo({ "http://w1/witness": "down" }),
      waitMs: 300,
    });
    const t0 = Date.now();
    const r = await log.append(enc("z"));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r.leafIndex).toBe(0);
    await log.settled();
    expect(verifyCosignatures(log.checkpoint(), [cosigner.key]).valid).toBe(0);
    await log.close();
  });
});
