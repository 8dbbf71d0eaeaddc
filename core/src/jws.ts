// JOSE for every JWS meritlog reads or writes (VC-JWTs, VP-JWTs, OpenID4VCI key proofs, status-list
// JWTs, holder proofs): RFC 7515 compact serialisation, read by ONE strict reader with the header
// rules stated once, and everything cryptographic through panva's `jose` (WebCrypto, browser and
// Node): the protected header is read with `decodeProtectedHeader`, signatures are verified with
// `compactVerify` and, for callers holding a key, made with `CompactSign`. Two things stay outside
// jose on purpose: the canonical-base64url and size checks run first (jose's decoder tolerates
// non-canonical text, which would let two strings carry one signature), and a caller may hand in
// a faster Ed25519 verifier (node:crypto with a cached KeyObject on the server hot path, measured
// in bench/verify.bench.ts). Every parse failure is a CoreError with a stable code; no SyntaxError
// escapes. A signature that does not verify is a result (`false`), never an exception.
import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, type CryptoKey } from "jose";
import { decompressP256 } from "./p256-point.js";
import { toBase64Url, tryFromBase64Url, tryUtf8Decode, utf8 } from "./bytes.js";
import type { DidKeyPublicKey } from "./did-key.js";
import { CoreError } from "./errors.js";

export type JsonObject = Record<string, unknown>;

/**
 * The JWS algorithms meritlog verifies, as a table (RFC 7518 §3.1, RFC 8037 §3.1): each is bound
 * to exactly one key type, so a key is only ever used with the algorithm its type implies
 * (RFC 8725 §3.1: no algorithm confusion). `coordinateLength` is the EC field size (RFC 7518
 * §6.2.1.2) or the Ed25519 key size; RSA keys need a modulus of at least 2048 bits (RFC 7518
 * §3.3, Open Badges 3.0 §8.2 "RS256 is the minimum"). `none` and HMAC are absent, never a row.
 */
export const JWS_ALGORITHMS = {
  EdDSA: { kty: "OKP", crv: "Ed25519", keyType: "Ed25519", coordinateLength: 32 },
  ES256: { kty: "EC", crv: "P-256", keyType: "P-256", coordinateLength: 32 },
  ES384: { kty: "EC", crv: "P-384", keyType: "P-384", coordinateLength: 48 },
  RS256: { kty: "RSA", crv: undefined, keyType: "RSA", coordinateLength: undefined },
} as const;

export type JwsAlgorithm = keyof typeof JWS_ALGORITHMS;

/** Key types a JWS here may be verified with; each fits exactly one {@link JwsAlgorithm}. */
export type JwsKeyType = (typeof JWS_ALGORITHMS)[JwsAlgorithm]["keyType"];

/** Smallest RSA modulus accepted (bits; RFC 7518 §3.3 "2048 bits or larger MUST be used"). */
export const MIN_RSA_BITS = 2048;
/** Largest RSA modulus accepted (bits): bounds the work a foreign key can cause. */
const MAX_RSA_BITS = 8192;

/**
 * A public verification key: its type and its public JWK (only the public members, RFC 7517
 * §4, RFC 7518 §6.2.1/§6.3.1, RFC 8037 §2). Ed25519 keys also carry the raw 32 bytes, for fast
 * verifiers and did:key.
 */
export type JwsPublicKey =
  | { type: "Ed25519"; publicKey: Uint8Array; jwk: JsonObject }
  | { type: Exclude<JwsKeyType, "Ed25519">; jwk: JsonObject; publicKey?: undefined };

/** A decoded (not yet verified) compact JWS. */
export interface DecodedJws {
  header: JsonObject;
  payload: JsonObject;
  /** ASCII bytes of `<header>.<payload>`, the JWS signing input (RFC 7515 §5.1). */
  signingInput: Uint8Array;
  signature: Uint8Array;
  /** The token as given. */
  raw: string;
}

function parseJsonObject(bytes: Uint8Array, code: "jws.payload_json", what: string): JsonObject {
  const text = tryUtf8Decode(bytes);
  let value: unknown;
  try {
    if (text === undefined) throw new TypeError("invalid UTF-8");
    value = JSON.parse(text);
  } catch (cause) {
    throw new CoreError(code, `The ${what} is not valid UTF-8 JSON.`, { cause });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new CoreError(code, `The ${what} is not a JSON object.`);
  return value as JsonObject;
}

/**
 * Decodes a compact JWS (RFC 7515 §7.1) without verifying it: exactly three segments, each
 * canonical unpadded base64url (§2), header and payload UTF-8 JSON objects (RFC 7519 §7.2).
 * The header is read by jose's `decodeProtectedHeader`, once the strict checks above passed.
 * @throws CoreError jws.too_large, jws.segments, jws.{header,payload,signature}_base64, jws.{header,payload}_json
 */
export function decodeJws(token: unknown, maxLength: number): DecodedJws {
  if (typeof token !== "string") throw new CoreError("jws.segments", "The token is not a string.");
  if (token.length > maxLength)
    throw new CoreError("jws.too_large", `The token is longer than ${maxLength} characters.`);
  const first = token.indexOf(".");
  const second = first < 0 ? -1 : token.indexOf(".", first + 1);
  if (first < 0 || second < 0 || token.indexOf(".", second + 1) >= 0) {
    throw new CoreError(
      "jws.segments",
      "The token does not have exactly three dot-separated parts (header.payload.signature).",
    );
  }
  const h = tryFromBase64Url(token.slice(0, first));
  if (!h || h.length === 0)
    throw new CoreError("jws.header_base64", "The token header is not valid base64url.");
  const p = tryFromBase64Url(token.slice(first + 1, second));
  if (!p || p.length === 0)
    throw new CoreError("jws.payload_base64", "The token payload is not valid base64url.");
  const s = tryFromBase64Url(token.slice(second + 1));
  if (!s) throw new CoreError("jws.signature_base64", "The token signature is not valid base64url.");
  let header: JsonObject;
  try {
    // jose decodes the header leniently (invalid UTF-8 becomes U+FFFD); refuse that first.
    if (tryUtf8Decode(h) === undefined) throw new TypeError("invalid UTF-8");
    header = decodeProtectedHeader(token) as JsonObject;
  } catch (cause) {
    throw new CoreError("jws.header_json", "The token header is not a UTF-8 JSON object.", { cause });
  }
  // jose reads the payload only inside compactVerify; decoding it here once (it may be 256 KB)
  // avoids a second pass through jose's `decodeJwt`.
  const payload = parseJsonObject(p, "jws.payload_json", "token payload");
  // The signing input is ASCII (the base64url alphabet and "."), already checked above.
  return { header, payload, signingInput: utf8(token.slice(0, second)), signature: s, raw: token };
}

/** What a JOSE header must look like for one kind of token. */
export interface JwsHeaderRules {
  /** Accepted `alg` values, checked before anything else (RFC 8725 §3.1: no "none", no HMAC). */
  algorithms: readonly JwsAlgorithm[];
  /** The only members allowed (no `crit`, `x5u`, `jku`…: nothing this code would ignore). */
  members: readonly string[];
  /** Accepted `typ` values (RFC 7515 §4.1.9, compared exactly). */
  typ: readonly string[];
  /** Whether `typ` must be present (OpenID4VCI 1.0 Appendix F.1) or may be absent (OB 3.0 §8.2). */
  typRequired: boolean;
  /** Accepted `cty` values when `members` allows `cty` (RFC 7515 §4.1.10; VC-JOSE-COSE §3.1.1). */
  cty?: readonly string[];
}

/** Every algorithm meritlog verifies for credentials and presentations of other issuers. */
const FOREIGN_ALGORITHMS: readonly JwsAlgorithm[] = ["EdDSA", "ES256", "ES384", "RS256"];

/**
 * VC-JWTs: Open Badges 3.0 §8.2 (alg, kid or jwk, typ "JWT" if present; RS256 the minimum
 * algorithm, so EdDSA, ES256, ES384 and RS256) and VC-JOSE-COSE §3.1.1 (`typ` "vc+jwt",
 * `cty` "vc"). meritlog itself signs only EdDSA with typ "JWT".
 */
export const CREDENTIAL_HEADER_RULES: JwsHeaderRules = {
  algorithms: FOREIGN_ALGORITHMS,
  members: ["alg", "kid", "jwk", "typ", "cty"],
  typ: ["JWT", "vc+jwt"],
  typRequired: false,
  cty: ["vc"],
};

/** VP-JWTs: as credentials, with VC-JOSE-COSE §3.1.2's `typ` "vp+jwt" and `cty` "vp". */
export const PRESENTATION_HEADER_RULES: JwsHeaderRules = {
  ...CREDENTIAL_HEADER_RULES,
  typ: ["JWT", "vp+jwt"],
  cty: ["vp"],
};

/** Codes of {@link JwsHeaderProblem}. */
export type JwsHeaderProblemCode =
  "jws.alg_not_allowed" | "jws.header_member" | "jws.typ" | "jws.cty" | "jws.kid_invalid" | "jws.jwk_invalid";
export type JwsHeaderProblem = { code: JwsHeaderProblemCode; message: string };

/** Checks a JOSE header against `rules`; returns the first problem, or undefined if it passes. */
export function checkJwsHeader(header: JsonObject, rules: JwsHeaderRules): JwsHeaderProblem | undefined {
  const alg = header.alg;
  if (typeof alg !== "string" || !(rules.algorithms as readonly string[]).includes(alg)) {
    // "none" (RFC 7518 §3.6) and HMAC (§3.2) are the classic algorithm-confusion attacks;
    // anything not in the list is refused before a key is even looked at.
    const shown = typeof alg === "string" ? alg.slice(0, 20) : typeof alg;
    return {
      code: "jws.alg_not_allowed",
      message: `The token uses algorithm "${shown}"; only ${rules.algorithms.join(", ")} ${rules.algorithms.length === 1 ? "is" : "are"} accepted.`,
    };
  }
  for (const k of Object.keys(header)) {
    if (!rules.members.includes(k)) {
      return {
        code: "jws.header_member",
        message: `The token header has a member "${k.slice(0, 40)}" that is not allowed (only ${rules.members.join(", ")}).`,
      };
    }
  }
  if (header.typ === undefined ? rules.typRequired : !rules.typ.includes(header.typ as string)) {
    return {
      code: "jws.typ",
      message: `The token header "typ" must be ${rules.typ.map((t) => `"${t}"`).join(" or ")}${rules.typRequired ? "" : " when present"}.`,
    };
  }
  if (header.cty !== undefined && !(rules.cty ?? []).includes(header.cty as string)) {
    return {
      code: "jws.cty",
      message: `The token header "cty" must be ${(rules.cty ?? []).map((t) => `"${t}"`).join(" or ") || "absent"} when present.`,
    };
  }
  if (header.kid !== undefined && typeof header.kid !== "string")
    return { code: "jws.kid_invalid", message: `The token header "kid" is not a string.` };
  if (header.jwk !== undefined && publicKeyFromJwk(header.jwk) === undefined) {
    // RFC 7515 §4.1.3: a public key; a private member, an unknown key type or a short RSA key
    // is refused here, before anything is resolved.
    return {
      code: "jws.jwk_invalid",
      message: `The token header "jwk" is not a public key of a supported type (Ed25519, P-256, P-384, RSA ≥ ${MIN_RSA_BITS} bits).`,
    };
  }
  return undefined;
}

/** JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Bit length of a big-endian unsigned integer (an RSA modulus). */
function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * The verification key of a public JWK of a type in {@link JWS_ALGORITHMS}, or undefined: only
 * public members (a private key never belongs in a header or a DID document), coordinates of the
 * curve's exact length, an RSA modulus of {@link MIN_RSA_BITS}–8192 bits with an odd exponent,
 * `use` "sig" and `key_ops` including "verify" when present (RFC 7517 §4.2, §4.3). The returned
 * `jwk` holds only the members that define the key, plus `alg` when the JWK names one
 * (RFC 7517 §4.4: the key is then used with that algorithm only).
 */
export function publicKeyFromJwk(jwk: unknown): JwsPublicKey | undefined {
  if (!isObject(jwk)) return undefined;
  if (PRIVATE_MEMBERS.some((m) => jwk[m] !== undefined)) return undefined;
  if (jwk.use !== undefined && jwk.use !== "sig") return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify")))
    return undefined;
  const alg = jwk.alg;
  if (alg !== undefined) {
    const a = (JWS_ALGORITHMS as Record<string, (typeof JWS_ALGORITHMS)[JwsAlgorithm]>)[alg as string];
    if (!a || a.kty !== jwk.kty || a.crv !== (a.kty === "RSA" ? undefined : jwk.crv)) return undefined;
  }
  const withAlg = (j: JsonObject): JsonObject => (alg === undefined ? j : { ...j, alg });
  if (jwk.kty === "RSA") {
    const n = typeof jwk.n === "string" ? tryFromBase64Url(jwk.n) : undefined;
    const e = typeof jwk.e === "string" ? tryFromBase64Url(jwk.e) : undefined;
    if (!n || !e || e.length === 0 || e.length > 8 || (e[e.length - 1]! & 1) === 0) return undefined;
    const bits = bitLength(n);
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return undefined;
    return { type: "RSA", jwk: withAlg({ kty: "RSA", n: jwk.n, e: jwk.e }) };
  }
  for (const a of Object.values(JWS_ALGORITHMS)) {
    if (a.kty === "RSA" || jwk.kty !== a.kty || jwk.crv !== a.crv) continue;
    const x = typeof jwk.x === "string" ? tryFromBase64Url(jwk.x) : undefined;
    if (!x || x.length !== a.coordinateLength) return undefined;
    if (a.keyType === "Ed25519") {
      if (jwk.y !== undefined) return undefined;
      return { type: "Ed25519", publicKey: x, jwk: withAlg({ kty: a.kty, crv: a.crv, x: jwk.x }) };
    }
    const y = typeof jwk.y === "string" ? tryFromBase64Url(jwk.y) : undefined;
    if (!y || y.length !== a.coordinateLength) return undefined;
    return { type: a.keyType, jwk: withAlg({ kty: a.kty, crv: a.crv, x: jwk.x, y: jwk.y }) };
  }
  return undefined;
}

/**
 * The verification key of a did:key public key: Ed25519 as is (RFC 8037 §2), P-256 from its SEC 1
 * compressed point (did:key §3.1.5) to the JWK's x and y (RFC 7518 §6.2.1), decompressed and
 * checked to be on the curve (p256-point.ts).
 * @throws CoreError key.invalid for a point that is not on P-256
 */
export function jwsKeyFromDidKey(key: DidKeyPublicKey): JwsPublicKey {
  if (key.type === "Ed25519") {
    if (key.publicKey.length !== 32) throw new CoreError("key.invalid", "Not an Ed25519 public key.");
    return {
      type: "Ed25519",
      publicKey: key.publicKey,
      jwk: { kty: "OKP", crv: "Ed25519", x: toBase64Url(key.publicKey) },
    };
  }
  let xy: Uint8Array;
  try {
    xy = decompressP256(key.publicKey);
  } catch (cause) {
    throw new CoreError("key.invalid", "The P-256 key is not a point on the curve.", { cause });
  }
  return {
    type: "P-256",
    jwk: { kty: "EC", crv: "P-256", x: toBase64Url(xy.subarray(1, 33)), y: toBase64Url(xy.subarray(33)) },
  };
}

/** A public JWK (RFC 8037 §2) of an Ed25519 key. @throws CoreError key.invalid for another key type */
export function jwkFromPublicKey(key: DidKeyPublicKey): JsonObject {
  return { ...jwsKeyFromDidKey(key).jwk };
}

/** Whether two verification keys are the same key (their defining JWK members are equal). */
export function sameJwsKey(a: JwsPublicKey, b: JwsPublicKey): boolean {
  const members = ["kty", "crv", "x", "y", "n", "e"] as const;
  return a.type === b.type && members.every((m) => a.jwk[m] === b.jwk[m]);
}

/** Verifies an Ed25519 `signature` over `message`; a faster stand-in for jose's WebCrypto path. */
export type JwsSignatureVerifier = (
  alg: "EdDSA",
  signature: Uint8Array,
  message: Uint8Array,
  key: { type: "Ed25519"; publicKey: Uint8Array },
) => boolean | Promise<boolean>;

/**
 * Imported WebCrypto keys, by algorithm and JWK: importing (an RSA modulus above all) costs more
 * than a verification, and the same issuer keys come back on every credential. Bounded; the
 * oldest entry goes first.
 */
const importedKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();
const MAX_IMPORTED_KEYS = 256;

function importKey(alg: JwsAlgorithm, jwk: JsonObject): Promise<CryptoKey | Uint8Array> {
  const id = `${alg} ${String(jwk.kty)} ${String(jwk.crv)} ${String(jwk.x)} ${String(jwk.y)} ${String(jwk.n)} ${String(jwk.e)}`;
  let k = importedKeys.get(id);
  if (!k) {
    k = importJWK({ ...jwk, alg }, alg);
    k.catch(() => importedKeys.delete(id));
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.delete(importedKeys.keys().next().value!);
    importedKeys.set(id, k);
  }
  return k;
}

function toJwsKey(key: DidKeyPublicKey | JwsPublicKey): JwsPublicKey | undefined {
  if ("jwk" in key && key.jwk) return key as JwsPublicKey;
  try {
    return jwsKeyFromDidKey(key as DidKeyPublicKey);
  } catch {
    return undefined;
  }
}

/**
 * Verifies a decoded JWS's signature with `key`, through jose's `compactVerify` (or, for EdDSA
 * only, the caller's faster `ed25519` verifier). Only after {@link checkJwsHeader} passed. The
 * header's algorithm must be the one the key's type is bound to (and the JWK's own `alg`, if it
 * names one), so an RSA or EC public key can never be used as an HMAC secret or with another
 * curve's algorithm (RFC 8725 §2.1, §3.1). Resolves false for any signature that does not verify
 * (never rejects for one).
 */
export async function verifyJwsSignature(
  d: DecodedJws,
  key: DidKeyPublicKey | JwsPublicKey,
  ed25519?: JwsSignatureVerifier,
): Promise<boolean> {
  const alg = d.header.alg as string;
  const a = (JWS_ALGORITHMS as Record<string, (typeof JWS_ALGORITHMS)[JwsAlgorithm]>)[alg];
  const k = toJwsKey(key);
  if (!a || !k || a.keyType !== k.type) return false;
  if (k.jwk.alg !== undefined && k.jwk.alg !== alg) return false;
  // RFC 7518 §3.4 / RFC 8037 §3.1: fixed-length signatures (R || S; Ed25519 64 bytes).
  if (a.coordinateLength !== undefined && d.signature.length !== 2 * a.coordinateLength) return false;
  if (ed25519 && k.type === "Ed25519") return await ed25519("EdDSA", d.signature, d.signingInput, k);
  try {
    await compactVerify(d.raw, await importKey(alg as JwsAlgorithm, k.jwk), { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}

/** Signs a JWS signing input (its ASCII bytes); sync (node:crypto) or async (WebCrypto, noble). */
export type JwsSign = (signingInput: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** base64url of a header or payload's JSON text (RFC 7515 §7.1). */
export function encodeJwsSegment(value: object | string): string {
  return toBase64Url(utf8(typeof value === "string" ? value : JSON.stringify(value)));
}

/** The compact JWS `input.base64url(signature)` for a signing input already built. */
export function compactJws(signingInput: string, signature: Uint8Array): string {
  return `${signingInput}.${toBase64Url(signature)}`;
}

/**
 * Compact JWS (RFC 7515 §7.1) of `payload` under `header`. With a key (a WebCrypto CryptoKey, or
 * a node:crypto KeyObject), through jose's `CompactSign`; with a `sign` function (a key jose
 * cannot hold: noble in a browser without WebCrypto Ed25519, a hardware or remote signer), the
 * same bytes built here. Both write `JSON.stringify` of header and payload, so one token has one
 * encoding whichever signs it.
 */
export async function signJws(
  header: JsonObject,
  payload: JsonObject,
  signer: JwsSign | CryptoKey | Parameters<CompactSign["sign"]>[0],
): Promise<string> {
  if (typeof signer !== "function") {
    return await new CompactSign(utf8(JSON.stringify(payload)))
      .setProtectedHeader(header as Parameters<CompactSign["setProtectedHeader"]>[0])
      .sign(signer);
  }
  const input = `${encodeJwsSegment(header)}.${encodeJwsSegment(payload)}`;
  return compactJws(input, await signer(utf8(input)));
}
