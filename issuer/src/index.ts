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
export { hashToken, TOKEN_PREFIX } from "./tokens.js";
export { requireAdmin } from "./admin-auth.js";
export { Ed25519JwsSigner as JwtSigner, ed25519PrivateKey, ed25519PublicKey } from "@meritlog/core/node";
export { type IssuerDb } from "./storage.js";
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
