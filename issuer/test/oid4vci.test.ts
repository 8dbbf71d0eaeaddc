import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sign, type KeyObject } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { createOfferStore } from "../src/offers.js";
import { oid4vciRoutes, PRE_AUTHORIZED_GRANT } from "../src/oid4vci.js";
import { apiOfferExamples } from "../../tests/helpers/api-examples.js";
import { newHolder, type Holder } from "./helpers.js";

// The OpenID4VCI pre-authorized code flow over HTTP (app.inject), with a recording double of the
// issuer service so that "issues nothing" is an exact count. did:key and JWS are built here from
// the specs with node:crypto, independently of the code under test.

const BASE = "http://issuer.test";
const ISSUER_TOKEN = "mlt_issuer-token";

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
function jws(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}
/** OpenID4VCI 1.0 Appendix F.1 key proof. */
function proofJwt(
  h: Holder,
  nonce: string | undefined,
  o: { signer?: KeyObject; aud?: string; typ?: string; iat?: number } = {},
): string {
  const kid = `${h.did}#${h.did.slice(8)}`;
  return jws(
    { typ: o.typ ?? "openid4vci-proof+jwt", alg: "EdDSA", kid },
    {
      aud: o.aud ?? BASE,
      iat: o.iat ?? Math.floor(clock.getTime() / 1000),
      ...(nonce === undefined ? {} : { nonce }),
    },
    o.signer ?? h.key,
  );
}

const MICRO = apiOfferExamples().microCredential;

let clock = new Date("2026-11-21T12:00:00Z");
let issued: { issuerId: string; request: Record<string, unknown> }[] = [];
let app: FastifyInstance;

const service = {
  authenticate(token: string) {
    if (token !== ISSUER_TOKEN)
      throw Object.assign(new Error("the token is not valid"), { code: "auth.bad_token", status: 401 });
    return { id: "issuer-1" };
  },
  async issue(issuerId: string, request: unknown, opts?: { di?: boolean }) {
    issued.push({ issuerId, request: request as Record<string, unknown> });
    const sub = (request as { subject: { id: string } }).subject.id;
    const di = opts?.di
      ? {
          di: {
            credential: {
              id: "urn:uuid:00000000-0000-4000-8000-000000000001",
              credentialSubject: { id: sub },
              proof: { type: "DataIntegrityProof" },
            },
            receipt: { origin: "test/log", leafIndex: 8 },
          },
        }
      : {};
    return {
      id: "urn:uuid:00000000-0000-4000-8000-000000000001",
      jwt: `eyJhbGciOiJFZERTQSJ9.${b64u({ sub })}.c2ln`,
      receipt: { origin: "test/log", leafIndex: 7 },
      status: { state: "active" },
      ...di,
    };
  },
};

beforeEach(async () => {
  clock = new Date("2026-11-21T12:00:00Z");
  issued = [];
  app = Fastify();
  app.setErrorHandler((err: Error & { code?: string; status?: number; statusCode?: number }, _req, reply) =>
    reply
      .code(err.status ?? err.statusCode ?? (err.code?.startsWith("auth.") ? 401 : 400))
      .send({ code: err.code, detail: err.message }),
  );
  const offers = await createOfferStore(undefined, { now: () => clock });
  await app.register(oid4vciRoutes, { service, offers, baseUrl: BASE, now: () => clock });
  await app.ready();
});
afterEach(async () => {
  await app.close();
});

async function createOffer(body: Record<string, unknown> = MICRO) {
  const res = await app.inject({
    method: "POST",
    url: "/v1/offers",
    headers: { authorization: `Bearer ${ISSUER_TOKEN}` },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    offerId: string;
    offerUri: string;
    preAuthorizedCode: string;
    expiresAt: string;
    walletLink: string;
    credentialOfferUri: string;
  };
}

async function token(code: string, asJson = false) {
  return asJson
    ? app.inject({
        method: "POST",
        url: "/oid4vci/token",
        payload: { grant_type: PRE_AUTHORIZED_GRANT, "pre-authorized_code": code },
      })
    : app.inject({
        method: "POST",
        url: "/oid4vci/token",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          grant_type: PRE_AUTHORIZED_GRANT,
          "pre-authorized_code": code,
        }).toString(),
      });
}

function credential(accessToken: string | undefined, body: Record<string, unknown>) {
  return app.inject({
    method: "POST",
    url: "/oid4vci/credential",
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    payload: body,
  });
}

describe("OpenID4VCI pre-authorized code flow", () => {
  it("publishes issuer and authorization server metadata", async () => {
    const meta = (await app.inject({ method: "GET", url: "/.well-known/openid-credential-issuer" })).json();
    expect(meta.credential_issuer).toBe(BASE);
    expect(meta.credential_endpoint).toBe(`${BASE}/oid4vci/credential`);
    expect(meta.nonce_endpoint).toBe(`${BASE}/oid4vci/nonce`);
    expect(Object.keys(meta.credential_configurations_supported).sort()).toEqual([
      "Attribution",
      "Attribution_ldp_vc",
      "MPUAuthorship",
      "MPUAuthorship_ldp_vc",
      "MicroCredential",
      "MicroCredential_ldp_vc",
    ]);
    expect(meta.credential_configurations_supported.MicroCredential.format).toBe("jwt_vc_json");
    expect(meta.credential_configurations_supported.MicroCredential_ldp_vc).toMatchObject({
      format: "ldp_vc",
      credential_signing_alg_values_supported: ["eddsa-rdfc-2022"],
    });
    expect(
      meta.credential_configurations_supported.MicroCredential.proof_types_supported.jwt
        .proof_signing_alg_values_supported,
    ).toEqual(["EdDSA"]);
    const as = (await app.inject({ method: "GET", url: "/.well-known/oauth-authorization-server" })).json();
    expect(as.token_endpoint).toBe(`${BASE}/oid4vci/token`);
    expect(as.grant_types_supported).toContain(PRE_AUTHORIZED_GRANT);
  });

  it("happy path: offer → token → credential bound to the holder's DID, with its receipt", async () => {
    const offer = await createOffer();
    expect(offer.offerUri).toBe(
      `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${BASE}/oid4vci/offers/${offer.offerId}`)}`,
    );
    expect(offer.walletLink).toBe(`${BASE}/wallet/#offer=${encodeURIComponent(offer.offerUri)}`);
    // docs/API.md "Offers that survive real delivery": 30 days unless expiresIn says otherwise.
    expect(Date.parse(offer.expiresAt) - clock.getTime()).toBe(2_592_000_000);

    const byRef = await app.inject({ method: "GET", url: new URL(offer.credentialOfferUri).pathname });
    expect(byRef.statusCode).toBe(200);
    expect(byRef.json()).toEqual({
      credential_issuer: BASE,
      credential_configuration_ids: ["MicroCredential"],
      grants: { [PRE_AUTHORIZED_GRANT]: { "pre-authorized_code": offer.preAuthorizedCode } },
    });

    const tok = await token(offer.preAuthorizedCode);
    expect(tok.statusCode, tok.body).toBe(200);
    expect(tok.headers["cache-control"]).toBe("no-store");
    const t = tok.json();
    expect(t).toMatchObject({ token_type: "Bearer", expires_in: 300, c_nonce_expires_in: 300 });
    expect(typeof t.access_token).toBe("string");

    const holder = newHolder();
    const res = await credential(t.access_token, {
      credential_configuration_id: "MicroCredential",
      proofs: { jwt: [proofJwt(holder, t.c_nonce)] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.credentials).toHaveLength(1);
    expect(body.receipt).toEqual({ origin: "test/log", leafIndex: 7 });
    expect(
      JSON.parse(Buffer.from(body.credentials[0].credential.split(".")[1], "base64url").toString()),
    ).toEqual({ sub: holder.did });
    expect(issued).toHaveLength(1);
    expect(issued[0]!.issuerId).toBe("issuer-1");
    expect(issued[0]!.request).toEqual({ ...MICRO, subject: { id: holder.did } });

    // The access token bought exactly one credential.
    const again = await credential(t.access_token, { proofs: { jwt: [proofJwt(holder, t.c_nonce)] } });
    expect(again.statusCode).toBe(401);
    expect(again.json().error).toBe("invalid_token");
    expect(again.headers["www-authenticate"]).toMatch(/invalid_token/);
    expect(issued).toHaveLength(1);
  });

  it("accepts a JSON token request, a nonce from the nonce endpoint, and the draft-13 `proof` form", async () => {
    const offer = await createOffer();
    const tok = await token(offer.preAuthorizedCode, true);
    expect(tok.statusCode, tok.body).toBe(200);
    const t = tok.json();
    const nonce = (await app.inject({ method: "POST", url: "/oid4vci/nonce" })).json().c_nonce as string;
    const res = await credential(t.access_token, {
      format: "jwt_vc_json",
      proof: { proof_type: "jwt", jwt: proofJwt(newHolder(), nonce) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().credential).toBe(res.json().credentials[0].credential);
  });

  it("issues the Data Integrity form when the wallet asks for the ldp_vc configuration (1.0) or format (draft 13)", async () => {
    for (const ask of [{ credential_configuration_id: "MicroCredential_ldp_vc" }, { format: "ldp_vc" }]) {
      const offer = await createOffer();
      const t = (await token(offer.preAuthorizedCode)).json();
      const holder = newHolder();
      const res = await credential(t.access_token, {
        ...ask,
        proofs: { jwt: [proofJwt(holder, t.c_nonce)] },
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.format).toBe("ldp_vc");
      expect(body.credentials[0].credential).toMatchObject({
        credentialSubject: { id: holder.did },
        proof: { type: "DataIntegrityProof" },
      });
      expect(body.receipt).toEqual({ origin: "test/log", leafIndex: 8 });
    }
    const offer = await createOffer();
    const t = (await token(offer.preAuthorizedCode)).json();
    const wrong = await credential(t.access_token, {
      credential_configuration_id: "Attribution_ldp_vc",
      proofs: { jwt: [proofJwt(newHolder(), t.c_nonce)] },
    });
    expect(wrong.json().error).toBe("unknown_credential_configuration");
  });

  it("refuses a replayed pre-authorized code and retires the offer", async () => {
    const offer = await createOffer();
    expect((await token(offer.preAuthorizedCode)).statusCode).toBe(200);
    const replay = await token(offer.preAuthorizedCode);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ error: "invalid_grant" });
    expect(replay.json().error_description).toMatch(/already used|unknown/);
    expect((await app.inject({ method: "GET", url: `/oid4vci/offers/${offer.offerId}` })).statusCode).toBe(
      404,
    );
    const concurrent = await createOffer();
    const both = await Promise.all([
      token(concurrent.preAuthorizedCode),
      token(concurrent.preAuthorizedCode),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect(issued).toHaveLength(0);
  });

  it("refuses an expired pre-authorized code", async () => {
    const offer = await createOffer({ ...MICRO, expiresIn: 600 });
    clock = new Date(clock.getTime() + 601_000);
    expect((await app.inject({ method: "GET", url: `/oid4vci/offers/${offer.offerId}` })).statusCode).toBe(
      404,
    );
    const res = await token(offer.preAuthorizedCode);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: "invalid_grant",
      error_description: `this offer expired on ${offer.expiresAt}; ask your issuer for a new link`,
    });
    expect(issued).toHaveLength(0);
  });

  it("refuses a wrong, missing, reused or expired nonce with invalid_nonce and a fresh c_nonce, issuing nothing", async () => {
    const offer = await createOffer();
    const t = (await token(offer.preAuthorizedCode)).json();
    const holder = newHolder();
    const wrong = await credential(t.access_token, { proofs: { jwt: [proofJwt(holder, "not-the-nonce")] } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toBe("invalid_nonce");
    expect(typeof wrong.json().c_nonce).toBe("string");
    const missing = await credential(t.access_token, { proofs: { jwt: [proofJwt(holder, undefined)] } });
    expect(missing.json().error).toBe("invalid_nonce");

    // A nonce handed to another access token does not count for this one.
    const other = await createOffer();
    const t2 = (await token(other.preAuthorizedCode)).json();
    expect(
      (await credential(t.access_token, { proofs: { jwt: [proofJwt(holder, t2.c_nonce)] } })).json().error,
    ).toBe("invalid_nonce");

    // An expired nonce is refused; the fresh one from the error response works once, then is spent.
    clock = new Date(clock.getTime() + 301_000);
    const t3 = (await token((await createOffer()).preAuthorizedCode)).json();
    clock = new Date(clock.getTime() + 301_000);
    expect(
      (await credential(t3.access_token, { proofs: { jwt: [proofJwt(holder, t3.c_nonce)] } })).json().error,
    ).toBe("invalid_token");
    expect(issued).toHaveLength(0);

    const offer4 = await createOffer();
    const t4 = (await token(offer4.preAuthorizedCode)).json();
    const first = await credential(t4.access_token, { proofs: { jwt: [proofJwt(holder, "bogus-nonce")] } });
    const fresh = first.json().c_nonce as string;
    const ok = await credential(t4.access_token, { proofs: { jwt: [proofJwt(holder, fresh)] } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(issued).toHaveLength(1);
  });

  it("reads the proof as strictly as the verifier reads credentials: EdDSA only, no extra header members, canonical base64url", async () => {
    const offer = await createOffer();
    const t = (await token(offer.preAuthorizedCode)).json();
    const holder = newHolder();
    const kid = `${holder.did}#${holder.did.slice(8)}`;
    const payload = { aud: BASE, iat: Math.floor(clock.getTime() / 1000), nonce: t.c_nonce };
    const refused = async (jwt: string, why: RegExp) => {
      const res = await credential(t.access_token, { proofs: { jwt: [jwt] } });
      expect(res.statusCode, jwt).toBe(400);
      expect(res.json().error).toBe("invalid_proof");
      expect(res.json().error_description).toMatch(why);
    };
    // "Ed25519" is the fully-specified algorithm name of RFC 9864, not the EdDSA our metadata publishes.
    await refused(jws({ typ: "openid4vci-proof+jwt", alg: "Ed25519", kid }, payload, holder.key), /EdDSA/);
    await refused(
      jws({ typ: "openid4vci-proof+jwt", alg: "EdDSA", kid, crit: ["exp"] }, payload, holder.key),
      /crit/,
    );
    await refused(
      jws({ typ: "openid4vci-proof+jwt", alg: "EdDSA", kid, x5c: ["MIIB"] }, payload, holder.key),
      /x5c/,
    );
    const good = proofJwt(holder, t.c_nonce);
    await refused(good.replace(".", "=."), /compact JWS/);
    // A did:key of a key type other than Ed25519 (P-256, multicodec 0x1200) names no usable key.
    await refused(
      jws(
        {
          typ: "openid4vci-proof+jwt",
          alg: "EdDSA",
          kid: "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169",
        },
        payload,
        holder.key,
      ),
      /Ed25519 did:key/,
    );
    expect(issued).toHaveLength(0);
    const ok = await credential(t.access_token, { proofs: { jwt: [good] } });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it("refuses a proof signed by another key than the one it names, or for another audience or type", async () => {
    const offer = await createOffer();
    const t = (await token(offer.preAuthorizedCode)).json();
    const holder = newHolder();
    const mallory = newHolder();
    const forged = await credential(t.access_token, {
      proofs: { jwt: [proofJwt(holder, t.c_nonce, { signer: mallory.key })] },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ error: "invalid_proof" });
    expect(forged.json().error_description).toMatch(/signature/);
    const wrongAud = await credential(t.access_token, {
      proofs: { jwt: [proofJwt(holder, t.c_nonce, { aud: "https://elsewhere.example" })] },
    });
    expect(wrongAud.json().error).toBe("invalid_proof");
    const wrongTyp = await credential(t.access_token, {
      proofs: { jwt: [proofJwt(holder, t.c_nonce, { typ: "JWT" })] },
    });
    expect(wrongTyp.json().error).toBe("invalid_proof");
    const stale = await credential(t.access_token, {
      proofs: { jwt: [proofJwt(holder, t.c_nonce, { iat: Math.floor(clock.getTime() / 1000) - 3600 })] },
    });
    expect(stale.json().error).toBe("invalid_proof");
    const garbage = await credential(t.access_token, { proofs: { jwt: ["not.a.jwt!"] } });
    expect(garbage.json().error).toBe("invalid_proof");
    const none = await credential(t.access_token, {});
    expect(none.json().error).toBe("invalid_proof");
    const batch = await credential(t.access_token, {
      proofs: { jwt: [proofJwt(holder, t.c_nonce), proofJwt(holder, t.c_nonce)] },
    });
    expect(batch.json().error).toBe("invalid_credential_request");
    const otherConfig = await credential(t.access_token, {
      credential_configuration_id: "Attribution",
      proofs: { jwt: [proofJwt(holder, t.c_nonce)] },
    });
    expect(otherConfig.json().error).toBe("unknown_credential_configuration");
    expect(issued).toHaveLength(0);
    // The nonce was never consumed by the refused proofs: the genuine holder still succeeds.
    const ok = await credential(t.access_token, { proofs: { jwt: [proofJwt(holder, t.c_nonce)] } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(issued).toHaveLength(1);
  });

  it("refuses the token and credential endpoints without the right grant or token", async () => {
    const unsupported = await app.inject({
      method: "POST",
      url: "/oid4vci/token",
      payload: { grant_type: "authorization_code", code: "x" },
    });
    expect(unsupported.json().error).toBe("unsupported_grant_type");
    const noCode = await app.inject({
      method: "POST",
      url: "/oid4vci/token",
      payload: { grant_type: PRE_AUTHORIZED_GRANT },
    });
    expect(noCode.json().error).toBe("invalid_request");
    const noToken = await credential(undefined, { proofs: { jwt: ["a.b.c"] } });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().error).toBe("invalid_token");
    const badToken = await credential("made-up", { proofs: { jwt: ["a.b.c"] } });
    expect(badToken.statusCode).toBe(401);
    expect(issued).toHaveLength(0);
  });

  it("creates offers only for an authenticated issuer and a request that passes the claims rules", async () => {
    const anon = await app.inject({ method: "POST", url: "/v1/offers", payload: MICRO });
    expect(anon.statusCode).toBe(401);
    const bad = await app.inject({
      method: "POST",
      url: "/v1/offers",
      headers: { authorization: "Bearer nope" },
      payload: MICRO,
    });
    expect(bad.json().code).toBe("auth.bad_token");
    const withSubject = await app.inject({
      method: "POST",
      url: "/v1/offers",
      headers: { authorization: `Bearer ${ISSUER_TOKEN}` },
      payload: { ...MICRO, subject: { id: newHolder().did } },
    });
    expect(withSubject.json().code).toBe("schema.invalid");
    const overclaim = await app.inject({
      method: "POST",
      url: "/v1/offers",
      headers: { authorization: `Bearer ${ISSUER_TOKEN}` },
      payload: {
        ...MICRO,
        achievement: {
          ...(MICRO.achievement as Record<string, unknown>),
          name: "Certified Hand-Pump Technician",
        },
      },
    });
    expect(overclaim.statusCode).toBe(422);
    expect(overclaim.json().code).toMatch(/^claims\./);
  });

  it("answers CORS preflight on the protocol endpoints", async () => {
    const pre = await app.inject({
      method: "OPTIONS",
      url: "/oid4vci/token",
      headers: { origin: "https://wallet.example", "access-control-request-method": "POST" },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("*");
  });
});
