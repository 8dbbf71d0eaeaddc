/**
 * The validation steps of `POST /v1/credentials` and `POST /v1/offers` in their order
 * (ARCHITECTURE.md "Data flow of one issuance", steps 1–2), in one call for the issuer routes.
 */
import { checkClaims, type ClaimViolation } from "./claims-discipline.js";
import { SchemaError } from "./errors.js";
import { issueRequestSchema, offerRequestSchema, type IssueRequest, type OfferRequest } from "./issue-request.js";
import { parseInput } from "./parse-input.js";

const FIELD_CODES = new Set(["claims.financial_field", "claims.transfer_field", "claims.pii_field"]);

function throwFirst(violations: ClaimViolation[]): void {
  const first = violations[0];
  if (!first) return;
  throw new SchemaError(first.code, first.message, {
    path: first.path,
    rule: first.rule,
    issues: violations.map((v) => ({ path: v.path, message: v.message, code: v.code })),
  });
}

function parseThenCheck<T>(schema: Parameters<typeof parseInput<T>>[0], input: unknown): T {
  // One walk of the raw body finds every claims violation. The schema neither adds, drops nor
  // rewrites a string, so what it finds in the raw body is exactly what is in the parsed request.
  const violations = checkClaims(input);
  // 1. Financial, transfer and personal-data fields are refused as the rule they break (422),
  //    not as mere unknown keys (400): the caller learns why such a field can never be added.
  throwFirst(violations.filter((v) => FIELD_CODES.has(v.code)));
  // 2. Shape (400 schema.invalid), then 3. naming (422 claims.*) on a well-formed request.
  const req = parseInput(schema, input);
  throwFirst(violations);
  return req;
}

/**
 * Validates an issuance body: forbidden fields (422), schema (400), naming rules (422).
 * @throws SchemaError `claims.*` (422) or `schema.invalid` (400), with `path` of the offending field.
 */
export function parseIssueRequest(input: unknown): IssueRequest {
  return parseThenCheck(issueRequestSchema, input);
}

/** As `parseIssueRequest`, for a wallet offer (no subject). */
export function parseOfferRequest(input: unknown): OfferRequest {
  return parseThenCheck(offerRequestSchema, input);
}
