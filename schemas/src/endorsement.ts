/**
 * Endorsements (issue 14; docs/API.md "Provenance"): an Open Badges 3.0 EndorsementCredential
 * (OB 3.0 §B.1.8 EndorsementCredential, §B.1.9 EndorsementSubject) by which an issuer (a review
 * panel, a community, a local co-validator) endorses a credential, an artifact or, for mentor
 * feedback, a holder.
 */
import { z } from "zod";
import { LIMITS, digestSRI, hexSha256, text, urnUuid, validityShape } from "./fields.js";
import { REVIEW_LEVELS } from "./micro-credential.js";

/** `type` of an endorsement credential (OB 3.0 §B.1.8). */
export const ENDORSEMENT_TYPES = ["VerifiableCredential", "EndorsementCredential"] as const;

/**
 * `POST /v1/endorsements` body: `target` is a credential's `urn:uuid:` id or an artifact digest
 * (hex SHA-256 or `sha256-` SRI); `claim.narrative` becomes the `endorsementComment`.
 */
export const endorsementRequestSchema = z
  .strictObject({
    target: z.union([urnUuid, hexSha256, digestSRI]),
    claim: z.strictObject({
      narrative: text(LIMITS.narrative),
      reviewLevel: z.enum(REVIEW_LEVELS).optional(),
    }),
    ...validityShape,
  })
  .meta({
    title: "Endorsement",
    description:
      "An Open Badges 3.0 EndorsementCredential by the calling issuer about a credential of this service or an artifact digest.",
  });
export type EndorsementRequest = z.infer<typeof endorsementRequestSchema>;

/**
 * `POST /v1/feedback` body (issue 15, mentor feedback): the reviewer names a learner's credential
 * of this service; the feedback is an EndorsementCredential addressed to that credential's holder,
 * which reaches them as a wallet link and enters a presentation only if they add it.
 */
export const feedbackRequestSchema = z
  .strictObject({
    credentialId: urnUuid,
    comment: text(LIMITS.narrative),
    reviewLevel: z.enum(REVIEW_LEVELS).optional(),
    ...validityShape,
  })
  .meta({
    title: "Feedback",
    description:
      "Mentor feedback: an Open Badges 3.0 EndorsementCredential by the calling issuer, addressed to the holder of a credential of this service.",
  });
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;
