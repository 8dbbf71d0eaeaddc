// The admin check every admin route shares (issuer registry, key events, backup): one place that
// says which token is the admin's and which problem each other caller gets.
import { IssuerError } from "./errors.js";
import { bearerToken, tokenMatches } from "./tokens.js";

/**
 * Passes only for `Authorization: Bearer <admin token>`.
 * @param authenticate the issuer-token check: a valid issuer token is 403, anything else 401
 * @throws IssuerError 401 `auth.missing_token` / `auth.bad_token`, 403 `auth.admin_required`
 */
export function requireAdmin(
  authorization: string | undefined,
  adminTokenHash: Uint8Array,
  authenticate: (token: string) => unknown,
): void {
  const token = bearerToken(authorization);
  if (token === undefined) throw new IssuerError("auth.missing_token", "send Authorization: Bearer <token>");
  if (tokenMatches(token, adminTokenHash)) return;
  try {
    authenticate(token);
  } catch {
    throw new IssuerError("auth.bad_token", "the token is not valid");
  }
  throw new IssuerError("auth.admin_required", "this route needs the admin token");
}
