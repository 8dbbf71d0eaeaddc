/**
 * The one error class of `@meritlog/schemas` (docs/ARCHITECTURE.md "Errors"): a stable `code`
 * from a string-literal union, the HTTP status the server maps it to, and the offending field.
 */

/** Every code this package throws or reports. `claims.*` codes come from the claims discipline. */
export const SCHEMA_ERROR_CODES = [
  "schema.invalid",
  "schema.image_refused",
  "claims.certification_implied",
  "claims.licensure_implied",
  "claims.accreditation_implied",
  "claims.approval_implied",
  "claims.procurement_implied",
  "claims.degree_implied",
  "claims.financial_implied",
  "claims.financial_field",
  "claims.transfer_field",
  "claims.pii_field",
  "claims.backdated",
  "claims.already_expired",
  "claims.subject_not_author",
] as const;

export type SchemaErrorCode = (typeof SCHEMA_ERROR_CODES)[number];

/** The subset of codes produced by the claims discipline (all 422). */
export type ClaimsCode = Extract<SchemaErrorCode, `claims.${string}`>;

/**
 * HTTP status of each code: 400 for input that does not fit the schema, 422 for well-formed
 * input that breaks a claims-discipline rule (docs/API.md "Errors"). Typed as a full `Record`
 * so that adding a code without a status fails `tsc`.
 */
export const SCHEMA_ERROR_STATUS: Readonly<Record<SchemaErrorCode, number>> = {
  "schema.invalid": 400,
  "schema.image_refused": 400,
  "claims.certification_implied": 422,
  "claims.licensure_implied": 422,
  "claims.accreditation_implied": 422,
  "claims.approval_implied": 422,
  "claims.procurement_implied": 422,
  "claims.degree_implied": 422,
  "claims.financial_implied": 422,
  "claims.financial_field": 422,
  "claims.transfer_field": 422,
  "claims.pii_field": 422,
  "claims.backdated": 422,
  "claims.already_expired": 422,
  "claims.subject_not_author": 422,
};

/** One readable problem with the input: where (dotted path, `evidence[0].id`) and what. */
export interface SchemaIssue {
  path: string;
  message: string;
  code?: string;
}

export interface SchemaErrorOptions {
  /** The offending field as a dotted path (`achievement.name`, `evidence[0].digestSRI`). */
  path?: string;
  issues?: SchemaIssue[];
  /** Identifier of the claims rule that failed (e.g. `en.certif`), for `claims.*` codes. */
  rule?: string;
  cause?: unknown;
}

/** A coded failure of parsing or of the claims discipline; never identified by its message. */
export class SchemaError extends Error {
  override readonly name = "SchemaError";
  readonly code: SchemaErrorCode;
  readonly status: number;
  readonly path?: string;
  readonly issues?: SchemaIssue[];
  readonly rule?: string;

  constructor(code: SchemaErrorCode, message: string, options: SchemaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = SCHEMA_ERROR_STATUS[code];
    if (options.path !== undefined) this.path = options.path;
    if (options.issues !== undefined) this.issues = options.issues;
    if (options.rule !== undefined) this.rule = options.rule;
  }
}

/** True for any value thrown by this package (works across bundle copies, unlike `instanceof`). */
export function isSchemaError(e: unknown): e is SchemaError {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { name?: unknown }).name === "SchemaError" &&
    typeof (e as { code?: unknown }).code === "string" &&
    (SCHEMA_ERROR_CODES as readonly string[]).includes((e as { code: string }).code)
  );
}
