// JWS signature verification against the signer's keys (RFC 7515 §5.2), through @meritlog/core's
// verifyJwsSignature: jose for ES256, ES384 and RS256 (and EdDSA in the browser), the context's
// Ed25519 (node:crypto on the server) for EdDSA. The key comes only from the signer's identifier:
// its DID (did:key, did:jwk, did:web) or, for an https issuer, an https `kid` on its own origin.
import { verifyJwsSignature as verifyWithKey, type JwsSignatureVerifier } from "@meritlog/core";
import type { VerifyContext } from "./context.js";
import type { DecodedJwt } from "./jose.js";
import { checkHeader } from "./jose.js";
import type { Check } from "./report.js";
import { check } from "./report.js";
import { say } from "./report-messages.js";
import type { Resolution } from "./did-resolver.js";
import { resolveDid, resolveHttpsKid, selectKey } from "./did-resolver.js";

export interface SignatureOutcome {
  check: Check;
  resolution?: Resolution;
  kid?: string;
}

/** Verifies `d`'s signature with a key of `signerDid`, obtained only by resolving that identifier. */
export async function verifyJwsSignature(
  d: DecodedJwt,
  signerDid: unknown,
  ctx: VerifyContext,
  what = "credential",
): Promise<SignatureOutcome> {
  const problem = checkHeader(d.header, what === "presentation" ? "presentation" : "credential");
  if (problem)
    return {
      check: check(
        false,
        problem.code,
        say(problem.message, "signature.header", { detail: problem.message }),
      ),
    };
  if (typeof signerDid !== "string" || signerDid.length === 0 || signerDid.length > 2048) {
    return {
      check: check(
        false,
        "signature.no_issuer",
        say(`The ${what} does not name its signer ("iss").`, "signature.no_issuer", { what }),
      ),
    };
  }
  const kid = d.header.kid;
  const resolution =
    signerDid.startsWith("https://") && typeof kid === "string" && kid.startsWith("https://")
      ? await resolveHttpsKid(signerDid, kid, ctx)
      : await resolveDid(signerDid, ctx);
  if (resolution.ok !== true) {
    return {
      check: check(
        resolution.ok,
        resolution.code.replace(/^issuer\./, "signature."),
        say(`The signing key could not be obtained: ${resolution.message}`, "signature.key_unavailable", {
          detail: resolution.message,
        }),
      ),
      resolution,
    };
  }
  const sel = selectKey(signerDid, resolution.keys, kid, d.header.jwk);
  if (!sel.ok)
    return {
      check: check(false, sel.code, say(sel.message, "signature.key_not_selected", { detail: sel.message })),
      resolution,
    };
  let valid: boolean;
  try {
    const ed25519: JwsSignatureVerifier = (_alg, sig, msg, key) =>
      ctx.ed25519.verify(sig, msg, key.publicKey);
    valid = await verifyWithKey(d, sel.key.key, ed25519);
  } catch {
    valid = false;
  }
  return valid
    ? {
        check: check(
          true,
          "signature.valid",
          say(`The ${what} is signed by ${signerDid} and has not been changed since.`, "signature.valid", {
            what,
            signer: signerDid,
          }),
          {
            kid: sel.key.id,
            alg: d.header.alg,
          },
        ),
        resolution,
        kid: sel.key.id,
      }
    : {
        check: check(
          false,
          "signature.invalid",
          say(
            `The ${what}'s signature does not match: it was changed after signing, signed by another key, or its algorithm (${String(d.header.alg).slice(0, 10)}) does not fit the key (${sel.key.key.type}).`,
            "signature.invalid",
            {
              what,
              alg: String(d.header.alg).slice(0, 10),
              keyType: sel.key.key.type,
            },
          ),
        ),
        resolution,
      };
}
