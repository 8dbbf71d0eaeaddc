// The contracts of the issuer routes (routes.ts; docs/API.md "Issuers", "Credentials", "Anchors",
// status lists): the zod schemas the handlers and the service parse with, and what OpenAPI says.
import { z } from "zod";
import {
  anchorRequestSchema,
  createIssuerRequestSchema,
  issueRequestSchema,
  SCHEMA_ERROR_CODES,
  statusChangeRequestSchema,
  type RouteContract,
} from "@meritlog/schemas";
import { offerBodySchema, offerIdParamSchema, offerListQuerySchema } from "./offer-requests.js";
import {
  credentialIdSchema,
  credentialListQuerySchema,
  issueQuerySchema,
  issuerIdSchema,
  listIdSchema,
} from "./requests.js";

/** The `claims.*` codes of the claims discipline (422), answered wherever claims are checked. */
export const CLAIMS_PROBLEMS = SCHEMA_ERROR_CODES.filter((c) => c.startsWith("claims."));
const ISSUER_AUTH = ["auth.missing_token", "auth.bad_token"] as const;
const ADMIN_AUTH = [...ISSUER_AUTH, "auth.admin_required"] as const;
/** Anything appended to the log may meet a full batch queue (503 with Retry-After). */
const ANCHORED = ["log.overloaded"] as const;

/** The receipt of an anchored event (docs/API.md "Receipt"). */
const receiptSchema = z.object({
  origin: z.string(),
  leafIndex: z.number().int().nonnegative(),
  entry: z.string().describe("RFC 8785 canonical JSON of the log entry"),
  inclusionProof: z.array(z.string().describe("base64 hash")),
  checkpoint: z.string().describe("C2SP signed note"),
});

const statusSummarySchema = z.object({
  state: z.string(),
  statusListCredential: z.string(),
  statusListIndex: z.union([z.string(), z.number()]),
});

/** `201` of every issuance: `{id, jwt, receipt, status}`. */
const issuedSchema = z.object({
  id: z.string(),
  jwt: z.string(),
  receipt: receiptSchema,
  status: statusSummarySchema,
});

/**
 * A batch body as documented: 1 … 1000 items of one request schema. The handler reads the items
 * as `batchBodySchema` (requests.ts) and validates each one on its own, so an invalid item is
 * answered in its place in `results` (`{index, error: <problem>}`), not with a 400 for the batch.
 */
const batchOf = (item: z.ZodType) => z.strictObject({ items: z.array(item).min(1).max(1000) });

const API_BODIES = [
  "API.md MicroCredential example, as written",
  "API.md Attribution example, as written",
  "API.md MPUAuthorship example, as written",
] as const;

export const ISSUER_ROUTE_CONTRACTS = [
  {
    method: "POST",
    url: "/v1/issuers",
    tag: "issuers",
    summary: "Create an issuer",
    description:
      "Creates an issuer with an Ed25519 key and a did:key, anchored in the log. The issuer token is in this answer only.",
    auth: "admin",
    body: createIssuerRequestSchema,
    success: { status: 201, description: "The issuer `{id, did, name, token}`; the token is shown once." },
    problems: [...ADMIN_AUTH, "schema.invalid", ...ANCHORED],
  },
  {
    method: "GET",
    url: "/v1/issuers",
    tag: "issuers",
    summary: "List the issuer registry",
    description: "The public registry of issuers `[{id, did, name, url, createdAt}]`, without tokens.",
    auth: "public",
    success: { status: 200, description: "Every registered issuer." },
    problems: [],
  },
  {
    method: "GET",
    url: "/v1/issuers/me",
    tag: "issuers",
    summary: "Read the token's issuer",
    description:
      "The registry entry `{id, did, name, url, createdAt}` of the issuer whose token is presented (the issuer console's sign-in check).",
    auth: "issuer",
    success: { status: 200, description: "The issuer's public registry entry." },
    problems: [...ISSUER_AUTH, "issuer.not_found"],
  },
  {
    method: "POST",
    url: "/v1/issuers/:id/keys/rotate",
    tag: "issuers",
    summary: "Rotate an issuer's key",
    description:
      "A new Ed25519 key and did:key for the issuer, anchored as a `key` event; credentials signed with the old key keep verifying. Admin token, or the issuer's own token.",
    auth: "admin-or-issuer",
    params: issuerIdSchema,
    success: { status: 201, description: "`{id, did, previousDid, keyReceipt}`." },
    problems: [
      ...ISSUER_AUTH,
      "auth.forbidden",
      "schema.invalid",
      "issuer.not_found",
      "issuer.key_unavailable",
      ...ANCHORED,
    ],
  },
  {
    method: "POST",
    url: "/v1/issuers/:id/token",
    tag: "issuers",
    summary: "Replace an issuer's token",
    description:
      "A new API token for the issuer, shown in this answer only; the old one stops working. Anchored in the log as a `key` event `token-rotate`. Admin token.",
    auth: "admin",
    params: issuerIdSchema,
    success: { status: 200, description: "`{id, token, revoked: false, keyReceipt}`." },
    problems: [...ADMIN_AUTH, "schema.invalid", "issuer.not_found", "issuer.key_unavailable", ...ANCHORED],
  },
  {
    method: "DELETE",
    url: "/v1/issuers/:id/token",
    tag: "issuers",
    summary: "Withdraw an issuer's token",
    description:
      "Stops the issuer's API token at once; no token works until the next `POST /v1/issuers/{id}/token`. Anchored in the log as a `key` event `token-revoke`. Admin token.",
    auth: "admin",
    params: issuerIdSchema,
    success: { status: 200, description: "`{id, revoked: true, keyReceipt}`." },
    problems: [...ADMIN_AUTH, "schema.invalid", "issuer.not_found", "issuer.key_unavailable", ...ANCHORED],
  },
  {
    method: "POST",
    url: "/v1/credentials",
    tag: "credentials",
    summary: "Issue a credential",
    description:
      "Issues a MicroCredential, Attribution or MPUAuthorship as an Open Badges 3.0 VC-JWT and anchors it in the log before answering. Claims that imply a certification, licence, approval or financial value are refused with 422 and a `claims.*` code.",
    auth: "issuer",
    querystring: issueQuerySchema,
    body: issueRequestSchema,
    examples: API_BODIES,
    success: {
      status: 201,
      description: "`{id, jwt, receipt, status}`: durable and anchored.",
      schema: issuedSchema,
    },
    problems: [
      ...ISSUER_AUTH,
      "schema.invalid",
      ...CLAIMS_PROBLEMS,
      "issuer.key_unavailable",
      "status.list_full",
      ...ANCHORED,
    ],
  },
  {
    method: "GET",
    url: "/v1/credentials",
    tag: "credentials",
    summary: "List the issuer's credentials",
    description:
      "The issuer's own credentials, newest first, filtered by type, state, subject, offer and issue time: `{items: [{id, type, name, subject, state, issuedAt, validUntil, offerId?}], next}`. `Accept: text/csv` answers the same rows as RFC 4180 CSV, with the next page in a `Link` header.",
    auth: "issuer",
    querystring: credentialListQuerySchema,
    success: {
      status: 200,
      description: "One page of credentials; `next` is the cursor of the following page or null.",
    },
    problems: [...ISSUER_AUTH, "schema.invalid"],
  },
  {
    method: "POST",
    url: "/v1/credentials/batch",
    tag: "credentials",
    summary: "Issue credentials in a batch",
    description:
      "Up to 1000 credentials in one request (body ≤ 4 MiB), each validated as `POST /v1/credentials`, anchored in one group commit. Valid items are issued even when others are refused; a refused item carries its problem in its place.",
    auth: "issuer",
    body: batchOf(issueRequestSchema),
    success: {
      status: 201,
      description:
        "`{results: [{index, id, jwt, receipt, status} | {index, error: <problem>}]}` in item order.",
    },
    problems: [...ISSUER_AUTH, "schema.invalid", ...ANCHORED],
  },
  {
    method: "GET",
    url: "/v1/credentials/:id",
    tag: "credentials",
    summary: "Read a credential's record",
    description:
      "The issuer's record of one of its credentials: current status and the full history, each event with its receipt.",
    auth: "issuer",
    params: credentialIdSchema,
    success: { status: 200, description: "The record." },
    problems: [...ISSUER_AUTH, "schema.invalid", "credential.not_found"],
  },
  {
    method: "POST",
    url: "/v1/credentials/:id/status",
    tag: "credentials",
    summary: "Suspend, reinstate, revoke or archive a credential",
    description:
      "Changes the credential's status with a public reason code, anchored in the log and published in its status list. Revoke and archive are final.",
    auth: "issuer",
    params: credentialIdSchema,
    body: statusChangeRequestSchema,
    success: { status: 200, description: "`{status, receipt}`." },
    problems: [
      ...ISSUER_AUTH,
      "schema.invalid",
      "credential.not_found",
      "credential.transition_forbidden",
      ...ANCHORED,
    ],
  },
  {
    method: "POST",
    url: "/v1/credentials/:id/supersede",
    tag: "credentials",
    summary: "Correct a credential",
    description: "Issues a corrected credential that names the old one; the old one becomes `superseded`.",
    auth: "issuer",
    params: credentialIdSchema,
    querystring: issueQuerySchema,
    body: issueRequestSchema,
    examples: API_BODIES,
    success: {
      status: 201,
      description: "The new credential `{id, jwt, receipt, status}`.",
      schema: issuedSchema,
    },
    problems: [
      ...ISSUER_AUTH,
      "schema.invalid",
      ...CLAIMS_PROBLEMS,
      "credential.not_found",
      "credential.transition_forbidden",
      "credential.type_mismatch",
      "credential.subject_mismatch",
      "status.list_full",
      ...ANCHORED,
    ],
  },
  {
    method: "POST",
    url: "/v1/credentials/:id/renew",
    tag: "credentials",
    summary: "Renew a credential",
    description:
      "Issues a new credential that names the old one, on fresh evidence (nothing continues automatically); the old one becomes `superseded`.",
    auth: "issuer",
    params: credentialIdSchema,
    querystring: issueQuerySchema,
    body: issueRequestSchema,
    examples: ["API.md MicroCredential example, as written"],
    success: {
      status: 201,
      description: "The new credential `{id, jwt, receipt, status}`.",
      schema: issuedSchema,
    },
    problems: [
      ...ISSUER_AUTH,
      "schema.invalid",
      ...CLAIMS_PROBLEMS,
      "credential.not_found",
      "credential.transition_forbidden",
      "credential.type_mismatch",
      "credential.subject_mismatch",
      "credential.evidence_required",
      "credential.evidence_not_fresh",
      "status.list_full",
      ...ANCHORED,
    ],
  },
  {
    method: "POST",
    url: "/v1/anchors",
    tag: "credentials",
    summary: "Anchor a digest",
    description: "Anchors the digest of an artifact the issuer vouches for in the log, with a receipt.",
    auth: "issuer",
    body: anchorRequestSchema,
    success: { status: 201, description: "The anchor and its receipt." },
    problems: [...ISSUER_AUTH, "schema.invalid", ...ANCHORED],
  },
  {
    method: "GET",
    url: "/v1/status/:listId",
    tag: "credentials",
    summary: "Read a status list",
    description: "The Bitstring Status List credential (VC-JWT) with purposes `revocation` and `suspension`.",
    auth: "public",
    params: listIdSchema,
    success: {
      status: 200,
      description: "The signed status list credential.",
      mediaType: "application/vc+jwt",
    },
    problems: ["schema.invalid", "status.not_found"],
  },
] as const satisfies readonly RouteContract[];

/** The issuer's management of its offers (offer-routes.ts; docs/API.md "Offers that survive real delivery"). */
export const OFFER_ROUTE_CONTRACTS = [
  {
    method: "GET",
    url: "/v1/offers",
    tag: "offers",
    summary: "List the issuer's offers",
    description:
      "The issuer's offers, newest first, with their state (`pending`, `redeemed`, `expired`, `cancelled`): `{items: [{id, type, reference, state, createdAt, expiresAt, txCode, redeemedAt?, credentialId?, cancelledAt?, cancelReason?}], next}`. No link, code or tx_code is ever shown again.",
    auth: "issuer",
    querystring: offerListQuerySchema,
    success: {
      status: 200,
      description: "One page of offers; `next` is the cursor of the following page or null.",
    },
    problems: [...ISSUER_AUTH, "schema.invalid"],
  },
  {
    method: "GET",
    url: "/v1/offers/:id",
    tag: "offers",
    summary: "Read one offer",
    description:
      "One of the issuer's offers, as in the listing. Another issuer's offer is 404 like an unknown one.",
    auth: "issuer",
    params: offerIdParamSchema,
    success: { status: 200, description: "The offer." },
    problems: [...ISSUER_AUTH, "schema.invalid", "offer.not_found"],
  },
  {
    method: "DELETE",
    url: "/v1/offers/:id",
    tag: "offers",
    summary: "Cancel an offer",
    description:
      'Cancels a pending offer: its link and pre-authorized code are dead from then on. The record stays, with `state: "cancelled"`.',
    auth: "issuer",
    params: offerIdParamSchema,
    success: { status: 200, description: 'The offer with `state: "cancelled"`.' },
    problems: [...ISSUER_AUTH, "schema.invalid", "offer.not_found", "offer.not_pending"],
  },
  {
    method: "POST",
    url: "/v1/offers/:id/reissue",
    tag: "offers",
    summary: "Send a new link for an offer",
    description:
      "A new link, pre-authorized code and (if the offer had one) tx_code for a pending offer, with a fresh lifetime of the offer's `expiresIn`; the old link and code are dead. Same `id`.",
    auth: "issuer",
    params: offerIdParamSchema,
    success: { status: 201, description: "As `POST /v1/offers`, plus `state` and `reference`." },
    problems: [...ISSUER_AUTH, "schema.invalid", "offer.not_found", "offer.not_pending"],
  },
  {
    method: "POST",
    url: "/v1/offers/batch",
    tag: "offers",
    summary: "Make offers in a batch",
    description:
      "Up to 1000 offers in one request (body ≤ 4 MiB), each validated as `POST /v1/offers`. Valid items are made even when others are refused; a refused item carries its problem in its place.",
    auth: "issuer",
    body: batchOf(offerBodySchema),
    success: {
      status: 201,
      description:
        "`{results: [{index, id, walletLink, offerUri, expiresAt, txCode?} | {index, error: <problem>}]}` in item order.",
    },
    problems: [...ISSUER_AUTH, "schema.invalid"],
  },
] as const satisfies readonly RouteContract[];
