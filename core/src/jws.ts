// JOSE for every JWS meritlog reads or writes (VC-JWTs, VP-JWTs, OpenID4VCI key proofs, status-list
// JWTs, holder proofs): RFC 7515 compact serialisation, read by ONE strict reader with the header
// rules stated once, and signature verification through panva's `jose` (WebCrypto, browser and
// Node) unless the caller hands in a faster verifier for the same algorithm (node:crypto on the
// server hot path). Every parse failure is a CoreError with a stable code; no SyntaxError escapes.
// A signature that does not verify is a result (`false`), never an exception.
import { flattenedVerify, importJWK } from "jose";
import { toBase64Url, tryFromBase64Url, tryUtf8Decode, utf8 } from "./bytes.js";
import type { DidKeyPublicKey, DidKeyType } from "./did-key.js";
import { CoreError } from "./errors.js";

export type JsonObject = Record<string, unknown>;

/**
 * The JWS algorithms meritlog knows, as a table: each names its JWK key type (RFC 7517 §4,
 * RFC 8037 §2) and the did:key key type it verifies with. EdDSA with Ed25519 (RFC 8037 §3.1) is
 * the only entry today; a new algorithm is a new row here plus its verifier, nothing else.
 */
export const JWS_ALGORITHMS = {
  EdDSA: { kty: "OKP", crv: "Ed25519", keyType: "Ed25519" as DidKeyType, signatureLength: 64 },
} as const;

export type JwsAlgorithm = keyof typeof JWS_ALGORITHMS;

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

function parseJsonObject(
  bytes: Uint8Array,
  code: "jws.header_json" | "jws.payload_json",
  what: string,
): JsonObject {
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
  const header = parseJsonObject(h, "jws.header_json", "token header");
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
}

/** Open Badges 3.0 §8.2 VC-JWTs and VP-JWTs: EdDSA, only alg, kid or jwk, typ "JWT" if present. */
export const CREDENTIAL_HEADER_RULES: JwsHeaderRules = {
  algorithms: ["EdDSA"],
  members: ["alg", "kid", "jwk", "typ"],
  typ: ["JWT"],
  typRequired: false,
};

/** Codes of {@link JwsHeaderProblem}. */
export type JwsHeaderProblemCode =
  "jws.alg_not_allowed" | "jws.header_member" | "jws.typ" | "jws.kid_invalid" | "jws.jwk_invalid";
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
      message: `The token uses algorithm "${shown}"; only ${rules.algorithms.join(", ")} is accepted.`,
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
  if (header.kid !== undefined && typeof header.kid !== "string")
    return { code: "jws.kid_invalid", message: `The token header "kid" is not a string.` };
  if (
    header.jwk !== undefined &&
    (header.jwk === null || typeof header.jwk !== "object" || Array.isArray(header.jwk))
  ) {
    return { code: "jws.jwk_invalid", message: `The token header "jwk" is not a JSON object.` };
  }
  return undefined;
}

/** The public key of a public JWK of a type in {@link JWS_ALGORITHMS} (RFC 8037 §2), or undefined. */
export function publicKeyFromJwk(jwk: unknown): DidKeyPublicKey | undefined {
  if (jwk === null || typeof jwk !== "object" || Array.isArray(jwk)) return undefined;
  const j = jwk as JsonObject;
  if (j.d !== undefined) return undefined; // a private key never belongs in a header
  for (const a of Object.values(JWS_ALGORITHMS)) {
    if (j.kty !== a.kty || j.crv !== a.crv || typeof j.x !== "string") continue;
    const x = tryFromBase64Url(j.x);
    return x && x.length === 32 ? { type: a.keyType, publicKey: x } : undefined;
  }
  return undefined;
}

/** A public JWK (RFC 8037 §2) of a key. @throws CoreError key.invalid for a key type no algorithm uses */
export function jwkFromPublicKey(key: DidKeyPublicKey): JsonObject {
  const a = Object.values(JWS_ALGORITHMS).find((x) => x.keyType === key.type);
  if (!a) throw new CoreError("key.invalid", `No JWS algorithm here uses ${key.type} keys.`);
  return { kty: a.kty, crv: a.crv, x: toBase64Url(key.publicKey) };
}

/** Verifies `signature` over `message` with `key` for `alg`; a faster stand-in for jose's WebCrypto path. */
export type JwsSignatureVerifier = (
  alg: JwsAlgorithm,
  signature: Uint8Array,
  message: Uint8Array,
  key: DidKeyPublicKey,
) => boolean | Promise<boolean>;

/**
 * Verifies a decoded JWS's signature with `key`: with `verifier` if given, else through `jose`.
 * Only after {@link checkJwsHeader} passed; the algorithm must fit the key type.
 * Resolves false for any signature that does not verify (never rejects for one).
 */
export async function verifyJwsSignature(
  d: DecodedJws,
  key: DidKeyPublicKey,
  verifier?: JwsSignatureVerifier,
): Promise<boolean> {
  const alg = d.header.alg as string;
  const a = (JWS_ALGORITHMS as Record<string, (typeof JWS_ALGORITHMS)[JwsAlgorithm]>)[alg];
  if (!a || a.keyType !== key.type || d.signature.length !== a.signatureLength) return false;
  if (verifier) return await verifier(alg as JwsAlgorithm, d.signature, d.signingInput, key);
  const [protectedHeader, payload, signature] = d.raw.split(".") as [string, string, string];
  try {
    const cryptoKey = await importJWK({ ...jwkFromPublicKey(key), alg }, alg);
    await flattenedVerify({ protected: protectedHeader, payload, signature }, cryptoKey, {
      algorithms: [alg],
    });
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

/** Compact JWS (RFC 7515 §7.1) of `payload` under `header`, signed by `sign`. */
export async function signJws(header: JsonObject, payload: JsonObject, sign: JwsSign): Promise<string> {
  const input = `${encodeJwsSegment(header)}.${encodeJwsSegment(payload)}`;
  return compactJws(input, await sign(utf8(input)));
}
