// The contracts of the routes of issue 14 (provenance-routes.ts; docs/API.md "Provenance").
import {
  endorsementRequestSchema,
  feedbackRequestSchema,
  SCHEMA_ERROR_CODES,
  type RouteContract,
} from "@meritlog/schemas";
import { decisionBodySchema, mpuRegisterBodySchema } from "./mpus.js";
import { endorsementsQuerySchema, mpuReadQuerySchema, provenanceQuerySchema } from "./provenance-routes.js";
import { credentialIdSchema } from "./requests.js";

const CLAIMS = SCHEMA_ERROR_CODES.filter((c) => c.startsWith("claims."));
const ISSUER_AUTH = ["auth.missing_token", "auth.bad_token"] as const;
const DECISION_PROBLEMS = [
  "schema.invalid",
  "mpu.not_found",
  "mpu.signature_invalid",
  "mpu.not_author",
  "mpu.already_signed",
  "mpu.closed",
  "log.overloaded",
] as const;

export const PROVENANCE_ROUTE_CONTRACTS = [
  {
    method: "POST",
    url: "/v1/mpus",
    tag: "credentials",
    summary: "Register a co-authored MPU",
    description:
      "Registers an MPU with every author's did:key (`{mpu, scope?, validUntil?}`, checked as the MPUAuthorship issuance it becomes). Returns the statement each author signs and one sign link per author (its key shown once). When every author has signed, each author gets an OpenID4VCI offer (bound to their DID) of their MPUAuthorship credential, carrying every co-signature.",
    auth: "issuer",
    body: mpuRegisterBodySchema,
    success: {
      status: 201,
      description: "`{id, statement, statementDigest, signLinks: [{author, walletLink}]}`.",
    },
    problems: [...ISSUER_AUTH, "schema.invalid", "request.invalid", ...CLAIMS],
  },
  {
    method: "GET",
    url: "/v1/mpus/:id",
    tag: "credentials",
    summary: "Read a co-authored MPU",
    description:
      "Progress of a co-authored MPU: `{state, statement, signed, of, missing, signatures, declined?}`. For its issuer (token), with every author's offer id once offered (`offers`) and credential id once redeemed (`credentials`); for an author with `?key=` from their sign link, with their own pending `offer` or, once redeemed, their `credential`. A completion interrupted by a crash is finished by this request.",
    auth: "public",
    params: credentialIdSchema,
    querystring: mpuReadQuerySchema,
    success: { status: 200, description: "The MPU's progress." },
    problems: [...ISSUER_AUTH, "schema.invalid", "mpu.not_found"],
  },
  {
    method: "POST",
    url: "/v1/mpus/:id/signatures",
    tag: "credentials",
    summary: "Sign a co-authored MPU",
    description:
      "`{jws}`: an author's compact JWS (EdDSA, `kid` <author did:key>#…) whose payload is the statement. Anchored as a `cosign` entry. The last signature makes every author an offer of their credential; the answer then carries the signer's own (`offer`).",
    auth: "public",
    params: credentialIdSchema,
    body: decisionBodySchema,
    success: {
      status: 201,
      description: "The MPU's progress, with the signer's `offer` when it is complete.",
    },
    problems: [...DECISION_PROBLEMS],
  },
  {
    method: "POST",
    url: "/v1/mpus/:id/declines",
    tag: "credentials",
    summary: "Decline a co-authored MPU",
    description:
      '`{jws}`: an author\'s compact JWS over `{type: "MPUCoAuthorshipDecline", statement: <statementDigest>, reason}`. Anchored as a `cosign` entry with `event: "decline"`; the MPU stays unissued and the reason is recorded.',
    auth: "public",
    params: credentialIdSchema,
    body: decisionBodySchema,
    success: { status: 201, description: "The MPU's progress, `state: declined`." },
    problems: [...DECISION_PROBLEMS],
  },
  {
    method: "POST",
    url: "/v1/endorsements",
    tag: "credentials",
    summary: "Endorse a credential or an artifact",
    description:
      "An Open Badges 3.0 EndorsementCredential by the token's issuer about a credential of this service (`urn:uuid:` id) or an artifact (hex SHA-256 or `sha256-` SRI), anchored as an `endorse` entry. It has a status like any credential (revoke it with `POST /v1/credentials/{id}/status`).",
    auth: "issuer",
    body: endorsementRequestSchema,
    success: { status: 201, description: "`{id, jwt, receipt, status}` of the endorsement." },
    problems: [
      ...ISSUER_AUTH,
      "schema.invalid",
      ...CLAIMS,
      "endorsement.target_not_found",
      "status.list_full",
      "log.overloaded",
    ],
  },
  {
    method: "POST",
    url: "/v1/feedback",
    tag: "credentials",
    summary: "Give mentor feedback to a learner",
    description:
      "Mentor feedback (issue 15): an Open Badges 3.0 EndorsementCredential by the token's issuer, addressed to the holder of a credential of this service (`credentialSubject.id` is their did:key; `evidence` names the credential), anchored as a plain `issue` entry and not listed publicly. `walletLink` (`<base>/wallet/#feedback=<jwt>&receipt=<json>`) hands it to the learner's wallet, which shows it with the credential and adds it to a presentation only when the learner chooses.",
    auth: "issuer",
    body: feedbackRequestSchema,
    success: { status: 201, description: "`{id, jwt, receipt, status, walletLink}` of the feedback." },
    problems: [
      ...ISSUER_AUTH,
      "schema.invalid",
      ...CLAIMS,
      "endorsement.target_not_found",
      "status.list_full",
      "log.overloaded",
    ],
  },
  {
    method: "GET",
    url: "/v1/endorsements",
    tag: "verification",
    summary: "List the endorsements of a target",
    description:
      "`?target=` a credential id or an artifact digest → `{target, items: [{id, issuer, jwt, state, at, receipt}]}`.",
    auth: "public",
    querystring: endorsementsQuerySchema,
    success: { status: 200, description: "The endorsements, oldest first." },
    problems: ["schema.invalid", "request.invalid"],
  },
  {
    method: "GET",
    url: "/v1/provenance",
    tag: "verification",
    summary: "Every claim about an artifact",
    description:
      "`?digest=` hex SHA-256 or `sha256-` SRI → `{digest, records: [{kind, credentialId?, issuer, issuerName?, at, leafIndex, state, receipt}], conflicts: [<plain sentence>]}`: MPU authorship, attribution, anchors and endorsements recorded in the log about the file, with receipts that verify offline.",
    auth: "public",
    querystring: provenanceQuerySchema,
    success: { status: 200, description: "The artifact's provenance." },
    problems: ["schema.invalid", "request.invalid"],
  },
] as const satisfies readonly RouteContract[];
