import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { codeOf as code } from "./helpers.js";
import {
  CREDENTIAL_HEADER_RULES,
  checkJwsHeader,
  decodeJws,
  encodeJwsSegment,
  jwkFromPublicKey,
  publicKeyFromJwk,
  signJws,
  verifyJwsSignature,
  type DidKeyPublicKey,
} from "@meritlog/core";
import { Ed25519JwsSigner, ed25519RawPublicKey } from "@meritlog/core/node";

const { privateKey } = generateKeyPairSync("ed25519");
const key: DidKeyPublicKey = { type: "Ed25519", publicKey: ed25519RawPublicKey(privateKey) };
const signer = new Ed25519JwsSigner("did:key:z6Mk#z6Mk", privateKey);

describe("decodeJws: the one strict compact-JWS reader (RFC 7515 §7.1)", () => {
  const jwt = signer.sign({ iss: "x", n: "é" });
  it("decodes header, payload, signing input and signature", () => {
    const d = decodeJws(jwt, 10_000);
    expect(d.header).toEqual({ alg: "EdDSA", kid: "did:key:z6Mk#z6Mk", typ: "JWT" });
    expect(d.payload).toEqual({ iss: "x", n: "é" });
    expect(new TextDecoder().decode(d.signingInput)).toBe(jwt.slice(0, jwt.lastIndexOf(".")));
    expect(d.signature.length).toBe(64);
  });
  const [h, p, s] = jwt.split(".") as [string, string, string];
  it.each([
    [42, "jws.segments"],
    [`${h}.${p}`, "jws.segments"],
    [`${h}.${p}.${s}.`, "jws.segments"],
    [`${h}=.${p}.${s}`, "jws.header_base64"],
    [`.${p}.${s}`, "jws.header_base64"],
    [`${h}.${p}+.${s}`, "jws.payload_base64"],
    [`${h}.${p}.${s}=`, "jws.signature_base64"],
    [`${encodeJwsSegment("[1]")}.${p}.${s}`, "jws.header_json"],
    [`${h}.${encodeJwsSegment("{")}.${s}`, "jws.payload_json"],
    [`${h}.${encodeJwsSegment("null")}.${s}`, "jws.payload_json"],
  ])("%j → %s", (token, want) => {
    expect(code(() => decodeJws(token, 10_000))).toBe(want);
  });
  it("refuses a token over the length bound before parsing it", () => {
    expect(code(() => decodeJws(jwt, jwt.length - 1))).toBe("jws.too_large");
  });
});

describe("checkJwsHeader: header rules stated once", () => {
  const proofRules = { ...CREDENTIAL_HEADER_RULES, typ: ["openid4vci-proof+jwt"], typRequired: true };
  it.each([
    [{ alg: "EdDSA" }, CREDENTIAL_HEADER_RULES, undefined],
    [{ alg: "EdDSA", typ: "JWT", kid: "k" }, CREDENTIAL_HEADER_RULES, undefined],
    [{ alg: "none" }, CREDENTIAL_HEADER_RULES, "jws.alg_not_allowed"],
    [{ alg: "HS256" }, CREDENTIAL_HEADER_RULES, "jws.alg_not_allowed"],
    [{ alg: "Ed25519" }, CREDENTIAL_HEADER_RULES, "jws.alg_not_allowed"],
    [{ kid: "k" }, CREDENTIAL_HEADER_RULES, "jws.alg_not_allowed"],
    [{ alg: "EdDSA", crit: ["b64"] }, CREDENTIAL_HEADER_RULES, "jws.header_member"],
    [{ alg: "EdDSA", typ: "vc+jwt" }, CREDENTIAL_HEADER_RULES, undefined],
    [{ alg: "EdDSA", typ: "vp+jwt" }, CREDENTIAL_HEADER_RULES, "jws.typ"],
    [{ alg: "EdDSA", kid: 1 }, CREDENTIAL_HEADER_RULES, "jws.kid_invalid"],
    [{ alg: "EdDSA", jwk: [] }, CREDENTIAL_HEADER_RULES, "jws.jwk_invalid"],
    [{ alg: "EdDSA" }, proofRules, "jws.typ"],
    [{ alg: "EdDSA", typ: "openid4vci-proof+jwt" }, proofRules, undefined],
    [{ alg: "EdDSA", typ: "JWT" }, proofRules, "jws.typ"],
  ])("%j", (header, rules, want) => {
    expect(checkJwsHeader(header, rules)?.code).toBe(want);
  });
});

describe("verifyJwsSignature (jose, or the caller's verifier)", () => {
  it("verifies a node:crypto-signed token through jose and refuses a changed one", async () => {
    const d = decodeJws(signer.sign({ a: 1 }), 10_000);
    expect(await verifyJwsSignature(d, key)).toBe(true);
    const bad = decodeJws(signer.sign({ a: 2 }).replace(/\.[^.]+$/, "." + d.raw.split(".")[2]), 10_000);
    expect(await verifyJwsSignature(bad, key)).toBe(false);
    const other: DidKeyPublicKey = { type: "Ed25519", publicKey: new Uint8Array(32).fill(1) };
    expect(await verifyJwsSignature(d, other)).toBe(false);
  });
  it("refuses a key type the algorithm does not use, without calling the verifier", async () => {
    const d = decodeJws(signer.sign({ a: 1 }), 10_000);
    let called = false;
    const v = () => ((called = true), true);
    // A P-256 did:key (on the curve or not, it is not an Ed25519 key): refused before any verifier.
    const p256Point = new Uint8Array(33);
    p256Point[0] = 2;
    p256Point[32] = 3;
    expect(await verifyJwsSignature(d, { type: "P-256", publicKey: p256Point }, v)).toBe(false);
    expect(called).toBe(false);
    expect(await verifyJwsSignature(d, key, v)).toBe(true);
  });
  it("signJws with an async signer writes what the node signer writes", async () => {
    const payload = { sub: "s", list: [1, 2] };
    const a = await signJws(
      { alg: "EdDSA", kid: signer.kid, typ: "JWT" },
      payload,
      async (m) => new Uint8Array(sign(null, m, privateKey)),
    );
    expect(a).toBe(signer.sign(payload));
    expect(await verifyJwsSignature(decodeJws(a, 10_000), key)).toBe(true);
  });
});

describe("JWK (RFC 8037 §2)", () => {
  it("round-trips an Ed25519 public key and refuses private or foreign keys", () => {
    const jwk = jwkFromPublicKey(key);
    expect(publicKeyFromJwk(jwk)).toEqual({ ...key, jwk });
    expect(publicKeyFromJwk({ ...jwk, d: jwk.x })).toBeUndefined();
    expect(publicKeyFromJwk({ ...jwk, crv: "X25519" })).toBeUndefined();
    expect(publicKeyFromJwk({ ...jwk, x: "AAAA" })).toBeUndefined();
    expect(publicKeyFromJwk(null)).toBeUndefined();
  });
});
