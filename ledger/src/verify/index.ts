// @meritlog/ledger/verify — browser-safe verification: RFC 9162 hashing and proofs, C2SP
// tlog-checkpoint, signed-note, tlog-cosignature and tlog-tiles paths, receipts. No Node built-ins.
export {
  leafHash,
  nodeHash,
  rfc6962Hasher,
  DEFAULT_TREE_HASHER,
  EMPTY_ROOT,
  HASH_SIZE,
  type TreeHasher,
} from "./hashing.js";
export { verifyInclusion, rootFromInclusionProof } from "./inclusion.js";
export { verifyConsistency } from "./consistency.js";
// Pure proof planning (no imports beyond tree arithmetic), shared so the wallet computes proofs
// from tiles with the same RFC 9162 §2.1.3.1 PATH as the log.
export { inclusionRanges, type LeafRange } from "../proofs.js";
export { parseCheckpoint, formatCheckpoint, type Checkpoint } from "./checkpoint.js";
export {
  parseVerifierKey,
  formatVerifierKey,
  ed25519KeyId,
  ed25519Verifier,
  parseNote,
  verifyNote,
  appendNoteSignature,
  isValidKeyName,
  type NoteVerifier,
  type NoteSignature,
  type NoteResult,
  type NoteCode,
} from "./note.js";
export {
  COSIGNATURE_V1_ALG,
  cosignatureKeyId,
  cosignerKey,
  parseCosignerKey,
  cosignedMessage,
  parseTimestampedSignature,
  formatCosignatureLine,
  verifyCosignatures,
  cosignatureCandidates,
  type CosignatureCandidate,
  type Ed25519VerifyFn,
  type CosignerKey,
  type CosignerOutcome,
  type CosignatureCode,
  type CosignatureResult,
} from "./cosignature.js";
export {
  parseAddCheckpoint,
  formatAddCheckpoint,
  MAX_PROOF_LINES,
  type AddCheckpointRequest,
} from "./witness-request.js";
export {
  tilePath,
  entriesPath,
  parseTilePath,
  encodeTileIndex,
  partialTileWidth,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileRef,
} from "./tiles.js";
export { verifyReceipt, type Receipt, type ReceiptResult, type ReceiptCode } from "./receipt.js";
export { toBase64, tryFromBase64, toHex, tryFromHex } from "@meritlog/core";
export { LedgerError, LEDGER_ERROR_CODES, type LedgerErrorCode } from "../errors.js";
