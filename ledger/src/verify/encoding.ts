// Strict codecs for untrusted text live in @meritlog/core (canonical base64, hex, UTF-8); this
// module only turns a decoding failure into the ledger's own coded error.
import { tryFromBase64 } from "@meritlog/core";
import { LedgerError, type LedgerErrorCode } from "../errors.js";

export {
  bytesEqual,
  concatBytes,
  toBase64,
  tryFromBase64,
  tryFromHex,
  tryUtf8Decode,
  utf8,
} from "@meritlog/core";

/** Decodes standard base64. @throws LedgerError with `code` for malformed input. */
export function fromBase64(text: string, code: LedgerErrorCode, what: string): Uint8Array {
  const out = tryFromBase64(text);
  if (out === undefined) throw new LedgerError(code, `${what} is not canonical standard base64`);
  return out;
}
