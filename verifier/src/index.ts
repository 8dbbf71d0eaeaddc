// @meritlog/verifier (Node): the browser-safe core plus node:crypto Ed25519, the challenge store,
// an HTTPS fetcher and the Fastify routes.
export * from "./core/index.js";
export { REPORT_SENTENCES, type ReportSentenceCode } from "./report-sentences.js";
export { REPORT_DETAILS, codeDetail, withCodedDetails, type ReportDetailCode } from "./report-details.js";
export { VERIFIER_ERROR_STATUS, type VerifierErrorCode } from "./errors.js";
export { createNodeEd25519, nodeEd25519, nodeSha256, nodeSha256Hex } from "./node-ed25519.js";
export { createChallengeStore } from "./challenges.js";
export { createPgChallengeStore, CHALLENGE_MIGRATIONS } from "./challenges-pg.js";
export { createPgSharingStore, SHARING_MIGRATIONS } from "./sharing-pg.js";
export type { Challenge, ChallengeStore, ChallengeStoreOptions } from "./challenges.js";
export { verifierRoutes } from "./routes.js";
export { checkCoSignatureEntries } from "./cosign-entries.js";
export { VERIFIER_ROUTE_CONTRACTS, SHARING_ROUTE_CONTRACTS } from "./route-contracts.js";
export type { VerifierRoutesOptions } from "./routes.js";
export { createSharingStore, memorySharingDb } from "./sharing-store.js";
export type { SharingDb, SharingStore, ShareRecord, PresentationRequestRecord } from "./sharing-store.js";
export { DEFAULT_SHARE_SECONDS, DEFAULT_REQUEST_SECONDS, PROOF_WINDOW_SECONDS } from "./sharing.js";
export { withContextRules } from "./context-expansion.js";
export {
  verifyDataIntegrity,
  checkDataIntegrityProof,
  dataIntegrityDigest,
  DATA_INTEGRITY_SUITES,
} from "./data-integrity.js";
export {
  createGuardedFetch,
  guardedFetcher,
  isPublicAddress,
  FetchRefused,
  type GuardedFetchOptions,
  type Fetched,
  type ResolvedAddress,
} from "./guarded-fetch.js";
