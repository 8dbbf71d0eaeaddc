// @meritlog/ledger — the Node side of the transparency log (storage, group commit, routes).
export { LedgerError, LEDGER_ERROR_CODES, LEDGER_ERROR_STATUS, isLedgerError, type LedgerErrorCode } from "./errors.js";
