import { decodeJws } from "@meritlog/core";
import {
  buildCredential,
  parseInput,
  statusChangeRequestSchema,
  type StatusAction,
  type StatusReason,
} from "@meritlog/schemas";
import { anchorEntry, isoSeconds, type Receipt } from "./anchors.js";
import type { ServiceContext } from "./context.js";
import { IssuerError } from "./errors.js";
import {
  anchorOrRelease,
  issuedRecordOps,
  issueResult,
  parseIssueRequest,
  prepareCredential,
  statusSummary,
  type IssueOptions,
  type IssueResult,
  type StatusSummary,
} from "./issuance.js";
import type { CredentialRecord, CredentialState, HistoryEvent } from "./records.js";
import type { StatusPurpose } from "./status-list.js";

/** Every transition the lifecycle knows: the four status actions plus supersede (correction) and renew. */
export type LifecycleAction = StatusAction | "supersede" | "renew";

/**
 * The state machine (docs/API.md "Credentials", docs/DOMAIN.md "Validity by record"):
 * suspension is reversible; revoke, archive and supersede (by correction or renewal) are final.
 */
export const TRANSITIONS: Readonly<
  Record<CredentialState, Partial<Record<LifecycleAction, CredentialState>>>
> = {
  active: {
    suspend: "suspended",
    revoke: "revoked",
    archive: "archived",
    supersede: "superseded",
    renew: "superseded",
  },
  suspended: {
    reinstate: "active",
    revoke: "revoked",
    archive: "archived",
    supersede: "superseded",
    renew: "superseded",
  },
  revoked: {},
  archived: {},
  superseded: {},
};

/**
 * What each state looks like in the issuer's Bitstring Status Lists (Bitstring Status List v1.0
 * §2.1 `statusPurpose`: "revocation" cancels validity for good, "suspension" reversibly):
 * - `suspended`: suspension bit;
 * - `revoked`, `archived`, `superseded`: revocation bit. All three end the credential's current
 *   validity for good, and an archived record "carries no current status" (docs/DOMAIN.md), so a
 *   verifier that reads only the lists must never see it as active. Which final state it is comes
 *   from the issuer's anchored history (`IssuerService.history`: entry kinds `revoke`, `archive`,
 *   `supersede`/`renew` with `by`), which the meritlog verifier reads before the list bit.
 * Moving out of `suspended` into a final state clears the suspension bit.
 */
export const STATUS_BITS: Readonly<Record<CredentialState, Record<StatusPurpose, boolean>>> = {
  active: { revocation: false, suspension: false },
  suspended: { revocation: false, suspension: true },
  revoked: { revocation: true, suspension: false },
  superseded: { revocation: true, suspension: false },
  archived: { revocation: true, suspension: false },
};

/** @throws IssuerError `credential.transition_forbidden` (409) */
export function nextState(state: CredentialState, action: LifecycleAction): CredentialState {
  const next = TRANSITIONS[state][action];
  if (next === undefined) {
    throw new IssuerError(
      "credential.transition_forbidden",
      `cannot ${action} a credential that is ${state}`,
    );
  }
  return next;
}

/**
 * Loads a record for its issuer. Another issuer's credential answers exactly as an unknown one
 * does, so a token cannot probe which credential ids exist elsewhere (issue 9 defect 8).
 * @throws IssuerError `credential.not_found`
 */
export async function ownedRecord(
  ctx: ServiceContext,
  issuerId: string | undefined,
  id: string,
): Promise<CredentialRecord> {
  const rec = await ctx.records.get(id);
  if (!rec || (issuerId !== undefined && rec.issuerId !== issuerId))
    throw new IssuerError("credential.not_found", `no credential ${id}`);
  return rec;
}

export interface StatusChangeResult {
  status: StatusSummary;
  receipt: Receipt;
}

/**
 * Applies a status action (suspend | reinstate | revoke | archive): checks the transition,
 * anchors `{kind: action, credentialId, issuer, digest, at, v:1}` (the strict log entry of
 * `@meritlog/schemas`; reason and note are kept in the record's history, where the verifier
 * reads them), then stores record and status bits in one synced batch. Serialised per credential.
 * @throws SchemaError `schema.invalid`; IssuerError `credential.not_found`, `credential.transition_forbidden`
 */
export async function changeStatus(
  ctx: ServiceContext,
  issuerId: string,
  credentialId: string,
  input: unknown,
): Promise<StatusChangeResult> {
  const req = parseInput(statusChangeRequestSchema, input);
  return await ctx.locks.run(credentialId, async () => {
    const rec = await ownedRecord(ctx, issuerId, credentialId);
    const state = nextState(rec.state, req.action);
    const at = isoSeconds(ctx.now());
    const receipt = await anchorEntry(ctx.log, {
      kind: req.action,
      credentialId,
      issuer: rec.issuerDid,
      digest: rec.digest,
      at,
      v: 1,
    });
    const event: HistoryEvent = {
      kind: req.action,
      state,
      at,
      reason: req.reason,
      ...(req.note ? { note: req.note } : {}),
      digest: rec.digest,
      receipt,
    };
    const updated: CredentialRecord = { ...rec, state, updatedAt: at, history: [...rec.history, event] };
    await ctx.writer.write([
      ...ctx.records.putOps(updated),
      ...ctx.statusLists.bitOps(rec.issuerId, rec.statusListIndex, STATUS_BITS[state]),
    ]);
    await ctx.statusLists.apply(rec.issuerId, rec.statusListIndex, STATUS_BITS[state]);
    return { status: statusSummary(updated), receipt };
  });
}

type EvidenceItem = { id?: unknown; digestSRI?: unknown; digestMultibase?: unknown };

function evidenceOf(holder: unknown): EvidenceItem[] {
  const evidence = (holder as { evidence?: unknown } | undefined)?.evidence;
  return Array.isArray(evidence) ? (evidence as EvidenceItem[]) : [];
}

/**
 * Evidence items of `next` that the old credential did not have: an item with a digest is fresh
 * when that digest is new (the same URL with new content counts); one without, when its id is new.
 */
function freshEvidence(next: unknown, old: unknown): EvidenceItem[] {
  const oldDigests = new Set<unknown>();
  const oldIds = new Set<unknown>();
  for (const e of evidenceOf(old)) {
    if (e.digestSRI !== undefined) oldDigests.add(e.digestSRI);
    if (e.digestMultibase !== undefined) oldDigests.add(e.digestMultibase);
    if (e.id !== undefined) oldIds.add(e.id);
  }
  return evidenceOf(next).filter((e) => {
    const digest = e.digestSRI ?? e.digestMultibase;
    return digest !== undefined ? !oldDigests.has(digest) : !oldIds.has(e.id);
  });
}

/** The payload of a stored JWT (our own, so well-formed), read by core's one JWS reader. */
function jwtPayload(jwt: string): Record<string, unknown> {
  return decodeJws(jwt, Number.MAX_SAFE_INTEGER).payload;
}

/**
 * Replaces a credential with a new one that names it (`supersedes` or `renews`): the new
 * credential is anchored with an `issue` entry, then the old one with a `supersede`/`renew`
 * entry, and both records plus the old one's status bits are stored in one synced batch. The
 * old credential becomes `superseded`.
 *
 * Renewal needs fresh evidence (docs/DOMAIN.md: "nothing continues automatically"): at least one
 * evidence item that the old credential did not have, same type and same subject.
 * @throws IssuerError `credential.evidence_required`, `credential.evidence_not_fresh`,
 *   `credential.type_mismatch`, `credential.subject_mismatch`, `credential.transition_forbidden`, …
 */
export async function replaceCredential(
  ctx: ServiceContext,
  issuerId: string,
  oldId: string,
  input: unknown,
  how: "supersede" | "renew",
  opts: IssueOptions & { reason?: StatusReason; note?: string } = {},
): Promise<IssueResult> {
  return await ctx.locks.run(oldId, async () => {
    const old = await ownedRecord(ctx, issuerId, oldId);
    const state = nextState(old.state, how);
    const parsed = parseIssueRequest(input);
    const req = parsed as { type: string; subject?: { id?: string } };
    if (how === "renew") {
      if (req.type !== old.type)
        throw new IssuerError("credential.type_mismatch", `a renewal must be a ${old.type}`, {
          path: "type",
        });
      const oldPayload = jwtPayload(old.jwt);
      if (req.subject?.id !== oldPayload.sub) {
        throw new IssuerError("credential.subject_mismatch", "a renewal is for the same subject", {
          path: "subject.id",
        });
      }
      // Compare the evidence of the credentials (OB3 `evidence`: the request's evidence links for
      // a MicroCredential, the object's or MPU's digest for the other kinds), so every kind is
      // held to the same rule. The trial build allocates nothing.
      const trial = buildCredential(parsed, {
        id: old.id,
        issuer: { id: old.issuerDid, name: "renewal check" },
        validFrom: isoSeconds(ctx.now()),
      });
      if (evidenceOf(trial).length === 0)
        throw new IssuerError("credential.evidence_required", "renewal needs current evidence", {
          path: "evidence",
        });
      if (freshEvidence(trial, oldPayload).length === 0) {
        throw new IssuerError(
          "credential.evidence_not_fresh",
          "renewal needs evidence the old credential did not have",
          { path: "evidence" },
        );
      }
    }
    // Checked before a status index is allocated, so a refused renewal consumes nothing.
    const prepared = await prepareCredential(ctx, issuerId, parsed, {
      ...opts,
      ...(how === "supersede" ? { supersedes: oldId } : { renews: oldId }),
    });
    const at = prepared.record.createdAt;
    // The new credential's `issue` entry first, then the old one's `supersede`/`renew`: if the
    // second append fails, the log holds only an issue entry for a JWT nobody received, never a
    // claim that the old credential was replaced while the records say otherwise.
    const rec = await anchorOrRelease(ctx, issuerId, prepared);
    const receipt = await anchorEntry(ctx.log, {
      kind: how,
      credentialId: oldId,
      issuer: old.issuerDid,
      digest: old.digest,
      at,
      v: 1,
    });
    const event: HistoryEvent = {
      kind: how,
      state,
      at,
      reason: opts.reason ?? "superseded",
      ...(opts.note ? { note: opts.note } : {}),
      by: rec.id,
      digest: old.digest,
      receipt,
    };
    const updated: CredentialRecord = {
      ...old,
      state,
      updatedAt: at,
      supersededBy: rec.id,
      history: [...old.history, event],
    };
    await ctx.writer.write([
      ...issuedRecordOps(ctx, rec),
      ...ctx.records.putOps(updated),
      ...ctx.statusLists.bitOps(old.issuerId, old.statusListIndex, STATUS_BITS[state]),
    ]);
    await ctx.statusLists.apply(old.issuerId, old.statusListIndex, STATUS_BITS[state]);
    return issueResult(rec);
  });
}
