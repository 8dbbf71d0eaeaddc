// Three real server processes on one PostgreSQL schema (docs/SCALING.md "What was verified"):
// issuance, status changes and offer redemptions go through all three at once, one node is
// SIGKILLed mid-load and started again, another is shut down gracefully (SIGTERM) under load and
// started again. Afterwards every acknowledged credential is there, in its acknowledged state,
// through every node; there is one log and `fsck` passes; every checkpoint
// any node handed out is consistent with the final tree (proofs checked with the ledger's
// verify functions, not the server's word); no status-list index is used twice; and every
// single-use thing (pre-authorized code, access token, c_nonce, presentation challenge) raced
// across the three nodes is used at most once. Needs the local PostgreSQL and `tsc -b`.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsckLog, pgRecordSource } from "@meritlog/ledger";
import {
  DEFAULT_TREE_HASHER,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifyConsistency,
  verifyNote,
  verifyReceipt,
  type Receipt,
} from "@meritlog/ledger/verify";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { runFsck, configFromEnv } from "@meritlog/server";
import { newHolder, type Holder } from "./helpers/did-key.js";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";
import { startPgServiceWithIssuer, type PgNode } from "./helpers/pg-nodes.js";

const PUBLIC_URL = "https://credentials.multinode.test";
const SECRET = "pg-multinode-test-secret-0123456789";
const ORIGIN = "credentials.multinode.test/log";

let db: TestSchema;
let nodes: PgNode[] = [];
let issuerToken: string;
let verifierKey: string;

interface Res {
  status: number;
  body: unknown;
  text: string;
}

/** One HTTP call; a refused or cut connection (the node was killed) is status 0. */
async function call(
  node: PgNode,
  method: string,
  path: string,
  o: { token?: string; body?: unknown } = {},
): Promise<Res> {
  try {
    const res = await fetch(node.url + path, {
      method,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
    return { status: res.status, body, text };
  } catch (e) {
    if ((e as Error).name === "TimeoutError") throw e; // a hang is a failure, never "unacknowledged"
    return { status: 0, body: undefined, text: String((e as Error).message) };
  }
}

/** A response that is neither an acknowledgement nor a refused connection must be a coded problem, never a 500. */
function expectNoServerError(r: Res, what: string): void {
  expect(r.status, `${what}: ${r.text.slice(0, 300)}`).not.toBe(500);
  if (r.status >= 400) expect((r.body as { code?: unknown; error?: unknown }) ?? {}).toBeTypeOf("object");
}

interface Acked {
  id: string;
  jwt: string;
  /** The state the last acknowledged change left (or "active"). */
  state: string;
  /** A change was sent but not acknowledged: the final state is `state` or this one. */
  maybe?: string;
  /** A status change has been sent (each credential gets at most one). */
  touched: boolean;
  receipts: Receipt[];
}

const acked = new Map<string, Acked>();
let redemptions = 0;
let changes = 0;
const checkpoints: string[] = [];
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

/**
 * Runs `f` over `items`, LANES at a time: the read-back checks hundreds of credentials and
 * checkpoints, one request each per node, and one at a time left both cores mostly idle.
 */
const LANES = 4;
async function inLanes<T>(items: readonly T[], f: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      for (let i = next++; i < items.length; i = next++) await f(items[i]!, i);
    }),
  );
}

const proof = (h: Holder, nonce: string): string =>
  h.signJwt(
    { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
    { aud: PUBLIC_URL, iat: Math.floor(Date.now() / 1000), nonce },
  );

async function issueVia(node: PgNode): Promise<void> {
  const r = await call(node, "POST", "/v1/credentials", {
    token: issuerToken,
    body: apiExamples(newHolder().did).microCredential(),
  });
  expectNoServerError(r, "issue");
  if (r.status !== 201) return;
  const b = r.body as { id: string; jwt: string; receipt: Receipt };
  acked.set(b.id, { id: b.id, jwt: b.jwt, state: "active", touched: false, receipts: [b.receipt] });
  checkpoints.push(b.receipt.checkpoint);
}

const ACTIONS = [
  ["suspend", "suspended"],
  ["revoke", "revoked"],
  ["archive", "archived"],
] as const;

async function changeVia(node: PgNode, n: number): Promise<void> {
  const target = [...acked.values()].find((a) => !a.touched && a.state === "active");
  if (target === undefined) return await issueVia(node);
  target.touched = true;
  const [action, state] = pick(ACTIONS, n);
  const r = await call(node, "POST", `/v1/credentials/${encodeURIComponent(target.id)}/status`, {
    token: issuerToken,
    body: { action, reason: "under-review" },
  });
  expectNoServerError(r, "status");
  if (r.status === 200) {
    changes++;
    target.state = state;
    const receipt = (r.body as { receipt: Receipt }).receipt;
    target.receipts.push(receipt);
    checkpoints.push(receipt.checkpoint);
  } else target.maybe = state;
}

/** An offer made on one node, its code exchanged on the next, the credential fetched from the third. */
async function redeemVia(ns: readonly PgNode[], n: number): Promise<void> {
  const [x, y, z] = [pick(ns, n), pick(ns, n + 1), pick(ns, n + 2)];
  const offer = await call(x, "POST", "/v1/offers", {
    token: issuerToken,
    body: apiOfferExamples().microCredential,
  });
  expectNoServerError(offer, "offer");
  if (offer.status !== 201) return;
  const code = (offer.body as { preAuthorizedCode: string }).preAuthorizedCode;
  const tok = await call(y, "POST", "/oid4vci/token", {
    body: { grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code },
  });
  expectNoServerError(tok, "token");
  if (tok.status !== 200) return;
  const { access_token, c_nonce } = tok.body as { access_token: string; c_nonce: string };
  const cred = await call(z, "POST", "/oid4vci/credential", {
    token: access_token,
    body: { credential_configuration_id: "MicroCredential", proofs: { jwt: [proof(newHolder(), c_nonce)] } },
  });
  expectNoServerError(cred, "credential");
  if (cred.status !== 200) return;
  const b = cred.body as { credentialId: string; credential: string; receipt: Receipt };
  redemptions++;
  // The node that made the offer lists it as redeemed by that credential.
  const listed = await call(x, "GET", `/v1/offers/${(offer.body as { id: string }).id}`, {
    token: issuerToken,
  });
  // 0: the node is down; 503: it is closing in the rolling restart (as every other request here allows).
  if (listed.status !== 0 && listed.status !== 503) {
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body).toMatchObject({ state: "redeemed", credentialId: b.credentialId });
  }
  // Offer credentials are never status-changed here: their acknowledged state stays active.
  acked.set(b.credentialId, {
    id: b.credentialId,
    jwt: b.credential,
    state: "active",
    touched: true,
    receipts: [b.receipt],
  });
  checkpoints.push(b.receipt.checkpoint);
}

beforeAll(async () => {
  db = await createTestSchema();
  ({ nodes, issuerToken, verifierKey } = await startPgServiceWithIssuer(
    db,
    { secret: SECRET, publicUrl: PUBLIC_URL, logOrigin: ORIGIN },
    3,
    "Multinode Academy",
  ));
}, 180_000);

afterAll(async () => {
  for (const n of nodes) await n.stop().catch(() => undefined);
  await db?.drop();
});

describe("three nodes on one database", () => {
  it("survive a SIGKILL and a rolling restart mid-load: nothing acknowledged is lost, one log, fsck passes", async () => {
    const [a, b, c] = nodes as [PgNode, PgNode, PgNode];
    // The issuer created on A is known to B and C (every node reads issuers from the database).
    for (const n of nodes) {
      const me = await call(n, "GET", "/v1/issuers/me", { token: issuerToken });
      expect(me.status, me.text).toBe(200);
    }
    let live: PgNode[] = [a, b, c];
    let op = 0;
    let stop = false;
    const deadline = Date.now() + 200_000;
    const worker = async (w: number): Promise<void> => {
      while (!stop && Date.now() < deadline) {
        const n = op++;
        // Requests go to every node, the killed one too (as a load balancer's would until it notices).
        const node = pick(nodes, n + w);
        if (n % 7 === 3) await redeemVia(nodes, n);
        else if (n % 3 === 1) await changeVia(node, n);
        else await issueVia(node);
        // Checkpoints handed out by GET /log/checkpoint count as handed out too.
        if (n % 5 === 0) {
          const cp = await call(pick(live, n), "GET", "/log/checkpoint");
          if (cp.status === 200) checkpoints.push(cp.text);
        }
      }
    };
    const until = async (count: number): Promise<void> => {
      while (acked.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    await until(20);
    await c.kill();
    live = [a, b];
    const atKill = acked.size;
    await until(atKill + 20);
    await c.restart();
    live = [a, b, c];
    const atRestart = acked.size;
    await until(atRestart + 20);
    // A rolling restart: B shuts down gracefully (SIGTERM) under load and comes back.
    await b.halt();
    live = [a, c];
    const atHalt = acked.size;
    await until(atHalt + 10);
    await b.restart();
    live = [a, b, c];
    const atBack = acked.size;
    await until(atBack + 10);
    stop = true;
    await Promise.all(workers);
    expect(redemptions, "offers redeemed across nodes").toBeGreaterThan(0);
    expect(changes, "status changes acknowledged").toBeGreaterThan(0);
    expect(acked.size, "the load ran to its end before the deadline").toBeGreaterThanOrEqual(atBack + 10);

    // One log: fsck over the database, and every node serves the same tree once it caught up.
    const report = await fsckLog(pgRecordSource(db.pool));
    expect(report.ok, JSON.stringify(report.firstError)).toBe(true);
    const finalSize = report.size;
    const finalRoot = new Uint8Array(Buffer.from(report.rootHash, "base64"));
    const verifier = parseVerifierKey(verifierKey);
    for (const n of nodes) {
      // Asked for a size beyond its own head, a node reads the newer head from the database.
      const res = await call(n, "GET", `/v1/log/proof/consistency?first=1&second=${finalSize}`);
      expect(res.status, res.text).toBe(200);
      const cp = await call(n, "GET", "/log/checkpoint");
      expect(verifyNote(cp.text, [verifier]).ok).toBe(true);
      expect(parseCheckpoint(parseNote(cp.text).body).size).toBeGreaterThanOrEqual(finalSize);
    }

    // Every checkpoint any node handed out is signed by the one log key and consistent with the final tree.
    expect(checkpoints.length).toBeGreaterThan(40);
    await inLanes(checkpoints, async (text, i) => {
      expect(verifyNote(text, [verifier]).ok, text).toBe(true);
      const cp = parseCheckpoint(parseNote(text).body);
      expect(cp.origin).toBe(ORIGIN);
      expect(cp.size).toBeLessThanOrEqual(finalSize);
      // A node that had not appended yet hands out the empty tree (MTH({}) = SHA-256(""), RFC 9162
      // §2.1.1): every tree extends it, and no consistency proof from size 0 exists (§2.1.4).
      if (cp.size === 0) {
        expect(Buffer.from(cp.rootHash).toString("hex")).toBe(createHash("sha256").digest("hex"));
        return;
      }
      const res = await call(
        pick(nodes, i),
        "GET",
        `/v1/log/proof/consistency?first=${cp.size}&second=${finalSize}`,
      );
      expect(res.status, res.text).toBe(200);
      const proofHashes = (res.body as { proof: string[] }).proof.map(
        (p) => new Uint8Array(Buffer.from(p, "base64")),
      );
      expect(
        verifyConsistency(DEFAULT_TREE_HASHER, cp.size, finalSize, proofHashes, cp.rootHash, finalRoot),
        `checkpoint of size ${cp.size} is not consistent with the final tree`,
      ).toBe(true);
    });

    // Every acknowledged credential, through every node, in its acknowledged state, with receipts that verify.
    const indexes = new Map<string, string>();
    await inLanes([...acked.values()], async (cred) => {
      for (const r of cred.receipts) expect(verifyReceipt(r, verifierKey).ok).toBe(true);
      await Promise.all(
        nodes.map(async (n) => {
          const rec = await call(n, "GET", `/v1/credentials/${encodeURIComponent(cred.id)}`, {
            token: issuerToken,
          });
          expect(rec.status, rec.text).toBe(200);
          const body = rec.body as { state: string; jwt: string };
          expect(body.jwt).toBe(cred.jwt);
          const allowed = cred.maybe === undefined ? [cred.state] : [cred.state, cred.maybe];
          expect(allowed, `${cred.id} on ${n.url}`).toContain(body.state);
          // A third party asking any node sees the acknowledged change (status lists are re-read
          // when another node changed a bit).
          if (cred.state !== "active" && cred.maybe === undefined) {
            const v = await call(n, "POST", "/v1/verify", { body: { credential: cred.jwt } });
            const report = v.body as { checks: { status: { state: string } } };
            expect(report.checks.status.state, `${cred.id} verified on ${n.url}`).toBe(cred.state);
          }
        }),
      );
      // No status-list index twice: read from the signed credential itself (what verifiers use).
      const payload = JSON.parse(Buffer.from(cred.jwt.split(".")[1]!, "base64url").toString("utf8")) as {
        vc?: { credentialStatus?: unknown };
        credentialStatus?: unknown;
      };
      const statuses = [payload.vc?.credentialStatus ?? payload.credentialStatus].flat() as {
        statusListCredential: string;
        statusListIndex: string;
      }[];
      expect(statuses.length).toBeGreaterThan(0);
      for (const s of statuses) {
        const key = `${s.statusListCredential}#${s.statusListIndex}`;
        expect(indexes.get(key), `status index ${key} used by two credentials`).toBeUndefined();
        indexes.set(key, cred.id);
      }
    });
    const dup = await db.pool.query(
      "SELECT issuer_id, status_list_index, count(*) FROM issuer_credentials GROUP BY 1, 2 HAVING count(*) > 1",
    );
    expect(dup.rows).toEqual([]);
  }, 420_000);

  it("each single-use code is used at most once when raced across the three nodes", async () => {
    const RACE = nodes.length * 2;
    const racers = <T>(f: (n: PgNode, i: number) => Promise<T>): Promise<T[]> =>
      Promise.all(Array.from({ length: RACE }, (_, i) => f(pick(nodes, i), i)));
    const logSize = async (): Promise<number> => (await fsckLog(pgRecordSource(db.pool))).size;
    const offerCode = async (): Promise<string> => {
      const r = await call(nodes[0]!, "POST", "/v1/offers", {
        token: issuerToken,
        body: apiOfferExamples().microCredential,
      });
      expect(r.status, r.text).toBe(201);
      return (r.body as { preAuthorizedCode: string }).preAuthorizedCode;
    };
    const tokenFor = (n: PgNode, code: string) =>
      call(n, "POST", "/oid4vci/token", {
        body: {
          grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
          "pre-authorized_code": code,
        },
      });

    // A pre-authorized code: one access token.
    const code = await offerCode();
    const tokens = await racers((n) => tokenFor(n, code));
    expect(tokens.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of tokens.filter((x) => x.status !== 200)) expect(r.status).toBe(400);

    // An access token with a distinct valid nonce per racer: one credential, the log grows by one.
    const tok = (await tokenFor(nodes[1]!, await offerCode())).body as {
      access_token: string;
      c_nonce: string;
    };
    const nonces = [tok.c_nonce];
    while (nonces.length < RACE) {
      const r = await call(pick(nodes, nonces.length), "POST", "/oid4vci/nonce", { token: tok.access_token });
      nonces.push((r.body as { c_nonce: string }).c_nonce);
    }
    let before = await logSize();
    const creds = await racers((n, i) =>
      call(n, "POST", "/oid4vci/credential", {
        token: tok.access_token,
        body: {
          credential_configuration_id: "MicroCredential",
          proofs: { jwt: [proof(newHolder(), nonces[i]!)] },
        },
      }),
    );
    expect(
      creds.filter((r) => r.status === 200),
      creds.map((r) => `${r.status} ${r.text.slice(0, 80)}`).join("\n"),
    ).toHaveLength(1);
    for (const r of creds.filter((x) => x.status !== 200)) expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await logSize()).toBe(before + 1);

    // One c_nonce presented with several access tokens: one proof accepted.
    const access: string[] = [];
    for (let i = 0; i < RACE; i++)
      access.push(
        ((await tokenFor(pick(nodes, i), await offerCode())).body as { access_token: string }).access_token,
      );
    const shared = ((await call(nodes[2]!, "POST", "/oid4vci/nonce")).body as { c_nonce: string }).c_nonce;
    const h = newHolder();
    before = await logSize();
    const byNonce = await racers((n, i) =>
      call(n, "POST", "/oid4vci/credential", {
        token: access[i]!,
        body: { credential_configuration_id: "MicroCredential", proofs: { jwt: [proof(h, shared)] } },
      }),
    );
    expect(byNonce.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of byNonce.filter((x) => x.status !== 200))
      expect(r.body).toMatchObject({ error: "invalid_nonce" });
    expect(await logSize()).toBe(before + 1);

    // A presentation challenge answered on every node at once: one valid report.
    const holder = newHolder();
    const issued = await call(nodes[0]!, "POST", "/v1/credentials", {
      token: issuerToken,
      body: apiExamples(holder.did).microCredential(),
    });
    expect(issued.status, issued.text).toBe(201);
    const ch = (await call(nodes[1]!, "GET", "/v1/challenges")).body as { nonce: string; audience: string };
    const vp = holder.signJwt(
      { alg: "EdDSA", kid: holder.kid, typ: "JWT" },
      {
        iss: holder.did,
        aud: ch.audience,
        nonce: ch.nonce,
        iat: Math.floor(Date.now() / 1000),
        vp: {
          type: ["VerifiablePresentation"],
          verifiableCredential: [(issued.body as { jwt: string }).jwt],
        },
      },
    );
    const reports = (
      await racers((n) =>
        call(n, "POST", "/v1/verify", { body: { presentation: vp, nonce: ch.nonce, audience: ch.audience } }),
      )
    ).map((r) => r.body as { verdict: string; checks: { holder: { code: string } } });
    expect(
      reports.filter((r) => r.verdict !== "invalid"),
      JSON.stringify(reports.map((r) => r.checks.holder)),
    ).toHaveLength(1);
    expect(reports.filter((r) => r.checks.holder.code === "holder.nonce_replayed")).toHaveLength(RACE - 1);

    // Stopped, every node's data folder passes `meritlog fsck` against the shared database.
    const folder = nodes[0]!.dataDir;
    await Promise.all(nodes.map((n) => n.halt()));
    const fsck = await runFsck(
      configFromEnv(
        {},
        { dataDir: folder, secret: SECRET, databaseUrl: db.url, logOrigin: ORIGIN, logger: false },
      ),
    );
    expect(fsck.code, JSON.stringify(fsck.output).slice(0, 2000)).toBe(0);
    // It checked the credentials where they live: every record in the database, against the log.
    const stored = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM issuer_credentials");
    expect((fsck.output as { credentials: number }).credentials).toBe(Number(stored.rows[0]!.n));
    expect(Number(stored.rows[0]!.n)).toBeGreaterThan(acked.size);
  }, 180_000);
});
