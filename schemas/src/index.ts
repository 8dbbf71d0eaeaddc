/**
 * `@meritlog/schemas`: credential types, request schemas, claims discipline, no-conversion
 * notice, JSON-LD context, RFC 8785 canonical JSON and log entries. Browser-safe: no Node
 * built-ins, no I/O.
 */
export { SCHEMA_ERROR_CODES, SCHEMA_ERROR_STATUS, SchemaError, isSchemaError } from "./errors.js";
export type { ClaimsCode, SchemaErrorCode, SchemaErrorOptions, SchemaIssue } from "./errors.js";

export { parseInput } from "./parse-input.js";
export { LIMITS, did, digestSRI, hexSha256, dateTime, uri, httpUrl, urnUuid } from "./fields.js";
export { MAX_IMAGE_BYTES, achievementImageSchema } from "./image.js";
export { COHORT_ROW_COLUMNS, cohortRowRequest } from "./cohort-row.js";

export {
  VC2_CONTEXT_URL,
  OB3_CONTEXT_URL,
  MERITLOG_CONTEXT_URL,
  MERITLOG_CONTEXT_PATH,
  CREDENTIAL_CONTEXTS,
  meritlogContext,
} from "./context.js";
export {
  NO_CONVERSION,
  NO_CONVERSION_NOTICES,
  isNoConversionNotice,
  findNoConversionNotice,
} from "./no-conversion.js";
export type { NoConversionNotice } from "./no-conversion.js";

export {
  REVIEW_LEVELS,
  microCredentialRequestSchema,
  microCredentialOfferSchema,
} from "./micro-credential.js";
export type { ReviewLevel, MicroCredentialRequest, MicroCredentialOffer } from "./micro-credential.js";
export { CONTRIBUTION_KINDS, attributionRequestSchema, attributionOfferSchema } from "./attribution.js";
export type { ContributionKind, AttributionRequest, AttributionOffer } from "./attribution.js";
export {
  MPU_CATEGORIES,
  MPU_STAGES,
  LICENSE_IDS,
  HOLDER_AUTHOR,
  mpuAuthorshipRequestSchema,
  mpuAuthorshipOfferSchema,
} from "./mpu-authorship.js";
export type {
  MpuCategory,
  MpuStage,
  LicenseId,
  License,
  Mpu,
  MpuAuthorshipRequest,
  MpuAuthorshipOffer,
} from "./mpu-authorship.js";
export {
  CREDENTIAL_KINDS,
  issueRequestSchema,
  offerRequestSchema,
  offerToIssueRequest,
} from "./issue-request.js";
export type { CredentialKind, IssueRequest, OfferRequest } from "./issue-request.js";
export {
  parseIssueRequest,
  parseOfferRequest,
  assertDates,
  BACKDATE_TOLERANCE_SECONDS,
} from "./parse-request.js";
export {
  STATUS_ACTIONS,
  STATUS_REASONS,
  createIssuerRequestSchema,
  statusChangeRequestSchema,
  anchorRequestSchema,
} from "./lifecycle-requests.js";
export type {
  StatusAction,
  StatusReason,
  CreateIssuerRequest,
  StatusChangeRequest,
  AnchorRequest,
} from "./lifecycle-requests.js";

export { CLAIMS_RULES } from "./claims-rules.js";
export type { ClaimsRules, NamingRule, RuleLang } from "./claims-rules.js";
export { checkClaims, assertClaims, findNamingClaims, matchingWords, keyWords } from "./claims-discipline.js";
export type { ClaimViolation, NamingMatch } from "./claims-discipline.js";

export {
  ACHIEVEMENT_TYPES,
  ATTRIBUTION_DEFAULT_EXCLUDES,
  MPU_DEFAULT_EXCLUDES,
  buildCredential,
  credentialSchema,
  credentialKind,
  credentialJwtClaims,
} from "./credential.js";
export type {
  Credential,
  MicroCredentialCredential,
  AttributionCredential,
  MpuAuthorshipCredential,
  MicroCredentialSubject,
  AttributionSubject,
  MpuAuthorshipSubject,
  MpuCredentialPart,
  Achievement,
  EvidenceEntry,
  RelatedResource,
  IssuerProfile,
  Scope,
  StatusEntry,
  BuildContext,
} from "./credential.js";
export { describeCredential } from "./describe-credential.js";
export type { CredentialSummary } from "./describe-credential.js";

export { canonicalJson, canonicalJsonBytes, isCanonicalJson } from "./canonical-json.js";
export { LOG_ENTRY_KINDS, logEntrySchema, encodeLogEntry, decodeLogEntry } from "./log-entry.js";
export type {
  LogEntry,
  LogEntryKind,
  CredentialLogEntry,
  AnchorLogEntry,
  KeyLogEntry,
  PathwayLogEntry,
  CosignLogEntry,
  EndorseLogEntry,
} from "./log-entry.js";
export {
  pathwayRequestSchema,
  pathwayStepSchema,
  PATHWAY_MAX_STEPS,
  PATHWAY_NOTICE,
  REVIEW_LEVEL_RANK,
} from "./pathway.js";
export type { PathwayRequest, PathwayStep } from "./pathway.js";

export { REQUEST_SCHEMAS, jsonSchemas } from "./json-schemas.js";
export type { HttpMethod, RouteAuth, RouteContract } from "./route-contract.js";
export { SD_JWT_DISCLOSABLE_PATHS } from "./selective-disclosure.js";

export { mpuCredentialPart } from "./credential.js";
export { mpuCoSignatureSchema, type MpuCoSignature } from "./mpu-authorship.js";
export { MPU_STATEMENT_TYPE, mpuStatement, mpuStatementText, type MpuStatement } from "./mpu-statement.js";
export {
  ENDORSEMENT_TYPES,
  endorsementRequestSchema,
  feedbackRequestSchema,
  type EndorsementRequest,
  type FeedbackRequest,
} from "./endorsement.js";
