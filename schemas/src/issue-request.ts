/**
 * The issuance request (`POST /v1/credentials`) and the wallet offer request (`POST /v1/offers`):
 * a union of the three credential types discriminated on `type` (docs/API.md "Credentials").
 */
import { z } from "zod";
import { attributionOfferSchema, attributionRequestSchema } from "./attribution.js";
import { microCredentialOfferSchema, microCredentialRequestSchema } from "./micro-credential.js";
import { HOLDER_AUTHOR, mpuAuthorshipOfferSchema, mpuAuthorshipRequestSchema } from "./mpu-authorship.js";

/** The three kinds of record meritlog issues. */
export const CREDENTIAL_KINDS = ["MicroCredential", "Attribution", "MPUAuthorship"] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

// VC Data Model 2.0 §4.9: validUntil must not be before validFrom; an empty window is useless too.
function checkWindow(
  v: { validFrom?: string | undefined; validUntil?: string | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  if (
    v.validFrom !== undefined &&
    v.validUntil !== undefined &&
    Date.parse(v.validUntil) <= Date.parse(v.validFrom)
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["validUntil"],
      message: "validUntil must be later than validFrom",
    });
  }
}

const issueUnion = z.discriminatedUnion("type", [
  microCredentialRequestSchema,
  attributionRequestSchema,
  mpuAuthorshipRequestSchema,
]);
const offerUnion = z.discriminatedUnion("type", [
  microCredentialOfferSchema,
  attributionOfferSchema,
  mpuAuthorshipOfferSchema,
]);

/** `POST /v1/credentials` body: discriminated on `type`; strict (unknown keys refused); bounded. */
export const issueRequestSchema = issueUnion.superRefine(checkWindow).meta({
  title: "IssueRequest",
  description:
    "POST /v1/credentials body: one of MicroCredential, Attribution, MPUAuthorship (by `type`). Unknown fields are refused; claims rules apply (422 claims.*).",
});
/** `POST /v1/offers` body: as `issueRequestSchema`, `subject` only the activity dates (the wallet binds its own DID). */
export const offerRequestSchema = offerUnion.superRefine(checkWindow).meta({
  title: "OfferRequest",
  description:
    "POST /v1/offers body: as IssueRequest, with `subject` holding only the dates of the learning (the wallet binds its own DID).",
});

export type IssueRequest = z.infer<typeof issueUnion>;
export type OfferRequest = z.infer<typeof offerUnion>;

/** The offer's subject (the dates of the learning, if any) bound to the redeeming holder's DID. */
const subjectOf = (offer: OfferRequest, holderDid: string): IssueRequest["subject"] => ({
  ...offer.subject,
  id: holderDid,
});

/** Turns an accepted offer into an issuance request for the holder who redeemed it (OID4VCI §8: the proof's key). */
export function offerToIssueRequest(offer: OfferRequest, holderDid: string): IssueRequest {
  if (offer.type === "MPUAuthorship") {
    // The one `"holder"` author becomes the redeeming wallet's DID (mpu-authorship.ts HOLDER_AUTHOR).
    const authors = offer.mpu.authors.map((a) => (a.id === HOLDER_AUTHOR ? { ...a, id: holderDid } : a));
    return { ...offer, mpu: { ...offer.mpu, authors }, subject: subjectOf(offer, holderDid) } as IssueRequest;
  }
  return { ...offer, subject: subjectOf(offer, holderDid) } as IssueRequest;
}
