// The verifier's status list cache never outlives the truth (issue 9 defect 5): after a key
// rotation a credential of the new key verifies at once (no cached list of the old signer makes it
// "invalid"), and after a status change the next verification reports the new state (no cached
// "suspended" after a reinstatement, no cached "active" after a suspension).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createVerifierCache,
  nodeEd25519,
  nodeSha256,
  nodeSha256Hex,
  verifyCredential,
  type Fetcher,
  type TrustMaterial,
  type VerifyContext,
} from "@meritlog/verifier";
import { buildApp, configFromEnv } from "@meritlog/server";
import { ADMIN_TOKEN } from "./helpers/server.js";
import { backendOverrides } from "./helpers/backend.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

const BASE = "http://127.0.0.1:2";
let app: FastifyInstance;
let dataDir: string;
let issuer: { id: string; token: string };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "meritlog-status-cache-"));
  app = await buildApp(
    configFromEnv(
      {},
      {
        dataDir,
        port: 2,
        publicUrl: BASE,
        adminToken: ADMIN_TOKEN,
        logger: false,
        batchMaxDelayMs: 1,
        ...(await backendOverrides(dataDir)),
      },
    ),
  );
  await app.ready();
  const res = await app.inject({
    method: "POST",
    url: "/v1/issuers",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { name: "Cache Academy" },
  });
  issuer = res.json();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${issuer.token}` });
async function issue(): Promise<{ id: string; jwt: string; receipt: unknown }> {
  const res = await app.inject({
    method: "POST",
    url: "/v1/credentials",
    headers: auth(),
    payload: apiExamples(newHolder().did).microCredential(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const verify = async (c: { jwt: string; receipt: unknown }) =>
  (
    await app.inject({
      method: "POST",
      url: "/v1/verify",
      payload: { credential: c.jwt, receipt: c.receipt },
    })
  ).json() as { verdict: string; checks: { status: { code: string; state: string } } };
const setStatus = async (id: string, action: string) =>
  expect(
    (
      await app.inject({
        method: "POST",
        url: `/v1/credentials/${encodeURIComponent(id)}/status`,
        headers: auth(),
        payload: { action, reason: "under-review" },
      })
    ).statusCode,
  ).toBe(200);

describe("POST /v1/verify after changes (the server's own lists)", () => {
  it("after a key rotation, a credential of the new key is valid at once", async () => {
    const before = await issue();
    expect((await verify(before)).checks.status.code).toBe("status.active"); // the list is cached now
    expect(
      (await app.inject({ method: "POST", url: `/v1/issuers/${issuer.id}/keys/rotate`, headers: auth() }))
        .statusCode,
    ).toBe(201);
    const after = await issue();
    const report = await verify(after);
    expect(report.checks.status, JSON.stringify(report.checks.status)).toMatchObject({
      code: "status.active",
      state: "active",
    });
    expect(report.verdict).not.toBe("invalid");
    expect((await verify(before)).checks.status.code).toBe("status.active");
  });

  it("suspend → reinstate → suspend: every verification right after a change reports the new state", async () => {
    const c = await issue();
    expect((await verify(c)).checks.status.state).toBe("active");
    await setStatus(c.id, "suspend");
    expect((await verify(c)).checks.status.state).toBe("suspended");
    await setStatus(c.id, "reinstate");
    expect((await verify(c)).checks.status.state).toBe("active");
    await setStatus(c.id, "suspend");
    expect((await verify(c)).checks.status.state).toBe("suspended");
  });
});

describe("verifier core: a cached list that disagrees is fetched again before the verdict", () => {
  it("a cached list that says suspended while the anchored history says reinstated is refetched", async () => {
    const c = await issue();
    await setStatus(c.id, "suspend");
    // The public list is re-signed at most every 250 ms after a change: wait so it shows the suspension.
    await new Promise((r) => setTimeout(r, 300));
    // One credentialStatus object (issue 13): the two-bit `message` list carries suspension too.
    const listUrl = (
      JSON.parse(Buffer.from(c.jwt.split(".")[1]!, "base64url").toString()) as {
        credentialStatus: { statusListCredential: string };
      }
    ).credentialStatus.statusListCredential;
    const listPath = listUrl.slice(BASE.length);
    let fetches = 0;
    let history: unknown[] = [];
    const fetcher: Fetcher = {
      async statusList(url) {
        fetches++;
        return (await app.inject({ method: "GET", url: url.slice(BASE.length) })).body;
      },
      async history() {
        return history as never;
      },
    };
    const trust: TrustMaterial = {
      issuers: (await app.inject({ method: "GET", url: "/v1/issuers" })).json(),
      logKeys: [],
      knownCheckpoints: [],
    };
    const cache = createVerifierCache();
    const ctx = (): VerifyContext => ({
      now: new Date(),
      trust,
      cache,
      fetcher,
      ed25519: nodeEd25519,
      sha256: nodeSha256,
      sha256Hex: nodeSha256Hex,
    });
    history = [
      { kind: "issue", at: "2026-01-01T00:00:00Z", digest: "", leafIndex: 0 },
      { kind: "suspend", at: "2026-01-01T00:00:01Z", digest: "", leafIndex: 1 },
    ];
    const first = await verifyCredential(c.jwt, undefined, ctx());
    expect(first.checks.status!.state).toBe("suspended");
    const n = fetches;
    expect(n).toBeGreaterThan(0);
    // Reinstated: the history now ends with reinstate; the cached suspension list still has the bit.
    await setStatus(c.id, "reinstate");
    history = [...history, { kind: "reinstate", at: "2026-01-01T00:00:02Z", digest: "", leafIndex: 2 }];
    await new Promise((r) => setTimeout(r, 300)); // the public copy now shows the reinstatement; the cached one does not
    expect((await app.inject({ method: "GET", url: listPath })).statusCode).toBe(200);
    const second = await verifyCredential(c.jwt, undefined, ctx());
    expect(second.checks.status!.state).toBe("active");
    expect(fetches).toBeGreaterThan(n);
  });
});
