// @meritlog/verifier/core: browser-safe verification of credentials and presentations.
// No Node built-ins and no I/O of its own: the caller passes the clock, trust material,
// Ed25519 and an optional fetcher (docs/ARCHITECTURE.md).
export type {
  Ed25519Verify,
  VerifyContext,
  TrustMaterial,
  Fetcher,
  Receipt,
  HistoryEvent,
  HeldCoSignature,
} from "./context.js";
export { DEFAULT_SKEW_SECONDS, DEFAULT_FETCH_TIMEOUT_MS } from "./context.js";
export type { Check, CheckOk, Verdict, StatusState, CredentialChecks, VerificationReport } from "./report.js";
export { check, verdictOf } from "./report.js";
export { say, type Detail, type Sentence } from "./report-messages.js";
export type { DecodedJwt, JsonObject } from "./jose.js";
export { decodeJwt, checkHeader, MAX_CREDENTIAL_JWT_LENGTH, MAX_PRESENTATION_JWT_LENGTH } from "./jose.js";
export {
  didKeyFromPublicKey,
  publicKeyFromDidKey,
  multikeyFromPublicKey,
  publicKeyFromMultikey,
} from "./did-key.js";
export type { Resolution, ResolvedKey } from "./did-resolver.js";
export { resolveDid, didWebUrl } from "./did-resolver.js";
export { verifyCredential, verifyDataIntegrityCredential } from "./verify-credential.js";
export type { ChallengeState, PresentationExpectation } from "./verify-presentation.js";
export { verifyPresentation } from "./verify-presentation.js";
export { readBit } from "./status-list.js";
export type { VerifierCache } from "./cache.js";
export { createVerifierCache, TtlCache } from "./cache.js";
export { nobleEd25519 } from "./noble-ed25519.js";
export { renderReportText } from "./text-report.js";
export { sha256Hex } from "./digest.js";
export { gunzip } from "./gzip.js";
export { VerifierError, VERIFIER_ERROR_CODES } from "../errors.js";

import { verifyJwsSignature } from "./signature.js";
import { normalizeCredential } from "./credential-form.js";
import { checkNoConversion, checkSchema, checkScope } from "./schema-check.js";
import { checkStatus } from "./status-list.js";
import { checkAnchoring } from "./anchoring.js";
/**
 * The stages `verifyCredential` runs, one by one, for cost breakdowns (bench/verify.bench.ts);
 * verifying needs only `verifyCredential`. Their signatures may change with the verifier.
 */
export const verificationStages = {
  verifyJwsSignature,
  normalizeCredential,
  checkSchema,
  checkScope,
  checkNoConversion,
  checkStatus,
  checkAnchoring,
} as const;
export type { VerifierErrorCode } from "../errors.js";
export { dataModelDefects, isUrl, type DataModelDefect } from "./vc-data-model.js";
