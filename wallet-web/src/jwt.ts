import { WalletError } from "./errors.js";
import { fromBase64, fromUtf8, parseJson, toBase64Url, utf8 } from "./encoding.js";

export type Signer = (message: Uint8Array) => Promise<Uint8Array>;

/** Compact JWS (RFC 7515 §7.1) over `header.payload`, signed by `sign` (EdDSA, RFC 8037). */
export async function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, sign: Signer): Promise<string> {
  const input = `${toBase64Url(utf8(JSON.stringify(header)))}.${toBase64Url(utf8(JSON.stringify(payload)))}`;
  return `${input}.${toBase64Url(await sign(utf8(input)))}`;
}

export interface JwtParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/** Splits and decodes a compact JWS without verifying it. @throws WalletError encoding.malformed */
export function readJwt(jwt: string): JwtParts {
  const parts = jwt.trim().split(".");
  if (parts.length !== 3) throw new WalletError("encoding.malformed", "This is not a signed token (JWT).");
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(fromUtf8(fromBase64(h)));
  const payload = parseJson(fromUtf8(fromBase64(p)));
  if (!header || typeof header !== "object" || !payload || typeof payload !== "object") {
    throw new WalletError("encoding.malformed", "This is not a signed token (JWT).");
  }
  return {
    header: header as Record<string, unknown>,
    payload: payload as Record<string, unknown>,
    signingInput: utf8(`${h}.${p}`),
    signature: fromBase64(s),
  };
}
