// The log side of the coAuthorship check (issue 14; docs/API.md "Provenance"): each co-signature a
// co-authored MPU credential carries names its `cosign` log entry. The entry must exist (its
// inclusion proof leads to a checkpoint signed by a trusted key, RFC 9162 §2.1.3.2), record the
// SHA-256 of that author's very JWS and of this statement, and this issuer. Server-side only (the
// verifier routes pass it as `VerifyContext.coSignatureEntries`), so the browser bundles stay small.
import { withTimeout, type HeldCoSignature, type Receipt, type VerifyContext } from "./core/context.js";
import { check, type Check } from "./core/report.js";
import { say, type Said, type Sentence } from "./core/report-messages.js";
import { provenEntry } from "./core/anchoring.js";
import { sha256Hex } from "./core/digest.js";

/** What reading the named entries found: refuting problems, unreadable entries, matching leaves. */
interface Findings {
  mismatch: string[];
  unavailable: string[];
  leaves: number[];
}

/** Reads each held co-signature's named log entry and compares it (`cosign` entries carry no DID: the
 * entry is tied to the author through the digest of the author's own JWS). */
async function findings(
  read: (leafIndex: number) => Promise<Receipt>,
  held: HeldCoSignature[],
  statement: string,
  issuerDid: string,
  ctx: VerifyContext,
): Promise<Findings> {
  const statementDigest = sha256Hex(statement, ctx);
  const out: Findings = { mismatch: [], unavailable: [], leaves: [] };
  await Promise.all(
    held.map(async ({ author, jws, leafIndex }) => {
      const who = `${author.slice(0, 60)}…`;
      if (typeof leafIndex !== "number" || !Number.isSafeInteger(leafIndex) || leafIndex < 0)
        return void out.mismatch.push(`the co-signature of ${who} names no log entry`);
      let receipt: unknown;
      try {
        receipt = await withTimeout(ctx, "log entry fetch", () => read(leafIndex));
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
 * The coAuthorship check refined by the named `cosign` entries (`VerifyContext.coSignatureEntries`):
 * an entry that does not record its co-signature makes it `coAuthorship.entry_mismatch` (false);
 * an unreadable one leaves a complete check `unknown` (`coAuthorship.entries_unavailable`);
 * otherwise the check says which entries it read (`entries: "verified"`, `leaves`). Without a
 * fetcher that reads the log, the check is returned as it was (`entries: "not-checked"`).
 */
export async function checkCoSignatureEntries(
  base: Check,
  held: HeldCoSignature[],
  statement: string,
  issuerDid: string,
  ctx: VerifyContext,
): Promise<Check> {
  const read = ctx.fetcher?.logEntry;
  if (!read) return { ...base, entries: "not-checked" };
  const f = await findings((i) => read.call(ctx.fetcher, i), held, statement, issuerDid, ctx);
  const detail = { signed: base.signed, of: base.of, missing: base.missing };
  if (f.mismatch.length > 0)
    return check(
      false,
      "coAuthorship.entry_mismatch",
      say(
        `A co-signature is not recorded in the log where the credential says (${f.mismatch[0]}); the co-authorship it claims is not established.`,
        "coAuthorship.entry_mismatch",
        { detail: f.mismatch[0]! },
      ),
      { ...detail, entries: "mismatch", problems: f.mismatch },
    );
  if (f.unavailable.length > 0)
    return base.ok === true
      ? check(
          "unknown",
          "coAuthorship.entries_unavailable",
          said(
            `${base.message} The log entries of the signatures could not be checked (${f.unavailable[0]}).`,
            then(base, { code: "coAuthorship.entries_unavailable", params: { detail: f.unavailable[0]! } }),
          ),
          { ...detail, entries: "unavailable", problems: f.unavailable },
        )
      : { ...base, entries: "unavailable" };
  return {
    ...base,
    ...(base.ok === true
      ? {
          message: `${base.message} Each signature is recorded in the log (entries ${f.leaves.join(", ")}).`,
          sentences: then(base, {
            code: "coAuthorship.entries_recorded",
            params: { leaves: f.leaves.join(", ") },
          }),
        }
      : {}),
    entries: "verified",
    leaves: f.leaves,
  };
}

/** `base`'s sentences and one more; none when `base` has none (its English is then uncoded). */
function then(base: Check, next: Sentence): Sentence[] | undefined {
  return base.sentences ? [...base.sentences, next] : undefined;
}

const said = (text: string, sentences: Sentence[] | undefined): string | Said =>
  sentences ? { text, sentences } : text;
