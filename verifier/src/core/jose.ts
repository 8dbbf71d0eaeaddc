// JOSE for VC-JWTs, VP-JWTs and status-list JWTs through the one strict reader of @meritlog/core
// (RFC 7515 compact serialisation, header rules of Open Badges 3.0 §8.2 and VC-JOSE-COSE); this module only turns
// core's codes into the verifier's (jws.* → jwt.* for decoding, signature.* for the header).
import {
  CREDENTIAL_HEADER_RULES,
  PRESENTATION_HEADER_RULES,
  checkJwsHeader,
  decodeJws,
  isCoreError,
  type DecodedJws,
  type JsonObject,
} from "@meritlog/core";
import { VerifierError, type VerifierErrorCode } from "../errors.js";

/** Upper bound on a credential JWT (characters). Large enough for embedded images and evidence. */
export const MAX_CREDENTIAL_JWT_LENGTH = 256 * 1024;
/** Upper bound on a presentation JWT, which embeds several credentials. */
export const MAX_PRESENTATION_JWT_LENGTH = 1024 * 1024;

export type { JsonObject };
export type DecodedJwt = DecodedJws;

/**
 * Decodes a compact JWS without verifying it.
 * @throws VerifierError jwt.too_large, jwt.segments, jwt.{header,payload,signature}_base64, jwt.{header,payload}_json
 */
export function decodeJwt(jwt: string, maxLength = MAX_CREDENTIAL_JWT_LENGTH): DecodedJwt {
  try {
    return decodeJws(jwt, maxLength);
  } catch (e) {
    if (isCoreError(e))
      throw new VerifierError(e.code.replace(/^jws\./, "jwt.") as VerifierErrorCode, e.message, { cause: e });
    throw e;
  }
}

export type HeaderProblem = { code: string; message: string };

/**
 * Checks the JOSE header against core's rules for credentials (EdDSA, ES256, ES384, RS256; OB 3.0
 * §8.2 members; typ "JWT" or "vc+jwt", cty "vc") or presentations (typ "JWT" or "vp+jwt", cty
 * "vp"), VC-JOSE-COSE §3.1. The first problem, or undefined.
 */
export function checkHeader(
  header: JsonObject,
  kind: "credential" | "presentation" = "credential",
): HeaderProblem | undefined {
  const p = checkJwsHeader(
    header,
    kind === "presentation" ? PRESENTATION_HEADER_RULES : CREDENTIAL_HEADER_RULES,
  );
  return p && { code: p.code.replace(/^jws\./, "signature."), message: p.message };
}
