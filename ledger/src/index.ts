// @meritlog/ledger — the Node side of the transparency log: LevelDB storage, group commit,
// signed checkpoints, proofs from tiles, fsck and the /log HTTP plugin.
export {
  LedgerError,
  LEDGER_ERROR_CODES,
  LEDGER_ERROR_STATUS,
  isLedgerError,
  type LedgerErrorCode,
} from "./errors.js";
export {
  openLog,
  loadStoredCheckpoint,
  loadStoredEntry,
  type TransparencyLog,
  type AppendResult,
  type OpenLogOptions,
} from "./log.js";
export {
  loadOrCreateLogSigner,
  createNoteSigner,
  parseSignerKey,
  signNote,
  type NoteSigner,
  type SecretBox,
} from "./signer.js";
export { NODE_TREE_HASHER } from "./node-hashing.js";
export { fsckLog, type FsckReport, type FsckCode } from "./fsck.js";
export { logRoutes, IMMUTABLE_CACHE, PARTIAL_CACHE, CHECKPOINT_CACHE } from "./routes.js";
export { LOG_ROUTE_CONTRACTS, WITNESS_ROUTE_CONTRACTS } from "./route-contracts.js";
export type { LedgerDb } from "./store.js";
export { checkedEncoding, checkValue, openValue } from "./value-codec.js";
export type { Receipt, ReceiptResult } from "./verify/receipt.js";
export {
  createWitness,
  createCosigner,
  loadOrCreateWitnessCosigner,
  nodeEd25519Verify,
  WITNESS_KEY_KEY,
  type Witness,
  type WitnessOptions,
  type WitnessReply,
  type WitnessedState,
  type WitnessEvidence,
  type Cosigner,
} from "./witness.js";
export {
  witnessLog,
  parseWitnessList,
  type WitnessedLog,
  type WitnessEndpoint,
  type WitnessAttempt,
  type WitnessingOptions,
} from "./witnessing.js";
export { witnessRoutes } from "./witness-routes.js";
export { openPgLog, type OpenPgLogOptions, type PgTransparencyLog } from "./pg-log.js";
export {
  LEDGER_MIGRATIONS,
  loadOrCreatePgLogSigner,
  pgRecordSource,
  readPgState,
  storePgLogKey,
  writePgRecords,
} from "./store-pg.js";
export { getRecord, type LogSource, type RecordSource } from "./store.js";
