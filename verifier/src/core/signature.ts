// JWS signature verification against the signer's DID (RFC 7515 §5.2, RFC 8037 §3.1), through
// core's verifyJwsSignature with the context's Ed25519 (node:crypto on the server, noble in the browser).
import { verifyJwsSignature as verifyWithKey, type JwsSignatureVerifier } from "@meritlog/core";
import type { VerifyContext } from "./context.js";
import type { DecodedJwt } from "./jose.js";
import { checkHeader } from "./jose.js";
import type { Check } from "./report.js";
import { check } from "./report.js";
import type { Resolution } from "./did-resolver.js";
import { resolveDid, selectKey } from "./did-resolver.js";

export interface SignatureOutcome {
  check: Check;
  resolution?: Resolution;
  kid?: string;
}

/** Verifies `d`'s signature with the key of `signerDid`, obtained only by resolving that DID. */
export async function verifyJwsSignature(
  d: DecodedJwt,
  signerDid: unknown,
  ctx: VerifyContext,
  what = "credential",
): Promise<SignatureOutcome> {
  const problem = checkHeader(d.header);
  if (problem) return { check: check(false, problem.code, problem.message) };
  if (typeof signerDid !== "string" || signerDid.length === 0 || signerDid.length > 2048) {
    return { check: check(false, "signature.no_issuer", `The ${what} does not name its signer ("iss").`) };
  }
  const resolution = await resolveDid(signerDid, ctx);
  if (resolution.ok !== true) {
    return {
      check: check(
        resolution.ok,
        resolution.code.replace(/^issuer\./, "signature."),
        `The signing key could not be obtained: ${resolution.message}`,
      ),
      resolution,
    };
  }
  const sel = selectKey(signerDid, resolution.keys, d.header.kid, d.header.jwk);
  if (!sel.ok) return { check: check(false, sel.code, sel.message), resolution };
  if (d.signature.length !== 64) {
    return {
      check: check(
        false,
        "signature.invalid",
        `The ${what}'s signature is not an Ed25519 signature (64 bytes).`,
      ),
      resolution,
    };
  }
  let valid: boolean;
  try {
    const ed25519: JwsSignatureVerifier = (_alg, sig, msg, key) =>
      ctx.ed25519.verify(sig, msg, key.publicKey);
    valid = await verifyWithKey(d, { type: "Ed25519", publicKey: sel.key.publicKey }, ed25519);
  } catch {
    valid = false;
  }
  return valid
    ? {
        check: check(
          true,
          "signature.valid",
          `The ${what} is signed by ${signerDid} and has not been changed since.`,
          { kid: sel.key.id },
        ),
        resolution,
        kid: sel.key.id,
      }
    : {
        check: check(
          false,
          "signature.invalid",
          `The ${what}'s signature does not match: it was changed after signing or signed by another key.`,
        ),
        resolution,
      };
}
