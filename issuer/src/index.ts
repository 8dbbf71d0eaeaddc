export { createSecretBox, type SecretBox } from "./secret-box.js";
export { IssuerError, ISSUER_ERROR_CODES, ISSUER_ERROR_STATUS, type IssuerErrorCode } from "./errors.js";
export { ISSUER_ROUTE_CONTRACTS, OFFER_ROUTE_CONTRACTS } from "./route-contracts.js";
export { OID4VCI_ROUTE_CONTRACTS } from "./oid4vci-contracts.js";
export { createIssuerService, type IssuerService, type IssuerServiceOptions } from "./service.js";
export { issuerRoutes, type IssuerRoutesOptions } from "./routes.js";
export { type AnchorLog, type AppendResult, type Receipt, type AnchorResult } from "./anchors.js";
export { type IssueResult, type IssueOptions, type StatusSummary } from "./issuance.js";
export {
  type CredentialRecord,
  type CredentialState,
  type HistoryEvent,
  type DigestMatch,
} from "./records.js";
// For `meritlog fsck`, which decodes every stored record without opening the service.
export { recordEncoding, unpackJwt } from "./records.js";
export {
  type CreatedIssuer,
  type PublicIssuer,
  type IssuerRecord,
  type RetiredDid,
  type RotatedKey,
  type TokenChange,
} from "./issuers.js";
export {
  TRANSITIONS,
  STATUS_BITS,
  nextState,
  type LifecycleAction,
  type StatusChangeResult,
} from "./lifecycle.js";
export { Bitstring, MIN_STATUS_LIST_BITS } from "./bitstring.js";
export { type StatusEntry, type StatusPurpose } from "./status-list.js";
export { hashToken, isIssuerTokenShaped } from "./tokens.js";
export { requireAdmin } from "./admin-auth.js";
export { Ed25519JwsSigner as JwtSigner, ed25519PrivateKey, ed25519PublicKey } from "@meritlog/core/node";
export { type IssuerDb } from "./storage.js";
export { type IssuerBackend } from "./backend.js";
export { pgIssuerBackend, ISSUER_MIGRATIONS } from "./issuer-pg.js";
export { PROVENANCE_MIGRATIONS, pgPathwayStore } from "./provenance-pg.js";
export { createPgOfferStore, OFFER_MIGRATIONS } from "./offers-pg.js";
export {
  createOfferStore,
  MemoryOfferDb,
  OFFER_DEFAULT_EXPIRES_IN,
  OFFER_MAX_EXPIRES_IN,
  TX_CODE_MAX_TRIES,
  type OfferStore,
  type OfferDb,
  type OfferStoreOptions,
  type OfferRecord,
  type OfferView,
  type OfferState,
  type CreatedOffer,
} from "./offers.js";
export { offerRoutes, type OfferRoutesOptions } from "./offer-routes.js";
export { BATCH_MAX_ITEMS } from "./batch-issuance.js";
export {
  credentialsCsv,
  CREDENTIAL_LIST_COLUMNS,
  type CredentialListItem,
  type CredentialQuery,
} from "./credential-listing.js";
export {
  oid4vciRoutes,
  credentialIssuerMetadata,
  PRE_AUTHORIZED_GRANT,
  type Oid4vciOptions,
  type OfferIssuingService,
} from "./oid4vci.js";
export {
  aggregateRegister,
  REGISTER_MIN_CELL,
  type RegisterStats,
  type RegisterCell,
  type RegisterRow,
} from "./register.js";
export {
  createPathwayService,
  pathwayDigest,
  pathwayDocument,
  type PathwayService,
  type PathwayRecord,
  type PathwayDocument,
  type PathwayState,
} from "./pathways.js";
export { levelPathwayStore, type PathwayStore } from "./pathway-store.js";
export { pathwayRoutes, type PathwayRoutesOptions } from "./pathway-routes.js";
export { PATHWAY_ROUTE_CONTRACTS } from "./pathway-contracts.js";
export { provenanceRoutes, type ProvenanceRoutesOptions } from "./provenance-routes.js";
export { PROVENANCE_ROUTE_CONTRACTS } from "./provenance-contracts.js";
export {
  issueEndorsement,
  buildEndorsementCredential,
  artifactUri,
  type EndorsementInput,
  type EndorsementTarget,
  type EndorsementListing,
} from "./endorsements.js";
export { type MpuView, type RegisteredMpu, MPU_DECLINE_TYPE } from "./mpus.js";
export { type ProvenanceReport, type ProvenanceRecord } from "./provenance.js";
export { type ProvenanceStore, type ProvenanceRef, LevelProvenanceStore } from "./provenance-store.js";
export { type MpuStore, type MpuRecord, LevelMpuStore } from "./mpu-store.js";
