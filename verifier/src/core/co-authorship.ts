// The coAuthorship check (issue 14; docs/API.md "Provenance"): an MPU authorship credential of a
// co-authored MPU carries every author's compact JWS over the MPU statement. Checked offline from
// the credential alone: each JWS is by the did:key of a listed author (RFC 7515 §5.2 with the key
// the DID encodes), its payload is the statement rebuilt from the credential (RFC 8785 form), every
// listed author signed, and nobody else did. Where the context can read the log
// (`coSignatureEntries`, the server's verifier), each named `cosign` entry is cross-checked too.
import { canonicalJson, mpuStatement, mpuStatementText, type MpuCredentialPart } from "@meritlog/schemas";
import type { HeldCoSignature, VerifyContext } from "./context.js";
import { checkHeader, decodeJwt, type JsonObject } from "./jose.js";
import { publicKeyFromDidKey } from "./did-key.js";
import type { Check } from "./report.js";
import { check } from "./report.js";
import { say } from "./report-messages.js";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Why one co-signature does not hold, or undefined when it does. */
async function signatureProblem(
  jws: unknown,
  author: string,
  statement: string,
  ctx: VerifyContext,
): Promise<string | undefined> {
  if (typeof jws !== "string") return "its signature is missing";
  let d;
  try {
    d = decodeJwt(jws, 16 * 1024);
  } catch {
    return "its signature is not a readable JWS";
  }
  if (checkHeader(d.header)) return "its signature header is not an EdDSA JWS header";
  const kid = d.header.kid;
  if (typeof kid !== "string" || !kid.startsWith(`${author}#`)) return "its signature names another key";
  let key: Uint8Array;
  try {
    key = publicKeyFromDidKey(author);
  } catch {
    return "the author is not an Ed25519 did:key";
  }
  if (d.signature.length !== 64) return "its signature is not an Ed25519 signature";
  let valid: boolean;
  try {
    valid = await ctx.ed25519.verify(d.signature, d.signingInput, key);
  } catch {
    valid = false;
  }
  if (!valid) return "its signature does not hold";
  if (canonicalJson(d.payload) !== statement) return "it signed a different statement";
  return undefined;
}

/**
 * The coAuthorship check of an MPU authorship credential with `credentialSubject.mpu.coSignatures`;
 * undefined for any other credential (single-author MPUs keep the report they had).
 */
export async function checkCoAuthorship(
  credential: JsonObject,
  issuerDid: string,
  ctx: VerifyContext,
): Promise<Check | undefined> {
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  if (!types.includes("MPUAuthorship")) return undefined;
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : undefined;
  const mpu = subject && isObject(subject.mpu) ? subject.mpu : undefined;
  if (!mpu || mpu.coSignatures === undefined) return undefined;
  const authors = (Array.isArray(mpu.authors) ? mpu.authors : [])
    .filter(isObject)
    .map((a) => a.id)
    .filter((a): a is string => typeof a === "string");
  const sigs = (Array.isArray(mpu.coSignatures) ? mpu.coSignatures : []).slice(0, 200);
  const statement = mpuStatementText(mpuStatement(mpu as unknown as MpuCredentialPart, issuerDid));
  const signed = new Set<string>();
  const held: HeldCoSignature[] = [];
  const problems: string[] = [];
  const extra: string[] = [];
  for (const [i, s] of sigs.entries()) {
    const author = isObject(s) && typeof s.author === "string" ? s.author : undefined;
    if (author === undefined) {
      problems.push(`co-signature ${i + 1} names no author`);
      continue;
    }
    if (!authors.includes(author)) {
      extra.push(author);
      continue;
    }
    if (signed.has(author)) {
      problems.push(`${author.slice(0, 60)}… is listed twice`);
      continue;
    }
    const why = await signatureProblem((s as Record<string, unknown>).jws, author, statement, ctx);
    if (why) problems.push(`the co-signature of ${author.slice(0, 60)}…: ${why}`);
    else {
      signed.add(author);
      held.push({
        author,
        jws: (s as Record<string, unknown>).jws as string,
        leafIndex: (s as Record<string, unknown>).leafIndex,
      });
    }
  }
  const missing = authors.filter((a) => !signed.has(a));
  const detail = { signed: signed.size, of: authors.length, missing };
  if (problems.length > 0)
    return check(
      false,
      "coAuthorship.invalid_signature",
      say(
        `A co-signature of this MPU does not hold (${problems[0]!}); the co-authorship it claims is not established.`,
        "coAuthorship.invalid_signature",
        { detail: problems[0]! },
      ),
      { ...detail, problems },
    );
  if (extra.length > 0)
    return check(
      false,
      "coAuthorship.extra_signer",
      say(
        `This MPU carries a co-signature by someone who is not one of its listed authors (${extra.length}).`,
        "coAuthorship.extra_signer",
        { extra: extra.length },
      ),
      { ...detail, extra },
    );
  const base =
    missing.length > 0
      ? check(
          false,
          "coAuthorship.incomplete",
          missing.length === 1
            ? say(
                `Co-signed by ${signed.size} of ${authors.length} authors; ${missing.length} listed author has not signed.`,
                "coAuthorship.incomplete.one",
                { signed: signed.size, of: authors.length, missing: missing.length },
              )
            : say(
                `Co-signed by ${signed.size} of ${authors.length} authors; ${missing.length} listed authors have not signed.`,
                "coAuthorship.incomplete",
                { signed: signed.size, of: authors.length, missing: missing.length },
              ),
          detail,
        )
      : check(
          true,
          "coAuthorship.complete",
          say(
            `Co-signed by ${signed.size} of ${authors.length} authors: every listed author signed this MPU's statement, and nobody else did.`,
            "coAuthorship.complete",
            { signed: signed.size, of: authors.length },
          ),
          detail,
        );
  // The signatures hold; where the log can be read, their named entries must record them too.
  return (await ctx.coSignatureEntries?.(base, held, statement, issuerDid, ctx)) ?? base;
}
