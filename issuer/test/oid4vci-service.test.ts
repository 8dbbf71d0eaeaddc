import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { verifyReceipt, type Receipt } from "@meritlog/ledger/verify";
import { createOfferStore } from "../src/offers.js";
import { oid4vciRoutes, PRE_AUTHORIZED_GRANT } from "../src/oid4vci.js";
import { openFixture, BASE_URL } from "./fixture.js";
import { base58btcDecode, newHolder } from "./helpers.js";

// The offer flow against the real issuer service and the real transparency log: the credential is
// bound to the holder's DID, signed by the issuer's did:key, and anchored (receipt verified
// offline); refused claims append nothing to the log; offers survive a restart, stored hashed.

const SPKI = Buffer.from("302a300506032b6570032100", "hex");
const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
function proof(h: { did: string; key: KeyObject }, nonce: string, signer = h.key): string {
  const input = `${b64u({ typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: `${h.did}#${h.did.slice(8)}` })}.${b64u({ aud: BASE_URL, iat: Math.floor(Date.now() / 1000), nonce })}`;
  return `${input}.${sign(null, Buffer.from(input), signer).toString("base64url")}`;
}

const ATTRIBUTION = {
  type: "Attribution",
  contribution: {
    kind: "translation",
    role: "translator",
    description: "Translated the hand-pump repair guide into Hausa.",
  },
  object: {
    id: "urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
    name: "Hand-pump repair guide",
    digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
  },
};

let fx: Awaited<ReturnType<typeof openFixture>>;
let app: FastifyInstance;
let issuerToken: string;
let issuerDid: string;
const offersDb = () =>
  fx.db.sublevel<string, Uint8Array>("offers", { keyEncoding: "utf8", valueEncoding: "view" });

async function buildApp(): Promise<FastifyInstance> {
  const a = Fastify();
  a.setErrorHandler((err: Error & { code?: string; status?: number }, _req, reply) =>
    reply.code(err.status ?? 400).send({ code: err.code, detail: err.message }),
  );
  await a.register(oid4vciRoutes, {
    service: fx.service,
    offers: await createOfferStore(offersDb()),
    baseUrl: BASE_URL,
  });
  await a.ready();
  return a;
}

beforeEach(async () => {
  fx = await openFixture();
  const created = await fx.service.createIssuer({ name: "Kaduna Repair Academy" });
  issuerToken = created.token;
  issuerDid = created.did;
  app = await buildApp();
});
afterEach(async () => {
  await app.close();
  await fx.dispose();
});

async function offer(): Promise<{ offerId: string; preAuthorizedCode: string }> {
  const r = await app.inject({
    method: "POST",
    url: "/v1/offers",
    headers: { authorization: `Bearer ${issuerToken}` },
    payload: ATTRIBUTION,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
async function token(code: string) {
  return app.inject({
    method: "POST",
    url: "/oid4vci/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: `grant_type=${encodeURIComponent(PRE_AUTHORIZED_GRANT)}&pre-authorized_code=${encodeURIComponent(code)}`,
  });
}

describe("OpenID4VCI with the real issuer service and log", () => {
  it("issues an anchored credential bound to the holder's DID and signed by the issuer", async () => {
    const o = await offer();
    const t = (await token(o.preAuthorizedCode)).json();
    const h = newHolder();
    const before = fx.log.entries.length;
    const res = await app.inject({
      method: "POST",
      url: "/oid4vci/credential",
      headers: { authorization: `Bearer ${t.access_token}` },
      payload: { credential_configuration_id: "Attribution", proofs: { jwt: [proof(h, t.c_nonce)] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      credentials: { credential: string }[];
      receipt: Receipt;
      credentialId: string;
    };
    const jwt = body.credentials[0]!.credential;
    const [hd, pl, sg] = jwt.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(pl, "base64url").toString());
    expect(payload.sub).toBe(h.did);
    expect(payload.credentialSubject.id).toBe(h.did);
    expect(payload.iss).toBe(issuerDid);
    expect(payload.jti).toBe(body.credentialId);
    // The issuer's signature, checked with a key decoded from its did:key here.
    const raw = base58btcDecode(issuerDid.slice("did:key:z".length)).subarray(2);
    expect(
      verify(
        null,
        Buffer.from(`${hd}.${pl}`),
        createPublicKey({ key: Buffer.concat([SPKI, raw]), format: "der", type: "spki" }),
        Buffer.from(sg, "base64url"),
      ),
    ).toBe(true);
    // The receipt verifies offline and names this exact JWT.
    expect(verifyReceipt(body.receipt, fx.log.verifierKey).ok).toBe(true);
    expect(JSON.parse(body.receipt.entry).digest).toBe(createHash("sha256").update(jwt).digest("hex"));
    expect(fx.log.entries.length).toBeGreaterThan(before);
    // The holder's DID never enters the public log.
    expect(body.receipt.entry).not.toContain(h.did);
  });

  it("also delivers the SD-JWT form when the wallet asks (also_formats), anchored, bound to the holder; never unasked", async () => {
    const h = newHolder();
    const claim = async (extra: Record<string, unknown>) => {
      const t = (await token((await offer()).preAuthorizedCode)).json();
      return await app.inject({
        method: "POST",
        url: "/oid4vci/credential",
        headers: { authorization: `Bearer ${t.access_token}` },
        payload: {
          credential_configuration_id: "Attribution",
          proofs: { jwt: [proof(h, t.c_nonce)] },
          ...extra,
        },
      });
    };
    const res = await claim({ also_formats: ["vc+sd-jwt"] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      credentials: { credential: string }[];
      credentialId: string;
      sdJwt: { credential: string; receipt: Receipt };
    };
    const sdJwt = body.sdJwt.credential;
    const issuerJwt = sdJwt.slice(0, sdJwt.indexOf("~"));
    // Independent check: @sd-jwt/sd-jwt-vc with the issuer key decoded from its did:key here.
    const raw = base58btcDecode(issuerDid.slice("did:key:z".length)).subarray(2);
    const issuerKey = createPublicKey({ key: Buffer.concat([SPKI, raw]), format: "der", type: "spki" });
    const { payload } = await new SDJwtVcInstance({
      hasher: (d: string | ArrayBuffer) =>
        new Uint8Array(
          createHash("sha256")
            .update(typeof d === "string" ? d : Buffer.from(d))
            .digest(),
        ),
      verifier: (data: string, sig: string) =>
        verify(null, Buffer.from(data), issuerKey, Buffer.from(sig, "base64url")),
    }).verify(sdJwt);
    expect(payload).toMatchObject({ iss: issuerDid, sub: h.did, jti: body.credentialId });
    expect(
      (payload as unknown as { credentialSubject: { contribution: { description: string } } })
        .credentialSubject.contribution.description,
    ).toBe(ATTRIBUTION.contribution.description);
    // Its own anchored entry, over the issuer-signed JWT; the VC-JWT is delivered as before.
    expect(verifyReceipt(body.sdJwt.receipt, fx.log.verifierKey).ok).toBe(true);
    expect(JSON.parse(body.sdJwt.receipt.entry).digest).toBe(
      createHash("sha256").update(issuerJwt).digest("hex"),
    );
    expect(body.credentials[0]!.credential.split(".")).toHaveLength(3);
    // Unasked (old wallets), nothing changes; an unknown extra format is refused before issuing.
    expect((await claim({})).json().sdJwt).toBeUndefined();
    const before = fx.log.entries.length;
    const bad = await claim({ also_formats: ["mso_mdoc"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe("invalid_credential_request");
    expect(fx.log.entries.length).toBe(before);
  });

  it("appends nothing to the log for a replayed code, a wrong nonce or a proof by another key", async () => {
    const o = await offer();
    const t = (await token(o.preAuthorizedCode)).json();
    const before = fx.log.entries.length;
    expect((await token(o.preAuthorizedCode)).json().error).toBe("invalid_grant");
    const h = newHolder();
    const post = (jwt: string) =>
      app.inject({
        method: "POST",
        url: "/oid4vci/credential",
        headers: { authorization: `Bearer ${t.access_token}` },
        payload: { proofs: { jwt: [jwt] } },
      });
    expect((await post(proof(h, "wrong-nonce"))).json().error).toBe("invalid_nonce");
    expect((await post(proof(h, t.c_nonce, newHolder().key))).json().error).toBe("invalid_proof");
    expect(fx.log.entries.length).toBe(before);
  });

  it("keeps offers across a restart, stored only as hashes", async () => {
    const o = await offer();
    // Nothing secret is stored in the clear.
    for await (const [k, v] of offersDb().iterator()) {
      const text = `${k}${Buffer.from(v).toString("utf8")}`;
      expect(text).not.toContain(o.preAuthorizedCode);
      expect(text).not.toContain(o.offerId);
    }
    await app.close();
    app = await buildApp();
    const t = await token(o.preAuthorizedCode);
    expect(t.statusCode, t.body).toBe(200);
  });
});
