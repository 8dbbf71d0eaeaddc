/**
 * Endorsements (issue 14; docs/API.md "Provenance"): an issuer (a review panel, a community, a
 * local co-validator) endorses a credential or an artifact with an Open Badges 3.0
 * EndorsementCredential (OB 3.0 §B.1.8; its subject an EndorsementSubject, §B.1.9, with
 * `endorsementComment`), anchored and stored like any credential, so it can be suspended or
 * revoked through `POST /v1/credentials/{id}/status`.
 *
 * `issueEndorsement` is the reusable part: it also serves feedback addressed to a holder (the
 * subject is then the holder's DID, and the log entry is a plain `issue` entry, since the log
 * never carries a holder's DID).
 */
import {
  NO_CONVERSION,
  OB3_CONTEXT_URL,
  MERITLOG_CONTEXT_URL,
  VC2_CONTEXT_URL,
  assertClaims,
  assertDates,
  endorsementRequestSchema,
  feedbackRequestSchema,
  parseInput,
  type ReviewLevel,
} from "@meritlog/schemas";
import { toBase64Url, tryFromHex } from "@meritlog/core";
import { anchorEntry, isoSeconds, sha256Hex, sriHex, type Receipt } from "./anchors.js";
import type { ServiceContext } from "./context.js";
import { IssuerError } from "./errors.js";
import { uuidv7 } from "./ids.js";
import { issueResult, type IssueResult } from "./issuance.js";
import type { CredentialRecord } from "./records.js";

/** What is endorsed: a credential of this service, an artifact (hex SHA-256), or a holder (feedback). */
export type EndorsementTarget =
  | { kind: "credential"; id: string }
  | { kind: "artifact"; digest: string }
  /** `about`: the holder's credential the feedback is on (named as the work reviewed, `evidence`). */
  | { kind: "holder"; did: string; about?: string };

export interface EndorsementInput {
  target: EndorsementTarget;
  /** The endorsement's words (OB 3.0 `endorsementComment`). */
  comment: string;
  reviewLevel?: ReviewLevel;
  validFrom?: string;
  validUntil?: string;
  /** The credential's `name`; a sentence naming the target by default. */
  name?: string;
}

/**
 * RFC 6920 §3 `ni` URI of a SHA-256 digest (`ni:///sha-256;<base64url>`): an artifact as a
 * credential subject `id`, which VC Data Model 2.0 §4.4 wants to be a URL.
 */
export function artifactUri(hexDigest: string): string {
  return `ni:///sha-256;${toBase64Url(tryFromHex(hexDigest)!)}`;
}

function subjectId(t: EndorsementTarget): string {
  return t.kind === "credential" ? t.id : t.kind === "artifact" ? artifactUri(t.digest) : t.did;
}

/** The unsigned OB 3.0 EndorsementCredential (pure; the caller supplies id, issuer, times and status). */
export function buildEndorsementCredential(
  input: EndorsementInput,
  o: {
    id: string;
    issuer: { id: string; name: string; url?: string };
    validFrom: string;
    credentialStatus: Record<string, unknown>[];
  },
): Record<string, unknown> {
  const what =
    input.target.kind === "credential"
      ? "a credential"
      : input.target.kind === "artifact"
        ? "an artifact"
        : "a learner's work";
  const cred: Record<string, unknown> = {
    "@context": [VC2_CONTEXT_URL, OB3_CONTEXT_URL, MERITLOG_CONTEXT_URL],
    id: o.id,
    type: ["VerifiableCredential", "EndorsementCredential"],
    issuer: {
      id: o.issuer.id,
      type: ["Profile"],
      name: o.issuer.name,
      ...(o.issuer.url ? { url: o.issuer.url } : {}),
    },
    validFrom: input.validFrom ?? o.validFrom,
    ...(input.validUntil !== undefined ? { validUntil: input.validUntil } : {}),
    name: input.name ?? `Endorsement of ${what} by ${o.issuer.name}`,
    credentialSubject: {
      id: subjectId(input.target),
      type: ["EndorsementSubject"],
      endorsementComment: input.comment,
      ...(input.reviewLevel !== undefined ? { reviewLevel: input.reviewLevel } : {}),
    },
  };
  // Feedback on a credential: VC Data Model 2.0 §5.6 `evidence` names the work reviewed, so the
  // learner's wallet can show it with that credential (the log entry never links the two).
  if (input.target.kind === "holder" && input.target.about !== undefined)
    cred.evidence = [
      { id: input.target.about, type: ["Evidence"], name: "The credential this feedback is about" },
    ];
  if (o.credentialStatus.length === 1) cred.credentialStatus = { ...o.credentialStatus[0] };
  else if (o.credentialStatus.length > 1) cred.credentialStatus = o.credentialStatus.map((s) => ({ ...s }));
  cred.termsOfUse = [{ ...NO_CONVERSION }];
  return cred;
}

/** OB 3.0 §8.2.4.1 VC-JWT claims of a credential: iss, sub, jti, nbf, exp. */
function jwtClaims(cred: Record<string, unknown>): Record<string, unknown> {
  const s = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000);
  return {
    ...cred,
    iss: (cred.issuer as { id: string }).id,
    sub: (cred.credentialSubject as { id: string }).id,
    jti: cred.id,
    nbf: s(cred.validFrom),
    ...(cred.validUntil !== undefined ? { exp: s(cred.validUntil) } : {}),
  };
}

/**
 * Issues an EndorsementCredential signed by `issuerId`, anchored (`endorse` entry naming the target;
 * a plain `issue` entry for a holder target), stored as a record that the lifecycle routes act on,
 * and indexed under its target. Resolves after the entry and the record are durable.
 * @throws SchemaError `claims.*` for a comment implying certification etc.; IssuerError `issuer.not_found`, `status.list_full`
 */
export async function issueEndorsement(
  ctx: ServiceContext,
  issuerId: string,
  input: EndorsementInput,
): Promise<IssueResult> {
  // The comment is the issuer's words about someone's work: the same naming rules as a credential's narrative.
  assertClaims({ criteria: { narrative: input.comment } });
  assertDates(input, ctx.now(), { backdated: true });
  const { record: issuer, signer } = await ctx.registry.signing(issuerId);
  const index = await ctx.statusLists.allocate(issuerId);
  let rec: CredentialRecord;
  try {
    const credentialStatus = ctx.statusLists.entries(issuerId, index);
    const now = ctx.now();
    const id = `urn:uuid:${uuidv7(now.getTime())}`;
    const at = isoSeconds(now);
    const cred = buildEndorsementCredential(input, {
      id,
      issuer: { id: issuer.did, name: issuer.name, ...(issuer.url ? { url: issuer.url } : {}) },
      validFrom: at,
      credentialStatus: credentialStatus as unknown as Record<string, unknown>[],
    });
    const jwt = signer.sign(jwtClaims(cred));
    const digest = sha256Hex(jwt);
    const t = input.target;
    const receipt: Receipt = await anchorEntry(
      ctx.log,
      t.kind === "holder"
        ? { kind: "issue", credentialId: id, digest, issuer: issuer.did, at, v: 1 }
        : {
            kind: "endorse",
            credentialId: id,
            digest,
            target: t.kind === "credential" ? t.id : t.digest,
            issuer: issuer.did,
            at,
            v: 1,
          },
    );
    rec = {
      id,
      issuerId,
      issuerDid: issuer.did,
      type: "EndorsementCredential",
      state: "active",
      jwt,
      digest,
      statusListIndex: index,
      credentialStatus,
      createdAt: at,
      updatedAt: at,
      name: String(cred.name),
      subject: subjectId(t),
      ...(input.validUntil !== undefined ? { validUntil: input.validUntil } : {}),
      ...(t.kind === "artifact" ? { artifact: t.digest } : {}),
      // The record's history speaks of issuance; the log entry that anchors it is `endorse`.
      history: [{ kind: "issue", state: "active", at, digest, receipt }],
    };
  } catch (e) {
    await ctx.statusLists.release(issuerId, index);
    throw e;
  }
  const t = input.target;
  const targetKey = t.kind === "credential" ? t.id : t.kind === "artifact" ? t.digest : undefined;
  await ctx.writer.write([
    ...ctx.records.putOps(rec),
    ...ctx.records.listingOps(rec),
    ...ctx.records.digestOps(rec.digest, { kind: "issue", credentialId: rec.id, issuerId }),
    ...ctx.statusLists.allocationOps(issuerId, index),
    ...(ctx.provenance && targetKey !== undefined ? ctx.provenance.endorsementOps(targetKey, rec.id) : []),
    ...(ctx.provenance && t.kind === "artifact"
      ? ctx.provenance.addOps(t.digest, {
          kind: "endorsement",
          credentialId: rec.id,
          issuerId,
          at: rec.createdAt,
          leafIndex: rec.history[0]!.receipt.leafIndex,
        })
      : []),
  ]);
  return issueResult(rec);
}

/**
 * `POST /v1/endorsements`: `{target: <credential id | hex or SRI artifact digest>, claim:
 * {narrative, reviewLevel?}, validFrom?, validUntil?}`. A credential target must be one of this service's.
 * @throws SchemaError `schema.invalid`; IssuerError `endorsement.target_not_found`
 */
export async function endorse(ctx: ServiceContext, issuerId: string, input: unknown): Promise<IssueResult> {
  const req = parseInput(endorsementRequestSchema, input);
  let target: EndorsementTarget;
  if (req.target.startsWith("urn:uuid:")) {
    if (!(await ctx.records.get(req.target)))
      throw new IssuerError("endorsement.target_not_found", `no credential ${req.target} in this service`, {
        path: "target",
      });
    target = { kind: "credential", id: req.target };
  } else {
    target = {
      kind: "artifact",
      digest: req.target.startsWith("sha256-") ? sriHex(req.target)! : req.target,
    };
  }
  return await issueEndorsement(ctx, issuerId, {
    target,
    comment: req.claim.narrative,
    ...(req.claim.reviewLevel !== undefined ? { reviewLevel: req.claim.reviewLevel } : {}),
    ...(req.validFrom !== undefined ? { validFrom: req.validFrom } : {}),
    ...(req.validUntil !== undefined ? { validUntil: req.validUntil } : {}),
  });
}

/**
 * `POST /v1/feedback`: mentor feedback by `issuerId` on a credential of this service, addressed to
 * that credential's holder (`{kind: "holder"}`: a plain `issue` entry, no public index by target,
 * so only the holder learns of it). Returns the endorsement and `walletLink`, the link that hands
 * it (JWT and receipt, in the fragment) to the learner's wallet.
 * @throws SchemaError `schema.invalid`, `claims.*`; IssuerError `endorsement.target_not_found`
 */
export async function feedback(
  ctx: ServiceContext & { baseUrl: string },
  issuerId: string,
  input: unknown,
): Promise<IssueResult & { walletLink: string }> {
  const req = parseInput(feedbackRequestSchema, input);
  const target = await ctx.records.get(req.credentialId);
  if (!target?.subject?.startsWith("did:key:") || target.type === "EndorsementCredential")
    throw new IssuerError(
      "endorsement.target_not_found",
      `no learner's credential ${req.credentialId} in this service`,
      { path: "credentialId" },
    );
  const issued = await issueEndorsement(ctx, issuerId, {
    target: { kind: "holder", did: target.subject, about: req.credentialId },
    comment: req.comment,
    name: `Feedback on ${target.name ?? "a credential"}`,
    ...(req.reviewLevel !== undefined ? { reviewLevel: req.reviewLevel } : {}),
    ...(req.validFrom !== undefined ? { validFrom: req.validFrom } : {}),
    ...(req.validUntil !== undefined ? { validUntil: req.validUntil } : {}),
  });
  const fragment = new URLSearchParams({ feedback: issued.jwt, receipt: JSON.stringify(issued.receipt) });
  return { ...issued, walletLink: `${ctx.baseUrl}/wallet/#${fragment.toString()}` };
}

/** One endorsement of a target as listed publicly: the credential, its state and its receipt. */
export interface EndorsementListing {
  id: string;
  issuer: string;
  jwt: string;
  state: CredentialRecord["state"];
  at: string;
  receipt: Receipt;
}

/** The endorsements this service holds for a target (credential id or hex artifact digest), oldest first. */
export async function endorsementsOf(ctx: ServiceContext, target: string): Promise<EndorsementListing[]> {
  if (!ctx.provenance) return [];
  const out: EndorsementListing[] = [];
  for (const id of await ctx.provenance.endorsementsOf(target)) {
    const rec = await ctx.records.get(id);
    if (!rec) continue;
    out.push({
      id,
      issuer: rec.issuerDid,
      jwt: rec.jwt,
      state: rec.state,
      at: rec.createdAt,
      receipt: rec.history[0]!.receipt,
    });
  }
  return out;
}
