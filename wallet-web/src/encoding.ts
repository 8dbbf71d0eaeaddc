import { tryFromBase64 } from "@meritlog/core";
import { WalletError } from "./errors.js";

// The codecs are @meritlog/core's, the ones the log and the verifier use (standard padded base64,
// RFC 4648 §4; unpadded base64url, RFC 7515 §2; lower-case hex), so the wallet writes bytes exactly as they do.
export { toBase64, toBase64Url, toHex } from "@meritlog/core";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes of a string. */
export const utf8 = (s: string): Uint8Array => enc.encode(s);

/** String from UTF-8 bytes. @throws WalletError encoding.malformed on invalid UTF-8 */
export function fromUtf8(b: Uint8Array): string {
  try {
    return dec.decode(b);
  } catch (cause) {
    throw new WalletError("encoding.malformed", "The data is not valid text.", { cause });
  }
}

/**
 * Decodes standard or URL-safe base64, padded or not (shared links and stored values come in both
 * spellings), through core's canonical decoder. @throws WalletError encoding.malformed
 */
export function fromBase64(s: string): Uint8Array {
  const std = typeof s === "string" ? s.replace(/-/g, "+").replace(/_/g, "/") : "";
  const out = /^[A-Za-z0-9+/]*={0,2}$/.test(std)
    ? tryFromBase64(std.padEnd(std.length + ((4 - (std.length % 4)) % 4), "="))
    : undefined;
  if (out === undefined) throw new WalletError("encoding.malformed", "The data is not valid base64.");
  return out;
}

/** Parses JSON from untrusted text. @throws WalletError with the given code, never SyntaxError */
export function parseJson(
  text: string,
  code:
    | "encoding.malformed"
    | "offer.malformed"
    | "backup.malformed"
    | "claim.malformed_response"
    | "challenge.malformed" = "encoding.malformed",
): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new WalletError(code, "The data is not valid JSON.", { cause });
  }
}

/** Fresh random bytes from the platform CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
