// Issue 13: the verifier accepts EdDSA, ES256, ES384 and RS256 VC-JWTs and VP-JWTs made by `jose`,
// with typ "JWT", "vc+jwt" or "vp+jwt" (VC-JOSE-COSE §3.1), keys from did:key (Ed25519, P-256),
// did:jwk, did:web and an https kid on the issuer's origin; and refuses algorithm confusion, key
// substitution and typ attacks (RFC 8725 §2.1, §3.1, §3.11).
import { createHmac, createPublicKey } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { encodeDidKey } from "@meritlog/core";
import { verifyCredential, verifyPresentation, type VerifyContext } from "../src/core/index.js";
import { createNodeEd25519 } from "../src/node-ed25519.js";

const NOW = new Date("2026-06-01T12:00:00Z");
type Alg = "EdDSA" | "ES256" | "ES384" | "RS256";
interface Signer {
  alg: Alg;
  did: string;
  kid: string;
  jwk: JWK;
  privateKey: CryptoKey;
}

function ctx(over: Partial<VerifyContext> = {}): VerifyContext {
  return { now: NOW, ed25519: createNodeEd25519(), trust: { issuers: [], logKeys: [] }, ...over };
}

async function keyPair(alg: Alg): Promise<{ jwk: JWK; privateKey: CryptoKey }> {
  const p = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "RS256" ? { modulusLength: 2048 } : {}),
  });
  return { jwk: await exportJWK(p.publicKey), privateKey: p.privateKey };
}

/** A did:jwk signer (DIF did:jwk: the DID is base64url of the public JWK; its key is `#0`). */
async function didJwk(alg: Alg): Promise<Signer> {
  const { jwk, privateKey } = await keyPair(alg);
  const did = `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString("base64url")}`;
  return { alg, did, kid: `${did}#0`, jwk, privateKey };
}

/** A did:key P-256 signer (did:key §3.1.5: multicodec 0x1200, compressed point). */
async function didKeyP256(): Promise<Signer> {
  const { jwk, privateKey } = await keyPair("ES256");
  const x = Buffer.from(jwk.x!, "base64url");
  const y = Buffer.from(jwk.y!, "base64url");
  const did = encodeDidKey({ type: "P-256", publicKey: new Uint8Array([2 + (y[31]! & 1), ...x]) });
  return { alg: "ES256", did, kid: `${did}#${did.slice(8)}`, jwk, privateKey };
}

const HOLDER = "did:example:learner";

function credential(issuer: string, subject = HOLDER): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiableCredential"],
    issuer,
    validFrom: "2026-01-01T00:00:00Z",
    credentialSubject: { id: subject, name: "Mapped hazards with the community" },
  };
}

async function sign(
  s: Signer,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { typ: "vc+jwt", cty: "vc" },
): Promise<string> {
  return await new SignJWT(payload)
    .setProtectedHeader({ alg: s.alg, kid: s.kid, ...header })
    .sign(s.privateKey);
}

/** The same token under another header (its signature unchanged). */
function reheader(jwt: string, header: object): string {
  const [, p, sig] = jwt.split(".");
  return `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${p}.${sig}`;
}

describe("credentials made by jose verify, for each algorithm and key source", () => {
  for (const alg of ["EdDSA", "ES256", "ES384", "RS256"] as const) {
    it(`${alg}, did:jwk, typ vc+jwt / cty vc and typ JWT`, async () => {
      const s = await didJwk(alg);
      for (const header of [{ typ: "vc+jwt", cty: "vc" }, { typ: "JWT" }, {}]) {
        const jwt = await sign(s, { ...credential(s.did), iss: s.did }, header);
        const r = await verifyCredential(jwt, undefined, ctx());
        expect(r.checks.signature, JSON.stringify(r.checks.signature)).toMatchObject({
          ok: true,
          code: "signature.valid",
          alg,
          kid: s.kid,
        });
        expect(r.verdict, JSON.stringify(r.checks)).toBe("valid-with-warnings");
      }
    });
  }
  it("ES256 with a P-256 did:key", async () => {
    const s = await didKeyP256();
    expect(s.did.startsWith("did:key:zDn")).toBe(true);
    const r = await verifyCredential(await sign(s, { ...credential(s.did), iss: s.did }), undefined, ctx());
    expect(r.checks.signature).toMatchObject({ ok: true, code: "signature.valid", alg: "ES256" });
  });
  it("RS256 and ES384 keys from a did:web document (JsonWebKey), fetched through the fetcher", async () => {
    const rsa = await keyPair("RS256");
    const ec = await keyPair("ES384");
    const did = "did:web:issuer.example";
    const doc = {
      id: did,
      verificationMethod: [
        { id: `${did}#rsa`, type: "JsonWebKey", controller: did, publicKeyJwk: rsa.jwk },
        { id: `${did}#ec`, type: "JsonWebKey2020", controller: did, publicKeyJwk: ec.jwk },
      ],
    };
    const fetched: string[] = [];
    const c = ctx({ fetcher: { didWeb: async (url) => (fetched.push(url), doc) } });
    const rs: Signer = { alg: "RS256", did, kid: `${did}#rsa`, ...rsa };
    const es: Signer = { alg: "ES384", did, kid: `${did}#ec`, ...ec };
    for (const s of [rs, es]) {
      const r = await verifyCredential(await sign(s, { ...credential(did), iss: did }), undefined, c);
      expect(r.checks.signature, JSON.stringify(r.checks.signature)).toMatchObject({ ok: true, alg: s.alg });
    }
    expect(fetched).toEqual([
      "https://issuer.example/.well-known/did.json",
      "https://issuer.example/.well-known/did.json",
    ]);
    // kid pointing to the other key of the same DID (signed by the RSA key, kid names the EC key).
    const swapped = await sign({ ...rs, kid: `${did}#ec` }, { ...credential(did), iss: did });
    const r = await verifyCredential(swapped, undefined, c);
    expect(r.verdict).toBe("invalid");
    expect(r.checks.signature.code).toBe("signature.invalid");
  });
  it("an https kid on the issuer's own origin names a key of its JWK Set (guarded fetch)", async () => {
    const k = await keyPair("RS256");
    const iss = "https://badges.example.edu";
    const s: Signer = { alg: "RS256", did: iss, kid: `${iss}/keys.json#2026`, ...k };
    const jwks = { keys: [{ ...k.jwk, kid: "2026", use: "sig" }] };
    const fetched: string[] = [];
    const c = ctx({ fetcher: { jwks: async (url) => (fetched.push(url), jwks) } });
    const jwt = await sign(s, { ...credential(iss), iss });
    const ok = await verifyCredential(jwt, undefined, c);
    expect(ok.checks.signature, JSON.stringify(ok.checks.signature)).toMatchObject({
      ok: true,
      kid: s.kid,
      alg: "RS256",
    });
    expect(fetched).toEqual([`${iss}/keys.json`]);
    // Network off: unknown, never valid.
    const off = await verifyCredential(jwt, undefined, ctx());
    expect(off.checks.signature).toMatchObject({ ok: "unknown", code: "signature.network_disabled" });
    // A kid on another origin cannot speak for this issuer.
    const foreign = await sign(
      { ...s, kid: "https://evil.example/keys.json#2026" },
      { ...credential(iss), iss },
    );
    const r = await verifyCredential(foreign, undefined, c);
    expect(r.checks.signature.code).toBe("signature.kid_not_issuer");
    // A kid that names no key of the set.
    const unknown = await sign({ ...s, kid: `${iss}/keys.json#2025` }, { ...credential(iss), iss });
    expect((await verifyCredential(unknown, undefined, c)).checks.signature.code).toBe(
      "signature.kid_unknown",
    );
    expect(fetched).toEqual([`${iss}/keys.json`, `${iss}/keys.json`]);
  });
});

describe("attacks are refused", () => {
  it('alg "none" and HS256 keyed with the issuer\'s public key', async () => {
    const s = await didJwk("RS256");
    const payload = { ...credential(s.did), iss: s.did };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const none = `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
    const pem = createPublicKey({ key: s.jwk as never, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    });
    const input = `${b64({ alg: "HS256", kid: s.kid })}.${b64(payload)}`;
    const hs = `${input}.${createHmac("sha256", String(pem)).update(input).digest("base64url")}`;
    for (const jwt of [none, hs]) {
      const r = await verifyCredential(jwt, undefined, ctx());
      expect(r.verdict).toBe("invalid");
      expect(r.checks.signature.code).toBe("signature.alg_not_allowed");
    }
  });
  it("an algorithm that does not fit the key (ES384 token relabelled ES256, EdDSA key under RS256)", async () => {
    const es = await didJwk("ES384");
    const jwt = await sign(es, { ...credential(es.did), iss: es.did });
    const relabelled = reheader(jwt, { alg: "ES256", kid: es.kid, typ: "vc+jwt" });
    const r = await verifyCredential(relabelled, undefined, ctx());
    expect(r.verdict).toBe("invalid");
    expect(r.checks.signature.code).toBe("signature.invalid");
    const ed = await didJwk("EdDSA");
    const edJwt = await sign(ed, { ...credential(ed.did), iss: ed.did });
    const r2 = await verifyCredential(reheader(edJwt, { alg: "RS256", kid: ed.kid }), undefined, ctx());
    expect(r2.checks.signature.code).toBe("signature.invalid");
  });
  it("key substitution: an embedded jwk or a kid of another DID never replaces the issuer's key", async () => {
    const issuer = await didJwk("ES256");
    const attacker = await didJwk("ES256");
    const payload = { ...credential(issuer.did), iss: issuer.did };
    // Signed by the attacker, naming the issuer's kid, carrying the attacker's key as jwk.
    const withJwk = await sign({ ...attacker, kid: issuer.kid }, payload, { jwk: attacker.jwk });
    expect((await verifyCredential(withJwk, undefined, ctx())).checks.signature.code).toBe(
      "signature.jwk_mismatch",
    );
    // Signed by the attacker, kid the attacker's own DID: not the issuer's key.
    const withKid = await sign(attacker, payload);
    expect((await verifyCredential(withKid, undefined, ctx())).checks.signature.code).toBe(
      "signature.kid_not_issuer",
    );
    // Signed by the attacker under the issuer's kid: the signature does not hold.
    const forged = await sign({ ...attacker, kid: issuer.kid }, payload);
    expect((await verifyCredential(forged, undefined, ctx())).checks.signature.code).toBe(
      "signature.invalid",
    );
    // The issuer's own key embedded as jwk: accepted (it confirms the resolved key).
    const honest = await sign(issuer, payload, { jwk: issuer.jwk, typ: "JWT" });
    expect((await verifyCredential(honest, undefined, ctx())).checks.signature.ok).toBe(true);
    // A private key in the header is refused outright.
    const { privateKey } = await keyPair("ES256");
    const priv = await sign(issuer, payload, { jwk: await exportJWK(privateKey) });
    expect((await verifyCredential(priv, undefined, ctx())).checks.signature.code).toBe(
      "signature.jwk_invalid",
    );
  });
  it("typ attacks: a presentation typ on a credential, a credential typ on a presentation, a wrong cty", async () => {
    const s = await didJwk("EdDSA");
    const asVp = await sign(s, { ...credential(s.did), iss: s.did }, { typ: "vp+jwt" });
    expect((await verifyCredential(asVp, undefined, ctx())).checks.signature.code).toBe("signature.typ");
    const cty = await sign(s, { ...credential(s.did), iss: s.did }, { typ: "vc+jwt", cty: "vp" });
    expect((await verifyCredential(cty, undefined, ctx())).checks.signature.code).toBe("signature.cty");
    const vp = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      verifiableCredential: [],
      iss: s.did,
      nonce: "n",
      aud: "https://verifier.example",
    };
    const vpAsVc = await sign(s, vp, { typ: "vc+jwt" });
    const r = await verifyPresentation(vpAsVc, { nonce: "n", audience: "https://verifier.example" }, ctx());
    expect(r.checks.signature.code).toBe("signature.typ");
  });
});

describe("VP-JWT (typ vp+jwt) holding enveloped credentials (VC-JOSE-COSE §3.1.2, VC DM 2.0 §4.13)", () => {
  it("an ES256 holder presents an RS256 and an ES384 credential", async () => {
    const holder = await didKeyP256();
    const rs = await didJwk("RS256");
    const es = await didJwk("ES384");
    const vcs = [
      await sign(rs, { ...credential(rs.did, holder.did), iss: rs.did, sub: holder.did }),
      await sign(es, { ...credential(es.did, holder.did), iss: es.did, sub: holder.did }),
    ];
    const vp = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      holder: holder.did,
      verifiableCredential: vcs.map((t) => ({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: "EnvelopedVerifiableCredential",
        id: `data:application/vc+jwt,${t}`,
      })),
      iss: holder.did,
      nonce: "n-1",
      aud: "https://verifier.example",
    };
    const jwt = await sign(holder, vp, { typ: "vp+jwt", cty: "vp" });
    const r = await verifyPresentation(jwt, { nonce: "n-1", audience: "https://verifier.example" }, ctx());
    expect(r.checks.signature, JSON.stringify(r.checks)).toMatchObject({ ok: true, alg: "ES256" });
    expect(r.checks.holder?.code).toBe("holder.bound");
    expect(r.credentials?.map((c) => c.checks.signature.alg)).toEqual(["RS256", "ES384"]);
    expect(r.credentials?.map((c) => c.verdict)).toEqual(["valid-with-warnings", "valid-with-warnings"]);
    expect(r.verdict).toBe("valid-with-warnings");
  });
});
