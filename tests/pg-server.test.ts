// The server on PostgreSQL (MERITLOG_DATABASE_URL): two nodes on one database append to one log,
// /healthz names the storage, and a database that goes away answers 503 problem+json
// `storage.unavailable` and recovers on its own. Needs the local PostgreSQL; never skips.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsckLog, pgRecordSource } from "@meritlog/ledger";
import {
  DEFAULT_TREE_HASHER,
  leafHash,
  parseCheckpoint,
  parseNote,
  verifyConsistency,
  verifyInclusion,
} from "@meritlog/ledger/verify";
import { createTcpRelay, createTestSchema, type TcpRelay, type TestSchema } from "@meritlog/postgres";
import { ADMIN_TOKEN, injectNodes } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

const fromBase64 = (b: string): Uint8Array => new Uint8Array(Buffer.from(b, "base64"));

const ORIGIN = "meritlog.test/pg-log";
const SECRET = "pg-server-test-secret-0123456789";
let db: TestSchema;
let relay: TcpRelay;
const nodes = injectNodes({ secret: SECRET, logOrigin: ORIGIN });
const node = (databaseUrl: string): Promise<FastifyInstance> => nodes.start({ databaseUrl });

async function issuerToken(app: FastifyInstance): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/v1/issuers",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { name: "PG Academy" },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { token: string }).token;
}

const issue = (app: FastifyInstance, token: string) =>
  app.inject({
    method: "POST",
    url: "/v1/credentials",
    headers: { authorization: `Bearer ${token}` },
    payload: apiExamples(newHolder().did).microCredential(),
  });

interface Receipt {
  leafIndex: number;
  entry: string;
  inclusionProof: string[];
  checkpoint: string;
}

beforeAll(async () => {
  db = await createTestSchema();
  relay = await createTcpRelay();
});
afterAll(async () => {
  await nodes.closeAll();
  await relay?.cut();
  await db?.drop();
});

describe("server on PostgreSQL", () => {
  it("two nodes append to one log; every receipt verifies and every checkpoint extends to the final one", async () => {
    const [a, b] = [await node(db.url), await node(db.url)];
    const health = (await a.inject({ method: "GET", url: "/healthz" })).json() as {
      storage: string;
      ok: boolean;
    };
    expect(health).toMatchObject({ ok: true, storage: "postgres" });
    const [ta, tb] = [await issuerToken(a), await issuerToken(b)];
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? issue(a, ta) : issue(b, tb))),
    );
    const receipts: Receipt[] = [];
    for (const r of responses) {
      expect(r.statusCode, r.body).toBe(201);
      receipts.push((r.json() as { receipt: Receipt }).receipt);
    }
    expect(new Set(receipts.map((r) => r.leafIndex)).size).toBe(receipts.length);
    for (const r of receipts) {
      const cp = parseCheckpoint(parseNote(r.checkpoint).body);
      const leaf = leafHash(new TextEncoder().encode(r.entry));
      const proof = r.inclusionProof.map(fromBase64);
      expect(verifyInclusion(DEFAULT_TREE_HASHER, leaf, r.leafIndex, cp.size, proof, cp.rootHash)).toBe(true);
    }
    const report = await fsckLog(pgRecordSource(db.pool));
    expect(report.ok, JSON.stringify(report.firstError)).toBe(true);
    const finalSize = report.size;
    const finalRoot = fromBase64(report.rootHash);
    // Either node proves every checkpoint any node handed out consistent with the final tree,
    // including sizes it has not seen yet itself (it reads the newer head from the database).
    for (const [i, r] of receipts.entries()) {
      const app = i % 2 === 0 ? b : a;
      const cp = parseCheckpoint(parseNote(r.checkpoint).body);
      const res = await app.inject({
        method: "GET",
        url: `/v1/log/proof/consistency?first=${cp.size}&second=${finalSize}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const proof = (res.json() as { proof: string[] }).proof.map(fromBase64);
      expect(verifyConsistency(DEFAULT_TREE_HASHER, cp.size, finalSize, proof, cp.rootHash, finalRoot)).toBe(
        true,
      );
    }
  });

  it("answers 503 storage.unavailable while the database is unreachable and recovers by itself", async () => {
    const app = await node(relay.url(db.schema));
    const token = await issuerToken(app);
    expect((await issue(app, token)).statusCode).toBe(201);
    await relay.cut();
    try {
      const h = await app.inject({ method: "GET", url: "/healthz" });
      expect(h.statusCode).toBe(503);
      expect(h.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(h.json()).toMatchObject({ code: "storage.unavailable", status: 503 });
      expect(h.headers["retry-after"]).toBeDefined();
      const r = await issue(app, token);
      expect(r.statusCode, r.body).toBe(503);
      expect(r.json()).toMatchObject({ code: "storage.unavailable" });
    } finally {
      await relay.restore();
    }
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const again = await issue(app, token);
    expect(again.statusCode, again.body).toBe(201);
    expect((await fsckLog(pgRecordSource(db.pool))).ok).toBe(true);
  });

  // Issue 10 (start-up key check on PostgreSQL): the issuer keys live in the database, so a node
  // checks them there before it serves; a damaged one refuses the start in one clear line.
  it("refuses to start a node when an issuer key sealed in the database does not open", async () => {
    const { rows } = await db.pool.query<{ alias: string }>("SELECT alias FROM issuer_private_keys LIMIT 1");
    expect(rows.length).toBe(1);
    await db.pool.query(
      "UPDATE issuer_private_keys SET sealed = set_byte(sealed, 20, get_byte(sealed, 20) # 1) WHERE alias = $1",
      [rows[0]!.alias],
    );
    await expect(node(db.url)).rejects.toThrow(/sealed keys do not open: issuer key/);
  });
});
