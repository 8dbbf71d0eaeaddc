// Single-use secrets under concurrency (issue 9, defect 1): one pre-authorized code, one access
// token, one c_nonce and one presentation challenge each have exactly one winner however many
// requests race for them, and the log grows by exactly the number of winners.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, configFromEnv } from "@meritlog/server";
import { ADMIN_TOKEN } from "./helpers/server.js";
import { backendOverrides } from "./helpers/backend.js";
import { newHolder, type Holder } from "./helpers/did-key.js";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";

const BASE = "http://127.0.0.1:1";
const RACERS = 8;

let app: FastifyInstance;
let dataDir: string;
let issuerToken: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "meritlog-races-"));
  app = await buildApp(
    configFromEnv(
      {},
      {
        dataDir,
        port: 1,
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
    payload: { name: "Race Academy" },
  });
  expect(res.statusCode, res.body).toBe(201);
  issuerToken = (res.json() as { token: string }).token;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const logSize = async (): Promise<number> =>
  ((await app.inject({ method: "GET", url: "/healthz" })).json() as { logSize: number }).logSize;

async function offerCode(): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/v1/offers",
    headers: { authorization: `Bearer ${issuerToken}` },
    payload: apiOfferExamples().microCredential,
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { preAuthorizedCode: string }).preAuthorizedCode;
}

const tokenRequest = (code: string) =>
  app.inject({
    method: "POST",
    url: "/oid4vci/token",
    payload: {
      grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
      "pre-authorized_code": code,
    },
  });

const proof = (h: Holder, nonce: string): string =>
  h.signJwt(
    { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
    { aud: BASE, iat: Math.floor(Date.now() / 1000), nonce },
  );

const credentialRequest = (accessToken: string, jwt: string) =>
  app.inject({
    method: "POST",
    url: "/oid4vci/credential",
    headers: { authorization: `Bearer ${accessToken}` },
    payload: { credential_configuration_id: "MicroCredential", proofs: { jwt: [jwt] } },
  });

async function freshNonce(accessToken: string): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/oid4vci/nonce",
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return (res.json() as { c_nonce: string }).c_nonce;
}

describe("exactly one winner", () => {
  it("one pre-authorized code, redeemed concurrently: one access token", async () => {
    const code = await offerCode();
    const results = await Promise.all(Array.from({ length: RACERS }, () => tokenRequest(code)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200))
      expect(r.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("one access token with distinct valid nonces: one credential, the log grows by one", async () => {
    const code = await offerCode();
    const tok = (await tokenRequest(code)).json() as { access_token: string; c_nonce: string };
    const nonces = [tok.c_nonce];
    while (nonces.length < RACERS) nonces.push(await freshNonce(tok.access_token));
    const before = await logSize();
    const holders = nonces.map(() => newHolder());
    const results = await Promise.all(
      nonces.map((n, i) => credentialRequest(tok.access_token, proof(holders[i]!, n))),
    );
    const won = results.filter((r) => r.statusCode === 200);
    expect(won, results.map((r) => `${r.statusCode} ${r.body.slice(0, 80)}`).join("\n")).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200))
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(await logSize()).toBe(before + 1);
    // The token is spent: a later request with yet another nonce is refused and issues nothing.
    const late = await credentialRequest(
      tok.access_token,
      proof(newHolder(), await freshNonce(tok.access_token)),
    );
    expect(late.statusCode).toBe(401);
    expect(await logSize()).toBe(before + 1);
  });

  it("one c_nonce used by concurrent requests: at most one proof is accepted", async () => {
    // Several offers, each with its own access token, all presenting the same unbound nonce.
    const tokens: string[] = [];
    for (let i = 0; i < RACERS; i++)
      tokens.push(((await tokenRequest(await offerCode())).json() as { access_token: string }).access_token);
    const shared = (
      (await app.inject({ method: "POST", url: "/oid4vci/nonce" })).json() as { c_nonce: string }
    ).c_nonce;
    const before = await logSize();
    const h = newHolder();
    const results = await Promise.all(tokens.map((t) => credentialRequest(t, proof(h, shared))));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200))
      expect(r.json()).toMatchObject({ error: "invalid_nonce" });
    expect(await logSize()).toBe(before + 1);
  });

  it("one presentation challenge, answered concurrently: one valid report", async () => {
    const holder = newHolder();
    const issued = await app.inject({
      method: "POST",
      url: "/v1/credentials",
      headers: { authorization: `Bearer ${issuerToken}` },
      payload: apiExamples(holder.did).microCredential(),
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const jwt = (issued.json() as { jwt: string }).jwt;
    const ch = (await app.inject({ method: "GET", url: "/v1/challenges" })).json() as {
      nonce: string;
      audience: string;
    };
    const vp = holder.signJwt(
      { alg: "EdDSA", kid: holder.kid, typ: "JWT" },
      {
        iss: holder.did,
        aud: ch.audience,
        nonce: ch.nonce,
        iat: Math.floor(Date.now() / 1000),
        vp: { type: ["VerifiablePresentation"], verifiableCredential: [jwt] },
      },
    );
    const body = { presentation: vp, nonce: ch.nonce, audience: ch.audience };
    const reports = (
      await Promise.all(
        Array.from({ length: RACERS }, () =>
          app.inject({ method: "POST", url: "/v1/verify", payload: body }),
        ),
      )
    ).map((r) => r.json() as { verdict: string; checks: { holder: { code: string } } });
    expect(
      reports.filter((r) => r.verdict !== "invalid"),
      JSON.stringify(reports.map((r) => r.checks.holder)),
    ).toHaveLength(1);
    expect(reports.filter((r) => r.checks.holder.code === "holder.nonce_replayed")).toHaveLength(RACERS - 1);
  });
});
