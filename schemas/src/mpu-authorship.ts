/**
 * MPUAuthorship: authorship of a Micro-Production Unit (issue 3; DOMAIN.md "Micro-Production
 * Units"): title, category, content digest, authors with roles, licence, lifecycle stage,
 * verification method, linked domains.
 */
import { z } from "zod";
import {
  LIMITS,
  did,
  digestSRI,
  scopeSchema,
  offerSubjectSchema,
  subjectSchema,
  text,
  uri,
  validityShape,
} from "./fields.js";

export const MPU_CATEGORIES = ["Data", "Model", "Policy", "Media", "Governance"] as const;
export type MpuCategory = (typeof MPU_CATEGORIES)[number];

/** MPU lifecycle (DOMAIN.md): initiation → production → verification → anchored (registered) → deployment. */
export const MPU_STAGES = ["initiation", "production", "verification", "anchored", "deployment"] as const;
export type MpuStage = (typeof MPU_STAGES)[number];

/**
 * Licence identifiers accepted as plain strings: SPDX ids of the Creative Commons licences, CC0
 * (both spellings), the Nexus Public License, and the two non-open regimes of DOMAIN.md.
 */
export const LICENSE_IDS = [
  "CC-BY-4.0",
  "CC-BY-SA-4.0",
  "CC-BY-NC-4.0",
  "CC-BY-NC-SA-4.0",
  "CC-BY-ND-4.0",
  "CC-BY-NC-ND-4.0",
  "CC0-1.0",
  "CC0",
  "Nexus-Public-License",
  "treaty-constrained",
  "private-sovereign",
] as const;
export type LicenseId = (typeof LICENSE_IDS)[number];

/** Licence terms written out: custom terms (text required) or a treaty-constrained / private-sovereign regime with its terms. */
const licenseTermsSchema = z.discriminatedUnion("id", [
  z.strictObject({
    id: z.literal("custom"),
    name: text(LIMITS.name),
    text: text(LIMITS.licenseText),
    url: uri.optional(),
  }),
  z.strictObject({
    id: z.literal("treaty-constrained"),
    name: text(LIMITS.name).optional(),
    text: text(LIMITS.licenseText),
    url: uri.optional(),
  }),
  z.strictObject({
    id: z.literal("private-sovereign"),
    name: text(LIMITS.name).optional(),
    text: text(LIMITS.licenseText),
    url: uri.optional(),
  }),
]);

const licenseSchema = z.union([z.enum(LICENSE_IDS), licenseTermsSchema]);
export type License = z.infer<typeof licenseSchema>;

const mpuAuthorSchema = z.strictObject({ id: did, role: text(LIMITS.role) });

/**
 * One co-author's signature over the MPU statement (issue 14, docs/API.md "Provenance"): the
 * author's compact JWS (EdDSA, `kid` a DID URL of the author) whose payload is the statement of
 * `mpuStatement`, and the index of its `cosign` log entry. The verifier's `coAuthorship` check
 * verifies every one of them offline.
 */
export const mpuCoSignatureSchema = z.strictObject({
  author: did,
  jws: z.string().max(8192),
  leafIndex: z.number().int().nonnegative(),
});
export type MpuCoSignature = z.infer<typeof mpuCoSignatureSchema>;

const mpuSchema = z.strictObject({
  id: uri,
  title: text(LIMITS.name),
  category: z.enum(MPU_CATEGORIES),
  digestSRI,
  license: licenseSchema,
  stage: z.enum(MPU_STAGES),
  /** How the MPU was verified, a short slug: peer-review, panel-review, algorithmic-assisted-review, community-co-signature, none, … */
  verification: z
    .string()
    .max(64)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lowercase slug such as peer-review"),
  authors: z
    .array(mpuAuthorSchema)
    .min(1)
    .max(LIMITS.authors)
    .refine((a) => new Set(a.map((x) => x.id)).size === a.length, "each author is listed once"),
  /** Where the MPU is used: domains of application or URLs (DOMAIN.md "linked to where it is used"). */
  linkedDomains: z.array(text(LIMITS.item)).max(LIMITS.items).optional(),
  /** Co-authored MPUs (`POST /v1/mpus`): every author's signature over the statement. */
  coSignatures: z.array(mpuCoSignatureSchema).max(LIMITS.authors).optional(),
});
export type Mpu = z.infer<typeof mpuSchema>;

const mpuAuthorshipClaimsShape = {
  mpu: mpuSchema,
  scope: scopeSchema.optional(),
  ...validityShape,
} as const;

/** `POST /v1/credentials` body for MPU authorship (strict). */
export const mpuAuthorshipRequestSchema = z
  .strictObject({
    type: z.literal("MPUAuthorship"),
    subject: subjectSchema,
    ...mpuAuthorshipClaimsShape,
  })
  .meta({
    title: "MPUAuthorship",
    description:
      "Authorship of a Micro-Production Unit (Data, Model, Policy, Media or Governance), pinned by its digest, with its licence, lifecycle stage and verification method.",
  });

/**
 * The author id that stands for the redeeming wallet in an MPU authorship offer: the learner has
 * no DID yet when the offer is made, so exactly one author is `"holder"`, and redemption puts the
 * wallet's DID in its place (docs/API.md "Offers that survive real delivery").
 */
export const HOLDER_AUTHOR = "holder";

const offerAuthorSchema = z.strictObject({
  id: z.union([did, z.literal(HOLDER_AUTHOR)]),
  role: text(LIMITS.role),
});

/** The MPU of an offer: as `mpuSchema`, with exactly one author `{"id": "holder"}`. */
const mpuOfferSchema = mpuSchema.extend({
  authors: z
    .array(offerAuthorSchema)
    .min(1)
    .max(LIMITS.authors)
    .refine((a) => new Set(a.map((x) => x.id)).size === a.length, "each author is listed once")
    .refine(
      (a) => a.filter((x) => x.id === HOLDER_AUTHOR).length === 1,
      `exactly one author must be {"id": "${HOLDER_AUTHOR}"}: the redeeming wallet's DID takes its place`,
    ),
});

/** `POST /v1/offers` body for MPU authorship: the same without `subject`; one author is `"holder"`. */
export const mpuAuthorshipOfferSchema = z
  .strictObject({
    type: z.literal("MPUAuthorship"),
    subject: offerSubjectSchema,
    ...mpuAuthorshipClaimsShape,
    mpu: mpuOfferSchema,
  })
  .meta({
    title: "MPUAuthorship offer",
    description: "MPU authorship offered to a wallet; the holder's DID is bound when the offer is redeemed.",
  });

export type MpuAuthorshipRequest = z.infer<typeof mpuAuthorshipRequestSchema>;
export type MpuAuthorshipOffer = z.infer<typeof mpuAuthorshipOfferSchema>;
