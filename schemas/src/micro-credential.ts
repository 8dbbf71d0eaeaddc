/**
 * MicroCredential: a bounded recognition of discrete learning or applied practice (issue 3
 * "Credential types"; DOMAIN.md "Micro-credentials": scoped, evidence-linked, review-labelled,
 * expiry-aware, non-certifying).
 */
import { z } from "zod";
import {
  LIMITS,
  evidenceItemSchema,
  scopeSchema,
  offerSubjectSchema,
  subjectSchema,
  text,
  textList,
  validityShape,
} from "./fields.js";
import { achievementImageSchema } from "./image.js";

/** Who reviewed the learning. Shown on every display (DOMAIN.md "Display"). */
export const REVIEW_LEVELS = ["self", "peer", "supervisor", "panel", "algorithmic-assisted"] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

/** The Open Badges 3.0 Achievement core the issuer writes: name, description, criteria, image (OB 3.0 §B.1.1 Achievement). */
const achievementInputSchema = z.strictObject({
  name: text(LIMITS.name),
  description: text(LIMITS.description),
  criteria: z.strictObject({ narrative: text(LIMITS.narrative) }),
  image: achievementImageSchema.optional(),
});

/** The claims of a MicroCredential request (everything except `type`, `subject` and validity). */
const microCredentialClaimsShape = {
  achievement: achievementInputSchema,
  scope: scopeSchema,
  /** The pathway the unit stacks into; stacking never creates certification (DOMAIN.md). */
  pathway: text(LIMITS.name).optional(),
  /** Production class of the practice (e.g. "hand-pump maintenance"). */
  productionClass: text(LIMITS.name).optional(),
  reviewLevel: z.enum(REVIEW_LEVELS).describe("Who reviewed the learning"),
  evidence: z
    .array(evidenceItemSchema)
    .min(1, "a micro-credential is evidence-linked: give at least one evidence item")
    .max(LIMITS.evidence),
  /** How the learning was assessed (DOMAIN.md "Display": assessment basis). */
  assessmentBasis: text(LIMITS.description).optional(),
  /** What the credential does not establish, in the issuer's words. */
  limitations: textList().optional(),
  /** What renewal needs; nothing renews automatically (DOMAIN.md "Validity by record"). */
  renewalRequirement: text(LIMITS.description).optional(),
  ...validityShape,
} as const;

/** `POST /v1/credentials` body for a MicroCredential (strict: unknown keys are refused). */
export const microCredentialRequestSchema = z
  .strictObject({
    type: z.literal("MicroCredential"),
    subject: subjectSchema,
    ...microCredentialClaimsShape,
  })
  .meta({
    title: "MicroCredential",
    description:
      "A bounded recognition of discrete learning or applied practice: scoped, evidence-linked, review-labelled, non-certifying.",
  });

/** `POST /v1/offers` body for a MicroCredential: the same without `subject`. */
export const microCredentialOfferSchema = z
  .strictObject({
    type: z.literal("MicroCredential"),
    subject: offerSubjectSchema,
    ...microCredentialClaimsShape,
  })
  .meta({
    title: "MicroCredential offer",
    description:
      "A MicroCredential offered to a wallet; the holder's DID is bound when the offer is redeemed.",
  });

export type MicroCredentialRequest = z.infer<typeof microCredentialRequestSchema>;
export type MicroCredentialOffer = z.infer<typeof microCredentialOfferSchema>;
