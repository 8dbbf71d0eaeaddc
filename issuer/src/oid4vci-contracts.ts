// The contracts of the OpenID4VCI routes (oid4vci.ts; docs/API.md "Wallet offers"). The offer
// route parses its body with `offerRequestSchema`; the protocol endpoints check their requests by
// hand and answer OAuth 2.0 error bodies (RFC 6749 §5.2, OpenID4VCI 1.0 §8.3.1), not problems.
import { z } from "zod";
import type { RouteContract } from "@meritlog/schemas";
import { offerBodySchema } from "./offer-requests.js";
import { CLAIMS_PROBLEMS } from "./route-contracts.js";

/** Protocol endpoints a browser wallet on another origin calls: CORS, with a preflight each. */
export const OID4VCI_CORS_PATHS = [
  "/.well-known/openid-credential-issuer",
  "/.well-known/oauth-authorization-server",
  "/oid4vci/token",
  "/oid4vci/nonce",
  "/oid4vci/credential",
  "/oid4vci/offers/:offerId",
] as const;

/** RFC 6749 §4.1.3 / OpenID4VCI 1.0 §6.1: the token request (form-encoded). */
const tokenRequestSchema = z.object({
  grant_type: z.literal("urn:ietf:params:oauth:grant-type:pre-authorized_code"),
  "pre-authorized_code": z.string().min(1),
});

/** OpenID4VCI 1.0 §8.2: the credential request with one `jwt` key proof. */
const credentialRequestSchema = z.object({
  credential_configuration_id: z.string().optional(),
  format: z.literal("jwt_vc_json").optional(),
  proof: z.object({ proof_type: z.literal("jwt"), jwt: z.string() }).optional(),
  proofs: z.object({ jwt: z.array(z.string()).length(1) }).optional(),
  /** meritlog extension: also return the SD-JWT form (`sdJwt: {credential, receipt}`). */
  also_formats: z.array(z.literal("vc+sd-jwt")).max(1).optional(),
});

const offerIdSchema = z.strictObject({ offerId: z.string().min(1) });

const preflights: RouteContract[] = OID4VCI_CORS_PATHS.map((url) => ({
  method: "OPTIONS",
  url,
  tag: "oid4vci",
  summary: `CORS preflight for ${url}`,
  description: "Lets browser wallets on other origins call this protocol endpoint (no cookies are used).",
  auth: "public",
  ...(url.includes(":offerId") ? { params: offerIdSchema } : {}),
  success: { status: 204, description: "The allowed methods and headers." },
  problems: [],
}));

export const OID4VCI_ROUTE_CONTRACTS: readonly RouteContract[] = [
  {
    method: "POST",
    url: "/v1/offers",
    tag: "offers",
    summary: "Make a wallet offer",
    description:
      "An OpenID4VCI pre-authorized code offer for a credential without a subject: the wallet that redeems it becomes the subject. Validated like `POST /v1/credentials`, without `subject`. `expiresIn` (60 … 31536000 s, default 30 days), `txCode: true` (a 6-digit code the token request must send) and `reference` (the issuer's own label) shape the offer, never the credential.",
    auth: "issuer",
    body: offerBodySchema,
    examples: [
      "API.md MicroCredential example as an offer (no subject)",
      "API.md Attribution example as an offer",
      "API.md MPUAuthorship example as an offer",
    ],
    success: {
      status: 201,
      description:
        "`{id, offerId, offerUri, preAuthorizedCode, expiresAt, credentialOfferUri, walletLink, txCode?}`: links, code and tx_code are shown only here.",
    },
    problems: ["auth.missing_token", "auth.bad_token", "schema.invalid", ...CLAIMS_PROBLEMS],
  },
  {
    method: "GET",
    url: "/oid4vci/offers/:offerId",
    tag: "oid4vci",
    summary: "Read a credential offer",
    description: "The credential offer object a wallet fetches by reference (OpenID4VCI 1.0 §4.1.3).",
    auth: "public",
    params: offerIdSchema,
    success: { status: 200, description: "`{credential_issuer, credential_configuration_ids, grants}`." },
    problems: [],
    otherErrors: { 404: "OAuth error `invalid_request`: unknown, used or expired offer." },
  },
  {
    method: "GET",
    url: "/.well-known/openid-credential-issuer",
    tag: "oid4vci",
    summary: "Credential issuer metadata",
    description: "OpenID4VCI 1.0 §12.2 issuer metadata: endpoints and credential configurations.",
    auth: "public",
    success: { status: 200, description: "The metadata." },
    problems: [],
  },
  {
    method: "GET",
    url: "/.well-known/oauth-authorization-server",
    tag: "oid4vci",
    summary: "Authorization server metadata",
    description: "RFC 8414 metadata: the token endpoint and the pre-authorized code grant.",
    auth: "public",
    success: { status: 200, description: "The metadata." },
    problems: [],
  },
  {
    method: "POST",
    url: "/oid4vci/token",
    tag: "oid4vci",
    summary: "Exchange a pre-authorized code",
    description:
      "Token endpoint (OpenID4VCI 1.0 §6): a one-time access token and a `c_nonce` for the key proof.",
    auth: "public",
    body: tokenRequestSchema,
    bodyMediaType: "application/x-www-form-urlencoded",
    success: {
      status: 200,
      description: "`{access_token, token_type, expires_in, c_nonce, c_nonce_expires_in}`.",
    },
    problems: [],
    otherErrors: { 400: "OAuth error `invalid_request`, `unsupported_grant_type` or `invalid_grant`." },
  },
  {
    method: "POST",
    url: "/oid4vci/nonce",
    tag: "oid4vci",
    summary: "Get a fresh c_nonce",
    description: "Nonce endpoint (OpenID4VCI 1.0 §7).",
    auth: "public",
    success: { status: 200, description: "`{c_nonce, c_nonce_expires_in}`." },
    problems: [],
  },
  {
    method: "POST",
    url: "/oid4vci/credential",
    tag: "oid4vci",
    summary: "Redeem an offer",
    description:
      "Credential endpoint (OpenID4VCI 1.0 §8): the credential bound to the holder's DID from the key proof over `c_nonce`, anchored, with its receipt.",
    auth: "access-token",
    body: credentialRequestSchema,
    success: {
      status: 200,
      description:
        '`{credentials: [{credential}], receipt, …}`; with `also_formats: ["vc+sd-jwt"]` also `sdJwt: {credential, receipt}`.',
    },
    problems: [...CLAIMS_PROBLEMS, "log.overloaded"],
    otherErrors: {
      400: "OAuth error `invalid_credential_request`, `invalid_proof`, `invalid_nonce`, `unknown_credential_configuration` or `unknown_credential_identifier`.",
      401: "OAuth error `invalid_token`.",
    },
  },
  ...preflights,
];
