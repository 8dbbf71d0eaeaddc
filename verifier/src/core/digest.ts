// SHA-256 for entry digests: the caller's (node:crypto on the server) or noble's (browser).
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import type { VerifyContext } from "./context.js";

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text` (the log's `digest` of a JWT). */
export function sha256Hex(text: string, ctx?: Pick<VerifyContext, "sha256" | "sha256Hex">): string {
  if (ctx?.sha256Hex) return ctx.sha256Hex(text);
  const data = encoder.encode(text);
  return toHex(ctx?.sha256 ? ctx.sha256(data) : nobleSha256(data));
}
