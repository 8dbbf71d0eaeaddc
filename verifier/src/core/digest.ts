// SHA-256 for entry digests: the caller's (node:crypto on the server) or core's portable one.
import { sha256, sha256Hex as hexOf } from "@meritlog/core";
import type { VerifyContext } from "./context.js";

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text` (the log's `digest` of a JWT), with the context's hasher. */
export function sha256Hex(text: string, ctx?: Pick<VerifyContext, "sha256" | "sha256Hex">): string {
  if (ctx?.sha256Hex) return ctx.sha256Hex(text);
  return hexOf(text, ctx?.sha256 ?? sha256);
}
