// The /log and /v1/log routes through Fastify inject(), with a minimal problem+json handler
// standing in for the server's (which maps codes through LEDGER_ERROR_STATUS the same way).
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LEDGER_ERROR_STATUS,
  createNoteSigner,
  isLedgerError,
  logRoutes,
  openLog,
  type TransparencyLog,
} from "@meritlog/ledger";
import {
  DEFAULT_TREE_HASHER,
  leafHash,
  nodeHash,
  parseVerifierKey,
  tryFromBase64,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
} from "@meritlog/ledger/verify";
import { enc, removeDir, tempDb, type TempDb } from "./helpers.js";

const ORIGIN = "meritlog.test/log";
let t: TempDb;
let log: TransparencyLog;
let app: FastifyInstance;
const entries = Array.from({ length: 300 }, (_, i) => enc(JSON.stringify({ i, kind: "issue", v: 1 })));

beforeAll(async () => {
  t = await tempDb();
  log = await openLog({
    db: t.db,
    origin: ORIGIN,
    signer: createNoteSigner(ORIGIN, new Uint8Array(32).fill(3)),
    batchMaxDelayMs: 0,
  });
  await Promise.all(entries.map((e) => log.append(e)));
  app = Fastify();
  app.setErrorHandler((err, _req, reply) => {
    if (isLedgerError(err)) {
      if (err.retryAfterSeconds !== undefined)
        void reply.header("retry-after", String(err.retryAfterSeconds));
      return reply
        .code(LEDGER_ERROR_STATUS[err.code])
        .type("application/problem+json")
        .send({ status: LEDGER_ERROR_STATUS[err.code], code: err.code, detail: err.message });
    }
    return reply.code(500).send({ code: "internal.error" });
  });
  await app.register(logRoutes, { log });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await log?.close();
  await t?.close();
  removeDir(t.dir);
});

const get = (url: string) => app.inject({ method: "GET", url });
const b64 = (s: string) => tryFromBase64(s)!;

describe("/log", () => {
  it("serves the checkpoint as short-lived text", async () => {
    const r = await get("/log/checkpoint");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/plain; charset=utf-8/);
    expect(r.headers["cache-control"]).toMatch(/max-age=2/);
    const v = verifyNote(r.body, [parseVerifierKey(log.verifierKey)]);
    expect(v.ok).toBe(true);
    expect(v.checkpoint?.size).toBe(300);
  });

  it("serves full tiles as immutable and partial tiles as short-lived", async () => {
    const full = await get("/log/tile/0/000");
    expect(full.statusCode).toBe(200);
    expect(full.headers["content-type"]).toBe("application/octet-stream");
    expect(full.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(full.rawPayload).toEqual(Buffer.concat(entries.slice(0, 256).map(leafHash)));
    const partial = await get("/log/tile/0/001.p/44");
    expect(partial.statusCode).toBe(200);
    expect(partial.headers["cache-control"]).toBe("public, max-age=60");
    expect(partial.rawPayload).toEqual(Buffer.concat(entries.slice(256, 300).map(leafHash)));
    const l1 = await get("/log/tile/1/000.p/1");
    expect(l1.rawPayload.length).toBe(32);
    const bundle = await get("/log/tile/entries/001.p/2");
    expect(bundle.statusCode).toBe(200);
    expect(bundle.rawPayload.subarray(2, 2 + entries[256]!.length)).toEqual(Buffer.from(entries[256]!));
  });

  it.each([
    ["/log/tile/0/001", 404, "log.not_found"],
    ["/log/tile/0/001.p/45", 404, "log.not_found"],
    ["/log/tile/2/000.p/1", 404, "log.not_found"],
    ["/log/tile/entries/002", 404, "log.not_found"],
    ["/log/tile/0/1", 400, "log.bad_tile_path"],
    ["/log/tile/0/000.p/256", 400, "log.bad_tile_path"],
    ["/log/tile/64/000", 400, "log.bad_tile_path"],
    ["/log/tile/x/000", 400, "log.bad_tile_path"],
    ["/v1/log/proof/inclusion?leafIndex=abc", 400, "log.bad_request"],
    ["/v1/log/proof/inclusion?leafIndex=1&treeSize=-1", 400, "log.bad_request"],
    ["/v1/log/proof/inclusion?leafIndex=01", 400, "log.bad_request"],
    ["/v1/log/proof/inclusion", 400, "log.bad_request"],
    ["/v1/log/proof/inclusion?leafIndex=5&treeSize=301", 400, "log.size_out_of_range"],
    ["/v1/log/proof/inclusion?leafIndex=5&treeSize=5", 400, "log.size_out_of_range"],
    ["/v1/log/proof/inclusion?leafIndex=99999999999999999999", 400, "log.bad_request"],
    ["/v1/log/proof/consistency?first=10&second=5", 400, "log.size_out_of_range"],
    ["/v1/log/proof/consistency?first=10&second=1000", 400, "log.size_out_of_range"],
    ["/v1/log/proof/consistency?first=1&first=2", 400, "log.bad_request"],
    ["/v1/log/entries/300", 404, "log.not_found"],
    ["/v1/log/entries/1e3", 400, "log.bad_request"],
  ])("%s → %i %s", async (url, status, code) => {
    const r = await get(url);
    expect(r.statusCode).toBe(status);
    expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ code });
  });
});

describe("/v1/log", () => {
  it("gives the key, proofs that verify, and entries", async () => {
    const key = (await get("/v1/log/key")).json() as {
      origin: string;
      verifierKey: string;
      witnesses: string[];
    };
    expect(key).toEqual({ origin: ORIGIN, verifierKey: log.verifierKey, witnesses: [], witnessQuorum: 0 });
    const leaves = entries.map(leafHash);
    const mth = (l: Uint8Array[]): Uint8Array => {
      if (l.length === 1) return l[0]!;
      let k = 1;
      while (k * 2 < l.length) k *= 2;
      return nodeHash(mth(l.slice(0, k)), mth(l.slice(k)));
    };
    const inc = (await get("/v1/log/proof/inclusion?leafIndex=17&treeSize=200")).json() as {
      leafIndex: number;
      treeSize: number;
      proof: string[];
    };
    expect(inc.treeSize).toBe(200);
    expect(
      verifyInclusion(
        DEFAULT_TREE_HASHER,
        leaves[17]!,
        17,
        200,
        inc.proof.map(b64),
        mth(leaves.slice(0, 200)),
      ),
    ).toBe(true);
    const latest = (await get("/v1/log/proof/inclusion?leafIndex=299")).json() as {
      treeSize: number;
      proof: string[];
    };
    expect(latest.treeSize).toBe(300);
    expect(
      verifyInclusion(DEFAULT_TREE_HASHER, leaves[299]!, 299, 300, latest.proof.map(b64), mth(leaves)),
    ).toBe(true);
    const con = (await get("/v1/log/proof/consistency?first=100&second=300")).json() as { proof: string[] };
    expect(
      verifyConsistency(
        DEFAULT_TREE_HASHER,
        100,
        300,
        con.proof.map(b64),
        mth(leaves.slice(0, 100)),
        mth(leaves),
      ),
    ).toBe(true);
    const e = (await get("/v1/log/entries/42")).json() as { leafIndex: number; entry: string };
    expect(e).toEqual({ leafIndex: 42, entry: JSON.stringify({ i: 42, kind: "issue", v: 1 }) });
  });
});
