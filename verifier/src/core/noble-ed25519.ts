// Ed25519 verification for the browser (and as a portable fallback): @noble/ed25519 v3's async
// API, which hashes with WebCrypto SHA-512, so no hash configuration is needed.
import { verifyAsync } from "@noble/ed25519";
import type { Ed25519Verify } from "./context.js";

/** RFC 8032 verification with noble; never throws (malformed input is "false"). */
export const nobleEd25519: Ed25519Verify = {
  async verify(sig, msg, publicKey) {
    try {
      // RFC 8032 (strict) rather than ZIP-215, to agree with node:crypto on edge cases.
      return await verifyAsync(sig, msg, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};
