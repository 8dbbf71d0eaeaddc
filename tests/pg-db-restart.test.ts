// The database restarted under load (docs/SCALING.md "What was verified"): two real server
// processes keep issuing and reading while `pg_ctlcluster … restart` takes PostgreSQL down and up.
// While it is down every request is answered 503 problem+json `storage.unavailable` (never 500,
// never a hang beyond the request timeout); nothing acknowledged is lost; the nodes recover on
// their own, without a restart of theirs. Other test files use the same cluster, so the down-time
// is one `restart` (no stop-and-wait) and this file waits for the database to answer afterwards.
// Runs as root against the local cluster (`ls /etc/postgresql` names the version).
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsckLog, pgRecordSource } from "@meritlog/ledger";
import { verifyReceipt, type Receipt } from "@meritlog/ledger/verify";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { ADMIN_TOKEN } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";
import { startPgNodes, type PgNode } from "./helpers/pg-nodes.js";

const REQUEST_TIMEOUT_MS = 10_000;
const PUBLIC_URL = "https://credentials.restart.test";
/** A client gives up this long after the server's own request timeout: a hang fails the test. */
const CLIENT_TIMEOUT_MS = REQUEST_TIMEOUT_MS + 5_000;

let db: TestSchema;
let nodes: PgNode[] = [];
let token: string;
let verifierKey: string;

interface Res {
  status: number;
  contentType: string;
  body: unknown;
  text: string;
}

async function call(
  node: PgNode,
  method: string,
  path: string,
  o: { token?: string; body?: unknown } = {},
): Promise<Res> {
  const res = await fetch(node.url + path, {
    method,
    headers: {
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  const text = await res.text();
  const contentType = res.headers.get("content-type") ?? "";
  return {
    status: res.status,
    contentType,
    body: contentType.includes("json") ? JSON.parse(text) : text,
    text,
  };
}

/** The database answers again (other files' tests and this file's clean-up need it). */
async function databaseReady(limitMs = 60_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      await db.pool.query("SELECT 1");
      return;
    } catch (e) {
      if (Date.now() - t0 > limitMs) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

beforeAll(async () => {
  db = await createTestSchema();
  nodes = await startPgNodes(
    {
      databaseUrl: db.url,
      secret: "pg-db-restart-test-secret-0123456789",
      publicUrl: PUBLIC_URL,
      logOrigin: "credentials.restart.test/log",
      env: { MERITLOG_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    },
    2,
  );
  const made = await call(nodes[0]!, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Restart Academy" },
  });
  expect(made.status, made.text).toBe(201);
  token = (made.body as { token: string }).token;
  verifierKey = ((await call(nodes[1]!, "GET", "/v1/log/key")).body as { verifierKey: string }).verifierKey;
}, 180_000);

afterAll(async () => {
  for (const n of nodes) await n.stop().catch(() => undefined);
  await databaseReady().catch(() => undefined);
  await db?.drop();
});

describe("PostgreSQL restarted under load", () => {
  it("answers 503 storage.unavailable while it is down, loses nothing acknowledged, recovers by itself", async () => {
    const acked = new Map<string, { jwt: string; receipt: Receipt }>();
    const unavailable: string[] = [];
    const other: string[] = [];
    const judge = (r: Res, what: string): void => {
      if (r.status < 400) return;
      // The only failure allowed is the database being away, said as a problem, with a retry hint.
      if (
        r.status === 503 &&
        r.contentType.includes("application/problem+json") &&
        (r.body as { code?: string }).code === "storage.unavailable"
      )
        unavailable.push(what);
      else other.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
    };
    let stop = false;
    let n = 0;
    // Each credential gets at most one suspension; one sent but not acknowledged may or may not have happened.
    const suspended = new Set<string>();
    const maybeSuspended = new Set<string>();
    const touched = new Set<string>();
    const worker = async (w: number): Promise<void> => {
      while (!stop) {
        const i = n++;
        const node = nodes[(i + w) % nodes.length]!;
        if (i % 4 === 1) {
          // A status change on a credential no one has touched.
          const id = [...acked.keys()].find((k) => !touched.has(k));
          if (id !== undefined) {
            touched.add(id);
            const r = await call(node, "POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
              token,
              body: { action: "suspend", reason: "under-review" },
            });
            judge(r, "status");
            (r.status === 200 ? suspended : maybeSuspended).add(id);
          }
        } else if (i % 4 === 2) {
          // An offer, its code and its credential.
          const o = await call(node, "POST", "/v1/offers", {
            token,
            body: apiOfferExamples().microCredential,
          });
          judge(o, "offer");
          if (o.status === 201) {
            const t = await call(node, "POST", "/oid4vci/token", {
              body: {
                grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
                "pre-authorized_code": (o.body as { preAuthorizedCode: string }).preAuthorizedCode,
              },
            });
            judge(t, "token");
            if (t.status === 200) {
              const { access_token, c_nonce } = t.body as { access_token: string; c_nonce: string };
              const h = newHolder();
              const proof = h.signJwt(
                { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
                { aud: PUBLIC_URL, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
              );
              const c = await call(node, "POST", "/oid4vci/credential", {
                token: access_token,
                body: { credential_configuration_id: "MicroCredential", proofs: { jwt: [proof] } },
              });
              judge(c, "credential");
            }
          }
        } else if (i % 4 === 3) {
          const some = [...acked.values()][i % Math.max(1, acked.size)];
          if (some !== undefined)
            judge(await call(node, "POST", "/v1/verify", { body: { credential: some.jwt } }), "verify");
          judge(await call(node, "GET", "/healthz"), "healthz");
        } else {
          const r = await call(node, "POST", "/v1/credentials", {
            token,
            body: apiExamples(newHolder().did).microCredential(),
          });
          judge(r, "issue");
          if (r.status === 201) {
            const b = r.body as { id: string; jwt: string; receipt: Receipt };
            acked.set(b.id, { jwt: b.jwt, receipt: b.receipt });
          } else await new Promise((res) => setTimeout(res, 20));
        }
      }
    };
    const workers = Array.from({ length: 4 }, (_, w) => worker(w));
    while (acked.size < 10) await new Promise((r) => setTimeout(r, 50));
    const before = acked.size;
    const version = readdirSync("/etc/postgresql")[0]!;
    await promisify(execFile)("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], {
      timeout: 60_000,
    });
    await databaseReady();
    // The nodes find the database again on their own: every node's health and an issuance on each.
    for (const node of nodes) {
      const t0 = Date.now();
      while ((await call(node, "GET", "/healthz")).status !== 200) {
        expect(Date.now() - t0, `${node.url} did not recover`).toBeLessThan(60_000);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const after = acked.size;
    while (acked.size < after + 10) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await Promise.all(workers);
    expect(other, other.join("\n")).toEqual([]);
    expect(unavailable.length, "no request saw the database down").toBeGreaterThan(0);
    expect(acked.size).toBeGreaterThan(before);
    for (const node of nodes) {
      const r = await call(node, "POST", "/v1/credentials", {
        token,
        body: apiExamples(newHolder().did).microCredential(),
      });
      expect(r.status, r.text).toBe(201);
    }

    // Nothing acknowledged is lost: every credential through both nodes, every receipt verifies, the log is whole.
    for (const [id, c] of acked) {
      expect(verifyReceipt(c.receipt, verifierKey).ok).toBe(true);
      for (const node of nodes) {
        const rec = await call(node, "GET", `/v1/credentials/${encodeURIComponent(id)}`, { token });
        expect(rec.status, rec.text).toBe(200);
        expect((rec.body as { jwt: string }).jwt).toBe(c.jwt);
        const state = (rec.body as { state: string }).state;
        if (suspended.has(id)) expect(state).toBe("suspended");
        else if (!maybeSuspended.has(id)) expect(state).toBe("active");
      }
    }
    const report = await fsckLog(pgRecordSource(db.pool));
    expect(report.ok, JSON.stringify(report.firstError)).toBe(true);
    expect(report.size).toBeGreaterThanOrEqual(
      Math.max(...[...acked.values()].map((c) => c.receipt.leafIndex + 1)),
    );
  }, 240_000);
});
