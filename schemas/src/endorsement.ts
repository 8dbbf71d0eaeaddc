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
