import {
  assertDates,
  buildCredential,
  canonicalJson,
  credentialJwtClaims,
  parseIssueRequest,
  type Credential,
  type IssueRequest,
} from "@meritlog/schemas";
import { signDataIntegrity } from "./data-integrity.js";
import { issueSdJwt, sdJwtIssuerPart } from "./sd-jwt.js";
import { anchorCredentialEntry, isoSeconds, sha256Hex, sriHex, type Receipt } from "./anchors.js";
import type { ServiceContext } from "./context.js";
import { uuidv7 } from "./ids.js";
import type { CredentialRecord, CredentialState } from "./records.js";
import type { Ed25519JwsSigner as JwtSigner } from "@meritlog/core/node";
import type { StatusEntry } from "./status-list.js";

export interface IssueOptions {
  /** Also produce the VC Data Model 1.1 form (`vc` claim), anchored with its own `issue` entry. */
  vc11?: boolean;
  /** Also produce the Data Integrity form (`eddsa-rdfc-2022`), anchored with its own `issue` entry. */
  di?: boolean;
  /** Also produce the SD-JWT form (`vc+sd-jwt`), anchored with its own `issue` entry. */
  sdJwt?: boolean;
  /** The offer this credential redeems (offer → credential link; `offerId` on the record). */
  offerId?: string;
  /** `false` skips `claims.backdated` (an offer's validFrom was checked when the offer was made). Default true. */
  checkBackdated?: boolean;
}

/**
 * What the issuer's listing shows of a request (`GET /v1/credentials`): the display name, the
 * subject DID and the end of validity. Reads a request the schema has already accepted.
 */
function listingFields(req: unknown): {
  name: string;
  subject: string;
  validUntil?: string;
  artifact?: string;
} {
  const r = req as {
    type?: string;
    subject?: { id?: string };
    validUntil?: string;
    achievement?: { name?: string };
    object?: { name?: string; digestSRI?: string };
    mpu?: { title?: string; digestSRI?: string };
    contribution?: { role?: string };
  };
  // The object an authorship or attribution is about goes into its log entry (docs/API.md "Provenance").
  const sri =
    r.type === "Attribution"
      ? r.object?.digestSRI
      : r.type === "MPUAuthorship"
        ? r.mpu?.digestSRI
        : undefined;
  const artifact = sri === undefined ? undefined : sriHex(sri);
  const name =
    r.type === "MicroCredential"
      ? r.achievement?.name
      : r.type === "Attribution"
        ? r.object?.name
        : r.mpu?.title;
  return {
    name: name ?? "",
    subject: r.subject?.id ?? "",
    ...(r.validUntil !== undefined ? { validUntil: r.validUntil } : {}),
    ...(artifact !== undefined ? { artifact } : {}),
  };
}

/** The status part of an issuance response (docs/API.md): the revocation entry, plus all entries. */
export interface StatusSummary {
  state: CredentialState;
  statusListCredential: string;
  statusListIndex: string;
  /** Both `BitstringStatusListEntry`s (revocation, suspension) as in the credential. */
  entries: StatusEntry[];
}

/** `201` body of `POST /v1/credentials` (and of supersede/renew). */
export interface IssueResult {
  id: string;
  jwt: string;
  receipt: Receipt;
  status: StatusSummary;
  vc11?: { jwt: string; receipt: Receipt };
  /** `?format=di`: the same credential secured as a Data Integrity proof, anchored with its own entry. */
  di?: { credential: Record<string, unknown>; receipt: Receipt };
  /** `?format=sd-jwt`: the SD-JWT form (issuer-signed JWT and its disclosures, `~`-separated), anchored with its own entry. */
  sdJwt?: { credential: string; receipt: Receipt };
  supersedes?: string;
  renews?: string;
}

/** The fields of a built credential that the JWT claims mirror (Open Badges 3.0 §8.2.4.1). */
interface CredentialCore {
  id: string;
  validFrom?: string;
  validUntil?: string;
  credentialSubject: { id?: string };
  "@context": string[];
  type: string[] | string;
  [k: string]: unknown;
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * Open Badges 3.0 §8.2.4.1 "JSON Web Token Proof Format" VC-JWT: the payload is the VC 2.0
 * credential itself plus `iss` (issuer DID), `sub` (credentialSubject.id), `jti` (credential
 * id), `nbf` (validFrom) and `exp` (validUntil, when present). No `vc` wrapper.
 */
function ob3Payload(cred: Credential): Record<string, unknown> {
  // Object.assign rather than two spreads: the same keys in the same order, ~7 µs less (issuance-worker.ts).
  return Object.assign({} as Record<string, unknown>, cred, credentialJwtClaims(cred));
}

/**
 * VC Data Model 1.1 JWT form (§6.3.1 "JWT encoding"): the credential goes under `vc`, with the
 * 1.1 base context instead of the 2.0 one; `issuanceDate`/`expirationDate` are carried by
 * `nbf`/`exp`. This is what did-jwt-vc and Veramo-based wallets read.
 */
function vc11Payload(cred: CredentialCore, issuerDid: string): Record<string, unknown> {
  const { id, validFrom, validUntil, issuer, "@context": ctx, ...rest } = cred;
  const vc: Record<string, unknown> = {
    "@context": [
      "https://www.w3.org/2018/credentials/v1",
      ...ctx.filter((c) => c !== "https://www.w3.org/ns/credentials/v2"),
    ],
    ...rest,
  };
  // The issuer's Profile (type, name) stays in `vc`, its `id` equal to `iss`: OB 3.0's JSON Schema
  // requires `issuer` to be a Profile object, which `iss` alone (a string) is not.
  if (typeof issuer === "object" && issuer !== null)
    vc.issuer = { ...(issuer as Record<string, unknown>), id: issuerDid };
  const claims: Record<string, unknown> = { vc, iss: issuerDid, jti: id };
  if (cred.credentialSubject.id !== undefined) claims.sub = cred.credentialSubject.id;
  if (validFrom !== undefined) claims.nbf = seconds(validFrom);
  if (validUntil !== undefined) claims.exp = seconds(validUntil);
  return claims;
}

/** A signed credential that is not yet anchored or stored. */
export interface PreparedCredential {
  record: Omit<CredentialRecord, "history" | "vc11">;
  /** The JWT's payload as the exact JSON text (or its UTF-8 bytes) that was signed: the record stores it without re-decoding. */
  payload?: string | Uint8Array;
  vc11Jwt?: string;
  /** The Data Integrity form, when asked for. */
  diCredential?: Record<string, unknown>;
  /** The SD-JWT form, when asked for. */
  sdJwt?: string;
  signer: JwtSigner;
}

/**
 * Allocates the status index of a parsed request, builds and signs the credential. Nothing is durable yet.
 * @throws IssuerError `issuer.not_found`, `status.list_full`.
 */
export async function prepareCredential(
  ctx: ServiceContext,
  issuerId: string,
  req: IssueRequest,
  opts: IssueOptions & { supersedes?: string; renews?: string } = {},
): Promise<PreparedCredential> {
  assertDates(req, ctx.now(), { backdated: opts.checkBackdated !== false });
  // Record and signer of the same key, even if a rotation completes meanwhile.
  const { record: issuer, signer } = await ctx.registry.signing(issuerId);
  const index = await ctx.statusLists.allocate(issuerId);
  const credentialStatus = ctx.statusLists.entries(issuerId, index);
  const now = ctx.now();
  const id = `urn:uuid:${uuidv7(now.getTime())}`;
  const at = isoSeconds(now);
  // buildCredential uses the request's own validFrom when it has one.
  const cred = buildCredential(req, {
    id,
    issuer: { id: issuer.did, name: issuer.name, ...(issuer.url ? { url: issuer.url } : {}) },
    validFrom: at,
    credentialStatus,
    ...(opts.supersedes ? { supersedes: opts.supersedes } : {}),
    ...(opts.renews ? { renews: opts.renews } : {}),
  });
  const payloadJson = JSON.stringify(ob3Payload(cred));
  const jwt = signer.signJson(payloadJson);
  const record: PreparedCredential["record"] = {
    id,
    issuerId,
    issuerDid: issuer.did,
    type: req.type,
    state: "active",
    jwt,
    digest: sha256Hex(jwt),
    statusListIndex: index,
    credentialStatus,
    createdAt: at,
    updatedAt: at,
    ...listingFields(req),
    ...(opts.offerId ? { offerId: opts.offerId } : {}),
    ...(opts.supersedes ? { supersedes: opts.supersedes } : {}),
    ...(opts.renews ? { renews: opts.renews } : {}),
  };
  return {
    record,
    payload: payloadJson,
    signer,
    ...(opts.vc11
      ? { vc11Jwt: signer.sign(vc11Payload(cred as unknown as CredentialCore, issuer.did)) }
      : {}),
    ...(opts.di
      ? { diCredential: await signDataIntegrity(cred as unknown as Record<string, unknown>, signer, now) }
      : {}),
    ...(opts.sdJwt
      ? { sdJwt: await issueSdJwt(JSON.parse(payloadJson) as Record<string, unknown>, signer) }
      : {}),
  };
}

/**
 * Anchors a prepared credential (`issue` entry; a second one for the 1.1 form) and returns the
 * full record. Resolves after the log made the entries durable; the caller stores the record.
 */
async function anchorPrepared(ctx: ServiceContext, p: PreparedCredential): Promise<CredentialRecord> {
  const r = p.record;
  const entry = (digest: string, artifact?: string) => ({
    kind: "issue" as const,
    credentialId: r.id,
    issuer: r.issuerDid,
    digest,
    at: r.createdAt,
    ...(artifact !== undefined ? { artifact } : {}),
  });
  const vc11Digest = p.vc11Jwt === undefined ? undefined : sha256Hex(p.vc11Jwt);
  // The Data Integrity form is anchored by the digest of its RFC 8785 canonical JSON (a JSON object has no one byte form otherwise).
  const diDigest = p.diCredential === undefined ? undefined : diCredentialDigest(p.diCredential);
  // The SD-JWT form is anchored by the digest of its issuer-signed JWT: disclosures are bound by
  // their hashes inside it, and a presentation carries only some of them.
  const sdDigest = p.sdJwt === undefined ? undefined : sha256Hex(sdJwtIssuerPart(p.sdJwt));
  const [receipt, vc11Receipt, diReceipt, sdReceipt] = await Promise.all([
    // The main form's entry names the artifact (a version 2 entry); the other forms point at the same credential id.
    anchorCredentialEntry(ctx.log, entry(r.digest, r.artifact)),
    vc11Digest === undefined ? undefined : anchorCredentialEntry(ctx.log, entry(vc11Digest)),
    diDigest === undefined ? undefined : anchorCredentialEntry(ctx.log, entry(diDigest)),
    sdDigest === undefined ? undefined : anchorCredentialEntry(ctx.log, entry(sdDigest)),
  ]);
  return {
    ...r,
    history: [{ kind: "issue", state: "active", at: r.createdAt, digest: r.digest, receipt }],
    ...(p.vc11Jwt !== undefined && vc11Digest !== undefined && vc11Receipt !== undefined
      ? { vc11: { jwt: p.vc11Jwt, digest: vc11Digest, receipt: vc11Receipt } }
      : {}),
    ...(p.diCredential !== undefined && diDigest !== undefined && diReceipt !== undefined
      ? { di: { credential: p.diCredential, digest: diDigest, receipt: diReceipt } }
      : {}),
    ...(p.sdJwt !== undefined && sdDigest !== undefined && sdReceipt !== undefined
      ? { sdJwt: { credential: p.sdJwt, digest: sdDigest, receipt: sdReceipt } }
      : {}),
  };
}

/** Hex SHA-256 of a Data Integrity credential's RFC 8785 canonical JSON: the digest its log entry carries. */
function diCredentialDigest(credential: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(credential));
}

/**
 * The writes that store a freshly issued record: record, digest index, status allocation.
 * `payload`: the signed payload of `rec.jwt` (text or UTF-8 bytes), when the caller still has it.
 */
export function issuedRecordOps(ctx: ServiceContext, rec: CredentialRecord, payload?: string | Uint8Array) {
  return [
    ...ctx.records.putOps(rec, payload),
    ...ctx.records.listingOps(rec),
    ...ctx.records.digestOps(rec.digest, { kind: "issue", credentialId: rec.id, issuerId: rec.issuerId }),
    ...(rec.vc11
      ? ctx.records.digestOps(rec.vc11.digest, {
          kind: "issue",
          credentialId: rec.id,
          issuerId: rec.issuerId,
          vc11: true,
        })
      : []),
    ...(rec.di
      ? ctx.records.digestOps(rec.di.digest, {
          kind: "issue",
          credentialId: rec.id,
          issuerId: rec.issuerId,
          di: true,
        })
      : []),
    ...(rec.sdJwt
      ? ctx.records.digestOps(rec.sdJwt.digest, {
          kind: "issue",
          credentialId: rec.id,
          issuerId: rec.issuerId,
          sdJwt: true,
        })
      : []),
    ...ctx.statusLists.allocationOps(rec.issuerId, rec.statusListIndex),
    ...(rec.artifact !== undefined && ctx.provenance
      ? ctx.provenance.addOps(rec.artifact, {
          kind: rec.type === "MPUAuthorship" ? "authorship" : "attribution",
          credentialId: rec.id,
          issuerId: rec.issuerId,
          at: rec.createdAt,
          leafIndex: rec.history[0]!.receipt.leafIndex,
        })
      : []),
  ];
}

export function statusSummary(rec: CredentialRecord): StatusSummary {
  // The combined `message` entry (one per credential since issue 13); the revocation entry of older credentials.
  const main =
    rec.credentialStatus.find((e) => e.statusPurpose === "message") ??
    rec.credentialStatus.find((e) => e.statusPurpose === "revocation")!;
  return {
    state: rec.state,
    statusListCredential: main.statusListCredential,
    statusListIndex: main.statusListIndex,
    entries: rec.credentialStatus,
  };
}

export function issueResult(rec: CredentialRecord): IssueResult {
  return {
    id: rec.id,
    jwt: rec.jwt,
    receipt: rec.history[0]!.receipt,
    status: statusSummary(rec),
    ...(rec.vc11 ? { vc11: { jwt: rec.vc11.jwt, receipt: rec.vc11.receipt } } : {}),
    ...(rec.di ? { di: { credential: rec.di.credential, receipt: rec.di.receipt } } : {}),
    ...(rec.sdJwt ? { sdJwt: { credential: rec.sdJwt.credential, receipt: rec.sdJwt.receipt } } : {}),
    ...(rec.supersedes ? { supersedes: rec.supersedes } : {}),
    ...(rec.renews ? { renews: rec.renews } : {}),
  };
}

export { parseIssueRequest };

/** Anchors a prepared credential; if that fails, the credential was never returned, so its status index is released for another. */
export async function anchorOrRelease(
  ctx: ServiceContext,
  issuerId: string,
  prepared: PreparedCredential,
): Promise<CredentialRecord> {
  try {
    return await anchorPrepared(ctx, prepared);
  } catch (e) {
    await ctx.statusLists.release(issuerId, prepared.record.statusListIndex);
    throw e;
  }
}

/**
 * Issues one credential: parse → claims discipline → status index → build → sign → anchor →
 * store (synced). Resolves only after the log entry is durable inside a signed checkpoint and
 * the record is on disk.
 */
export async function issueCredential(
  ctx: ServiceContext,
  issuerId: string,
  input: unknown,
  opts: IssueOptions = {},
): Promise<IssueResult> {
  const prepared = ctx.workers
    ? await prepareInWorker(ctx, issuerId, input, opts)
    : await prepareCredential(ctx, issuerId, parseIssueRequest(input), opts);
  const rec = await anchorOrRelease(ctx, issuerId, prepared);
  await ctx.writer.write(issuedRecordOps(ctx, rec, prepared.payload));
  return issueResult(rec);
}

/** As prepareCredential, with parse, claims discipline, build and signature in a worker thread. */
export async function prepareInWorker(
  ctx: ServiceContext,
  issuerId: string,
  input: unknown,
  opts: IssueOptions,
): Promise<PreparedCredential> {
  // Date rules need the clock, which stays on the main thread; the raw body's dates are read (the worker parses the rest).
  assertDates(input, ctx.now(), { backdated: opts.checkBackdated !== false });
  const { record: issuer, signer } = await ctx.registry.signing(issuerId);
  const index = await ctx.statusLists.allocate(issuerId);
  try {
    const credentialStatus = ctx.statusLists.entries(issuerId, index);
    const now = ctx.now();
    const id = `urn:uuid:${uuidv7(now.getTime())}`;
    const issuerCtx = { id: issuer.did, name: issuer.name, ...(issuer.url ? { url: issuer.url } : {}) };
    const at = isoSeconds(now);
    const r = await ctx.workers!.run(
      input,
      { id, issuer: issuerCtx, validFrom: at, credentialStatus },
      signer.kid,
      () => signer.pkcs8(),
      opts.vc11 === true,
    );
    return {
      record: {
        id,
        issuerId,
        issuerDid: issuer.did,
        type: r.type as IssueRequest["type"],
        state: "active",
        jwt: r.jwt,
        digest: r.digest,
        statusListIndex: index,
        credentialStatus,
        createdAt: at,
        updatedAt: at,
        // The worker accepted the body, so its fields are what the credential says.
        ...listingFields(input),
        ...(opts.offerId ? { offerId: opts.offerId } : {}),
      },
      payload: r.payload,
      signer,
      ...(opts.vc11
        ? { vc11Jwt: signer.sign(vc11Payload(r.credential! as unknown as CredentialCore, issuer.did)) }
        : {}),
      ...(opts.di
        ? { diCredential: await signDataIntegrity(credentialOfPayload(r.payload), signer, now) }
        : {}),
      ...(opts.sdJwt ? { sdJwt: await issueSdJwt(payloadObject(r.payload), signer) } : {}),
    };
  } catch (e) {
    await ctx.statusLists.release(issuerId, index);
    throw e;
  }
}

/** The signed payload as an object. */
function payloadObject(payload: string | Uint8Array | undefined): Record<string, unknown> {
  return JSON.parse(typeof payload === "string" ? payload : new TextDecoder().decode(payload)) as Record<
    string,
    unknown
  >;
}

/** The credential inside an OB 3.0 VC-JWT payload (§8.2.4.1): the payload less the JWT claims. */
function credentialOfPayload(payload: string | Uint8Array | undefined): Record<string, unknown> {
  const text = typeof payload === "string" ? payload : new TextDecoder().decode(payload);
  const {
    iss: _iss,
    sub: _sub,
    jti: _jti,
    nbf: _nbf,
    exp: _exp,
    iat: _iat,
    ...credential
  } = JSON.parse(text) as Record<string, unknown>;
  return credential;
}
