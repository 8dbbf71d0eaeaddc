// The contracts of the verification routes (routes.ts; docs/API.md "Verification (public)").
// `verifyRequestSchema` is the schema the handler parses with (its hand-written fast path accepts
// exactly the same `{credential, receipt?}` bodies). The sharing routes (sharing.ts; docs/API.md
// "Sharing that survives email") parse their bodies and ids with the schemas sharing.ts exports.
import { z } from "zod";
import type { RouteContract } from "@meritlog/schemas";
import {
  createShareRequestSchema,
  presentationRequestRequestSchema,
  presentationResponseRequestSchema,
  sharingIdParamsSchema,
  withdrawShareRequestSchema,
} from "./sharing.js";

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
  z.strictObject({
    presentation: z.string().min(1),
    nonce: z.string().min(1).max(512),
    audience: z.string().min(1).max(2048),
  }),
]);

export const VERIFIER_ROUTE_CONTRACTS = [
  {
    method: "GET",
    url: "/v1/challenges",
    tag: "verification",
    summary: "Get a presentation challenge",
    description: "A one-time `{nonce, audience, expiresAt}` for a holder to sign a presentation over.",
    auth: "public",
    success: {
      status: 200,
      description: "The challenge.",
      schema: z.object({ nonce: z.string(), audience: z.string(), expiresAt: z.string() }),
    },
    problems: [],
  },
  {
    method: "POST",
    url: "/v1/verify",
    tag: "verification",
    summary: "Verify a credential or presentation",
    description:
      'Answers 200 with a VerificationReport also for an invalid credential (`verdict: "invalid"`); only a malformed request is an error. Without a `receipt` the verifier looks the credential up in the log itself.',
    auth: "public",
    body: verifyRequestSchema,
    success: { status: 200, description: "The VerificationReport." },
    problems: ["verify.request_invalid", "verify.too_large"],
  },
] as const satisfies readonly RouteContract[];

/** Refusals of a holder proof (a compact JWS by the credential subject's key). */
const HOLDER_PROOF = ["sharing.proof_invalid", "sharing.proof_not_holder", "sharing.proof_rejected"] as const;
/** A share that is not there to read or withdraw. */
const SHARE_GONE = ["share.not_found", "share.withdrawn", "share.expired"] as const;

export const SHARING_ROUTE_CONTRACTS = [
  {
    method: "POST",
    url: "/v1/shares",
    tag: "sharing",
    summary: "Share a credential by a lasting link",
    description:
      "Creates a capability link to a credential whose signature holds. Needs a holder proof: a compact JWS by the credential subject's did:key over `{aud: <this service>, credentialId, iat (±300 s), nonce}`, each nonce accepted once. `expiresIn` defaults to one year.",
    auth: "public",
    body: createShareRequestSchema,
    success: {
      status: 201,
      description: "`{id, url, expiresAt}`: `url` is the `/s/{id}` page.",
      schema: z.object({ id: z.string(), url: z.string(), expiresAt: z.string() }),
    },
    problems: ["sharing.request_invalid", "sharing.credential_invalid", ...HOLDER_PROOF],
  },
  {
    method: "GET",
    url: "/v1/shares/:id",
    tag: "sharing",
    summary: "Read a share",
    description:
      "The shared credential with a report verified live on every read (its `holder` check says the subject shared it), `sharedAt`, `expiresAt` and `checkedAt`.",
    auth: "public",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "`{credential, report, sharedAt, expiresAt, checkedAt}`." },
    problems: [...SHARE_GONE],
  },
  {
    method: "DELETE",
    url: "/v1/shares/:id",
    tag: "sharing",
    summary: "Withdraw a share",
    description:
      "Withdraws the link for good (reads then answer 410 `share.withdrawn`). Needs a fresh holder proof for the shared credential.",
    auth: "public",
    params: sharingIdParamsSchema,
    body: withdrawShareRequestSchema,
    success: {
      status: 200,
      description: '`{id, state: "withdrawn"}`.',
      schema: z.object({ id: z.string(), state: z.literal("withdrawn") }),
    },
    problems: ["sharing.request_invalid", ...SHARE_GONE, ...HOLDER_PROOF],
  },
  {
    method: "POST",
    url: "/v1/presentation-requests",
    tag: "sharing",
    summary: "Ask a holder for credentials",
    description:
      "Creates a presentation request (OpenID4VP 1.0 by reference): a wallet link and QR code for the holder, the `requestUri` the wallet fetches, the `resultUrl` to read the answer with the `manageToken` (shown once). `expiresIn` defaults to seven days. Rate limited per address.",
    auth: "public",
    body: presentationRequestRequestSchema,
    success: {
      status: 201,
      description: "`{id, walletLink, requestUri, resultUrl, expiresAt, manageToken}`.",
      schema: z.object({
        id: z.string(),
        walletLink: z.string(),
        requestUri: z.string(),
        resultUrl: z.string(),
        expiresAt: z.string(),
        manageToken: z.string(),
      }),
    },
    problems: ["sharing.request_invalid"],
  },
  {
    method: "GET",
    url: "/v1/presentation-requests/:id",
    tag: "sharing",
    summary: "Read a presentation request's result",
    description:
      "`{id, purpose, types?, createdAt, expiresAt, state}` with `state` `pending`, `expired` or `answered`; once answered also `answeredAt` and the presentation's report, its credentials re-checked live. Bearer: the request's `manageToken`.",
    auth: "manage-token",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "The request's state and, once answered, its report." },
    problems: [
      "presentation_request.token_missing",
      "presentation_request.token_invalid",
      "presentation_request.not_found",
    ],
  },
  {
    method: "GET",
    url: "/oid4vp/requests/:id",
    tag: "sharing",
    summary: "The request object a wallet fetches",
    description:
      'OpenID4VP 1.0 `request_uri` target: `{response_type: "vp_token", response_mode: "direct_post", client_id, response_uri, nonce, audience, purpose, types?, expiresAt}`, unsigned (fetched over TLS from the origin the wallet shows).',
    auth: "public",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "The request object." },
    problems: [
      "presentation_request.not_found",
      "presentation_request.answered",
      "presentation_request.expired",
    ],
  },
  {
    method: "POST",
    url: "/v1/presentation-requests/:id/response",
    tag: "sharing",
    summary: "Answer a presentation request",
    description:
      "The wallet's `direct_post` answer: a VP-JWT over the request's nonce and audience, by the holder, holding every asked type. A request is answered once; anything else is refused without using it up.",
    auth: "public",
    params: sharingIdParamsSchema,
    body: presentationResponseRequestSchema,
    success: { status: 200, description: "`{report}`: the presentation's VerificationReport." },
    problems: [
      "sharing.request_invalid",
      "presentation_request.not_found",
      "presentation_request.answered",
      "presentation_request.expired",
      "presentation_request.presentation_rejected",
    ],
  },
  {
    method: "GET",
    url: "/v1/presentation-requests/:id/qr.svg",
    tag: "sharing",
    summary: "A presentation request's QR code",
    description:
      "The request's wallet link as an SVG QR code, for a holder to scan from the verifier's screen.",
    auth: "public",
    params: sharingIdParamsSchema,
    success: { status: 200, description: "The QR code.", mediaType: "image/svg+xml" },
    problems: ["presentation_request.not_found"],
  },
] as const satisfies readonly RouteContract[];
