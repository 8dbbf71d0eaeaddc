// Strict JOSE decoding for VC-JWTs and VP-JWTs (RFC 7515 compact serialisation, RFC 7519).
// Every failure is a VerifierError with a stable code; no SyntaxError escapes.
import { VerifierError } from "../errors.js";
import { base64urlDecode } from "./base64url.js";

/** Upper bound on a credential JWT (characters). Large enough for embedded images and evidence. */
export const MAX_CREDENTIAL_JWT_LENGTH = 256 * 1024;
/** Upper bound on a presentation JWT, which embeds several credentials. */
export const MAX_PRESENTATION_JWT_LENGTH = 1024 * 1024;

export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  /** ASCII bytes of `<header>.<payload>`, the JWS signing input (RFC 7515 §5.1). */
  signingInput: Uint8Array;
  signature: Uint8Array;
  /** The token as given. */
  raw: string;
}

const textDecoder = new TextDecoder("utf-8", { fatal: true });
const asciiEncoder = new TextEncoder();

function parseJsonObject(bytes: Uint8Array, code: "jwt.header_json" | "jwt.payload_json", what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(textDecoder.decode(bytes));
  } catch (cause) {
    throw new VerifierError(code, `The ${what} is not valid UTF-8 JSON.`, { cause });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new VerifierError(code, `The ${what} is not a JSON object.`);
  }
  return value as JsonObject;
}

/**
 * Decodes a compact JWS without verifying it.
 * @throws VerifierError jwt.too_large, jwt.segments, jwt.{header,payload,signature}_base64, jwt.{header,payload}_json
 */
export function decodeJwt(jwt: string, maxLength = MAX_CREDENTIAL_JWT_LENGTH): DecodedJwt {
  if (typeof jwt !== "string") throw new VerifierError("jwt.segments", "The token is not a string.");
  if (jwt.length > maxLength) throw new VerifierError("jwt.too_large", `The token is longer than ${maxLength} characters.`);
  const first = jwt.indexOf(".");
  const second = first < 0 ? -1 : jwt.indexOf(".", first + 1);
  if (first < 0 || second < 0 || jwt.indexOf(".", second + 1) >= 0) {
    throw new VerifierError("jwt.segments", "The token does not have exactly three dot-separated parts (header.payload.signature).");
  }
  const h = base64urlDecode(jwt.slice(0, first));
  if (!h || h.length === 0) throw new VerifierError("jwt.header_base64", "The token header is not valid base64url.");
  const p = base64urlDecode(jwt.slice(first + 1, second));
  if (!p || p.length === 0) throw new VerifierError("jwt.payload_base64", "The token payload is not valid base64url.");
  const s = base64urlDecode(jwt.slice(second + 1));
  if (!s) throw new VerifierError("jwt.signature_base64", "The token signature is not valid base64url.");
  const header = parseJsonObject(h, "jwt.header_json", "token header");
  const payload = parseJsonObject(p, "jwt.payload_json", "token payload");
  // The signing input is ASCII (the base64url alphabet and "."), already checked above.
  const signingInput = asciiEncoder.encode(jwt.slice(0, second));
  return { header, payload, signingInput, signature: s, raw: jwt };
}

/** Header members allowed by Open Badges 3.0 §8.2 (JOSE header: alg, kid or jwk, typ). */
const ALLOWED_HEADER = new Set(["alg", "kid", "jwk", "typ"]);

export type HeaderProblem = { code: string; message: string };

/**
 * Checks the JOSE header against our rules: only EdDSA (RFC 8037 §3.1), only the OB3 members,
 * typ "JWT" if present. Returns the first problem or undefined.
 */
export function checkHeader(header: JsonObject): HeaderProblem | undefined {
  const alg = header.alg;
  if (alg !== "EdDSA") {
    // "none" (RFC 7518 §3.6) and HMAC (§3.2) are the classic algorithm-confusion attacks;
    // anything but EdDSA is refused before a key is even looked at.
    const shown = typeof alg === "string" ? alg.slice(0, 20) : typeof alg;
    return { code: "signature.alg_not_allowed", message: `The token uses algorithm "${shown}"; only EdDSA (Ed25519) is accepted.` };
  }
  for (const k of Object.keys(header)) {
    if (!ALLOWED_HEADER.has(k)) {
      return { code: "signature.header_member", message: `The token header has a member "${k.slice(0, 40)}" that is not allowed (only alg, kid, jwk, typ).` };
    }
  }
  if (header.typ !== undefined && header.typ !== "JWT") {
    return { code: "signature.typ", message: `The token header "typ" must be "JWT" when present.` };
  }
  if (header.kid !== undefined && typeof header.kid !== "string") {
    return { code: "signature.kid_invalid", message: `The token header "kid" is not a string.` };
  }
  if (header.jwk !== undefined && (header.jwk === null || typeof header.jwk !== "object" || Array.isArray(header.jwk))) {
    return { code: "signature.jwk_invalid", message: `The token header "jwk" is not a JSON object.` };
  }
  return undefined;
}

/** The Ed25519 public key of an OKP JWK (RFC 8037 §2), or undefined if it is not one. */
export function publicKeyFromJwk(jwk: unknown): Uint8Array | undefined {
  if (jwk === null || typeof jwk !== "object") return undefined;
  const j = jwk as JsonObject;
  if (j.kty !== "OKP" || j.crv !== "Ed25519" || typeof j.x !== "string" || j.d !== undefined) return undefined;
  const x = base64urlDecode(j.x);
  return x && x.length === 32 ? x : undefined;
}
