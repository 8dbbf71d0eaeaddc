/**
 * Attribution: recognition of a bounded contribution to a named object identified by id and
 * digest, with the contributor's role (issue 3; DOMAIN.md "Attribution": never compensation,
 * employment or procurement status). No amounts, no value.
 */
import { z } from "zod";
import {
  LIMITS,
  digestSRI,
  scopeSchema,
  offerSubjectSchema,
  subjectSchema,
  text,
  uri,
  validityShape,
} from "./fields.js";

/** Kinds of contribution (DOMAIN.md "Attribution"). */
export const CONTRIBUTION_KINDS = [
  "documentation",
  "review-support",
  "safety-review-support",
  "bom-preparation",
  "repair-guide",
  "translation",
  "data-product",
  "public-safe-reporting",
  "accessibility",
  "pack-maintenance",
  "correction",
  "teardown",
  "archive",
  "support",
] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

const contributionSchema = z.strictObject({
  kind: z.enum(CONTRIBUTION_KINDS),
  role: text(LIMITS.role),
  description: text(LIMITS.description),
});

/** The object contributed to, pinned by digest so the attribution names exactly one version. */
const contributionObjectSchema = z.strictObject({
  id: uri,
  name: text(LIMITS.name),
  digestSRI,
});

const attributionClaimsShape = {
  contribution: contributionSchema,
  object: contributionObjectSchema,
  /** Optional explicit scope; when absent the credential states a derived scope (see credential.ts). */
  scope: scopeSchema.optional(),
  ...validityShape,
} as const;

/** `POST /v1/credentials` body for an Attribution (strict). */
export const attributionRequestSchema = z
  .strictObject({
    type: z.literal("Attribution"),
    subject: subjectSchema,
    ...attributionClaimsShape,
  })
  .meta({
    title: "Attribution",
    description:
      "Recognition of a bounded contribution to an object identified by id and digest. No amounts, no value, no compensation, employment or procurement status.",
  });

/** `POST /v1/offers` body for an Attribution: the same without `subject`. */
export const attributionOfferSchema = z
  .strictObject({
    type: z.literal("Attribution"),
    subject: offerSubjectSchema,
    ...attributionClaimsShape,
  })
  .meta({
    title: "Attribution offer",
    description: "An Attribution offered to a wallet; the holder's DID is bound when the offer is redeemed.",
  });

export type AttributionRequest = z.infer<typeof attributionRequestSchema>;
export type AttributionOffer = z.infer<typeof attributionOfferSchema>;
