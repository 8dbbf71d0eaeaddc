// A service holding one of everything a move of its storage must keep (migration, backup and
// restore): an issuer whose key was rotated (credentials signed before and after), a credential in
// every lifecycle state (active, reinstated, suspended, revoked, archived, superseded by a
// correction, superseded by a renewal), offers pending and redeemed. `checkEveryState` then
// proves, on wherever the data went, that every credential is there in its state, every receipt
// of every event verifies against the log key, a third party's /v1/verify sees the state, and the
// pending offer still redeems exactly once.
import { expect } from "vitest";
import { verifyReceipt, type Receipt } from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, call } from "./server.js";
import { newHolder } from "./did-key.js";
import { apiExamples, apiOfferExamples } from "./api-examples.js";

export interface EveryState {
  issuerToken: string;
  issuerId: string;
  /** Every credential with the state it must keep. */
  credentials: { id: string; jwt: string; state: string }[];
  /** A pre-authorized code of an offer that was never redeemed. */
  pendingCode: string;
}

const FRESH_EVIDENCE = "sha256-LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=";

/** Fills the service at `url` (public URL `publicUrl`, for the OpenID4VCI proof audience). */
export async function fillEveryState(url: string, publicUrl = url): Promise<EveryState> {
  const made = await call(url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Every State Academy" },
  });
  expect(made.status, made.text).toBe(201);
  const { id: issuerId, token } = made.body as { id: string; token: string };
  const credentials: EveryState["credentials"] = [];
  // One learner: a correction or renewal is for the same subject.
  const holder = newHolder().did;
  const issue = async (state = "active"): Promise<{ id: string; jwt: string }> => {
    const r = await call(url, "POST", "/v1/credentials", {
      token,
      body: apiExamples(holder).microCredential(`State ${state}`),
    });
    expect(r.status, r.text).toBe(201);
    const c = r.body as { id: string; jwt: string };
    credentials.push({ ...c, state });
    return c;
  };
  const act = async (id: string, action: string): Promise<void> => {
    const r = await call(url, "POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
      token,
      body: { action, reason: "under-review" },
    });
    expect(r.status, r.text).toBe(200);
  };
  await issue("active"); // signed with the first key
  const rotated = await call(url, "POST", `/v1/issuers/${issuerId}/keys/rotate`, { token: ADMIN_TOKEN });
  expect(rotated.status, rotated.text).toBe(201);
  await issue("active");
  const reinstated = await issue("active");
  await act(reinstated.id, "suspend");
  await act(reinstated.id, "reinstate");
  await act((await issue("suspended")).id, "suspend");
  await act((await issue("revoked")).id, "revoke");
  await act((await issue("archived")).id, "archive");
  for (const how of ["supersede", "renew"] as const) {
    const old = await issue("superseded");
    const body = apiExamples(holder).microCredential(`Replaced by ${how}`);
    if (how === "renew") (body.evidence as { digestSRI: string }[])[0]!.digestSRI = FRESH_EVIDENCE;
    const r = await call(url, "POST", `/v1/credentials/${encodeURIComponent(old.id)}/${how}`, {
      token,
      body,
    });
    expect(r.status, r.text).toBe(201);
    credentials.push({ ...(r.body as { id: string; jwt: string }), state: "active" });
  }
  // Offers: one redeemed through OpenID4VCI, one pending.
  const offer = async (): Promise<string> => {
    const r = await call(url, "POST", "/v1/offers", { token, body: apiOfferExamples().microCredential });
    expect(r.status, r.text).toBe(201);
    return (r.body as { preAuthorizedCode: string }).preAuthorizedCode;
  };
  const redeemed = await redeem(url, publicUrl, await offer());
  expect(redeemed.status, redeemed.text).toBe(200);
  const b = redeemed.body as { credentialId: string; credential: string };
  credentials.push({ id: b.credentialId, jwt: b.credential, state: "active" });
  return { issuerToken: token, issuerId, credentials, pendingCode: await offer() };
}

/** The OpenID4VCI pre-authorized flow for one code; the credential response, or the failed step's. */
async function redeem(
  url: string,
  publicUrl: string,
  code: string,
): Promise<Awaited<ReturnType<typeof call>>> {
  const tok = await call(url, "POST", "/oid4vci/token", {
    body: { grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code },
  });
  if (tok.status !== 200) return tok;
  const { access_token, c_nonce } = tok.body as { access_token: string; c_nonce: string };
  const h = newHolder();
  const proof = h.signJwt(
    { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
    { aud: publicUrl, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
  );
  return await call(url, "POST", "/oid4vci/credential", {
    token: access_token,
    body: { credential_configuration_id: "MicroCredential", proofs: { jwt: [proof] } },
  });
}

/** Everything {@link fillEveryState} made, checked on the service at `url`. */
export async function checkEveryState(url: string, filled: EveryState, publicUrl = url): Promise<void> {
  const verifierKey = ((await call(url, "GET", "/v1/log/key")).body as { verifierKey: string }).verifierKey;
  for (const c of filled.credentials) {
    const rec = await call(url, "GET", `/v1/credentials/${encodeURIComponent(c.id)}`, {
      token: filled.issuerToken,
    });
    expect(rec.status, rec.text).toBe(200);
    const body = rec.body as { state: string; jwt: string; history: { kind: string; receipt: Receipt }[] };
    expect(body.jwt).toBe(c.jwt);
    expect(body.state, c.id).toBe(c.state);
    expect(body.history.length).toBeGreaterThan(0);
    for (const ev of body.history) {
      const v = verifyReceipt(ev.receipt, verifierKey);
      expect(v.ok, `${c.id} ${ev.kind}: ${v.code} ${v.message}`).toBe(true);
    }
    const report = (await call(url, "POST", "/v1/verify", { body: { credential: c.jwt } })).body as {
      checks: { status: { state: string }; anchoring: { code: string }; signature: { ok: boolean } };
    };
    expect(report.checks.status.state, `${c.id} as a third party sees it`).toBe(c.state);
    expect(report.checks.anchoring.code).toBe("anchoring.verified");
    expect(report.checks.signature.ok).toBe(true);
  }
  const first = await redeem(url, publicUrl, filled.pendingCode);
  expect(first.status, first.text).toBe(200);
  expect((await redeem(url, publicUrl, filled.pendingCode)).status).toBe(400);
}
