/**
 * Pathways (issue 15; ../shared/API.md "The learner's account"; DOMAIN.md "Micro-credentials":
 * they "may stack into pathways; stacking never creates certification"). A pathway is an issuer's
 * published grouping of achievements, ordered or not, each step optionally requiring a minimum
 * review level. It is anchored in the log as a `pathway` entry carrying the SHA-256 of the
 * canonical document, so a learner can show which version their credentials were issued under.
 */
import { z } from "zod";
import { LIMITS, text, uri } from "./fields.js";
import { REVIEW_LEVELS } from "./micro-credential.js";

/** At most this many steps: a pathway longer than this is a programme, and that is not ours to make. */
export const PATHWAY_MAX_STEPS = 50;

/** One step: the achievement a credential must be for (by `id` when given, else by `name`). */
export const pathwayStepSchema = z.strictObject({
  name: text(LIMITS.name),
  /** The Open Badges 3.0 Achievement `id` the step stands for, when the issuer gives achievements ids. */
  id: uri.optional(),
  /** The lowest review level that counts for this step (order of REVIEW_LEVELS: self < peer < …). */
  minReviewLevel: z.enum(REVIEW_LEVELS).optional(),
});
export type PathwayStep = z.infer<typeof pathwayStepSchema>;

/** `POST /v1/pathways` and `POST /v1/pathways/{id}/supersede` body. */
export const pathwayRequestSchema = z
  .strictObject({
    name: text(LIMITS.name),
    description: text(LIMITS.description),
    achievements: z
      .array(pathwayStepSchema)
      .min(1, "a pathway groups at least one achievement")
      .max(PATHWAY_MAX_STEPS),
    /** Whether the steps must be completed in the given order. */
    ordered: z.boolean(),
  })
  .refine(
    (p) => new Set(p.achievements.map((a) => a.id ?? `name:${a.name}`)).size === p.achievements.length,
    { message: "each step must name a different achievement", path: ["achievements"] },
  );
export type PathwayRequest = z.infer<typeof pathwayRequestSchema>;

/**
 * Review levels in the order in which they count for `minReviewLevel`. "algorithmic-assisted"
 * ranks with "self": a tool's help is not a person's review (DOMAIN.md "Review").
 */
export const REVIEW_LEVEL_RANK: Readonly<Record<(typeof REVIEW_LEVELS)[number], number>> = {
  self: 0,
  "algorithmic-assisted": 0,
  peer: 1,
  supervisor: 2,
  panel: 3,
};

/** The line every pathway display carries (no-conversion notice, DOMAIN.md). */
export const PATHWAY_NOTICE = "Completing a pathway does not create a certification.";
