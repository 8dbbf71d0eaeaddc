// The contracts of the verification routes (routes.ts; docs/API.md "Verification (public)").
// `verifyRequestSchema` is the schema the handler parses with (its hand-written fast path accepts
// exactly the same `{credential, receipt?}` bodies).
import { z } from "zod";
import type { RouteContract } from "@meritlog/schemas";
import { requestBody, responseBody, shareBody, sharingIdParamsSchema, withdrawBody } from "./sharing.js";

const receiptSchema = z.object({
  origin: z.string().max(1024),
  leafIndex: z.number().int().nonnegative(),
  entry: z.string().max(64 * 1024),
  inclusionProof: z.array(z.string().max(128)).max(64),
  checkpoint: z.string().max(64 * 1024),
});

/** `{credential, receipt?}` or `{presentation, nonce, audience}`; strict, so typos are 400s. */
export const verifyRequestSchema = z.union([
  z.strictObject({ credential: z.string().min(1), receipt: receiptSchema.optional() }),
  // A credential secured with an embedded Data Integrity proof is sent as the JSON object itself.
  z.strictObject({ credential: z.record(z.string(), z.unknown()), receipt: receiptSchema.optional() }),
  z.strictObject({ presentation: z.string().min(1), nonce: z.string().min(1).max(512), audience: z.string().min(1).max(2048) }),
]);

export const VERIFIER_ROUTE_CONTRACTS = [
  {
    method: "GET",
    url: "/v1/challenges",
    tag: "verification",
    summary: "Get a presentation challenge",
    description: "A one-time `{nonce, audience, expiresAt}` for a holder to sign a presentation over.",
    auth: "public",
    success: { status: 200, description: "The challenge.", schema: z.object({ nonce: z.string(), audience: z.string(), expiresAt: z.string() }) },
    problems: [],
  },
  {
    method: "POST",
    url: "/v1/verify",
    tag: "verification",
    summary: "Verify a credential or presentation",
    description:
      "Answers 200 with a VerificationReport also for an invalid credential (`verdict: \"invalid\"`); only a malformed request is an error. Without a `receipt` the verifier looks the credential up in the log itself.",
    auth: "public",
    body: verifyRequestSchema,
    success: { status: 200, description: "The VerificationReport." },
    problems: ["verify.request_invalid", "verify.too_large"],
  },
  // Lasting shares and presentation requests (sharing.ts; docs/API.md "Sharing that survives email").
  {
    method: "POST",
    url: "/v1/shares",
    tag: "verification",
    summary: "Share a credential by a lasting link",
    description: "The holder shares a credential with a proof of holding (an EdDSA JWS by the subject's did:key over `{aud, credentialId, iat, nonce}`); anyone with the link reads a live report.",
    auth: "public",
    body: shareBody,
    success: { status: 201, description: "`{id, url, expiresAt}`." },
    problems: ["sharing.request_invalid", "sharing.credential_invalid", "sharing.proof_invalid", "sharing.proof_not_holder", "sharing.proof_rejected"],
  },
  {
    method: "GET",
    url: "/v1/shares/:id",
    tag: "verification",
    summary: "Read a share",
    description: "The shared credential and a report verified as of now.",
    auth: "public",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "`{credential, report, sharedAt, expiresAt, checkedAt}`." },
    problems: ["share.not_found", "share.withdrawn", "share.expired"],
  },
  {
    method: "DELETE",
    url: "/v1/shares/:id",
    tag: "verification",
    summary: "Withdraw a share",
    description: "The holder withdraws a share with a fresh proof of holding; the link answers 410 from then on.",
    auth: "public",
    params: sharingIdParamsSchema,
    body: withdrawBody,
    success: { status: 200, description: "`{id, state: \"withdrawn\"}`." },
    problems: ["sharing.request_invalid", "share.not_found", "share.withdrawn", "share.expired", "sharing.proof_invalid", "sharing.proof_not_holder", "sharing.proof_rejected"],
  },
  {
    method: "POST",
    url: "/v1/presentation-requests",
    tag: "verification",
    summary: "Ask a holder for a presentation",
    description: "An OpenID4VP request by reference: a wallet link and QR target, and a manage token to read the answer.",
    auth: "public",
    body: requestBody,
    success: { status: 201, description: "`{id, walletLink, requestUri, resultUrl, expiresAt, manageToken}`; the manage token is shown once." },
    problems: ["sharing.request_invalid"],
  },
  {
    method: "GET",
    url: "/v1/presentation-requests/:id/qr.svg",
    tag: "verification",
    summary: "The request's QR code",
    description: "The wallet link of a presentation request as an SVG QR code.",
    auth: "public",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "The QR code.", mediaType: "image/svg+xml" },
    problems: ["presentation_request.not_found"],
  },
  {
    method: "GET",
    url: "/oid4vp/requests/:id",
    tag: "verification",
    summary: "Read a presentation request (wallet)",
    description: "The request object a wallet fetches by reference (`response_mode: direct_post`), while the request is open.",
    auth: "public",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "`{response_type, response_mode, client_id, response_uri, nonce, audience, purpose, types?, expiresAt}`." },
    problems: ["presentation_request.not_found", "presentation_request.answered", "presentation_request.expired"],
  },
  {
    method: "POST",
    url: "/v1/presentation-requests/:id/response",
    tag: "verification",
    summary: "Answer a presentation request",
    description: "The wallet posts a VP-JWT for the request's nonce and audience; it must hold every asked type.",
    auth: "public",
    params: sharingIdParamsSchema,
    body: responseBody,
    success: { status: 200, description: "`{report}`." },
    problems: ["sharing.request_invalid", "presentation_request.not_found", "presentation_request.answered", "presentation_request.expired", "presentation_request.presentation_rejected"],
  },
  {
    method: "GET",
    url: "/v1/presentation-requests/:id",
    tag: "verification",
    summary: "Read a presentation request's answer",
    description: "With the request's manage token as `Authorization: Bearer`: the request and, once answered, the presentation's report.",
    auth: "access-token",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "`{id, purpose, createdAt, expiresAt, types?, state, …}`." },
    problems: ["presentation_request.token_missing", "presentation_request.token_invalid", "presentation_request.not_found"],
  },
] as const satisfies readonly RouteContract[];
