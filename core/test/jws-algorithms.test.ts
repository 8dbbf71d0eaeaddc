// EdDSA, ES256, ES384 and RS256 through jose (issue 13; Open Badges 3.0 §8.2 makes RS256 the
// minimum), each bound to its key type, with the published known-answer vectors (RFC 7515
// Appendix A.2 and A.3, RFC 8037 Appendix A.4) and the algorithm-confusion attacks RFC 8725 §2.1
// names: "none", HMAC keyed with a public key, and an algorithm that does not fit the key.
import { createHmac, generateKeyPairSync } from "node:crypto";
import { CompactSign, SignJWT, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import {
  CREDENTIAL_HEADER_RULES,
  PRESENTATION_HEADER_RULES,
  checkJwsHeader,
  decodeJws,
  decodeDidKey,
  encodeDidKey,
  encodeJwsSegment,
  jwsKeyFromDidKey,
  publicKeyFromJwk,
  sameJwsKey,
  signJws,
  toBase64Url,
  tryFromBase64Url,
  verifyJwsSignature,
  type DecodedJws,
  type JsonObject,
  type JwsPublicKey,
} from "@meritlog/core";

/** RFC 7515 A.2 / A.3 share this payload: {"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}. */
const RFC7515_PAYLOAD =
  "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
const RFC7515_A2 = {
  token:
    "eyJhbGciOiJSUzI1NiJ9." +
    RFC7515_PAYLOAD +
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw",
  jwk: {
    kty: "RSA",
    n: "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
    e: "AQAB",
  },
};
const RFC7515_A3 = {
  token:
    "eyJhbGciOiJFUzI1NiJ9." +
    RFC7515_PAYLOAD +
    ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q",
  jwk: {
    kty: "EC",
    crv: "P-256",
    x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
  },
};
/** RFC 8037 A.1 key and A.4 JWS (payload "Example of Ed25519 signing", not JSON). */
const RFC8037 = {
  d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
  x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
  token:
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg",
};

function key(jwk: unknown): JwsPublicKey {
  const k = publicKeyFromJwk(jwk);
  if (!k) throw new Error(`not a key: ${JSON.stringify(jwk)}`);
  return k;
}

/** The same token with one bit of its signature flipped. */
function flipped(token: string): string {
  const [h, p, s] = token.split(".") as [string, string, string];
  const sig = tryFromBase64Url(s)!;
  sig[sig.length >> 1]! ^= 1;
  return `${h}.${p}.${toBase64Url(sig)}`;
}

/** A DecodedJws for a token whose payload is not JSON (RFC 8037 A.4): only the signature matters. */
function decodedRaw(token: string): DecodedJws {
  const [h, , s] = token.split(".") as [string, string, string];
  return {
    header: JSON.parse(new TextDecoder().decode(tryFromBase64Url(h)!)) as JsonObject,
    payload: {},
    signingInput: new TextEncoder().encode(token.slice(0, token.lastIndexOf("."))),
    signature: tryFromBase64Url(s)!,
    raw: token,
  };
}

describe("known-answer vectors", () => {
  it("RFC 7515 A.2 (RS256, 2048-bit key) verifies; a flipped bit does not", async () => {
    const d = decodeJws(RFC7515_A2.token, 10_000);
    expect(d.payload).toEqual({ iss: "joe", exp: 1300819380, "http://example.com/is_root": true });
    expect(await verifyJwsSignature(d, key(RFC7515_A2.jwk))).toBe(true);
    expect(await verifyJwsSignature(decodeJws(flipped(RFC7515_A2.token), 10_000), key(RFC7515_A2.jwk))).toBe(
      false,
    );
  });
  it("RFC 7515 A.3 (ES256) verifies; a flipped bit does not", async () => {
    const d = decodeJws(RFC7515_A3.token, 10_000);
    expect(await verifyJwsSignature(d, key(RFC7515_A3.jwk))).toBe(true);
    expect(await verifyJwsSignature(decodeJws(flipped(RFC7515_A3.token), 10_000), key(RFC7515_A3.jwk))).toBe(
      false,
    );
  });
  it("RFC 8037 A.4 (EdDSA) verifies through jose and through a caller's verifier", async () => {
    const k = key({ kty: "OKP", crv: "Ed25519", x: RFC8037.x });
    expect(await verifyJwsSignature(decodedRaw(RFC8037.token), k)).toBe(true);
    expect(await verifyJwsSignature(decodedRaw(flipped(RFC8037.token)), k)).toBe(false);
  });
  it("RFC 8037 A.4: signJws through jose's CompactSign reproduces the published token", async () => {
    const { createPrivateKey } = await import("node:crypto");
    const priv = createPrivateKey({
      key: { kty: "OKP", crv: "Ed25519", d: RFC8037.d, x: RFC8037.x },
      format: "jwk",
    });
    const t = await new CompactSign(new TextEncoder().encode("Example of Ed25519 signing"))
      .setProtectedHeader({ alg: "EdDSA" })
      .sign(priv);
    expect(t).toBe(RFC8037.token);
    // signJws (JSON payloads) through jose and through a sign function write the same bytes.
    const viaKey = await signJws({ alg: "EdDSA", typ: "JWT" }, { a: "é" }, priv);
    const { sign } = await import("node:crypto");
    const viaFn = await signJws({ alg: "EdDSA", typ: "JWT" }, { a: "é" }, (m) => sign(null, m, priv));
    expect(viaKey).toBe(viaFn);
  });
});

describe("tokens made by jose verify, for every accepted algorithm", () => {
  for (const [alg, opts] of [
    ["EdDSA", {}],
    ["ES256", {}],
    ["ES384", {}],
    ["RS256", { modulusLength: 2048 }],
  ] as const) {
    it(alg, async () => {
      const pair = await generateKeyPair(alg, { extractable: true, ...opts });
      const jwt = await new SignJWT({ vc: 1 })
        .setProtectedHeader({ alg, typ: "vc+jwt" })
        .sign(pair.privateKey);
      const d = decodeJws(jwt, 100_000);
      expect(checkJwsHeader(d.header, CREDENTIAL_HEADER_RULES)).toBeUndefined();
      const k = key(await exportJWK(pair.publicKey));
      expect(await verifyJwsSignature(d, k)).toBe(true);
      expect(await verifyJwsSignature(decodeJws(flipped(jwt), 100_000), k)).toBe(false);
      // Another key of the same type does not verify it (key substitution).
      const other = await generateKeyPair(alg, { extractable: true, ...opts });
      expect(await verifyJwsSignature(d, key(await exportJWK(other.publicKey)))).toBe(false);
    });
  }
});

describe("algorithm confusion (RFC 8725 §2.1, §3.1)", () => {
  const rsa = key(RFC7515_A2.jwk);
  const ec = key(RFC7515_A3.jwk);
  const ed = key({ kty: "OKP", crv: "Ed25519", x: RFC8037.x });
  it('refuses "none" and HMAC at the header, whatever the key', async () => {
    for (const alg of ["none", "HS256", "HS384", "HS512", "ES512", "PS256", "RS512", "Ed25519", "EdDSA "]) {
      expect(checkJwsHeader({ alg }, CREDENTIAL_HEADER_RULES)?.code, alg).toBe("jws.alg_not_allowed");
    }
    const none = `${encodeJwsSegment({ alg: "none" })}.${encodeJwsSegment({ iss: "x" })}.`;
    for (const k of [rsa, ec, ed]) expect(await verifyJwsSignature(decodeJws(none, 1000), k)).toBe(false);
  });
  it("an HS256 token keyed with the issuer's public key (PEM or JWK text) never verifies", async () => {
    const { createPublicKey } = await import("node:crypto");
    const pem = createPublicKey({ key: RFC7515_A2.jwk, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    });
    for (const secret of [String(pem), JSON.stringify(RFC7515_A2.jwk)]) {
      const input = `${encodeJwsSegment({ alg: "HS256", typ: "JWT" })}.${encodeJwsSegment({ iss: "joe" })}`;
      const token = `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
      const d = decodeJws(token, 10_000);
      expect(checkJwsHeader(d.header, CREDENTIAL_HEADER_RULES)?.code).toBe("jws.alg_not_allowed");
      expect(await verifyJwsSignature(d, rsa)).toBe(false);
    }
  });
  it("an algorithm that does not fit the key's type is refused before any cryptography", async () => {
    let called = false;
    const ed25519 = () => ((called = true), true);
    const relabel = (token: string, alg: string) =>
      decodeJws(`${encodeJwsSegment({ alg })}.${token.split(".").slice(1).join(".")}`, 10_000);
    // The RS256 vector presented as ES256 / EdDSA, the ES256 vector as ES384 / RS256, and so on.
    expect(await verifyJwsSignature(relabel(RFC7515_A2.token, "ES256"), rsa)).toBe(false);
    expect(await verifyJwsSignature(relabel(RFC7515_A3.token, "ES384"), ec)).toBe(false);
    expect(await verifyJwsSignature(relabel(RFC7515_A3.token, "RS256"), ec)).toBe(false);
    expect(await verifyJwsSignature(relabel(RFC7515_A3.token, "EdDSA"), ec, ed25519)).toBe(false);
    expect(await verifyJwsSignature(decodedRaw(RFC8037.token), ec, ed25519)).toBe(false);
    expect(await verifyJwsSignature(decodedRaw(RFC8037.token), rsa, ed25519)).toBe(false);
    expect(called).toBe(false);
    // A JWK that names its algorithm (RFC 7517 §4.4) is used with that algorithm only.
    expect(publicKeyFromJwk({ ...RFC7515_A3.jwk, alg: "ES384" })).toBeUndefined();
    expect(publicKeyFromJwk({ ...RFC7515_A3.jwk, alg: "HS256" })).toBeUndefined();
    expect(
      await verifyJwsSignature(decodeJws(RFC7515_A3.token, 10_000), key({ ...RFC7515_A3.jwk, alg: "ES256" })),
    ).toBe(true);
  });
  it("refuses private, symmetric, short-RSA, off-curve and malformed keys", async () => {
    expect(publicKeyFromJwk({ kty: "oct", k: "c2VjcmV0" })).toBeUndefined();
    expect(
      publicKeyFromJwk({ ...RFC7515_A3.jwk, d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI" }),
    ).toBeUndefined();
    expect(publicKeyFromJwk({ ...RFC7515_A2.jwk, d: "AQAB" })).toBeUndefined();
    expect(publicKeyFromJwk({ ...RFC7515_A3.jwk, use: "enc" })).toBeUndefined();
    expect(publicKeyFromJwk({ ...RFC7515_A3.jwk, key_ops: ["sign"] })).toBeUndefined();
    expect(publicKeyFromJwk({ ...RFC7515_A3.jwk, crv: "P-384" })).toBeUndefined();
    expect(publicKeyFromJwk({ ...RFC7515_A3.jwk, crv: "secp256k1" })).toBeUndefined();
    expect(publicKeyFromJwk({ kty: "OKP", crv: "Ed25519", x: RFC8037.x, y: RFC8037.x })).toBeUndefined();
    const short = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    expect(publicKeyFromJwk(short)).toBeUndefined();
    expect(publicKeyFromJwk({ ...RFC7515_A2.jwk, e: "AQAA" })).toBeUndefined(); // even exponent
    // A point that is not on P-256: jose (WebCrypto) refuses to import it, so nothing verifies.
    const off = key({ ...RFC7515_A3.jwk, y: RFC7515_A3.jwk.x });
    expect(await verifyJwsSignature(decodeJws(RFC7515_A3.token, 10_000), off)).toBe(false);
  });
  it("checkJwsHeader refuses an embedded jwk that is not a public key of a supported type", () => {
    expect(checkJwsHeader({ alg: "ES256", jwk: RFC7515_A3.jwk }, CREDENTIAL_HEADER_RULES)).toBeUndefined();
    for (const jwk of [[], "x", { kty: "oct", k: "AA" }, { ...RFC7515_A3.jwk, d: "AA" }]) {
      expect(checkJwsHeader({ alg: "ES256", jwk }, CREDENTIAL_HEADER_RULES)?.code).toBe("jws.jwk_invalid");
    }
  });
});

describe("typ and cty (VC-JOSE-COSE §3.1.1, §3.1.2; OB 3.0 §8.2)", () => {
  it.each([
    [{ alg: "ES256", typ: "vc+jwt", cty: "vc" }, CREDENTIAL_HEADER_RULES, undefined],
    [{ alg: "RS256", typ: "JWT" }, CREDENTIAL_HEADER_RULES, undefined],
    [{ alg: "EdDSA", typ: "vp+jwt" }, CREDENTIAL_HEADER_RULES, "jws.typ"],
    [{ alg: "EdDSA", typ: "vc+jwt", cty: "vp" }, CREDENTIAL_HEADER_RULES, "jws.cty"],
    [{ alg: "EdDSA", typ: "vc+ld+jwt" }, CREDENTIAL_HEADER_RULES, "jws.typ"],
    [{ alg: "ES384", typ: "vp+jwt", cty: "vp" }, PRESENTATION_HEADER_RULES, undefined],
    [{ alg: "EdDSA", typ: "JWT" }, PRESENTATION_HEADER_RULES, undefined],
    [{ alg: "EdDSA", typ: "vc+jwt" }, PRESENTATION_HEADER_RULES, "jws.typ"],
    [{ alg: "EdDSA", typ: "JWT", crit: ["exp"] }, PRESENTATION_HEADER_RULES, "jws.header_member"],
    [{ alg: "EdDSA", jku: "https://evil.example/jwks" }, CREDENTIAL_HEADER_RULES, "jws.header_member"],
    [{ alg: "EdDSA", x5u: "https://evil.example/cert" }, CREDENTIAL_HEADER_RULES, "jws.header_member"],
    [{ alg: "EdDSA", b64: false }, CREDENTIAL_HEADER_RULES, "jws.header_member"],
  ])("%j", (header, rules, want) => {
    expect(checkJwsHeader(header, rules)?.code).toBe(want);
  });
});

describe("did:key P-256 (did:key §3.1.5) to a JWK", () => {
  it("decompresses the point, and an ES256 token by that key verifies", async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    const x = tryFromBase64Url(jwk.x!)!;
    const y = tryFromBase64Url(jwk.y!)!;
    const compressed = new Uint8Array([2 + (y[31]! & 1), ...x]);
    const did = encodeDidKey({ type: "P-256", publicKey: compressed });
    expect(did.startsWith("did:key:zDn")).toBe(true);
    const k = jwsKeyFromDidKey(decodeDidKey(did));
    expect(k.jwk).toEqual({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y });
    expect(sameJwsKey(k, key(jwk))).toBe(true);
    const jwt = await new SignJWT({ iss: did }).setProtectedHeader({ alg: "ES256" }).sign(pair.privateKey);
    expect(await verifyJwsSignature(decodeJws(jwt, 10_000), decodeDidKey(did))).toBe(true);
  });
  it("refuses a compressed point that is not on the curve", () => {
    const bad = new Uint8Array(33).fill(0xff);
    bad[0] = 2;
    expect(() => jwsKeyFromDidKey({ type: "P-256", publicKey: bad })).toThrow(/not a point/);
  });
});
