/**
 * The credential meritlog signs: a W3C VC Data Model 2.0 credential shaped as an Open Badges 3.0
 * `OpenBadgeCredential` (AchievementCredential, OB 3.0 §B.1.2), with our extension terms defined
 * in the meritlog context, the signed no-conversion notice in `termsOfUse`, and Bitstring Status
 * List entries in `credentialStatus`. `buildCredential` writes one; `credentialSchema` parses one
 * back (for the verifier and the wallet).
 */
import { z } from "zod";
import type { ContributionKind } from "./attribution.js";
import { CREDENTIAL_CONTEXTS, MERITLOG_CONTEXT_URL, OB3_CONTEXT_URL, VC2_CONTEXT_URL } from "./context.js";
import { SchemaError } from "./errors.js";
import { LIMITS, dateTime, did, digestSRI, httpUrl, text, uri, urnUuid } from "./fields.js";
import { CREDENTIAL_KINDS, type CredentialKind, type IssueRequest } from "./issue-request.js";
import { REVIEW_LEVELS, type MicroCredentialRequest } from "./micro-credential.js";
import { LICENSE_IDS, MPU_CATEGORIES, MPU_STAGES, type MpuAuthorshipRequest } from "./mpu-authorship.js";
import type { AttributionRequest } from "./attribution.js";
import { NO_CONVERSION, type NoConversionNotice } from "./no-conversion.js";
import { zodIssues } from "./parse-input.js";

/** A W3C Bitstring Status List v1.0 §2.1 entry, allocated by the issuer service. */
export interface StatusEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: "revocation" | "suspension" | "refresh" | "message";
  /** A string of a non-negative integer (Bitstring Status List §2.1). */
  statusListIndex: string;
  statusListCredential: string;
  /** §2.1: bits per credential (the `message` entry: 2). */
  statusSize?: number;
  /** §2.1: the meaning of each value (required when `statusSize` > 1). */
  statusMessage?: { status: string; message: string }[];
}

/** OB 3.0 §B.1.15 Profile: the issuer. */
export interface IssuerProfile {
  id: string;
  type: string[];
  name: string;
  url?: string;
}

/** OB 3.0 §B.1.1 Achievement. */
export interface Achievement {
  id: string;
  type: string[];
  achievementType: string;
  name: string;
  description: string;
  criteria: { narrative: string };
  /** OB 3.0 §B.1.16 Image: only these members (its JSON Schema admits no other). */
  image?: { id: string; type: "Image"; caption?: string };
}

/** VC Data Model 2.0 §5.3 "Integrity of Related Resources": a resource the credential links to, with its digest. */
export interface RelatedResource {
  id: string;
  digestSRI: string;
}

/** OB 3.0 §B.1.9 Evidence, with the SHA-256 SRI digest of the linked resource (VC 2.0 §5.3). */
export interface EvidenceEntry {
  id: string;
  type: string[];
  name?: string;
  description?: string;
  digestSRI: string;
}

export interface Scope {
  covers: string[];
  excludes: string[];
}

interface SubjectBase {
  id: string;
  type: string[];
  achievement: Achievement;
  /** What the record covers and explicitly does not (stated on every kind, DOMAIN.md "Every record states what it means"). */
  scope: Scope;
}

export interface MicroCredentialSubject extends SubjectBase {
  reviewLevel: (typeof REVIEW_LEVELS)[number];
  pathway?: string;
  productionClass?: string;
  assessmentBasis?: string;
  limitations?: string[];
  renewalRequirement?: string;
}

export interface AttributionSubject extends SubjectBase {
  contribution: { kind: ContributionKind; role: string; description: string };
  contributionObject: { id: string; name: string; digestSRI: string };
}

export interface MpuCredentialPart {
  id: string;
  title: string;
  category: (typeof MPU_CATEGORIES)[number];
  digestSRI: string;
  /** Licence identifier (`CC-BY-4.0`, …, `custom`, `treaty-constrained`, `private-sovereign`). */
  license: string;
  /** Written-out terms for `custom`, `treaty-constrained` and `private-sovereign` licences. */
  licenseTerms?: { name?: string; text: string; url?: string };
  stage: (typeof MPU_STAGES)[number];
  verification: string;
  authors: { id: string; role: string }[];
  linkedDomains?: string[];
  /** Co-authored MPUs: each author's JWS over the statement and its `cosign` log entry (issue 14). */
  coSignatures?: { author: string; jws: string; leafIndex: number }[];
}

export interface MpuAuthorshipSubject extends SubjectBase {
  mpu: MpuCredentialPart;
}

interface CredentialBase<S> {
  "@context": string[];
  id: string;
  type: string[];
  issuer: IssuerProfile;
  validFrom: string;
  validUntil?: string;
  name: string;
  description: string;
  credentialSubject: S;
  evidence?: EvidenceEntry[];
  /** The https achievement image with its SHA-256 (VC Data Model 2.0 §5.3), so a wallet or verifier can check the bytes it fetches. */
  relatedResource?: RelatedResource[];
  /** One entry is written as one object (OB 3.0 JSON Schema: `CredentialStatus` is an object); older credentials carry an array of two. */
  credentialStatus?: StatusEntry | StatusEntry[];
  termsOfUse: NoConversionNotice[];
  /** The credential this one corrects (DOMAIN.md "Correction"). */
  supersedes?: string;
  /** The credential this one renews, with fresh evidence (DOMAIN.md "nothing continues automatically"). */
  renews?: string;
}

export type MicroCredentialCredential = CredentialBase<MicroCredentialSubject>;
export type AttributionCredential = CredentialBase<AttributionSubject>;
export type MpuAuthorshipCredential = CredentialBase<MpuAuthorshipSubject>;
/** A meritlog credential of any kind. */
export type Credential = MicroCredentialCredential | AttributionCredential | MpuAuthorshipCredential;

/** Everything `buildCredential` needs besides the request: identifiers, issuer, time, status entries. */
export interface BuildContext {
  /** The credential id, `urn:uuid:…` (also the JWT `jti`). */
  id: string;
  issuer: { id: string; name: string; url?: string };
  /** Issuance time; `validFrom` unless the request sets its own. */
  validFrom: string;
  credentialStatus?: StatusEntry[];
  /** Id of the credential this one corrects. */
  supersedes?: string;
  /** Id of the credential this one renews. */
  renews?: string;
  /** Achievement id; defaults to `<id>#achievement`. */
  achievementId?: string;
}

/** OB 3.0 §B.2.1 AchievementType: `MicroCredential` is in the enumeration; ours use the `ext:` extension form. */
export const ACHIEVEMENT_TYPES: Readonly<Record<CredentialKind, string>> = {
  MicroCredential: "MicroCredential",
  Attribution: "ext:Attribution",
  MPUAuthorship: "ext:MPUAuthorship",
};

const CONTRIBUTION_LABELS: Readonly<Record<ContributionKind, string>> = {
  documentation: "Documentation",
  "review-support": "Review support",
  "safety-review-support": "Safety review support",
  "bom-preparation": "Bill of materials preparation",
  "repair-guide": "Repair guide preparation",
  translation: "Translation",
  "data-product": "Data product support",
  "public-safe-reporting": "Public-safe reporting",
  accessibility: "Accessibility",
  "pack-maintenance": "Pack maintenance",
  correction: "Correction",
  teardown: "Teardown",
  archive: "Archive",
  support: "Support",
};

/** What an Attribution never means (DOMAIN.md "Attribution"), stated when the request gives no scope. */
export const ATTRIBUTION_DEFAULT_EXCLUDES: readonly string[] = [
  "compensation or payment entitlement",
  "employment",
  "procurement or supplier status",
  "ownership of the object or any right to transfer it",
];

/** What MPU authorship never means, stated when the request gives no scope. */
export const MPU_DEFAULT_EXCLUDES: readonly string[] = [
  "certification, approval or safety clearance of the MPU's content",
  "authorization to deploy or execute the MPU",
  "ownership transfer, payment or royalties",
];

const STATUS_LIST_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;

const ctxSchema = z.object({
  id: urnUuid,
  issuer: z.object({ id: did, name: text(LIMITS.name), url: httpUrl.optional() }),
  validFrom: dateTime,
  credentialStatus: z
    .array(
      z.strictObject({
        id: uri,
        type: z.literal("BitstringStatusListEntry"),
        statusPurpose: z.enum(["revocation", "suspension", "refresh", "message"]),
        statusListIndex: z.string().regex(STATUS_LIST_INDEX),
        statusListCredential: uri,
        statusSize: z.number().int().min(1).max(8).optional(),
        statusMessage: z
          .array(z.strictObject({ status: z.string().regex(/^0x[0-9a-f]+$/), message: z.string().max(200) }))
          .max(256)
          .optional(),
      }),
    )
    .max(4)
    .optional(),
  supersedes: urnUuid.optional(),
  renews: urnUuid.optional(),
  achievementId: uri.optional(),
});

/**
 * A JSON copy of the last build context that passed {@link ctxSchema}, per issuer DID (at most
 * {@link LAST_GOOD_ISSUERS}). Successive issuances of one issuer (a batch, a cohort, requests
 * within the same second) share everything in their context but the credential id and the status
 * index; checking the whole context with zod cost ~12 µs per credential (CPU, the issuance
 * worker), ~85 % of building the credential.
 */
const lastGoodCtx = new Map<unknown, BuildContext>();
const LAST_GOOD_ISSUERS = 256;
const issuerKey = (ctx: BuildContext): unknown => (ctx as { issuer?: { id?: unknown } }).issuer?.id;

/** Deep equality of `a` with `json`, a JSON value: own enumerable keys, arrays by index, primitives by `===`. */
function sameJson(a: unknown, json: unknown): boolean {
  if (typeof json !== "object" || json === null) return a === json;
  if (Array.isArray(json)) {
    return Array.isArray(a) && a.length === json.length && json.every((v, i) => sameJson(a[i], v));
  }
  return sameJsonExcept(a, json, []);
}

/** `a` is an object with exactly `json`'s keys, equal to it (by {@link sameJson}) on all but `skip`. */
function sameJsonExcept(a: unknown, json: object, skip: readonly string[]): a is Record<string, unknown> {
  if (typeof a !== "object" || a === null || Array.isArray(a)) return false;
  const o = a as Record<string, unknown>;
  const j = json as Record<string, unknown>;
  const keys = Object.keys(j);
  return (
    Object.keys(o).length === keys.length &&
    keys.every((k) => Object.hasOwn(o, k) && (skip.includes(k) || sameJson(o[k], j[k])))
  );
}

/**
 * True only when `ctx` certainly passes {@link ctxSchema}: it equals the last context that passed
 * in everything but `id` and each status entry's `id` and `statusListIndex`, and those pass the
 * same rules the schema has for them. False says nothing: the caller then runs the schema.
 */
function likeLastGoodCtx(ctx: BuildContext): boolean {
  if (typeof ctx !== "object" || ctx === null) return false;
  const last = lastGoodCtx.get(issuerKey(ctx));
  if (last === undefined || !sameJsonExcept(ctx, last, ["id", "credentialStatus"])) return false;
  if (!urnUuid.safeParse(ctx.id).success) return false;
  if (last.credentialStatus === undefined) return true;
  const entries: unknown = ctx.credentialStatus;
  if (!Array.isArray(entries) || entries.length !== last.credentialStatus.length) return false;
  return last.credentialStatus.every((lastEntry, i) => {
    const e: unknown = entries[i];
    if (!sameJsonExcept(e, lastEntry, ["id", "statusListIndex"])) return false;
    const index = e.statusListIndex;
    return typeof index === "string" && STATUS_LIST_INDEX.test(index) && uri.safeParse(e.id).success;
  });
}

/** @throws SchemaError `schema.invalid` when `ctx` fails {@link ctxSchema}. */
function assertCtx(ctx: BuildContext): void {
  if (likeLastGoodCtx(ctx)) return;
  const c = ctxSchema.safeParse(ctx);
  if (!c.success) {
    const issues = zodIssues(c.error).map((i) => ({ ...i, path: `ctx.${i.path}` }));
    throw new SchemaError(
      "schema.invalid",
      `invalid build context: ${issues[0]?.path}: ${issues[0]?.message}`,
      { issues, path: issues[0]?.path ?? "ctx" },
    );
  }
  // A copy: the caller may change its object later. Keys whose values JSON drops (undefined, functions) make the next context differ.
  if (lastGoodCtx.size >= LAST_GOOD_ISSUERS) lastGoodCtx.clear();
  lastGoodCtx.set(issuerKey(ctx), JSON.parse(JSON.stringify(ctx)) as BuildContext);
}

function buildSubjectParts(req: IssueRequest): {
  achievement: Omit<Achievement, "id" | "type">;
  extension: Record<string, unknown>;
  scope: Scope;
  evidence: EvidenceEntry[];
  related?: RelatedResource[];
} {
  switch (req.type) {
    case "MicroCredential":
      return microParts(req);
    case "Attribution":
      return attributionParts(req);
    case "MPUAuthorship":
      return mpuParts(req);
  }
}

function microParts(req: MicroCredentialRequest) {
  const extension: Record<string, unknown> = { reviewLevel: req.reviewLevel };
  if (req.pathway !== undefined) extension.pathway = req.pathway;
  if (req.productionClass !== undefined) extension.productionClass = req.productionClass;
  if (req.assessmentBasis !== undefined) extension.assessmentBasis = req.assessmentBasis;
  if (req.limitations !== undefined) extension.limitations = [...req.limitations];
  if (req.renewalRequirement !== undefined) extension.renewalRequirement = req.renewalRequirement;
  const achievement: Omit<Achievement, "id" | "type"> = {
    achievementType: ACHIEVEMENT_TYPES.MicroCredential,
    name: req.achievement.name,
    description: req.achievement.description,
    criteria: { narrative: req.achievement.criteria.narrative },
  };
  const img = req.achievement.image;
  let related: RelatedResource[] | undefined;
  if (img !== undefined) {
    achievement.image = { id: img.id, type: "Image" };
    if (img.caption !== undefined) achievement.image.caption = img.caption;
    // An https image is only as trustworthy as its digest: VC Data Model 2.0 §5.3 puts it in relatedResource.
    if (img.digestSRI !== undefined) related = [{ id: img.id, digestSRI: img.digestSRI }];
  }
  return {
    achievement,
    ...(related ? { related } : {}),
    extension,
    scope: { covers: [...req.scope.covers], excludes: [...req.scope.excludes] },
    evidence: req.evidence.map((e) => evidenceEntry(e.id, e.digestSRI, e.name, e.description)),
  };
}

function attributionParts(req: AttributionRequest) {
  const c = req.contribution;
  const label = CONTRIBUTION_LABELS[c.kind];
  return {
    achievement: {
      achievementType: ACHIEVEMENT_TYPES.Attribution,
      name: `${label}: ${req.object.name}`,
      description: c.description,
      criteria: {
        narrative: `Recognises a bounded ${label.toLowerCase()} contribution, in the role of ${c.role}, to the object ${req.object.id} as identified by its digest ${req.object.digestSRI}. It records the contribution only.`,
      },
    },
    extension: {
      contribution: { kind: c.kind, role: c.role, description: c.description },
      contributionObject: { id: req.object.id, name: req.object.name, digestSRI: req.object.digestSRI },
    },
    scope: req.scope
      ? { covers: [...req.scope.covers], excludes: [...req.scope.excludes] }
      : {
          covers: [`${label.toLowerCase()} (${c.role}) for "${req.object.name}"`],
          excludes: [...ATTRIBUTION_DEFAULT_EXCLUDES],
        },
    evidence: [evidenceEntry(req.object.id, req.object.digestSRI, req.object.name, undefined)],
  };
}

/**
 * The MPU as a credential carries it (`credentialSubject.mpu`): licence as an id plus written-out
 * terms. The statement co-authors sign (mpu-statement.ts) is made from this form, so a verifier
 * rebuilds it from the credential alone.
 */
export function mpuCredentialPart(m: MpuAuthorshipRequest["mpu"]): MpuCredentialPart {
  const mpu: MpuCredentialPart = {
    id: m.id,
    title: m.title,
    category: m.category,
    digestSRI: m.digestSRI,
    license: typeof m.license === "string" ? m.license : m.license.id,
    stage: m.stage,
    verification: m.verification,
    authors: m.authors.map((a) => ({ id: a.id, role: a.role })),
  };
  if (typeof m.license !== "string") {
    const t: { name?: string; text: string; url?: string } = { text: m.license.text };
    if (m.license.name !== undefined) t.name = m.license.name;
    if (m.license.url !== undefined) t.url = m.license.url;
    mpu.licenseTerms = t;
  }
  if (m.linkedDomains !== undefined) mpu.linkedDomains = [...m.linkedDomains];
  if (m.coSignatures !== undefined) mpu.coSignatures = m.coSignatures.map((c) => ({ ...c }));
  return mpu;
}

function mpuParts(req: MpuAuthorshipRequest) {
  const m = req.mpu;
  const mpu = mpuCredentialPart(m);
  return {
    achievement: {
      achievementType: ACHIEVEMENT_TYPES.MPUAuthorship,
      name: `MPU authorship: ${m.title}`,
      description: `Authorship of a ${m.category} Micro-Production Unit, recorded at the ${m.stage} stage; verification method: ${m.verification}.`,
      criteria: {
        narrative: `Listed among the authors of the Micro-Production Unit ${m.id}, identified by its digest ${m.digestSRI}. It records authorship only.`,
      },
    },
    extension: { mpu },
    scope: req.scope
      ? { covers: [...req.scope.covers], excludes: [...req.scope.excludes] }
      : {
          covers: [`authorship of the ${m.category} MPU "${m.title}" (${m.stage} stage)`],
          excludes: [...MPU_DEFAULT_EXCLUDES],
        },
    evidence: [evidenceEntry(m.id, m.digestSRI, m.title, undefined)],
  };
}

function evidenceEntry(
  id: string,
  digest: string,
  name: string | undefined,
  description: string | undefined,
): EvidenceEntry {
  const e: EvidenceEntry = { id, type: ["Evidence"], digestSRI: digest };
  if (name !== undefined) e.name = name;
  if (description !== undefined) e.description = description;
  return e;
}

/**
 * Builds the unsigned Open Badges 3.0 / VC 2.0 credential for a parsed issuance request.
 * Run `assertClaims(req)` first; this function does not re-check naming.
 * @throws SchemaError `schema.invalid` when `ctx` is malformed or the validity window is empty.
 * @example buildCredential(req, { id: "urn:uuid:…", issuer: { id: did, name: "Academy" }, validFrom: new Date().toISOString() })
 */
export function buildCredential(req: IssueRequest, ctx: BuildContext): Credential {
  assertCtx(ctx);
  const validFrom = req.validFrom ?? ctx.validFrom;
  if (req.validUntil !== undefined && Date.parse(req.validUntil) <= Date.parse(validFrom)) {
    throw new SchemaError("schema.invalid", "validUntil must be later than validFrom", {
      path: "validUntil",
    });
  }
  const parts = buildSubjectParts(req);
  const issuer: IssuerProfile = { id: ctx.issuer.id, type: ["Profile"], name: ctx.issuer.name };
  if (ctx.issuer.url !== undefined) issuer.url = ctx.issuer.url;

  const cred: Record<string, unknown> = {
    "@context": [...CREDENTIAL_CONTEXTS],
    id: ctx.id,
    type: ["VerifiableCredential", "OpenBadgeCredential", req.type],
    issuer,
    validFrom,
  };
  if (req.validUntil !== undefined) cred.validUntil = req.validUntil;
  cred.name = parts.achievement.name;
  cred.description = parts.achievement.description;
  cred.credentialSubject = {
    id: req.subject.id,
    type: ["AchievementSubject"],
    // Open Badges 3.0 AchievementSubject: the dates of the learning itself (validFrom is the issuance).
    ...(req.subject.activityStartDate !== undefined
      ? { activityStartDate: req.subject.activityStartDate }
      : {}),
    ...(req.subject.activityEndDate !== undefined ? { activityEndDate: req.subject.activityEndDate } : {}),
    achievement: {
      id: ctx.achievementId ?? `${ctx.id}#achievement`,
      type: ["Achievement"],
      ...parts.achievement,
    },
    scope: parts.scope,
    ...parts.extension,
  };
  if (parts.evidence.length > 0) cred.evidence = parts.evidence;
  if (parts.related !== undefined) cred.relatedResource = parts.related;
  // OB 3.0 AchievementCredential JSON Schema: `credentialStatus` is one object, so a single entry is written bare.
  if (ctx.credentialStatus !== undefined && ctx.credentialStatus.length === 1)
    cred.credentialStatus = { ...ctx.credentialStatus[0]! };
  else if (ctx.credentialStatus !== undefined && ctx.credentialStatus.length > 1)
    cred.credentialStatus = ctx.credentialStatus.map((s) => ({ ...s }));
  cred.termsOfUse = [{ ...NO_CONVERSION }];
  if (ctx.supersedes !== undefined) cred.supersedes = ctx.supersedes;
  if (ctx.renews !== undefined) cred.renews = ctx.renews;
  return cred as unknown as Credential;
}

/**
 * The registered JWT claims of an Open Badges 3.0 VC-JWT for `cred` (OB 3.0 §8.2.4.1 "JSON Web
 * Token Proof Format"): `iss` = issuer.id, `sub` = credentialSubject.id, `jti` = id, `nbf` =
 * validFrom and `exp` = validUntil in seconds since the epoch. The verifier checks these match.
 */
export function credentialJwtClaims(cred: Credential): {
  iss: string;
  sub: string;
  jti: string;
  nbf: number;
  exp?: number;
} {
  const out: { iss: string; sub: string; jti: string; nbf: number; exp?: number } = {
    iss: cred.issuer.id,
    sub: cred.credentialSubject.id,
    jti: cred.id,
    nbf: Math.floor(Date.parse(cred.validFrom) / 1000),
  };
  if (cred.validUntil !== undefined) out.exp = Math.floor(Date.parse(cred.validUntil) / 1000);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing a decoded credential. Loose objects: Open Badges 3.0 and VC 2.0 allow members we do not
// write (and the JWT form adds iss/sub/jti/nbf/exp); we check every member we read.

const KIND_SET: ReadonlySet<string> = new Set(CREDENTIAL_KINDS);
const typeList = (must: string) =>
  z
    .union([z.string(), z.array(z.string().max(200)).max(10)])
    .refine((t) => (Array.isArray(t) ? t.includes(must) : t === must), `type must include ${must}`);
const displayText = (max: number) => z.string().max(max);
const displayList = z.array(displayText(LIMITS.item * 2)).max(LIMITS.items * 2);

const achievementRead = z.looseObject({
  id: uri,
  type: typeList("Achievement"),
  achievementType: z.string().max(200).optional(),
  name: displayText(LIMITS.name * 3),
  description: displayText(LIMITS.description * 2),
  criteria: z.looseObject({ narrative: displayText(LIMITS.narrative * 2).optional(), id: uri.optional() }),
});

const scopeRead = z.looseObject({ covers: displayList, excludes: displayList });

const subjectBaseRead = {
  id: did,
  type: typeList("AchievementSubject"),
  achievement: achievementRead,
  scope: scopeRead,
};

const subjectReaders = {
  MicroCredential: z.looseObject({
    ...subjectBaseRead,
    reviewLevel: z.enum(REVIEW_LEVELS),
    pathway: displayText(LIMITS.name).optional(),
    productionClass: displayText(LIMITS.name).optional(),
    assessmentBasis: displayText(LIMITS.description).optional(),
    limitations: displayList.optional(),
    renewalRequirement: displayText(LIMITS.description).optional(),
  }),
  Attribution: z.looseObject({
    ...subjectBaseRead,
    contribution: z.looseObject({
      kind: z.string().max(64),
      role: displayText(LIMITS.role),
      description: displayText(LIMITS.description),
    }),
    contributionObject: z.looseObject({ id: uri, name: displayText(LIMITS.name), digestSRI }),
  }),
  MPUAuthorship: z.looseObject({
    ...subjectBaseRead,
    mpu: z.looseObject({
      id: uri,
      title: displayText(LIMITS.name),
      category: z.enum(MPU_CATEGORIES),
      digestSRI,
      license: z.union([z.enum(LICENSE_IDS), z.literal("custom")]),
      licenseTerms: z
        .looseObject({
          name: displayText(LIMITS.name).optional(),
          text: displayText(LIMITS.licenseText),
          url: uri.optional(),
        })
        .optional(),
      stage: z.enum(MPU_STAGES),
      verification: z.string().max(64),
      authors: z
        .array(z.looseObject({ id: did, role: displayText(LIMITS.role) }))
        .min(1)
        .max(LIMITS.authors),
      linkedDomains: displayList.optional(),
    }),
  }),
} as const;

const statusEntryRead = z.looseObject({
  id: uri.optional(),
  type: z.literal("BitstringStatusListEntry"),
  statusPurpose: z.string().max(64),
  statusListIndex: z
    .string()
    .regex(/^(?:0|[1-9][0-9]{0,9})$/, "statusListIndex must be a decimal integer string"),
  statusListCredential: uri,
});

const OB3_CONTEXT_ANY = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context-3\.0\.\d+\.json$/;

const credentialRead = z.looseObject({
  "@context": z
    .array(z.union([z.string().max(LIMITS.uri), z.record(z.string(), z.unknown())]))
    .min(3)
    .max(10)
    .refine(
      (c) => c[0] === VC2_CONTEXT_URL,
      `the first @context must be ${VC2_CONTEXT_URL} (VC Data Model 2.0 §4.3)`,
    )
    .refine(
      (c) => c.some((x) => typeof x === "string" && (x === OB3_CONTEXT_URL || OB3_CONTEXT_ANY.test(x))),
      "@context must include the Open Badges 3.0 context",
    )
    .refine((c) => c.includes(MERITLOG_CONTEXT_URL), `@context must include ${MERITLOG_CONTEXT_URL}`),
  id: uri,
  type: z
    .array(z.string().max(200))
    .max(10)
    .refine((t) => t.includes("VerifiableCredential"), "type must include VerifiableCredential")
    .refine(
      (t) => t.includes("OpenBadgeCredential") || t.includes("AchievementCredential"),
      "type must include OpenBadgeCredential",
    ),
  issuer: z.looseObject({
    id: did,
    type: typeList("Profile"),
    name: displayText(LIMITS.name).optional(),
    url: uri.optional(),
  }),
  validFrom: dateTime,
  validUntil: dateTime.optional(),
  name: displayText(LIMITS.name * 3).optional(),
  description: displayText(LIMITS.description * 2).optional(),
  credentialSubject: z.looseObject({}),
  evidence: z
    .array(
      z.looseObject({
        id: uri.optional(),
        type: typeList("Evidence"),
        name: displayText(LIMITS.name).optional(),
        description: displayText(LIMITS.description).optional(),
        digestSRI: digestSRI.optional(),
      }),
    )
    .max(LIMITS.evidence)
    .optional(),
  credentialStatus: z.union([statusEntryRead, z.array(statusEntryRead).max(4)]).optional(),
  termsOfUse: z
    .union([z.looseObject({ type: z.string() }), z.array(z.looseObject({ type: z.string() })).max(10)])
    .optional(),
  supersedes: uri.optional(),
  renews: uri.optional(),
});

/**
 * The kind of a meritlog credential, read from its `type` (the third member after
 * VerifiableCredential and OpenBadgeCredential), or `undefined` if it names none or several.
 */
export function credentialKind(cred: unknown): CredentialKind | undefined {
  if (typeof cred !== "object" || cred === null) return undefined;
  const t = (cred as { type?: unknown }).type;
  if (!Array.isArray(t)) return undefined;
  const kinds = t.filter((x): x is CredentialKind => typeof x === "string" && KIND_SET.has(x));
  return kinds.length === 1 ? kinds[0] : undefined;
}

/**
 * Parses a decoded meritlog credential (the JWT payload of the Open Badges 3.0 form, or the
 * `vc` claim of the 1.1 form after unwrapping): contexts, types, issuer, validity, subject per
 * kind, evidence digests, status entries. Unknown extra members are kept (VC 2.0 §5.2).
 * Issues carry readable paths (`credentialSubject.achievement.name`).
 */
export const credentialSchema: z.ZodType<Credential> = z.unknown().transform((value, ctx): Credential => {
  const base = credentialRead.safeParse(value);
  if (!base.success) {
    for (const i of base.error.issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
    return z.NEVER;
  }
  const kind = credentialKind(base.data);
  if (kind === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["type"],
      message: `type must name exactly one of ${CREDENTIAL_KINDS.join(", ")}`,
    });
    return z.NEVER;
  }
  const subject = subjectReaders[kind].safeParse(base.data.credentialSubject);
  if (!subject.success) {
    for (const i of subject.error.issues)
      ctx.addIssue({ code: "custom", path: ["credentialSubject", ...i.path], message: i.message });
    return z.NEVER;
  }
  return value as Credential;
});
