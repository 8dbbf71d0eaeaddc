// The coAuthorship check (issue 14; docs/API.md "Provenance"): an MPU authorship credential of a
// co-authored MPU carries every author's compact JWS over the MPU statement. Checked offline from
// the credential alone: each JWS is by the did:key of a listed author (RFC 7515 §5.2 with the key
// the DID encodes), its payload is the statement rebuilt from the credential (RFC 8785 form), every
// listed author signed, and nobody else did. With a fetcher that reads this service's log, each
// named `cosign` entry is also cross-checked: it exists (inclusion proof to a trusted checkpoint),
// records the SHA-256 of that author's very JWS and of this statement, and this issuer.
import { canonicalJson, mpuStatement, mpuStatementText, type MpuCredentialPart } from "@meritlog/schemas";
import { withTimeout, type VerifyContext } from "./context.js";
import { provenEntry } from "./anchoring.js";
import { sha256Hex } from "./digest.js";
import { checkHeader, decodeJwt, type JsonObject } from "./jose.js";
import { publicKeyFromDidKey } from "./did-key.js";
import type { Check } from "./report.js";
import { check } from "./report.js";

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

interface HeldSignature {
  author: string;
  jws: string;
  leafIndex: unknown;
}

/**
 * Reads each held co-signature's named log entry and compares it (issue 14: `cosign` entries carry
 * no DID, so the entry is tied to the author through the digest of the author's own JWS).
 * Undefined when the context cannot read the log.
 */
async function entryFindings(
  held: HeldSignature[],
  statement: string,
  issuerDid: string,
  ctx: VerifyContext,
): Promise<{ mismatch: string[]; unavailable: string[]; leaves: number[] } | undefined> {
  const read = ctx.fetcher?.logEntry;
  if (!read) return undefined;
  const statementDigest = sha256Hex(statement, ctx);
  const out = { mismatch: [] as string[], unavailable: [] as string[], leaves: [] as number[] };
  await Promise.all(
    held.map(async ({ author, jws, leafIndex }) => {
      const who = `${author.slice(0, 60)}…`;
      if (typeof leafIndex !== "number" || !Number.isSafeInteger(leafIndex) || leafIndex < 0)
        return void out.mismatch.push(`the co-signature of ${who} names no log entry`);
      let receipt: unknown;
      try {
        receipt = await withTimeout(ctx, "log entry fetch", () => read.call(ctx.fetcher, leafIndex));
      } catch {
        return void out.unavailable.push(`log entry ${leafIndex} could not be read`);
      }
      const proven = provenEntry(receipt, ctx);
      if (proven.ok === "unknown") return void out.unavailable.push(`log entry ${leafIndex}: ${proven.why}`);
      if (proven.ok !== true) return void out.mismatch.push(`log entry ${leafIndex}: ${proven.why}`);
      const e = proven.entry;
      if (
        e.kind !== "cosign" ||
        e.event !== undefined ||
        e.digest !== sha256Hex(jws, ctx) ||
        e.statement !== statementDigest ||
        e.issuer !== issuerDid
      )
        return void out.mismatch.push(`log entry ${leafIndex} does not record the co-signature of ${who}`);
      out.leaves.push(leafIndex);
    }),
  );
  out.leaves.sort((x, y) => x - y);
  return out;
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
  const held: HeldSignature[] = [];
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
  const found =
    problems.length + extra.length === 0 ? await entryFindings(held, statement, issuerDid, ctx) : undefined;
  const detail = {
    signed: signed.size,
    of: authors.length,
    missing,
    // Whether the named `cosign` log entries were read and matched: "verified", or "not-checked" offline.
    entries: found && found.mismatch.length + found.unavailable.length === 0 ? "verified" : "not-checked",
    ...(found ? { leaves: found.leaves } : {}),
  };
  if (problems.length > 0)
    return check(
      false,
      "coAuthorship.invalid_signature",
      `A co-signature of this MPU does not hold (${problems[0]}); the co-authorship it claims is not established.`,
      { ...detail, problems },
    );
  if (extra.length > 0)
    return check(
      false,
      "coAuthorship.extra_signer",
      `This MPU carries a co-signature by someone who is not one of its listed authors (${extra.length}).`,
      { ...detail, extra },
    );
  if (found && found.mismatch.length > 0)
    return check(
      false,
      "coAuthorship.entry_mismatch",
      `A co-signature is not recorded in the log where the credential says (${found.mismatch[0]}); the co-authorship it claims is not established.`,
      { ...detail, problems: found.mismatch },
    );
  if (missing.length > 0)
    return check(
      false,
      "coAuthorship.incomplete",
      `Co-signed by ${signed.size} of ${authors.length} authors; ${missing.length} listed author${missing.length === 1 ? " has" : "s have"} not signed.`,
      detail,
    );
  if (found && found.unavailable.length > 0)
    return check(
      "unknown",
      "coAuthorship.entries_unavailable",
      `Co-signed by ${signed.size} of ${authors.length} authors, but the log entries of the signatures could not be checked (${found.unavailable[0]}).`,
      { ...detail, problems: found.unavailable },
    );
  return check(
    true,
    "coAuthorship.complete",
    `Co-signed by ${signed.size} of ${authors.length} authors: every listed author signed this MPU's statement, and nobody else did${
      found
        ? `; each signature is recorded in the log (entries ${found.leaves.join(", ")})`
        : " (the log entries were not checked)"
    }.`,
    detail,
  );
}
