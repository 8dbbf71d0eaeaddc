export { createSecretBox, type SecretBox } from "./secret-box.js";
export { IssuerError, ISSUER_ERROR_CODES, ISSUER_ERROR_STATUS, type IssuerErrorCode } from "./errors.js";
export { createIssuerService, type IssuerService, type IssuerServiceOptions } from "./service.js";
export { issuerRoutes, type IssuerRoutesOptions } from "./routes.js";
export { type AnchorLog, type AppendResult, type Receipt, type AnchorResult } from "./anchors.js";
export { type IssueResult, type IssueOptions, type StatusSummary } from "./issuance.js";
export { type CredentialRecord, type CredentialState, type HistoryEvent, type DigestMatch } from "./records.js";
// For `meritlog fsck`, which decodes every stored record without opening the service.
export { recordEncoding, unpackJwt } from "./records.js";
export { type CreatedIssuer, type PublicIssuer, type IssuerRecord, type RetiredDid, type RotatedKey } from "./issuers.js";
export { TRANSITIONS, STATUS_BITS, nextState, type LifecycleAction, type StatusChangeResult } from "./lifecycle.js";
export { Bitstring, MIN_STATUS_LIST_BITS } from "./bitstring.js";
export { type StatusEntry, type StatusPurpose } from "./status-list.js";
export { hashToken, TOKEN_PREFIX } from "./tokens.js";
export { JwtSigner, ed25519PrivateKey, ed25519PublicKey } from "./signing.js";
export { type IssuerDb } from "./storage.js";
export { createOfferStore, MemoryOfferDb, type OfferStore, type OfferDb, type OfferStoreOptions, type OfferRecord, type CreatedOffer } from "./offers.js";
export { oid4vciRoutes, credentialIssuerMetadata, PRE_AUTHORIZED_GRANT, type Oid4vciOptions, type OfferIssuingService } from "./oid4vci.js";
