// SHA-256 (FIPS 180-4) on @noble/hashes: the portable hasher. Node callers that hash on a hot
// path pass node:crypto's (`nodeSha256` from `@meritlog/core/node`) wherever a `Hasher` is taken.
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { toHex, utf8 } from "./bytes.js";

/** A SHA-256 implementation: 32-byte digest of `data`. */
export type Hasher = (data: Uint8Array) => Uint8Array;

/** SHA-256 of `data` (portable, @noble/hashes). */
export const sha256: Hasher = (data) => nobleSha256(data);

/** Lower-case hex SHA-256 of `data` (a string is hashed as its UTF-8 bytes), with `hasher` if given. */
export function sha256Hex(data: string | Uint8Array, hasher: Hasher = sha256): string {
  return toHex(hasher(typeof data === "string" ? utf8(data) : data));
}
