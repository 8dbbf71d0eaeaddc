import { randomBytes, timingSafeEqual } from "node:crypto";
import { utf8 } from "@meritlog/core";
import { nodeSha256 } from "@meritlog/core/node";

/** Prefix of issuer tokens, so leaked tokens are recognisable by secret scanners. */
const TOKEN_PREFIX = "mlt_";

/** A fresh bearer token: prefix + base64url of 32 random bytes (256 bits). Shown once. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * Whether `token` has the shape {@link generateToken} gives (prefix + 43 base64url characters).
 * Only such a token can be one another node made a moment ago, worth re-reading the registry for.
 */
export function isIssuerTokenShaped(token: string): boolean {
  return /^mlt_[A-Za-z0-9_-]{43}$/.test(token);
}

/** SHA-256 of the token's UTF-8 bytes; only this is stored. A 256-bit random token needs no salt or KDF. */
export function hashToken(token: string): Uint8Array {
  return new Uint8Array(nodeSha256(utf8(token)));
}

/** Constant-time comparison of a presented token with a stored hash (both hashed first, so lengths match). */
export function tokenMatches(token: string, storedHash: Uint8Array): boolean {
  const h = hashToken(token);
  return storedHash.length === h.length && timingSafeEqual(h, storedHash);
}

/** Extracts the token from `Authorization: Bearer <token>`; undefined when absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  return m?.[1];
}
