/**
 * JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of every request body, generated from
 * the zod schemas so the OpenAPI document and the validators cannot drift apart.
 */
import { z } from "zod";
import { attributionOfferSchema, attributionRequestSchema } from "./attribution.js";
import { issueRequestSchema, offerRequestSchema } from "./issue-request.js";
import {
  anchorRequestSchema,
  createIssuerRequestSchema,
  statusChangeRequestSchema,
} from "./lifecycle-requests.js";
import { logEntrySchema } from "./log-entry.js";
import { microCredentialOfferSchema, microCredentialRequestSchema } from "./micro-credential.js";
import { mpuAuthorshipOfferSchema, mpuAuthorshipRequestSchema } from "./mpu-authorship.js";

/** The request schemas exported as JSON Schema, by name. */
export const REQUEST_SCHEMAS = {
  IssueRequest: issueRequestSchema,
  OfferRequest: offerRequestSchema,
  MicroCredentialRequest: microCredentialRequestSchema,
  AttributionRequest: attributionRequestSchema,
  MPUAuthorshipRequest: mpuAuthorshipRequestSchema,
  MicroCredentialOffer: microCredentialOfferSchema,
  AttributionOffer: attributionOfferSchema,
  MPUAuthorshipOffer: mpuAuthorshipOfferSchema,
  CreateIssuerRequest: createIssuerRequestSchema,
  StatusChangeRequest: statusChangeRequestSchema,
  AnchorRequest: anchorRequestSchema,
  LogEntry: logEntrySchema,
} as const;

let cache: Record<string, object> | undefined;

/**
 * `z.toJSONSchema` of each request type, keyed by name (`IssueRequest`, `OfferRequest`, …).
 * Refinements that JSON Schema cannot express (validity window, blank strings, DID method rules)
 * are enforced by the zod schemas only. Returns fresh copies; callers may mutate them.
 */
export function jsonSchemas(): Record<string, object> {
  cache ??= Object.fromEntries(
    Object.entries(REQUEST_SCHEMAS).map(([name, schema]) => [
      name,
      z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "any", io: "input" }),
    ]),
  );
  return structuredClone(cache);
}
