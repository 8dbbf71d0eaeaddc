/**
 * The validation steps of `POST /v1/credentials` and `POST /v1/offers` in their order
 * (ARCHITECTURE.md "Data flow of one issuance", steps 1–2), in one call for the issuer routes.
 */
import { checkClaims, type ClaimViolation } from "./claims-discipline.js";
import { SchemaError } from "./errors.js";
import {
  issueRequestSchema,
  offerRequestSchema,
  type IssueRequest,
  type OfferRequest,
} from "./issue-request.js";
import { imageProblem } from "./image.js";
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

/**
 * A well-formed achievement image that is unsafe or unverifiable (an SVG, a wrong type, over 64 KB,
 * an https URL without its digest) is refused with its own code (image.ts).
 * @throws SchemaError `schema.image_refused` (400), `path` e.g. `achievement.image.digestSRI`
 */
function assertImage(req: unknown): void {
  const achievement = (req as { achievement?: { image?: { id: string; digestSRI?: string } } }).achievement;
  const image = achievement?.image;
  if (image === undefined) return;
  const p = imageProblem(image);
  if (!p) return;
  const path = `achievement.image.${p.path}`;
  throw new SchemaError("schema.image_refused", `${path}: ${p.message}`, {
    path,
    issues: [{ path, message: p.message, code: "schema.image_refused" }],
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
  assertImage(req);
  throwFirst(violations);
  return req;
}

/**
 * Validates an issuance body: forbidden fields (422), schema (400), naming rules (422).
 * @throws SchemaError `claims.*` (422) or `schema.invalid` (400), with `path` of the offending field.
 */
export function parseIssueRequest(input: unknown): IssueRequest {
  const req = parseThenCheck(issueRequestSchema, input);
  // An authorship credential names its holder as one of the MPU's authors, or it claims
  // authorship for someone the MPU does not name (DOMAIN.md "Micro-Production Units").
  if (req.type === "MPUAuthorship" && !req.mpu.authors.some((a) => a.id === req.subject.id)) {
    throw new SchemaError(
      "claims.subject_not_author",
      "the subject of an MPUAuthorship credential must be one of mpu.authors",
      { path: "subject.id" },
    );
  }
  return req;
}

/** How far before now a `validFrom` may lie (clock skew between the issuer's systems and ours). */
export const BACKDATE_TOLERANCE_SECONDS = 300;

/**
 * The date rules that depend on the clock (docs/API.md "What an issuer has issued"): `validFrom`
 * earlier than now − 300 s is `claims.backdated` (the date of the learning goes in the subject's
 * `activityStartDate` / `activityEndDate`, Open Badges 3.0); `validUntil` not after now is
 * `claims.already_expired`. Reads the raw body: values that are not dates are left to the schema.
 * `backdated: false` skips the first rule (an offer redeemed later keeps the validFrom accepted when it was made).
 * @throws SchemaError `claims.backdated` | `claims.already_expired` (422)
 */
export function assertDates(input: unknown, now: Date, o: { backdated?: boolean } = {}): void {
  if (typeof input !== "object" || input === null) return;
  const { validFrom, validUntil } = input as { validFrom?: unknown; validUntil?: unknown };
  const t = now.getTime();
  if (o.backdated !== false && typeof validFrom === "string") {
    const from = Date.parse(validFrom);
    if (!Number.isNaN(from) && from < t - BACKDATE_TOLERANCE_SECONDS * 1000) {
      throw new SchemaError(
        "claims.backdated",
        `validFrom ${validFrom} is in the past: a credential is valid from when it is issued; put the date of the learning in subject.activityStartDate / activityEndDate`,
        { path: "validFrom" },
      );
    }
  }
  if (typeof validUntil === "string") {
    const until = Date.parse(validUntil);
    if (!Number.isNaN(until) && until <= t) {
      throw new SchemaError(
        "claims.already_expired",
        `validUntil ${validUntil} is not in the future: the credential would be expired when issued`,
        { path: "validUntil" },
      );
    }
  }
}

/** As `parseIssueRequest`, for a wallet offer (no subject). */
export function parseOfferRequest(input: unknown): OfferRequest {
  return parseThenCheck(offerRequestSchema, input);
}
