import { WalletError } from "./errors.js";
import { parseJson, randomBytes, toHex } from "./encoding.js";
import { didKeyVerificationMethod } from "./did-key.js";
import { signJwt, type Signer } from "./jwt.js";

/** A verifier's challenge: the presentation must be bound to this nonce and audience. */
export interface Challenge {
  nonce: string;
  audience: string;
  expiresAt?: string;
}

/** Lifetime of a presentation: long enough to be read, short enough not to be replayed later. */
const PRESENTATION_TTL_SECONDS = 600;

/**
 * Reads a challenge from a verify link (`…/verify#nonce=…&audience=…`, also `?…`), or from the
 * JSON `{nonce, audience}` of `GET /v1/challenges`.
 * @throws WalletError challenge.malformed
 */
export function parseChallengeInput(input: string): Challenge {
  const text = input.trim();
  let nonce: unknown;
  let audience: unknown;
  let expiresAt: unknown;
  if (text.startsWith("{")) {
    const j = parseJson(text, "challenge.malformed") as Record<string, unknown> | null;
    nonce = j?.nonce;
    audience = j?.audience ?? j?.aud;
    expiresAt = j?.expiresAt;
  } else {
    const i = text.search(/[#?]/);
    const params = new URLSearchParams(i >= 0 ? text.slice(i + 1).replace(/#/g, "&") : text);
    nonce = params.get("nonce");
    audience = params.get("audience") ?? params.get("aud");
    expiresAt = params.get("expiresAt") ?? undefined;
  }
  if (
    typeof nonce !== "string" ||
    nonce.length < 8 ||
    typeof audience !== "string" ||
    audience.length === 0
  ) {
    throw new WalletError(
      "challenge.malformed",
      "The verifier's link does not contain a challenge (nonce and audience).",
    );
  }
  const c: Challenge = { nonce, audience };
  if (typeof expiresAt === "string") c.expiresAt = expiresAt;
  return c;
}

export interface Holder {
  did: string;
  sign: Signer;
}

/**
 * Signs a VP-JWT (VC Data Model 1.1 §6.3.1 `vp` claim; EdDSA) carrying the chosen credentials,
 * bound to the verifier's nonce and audience. Nothing else about the wallet is included.
 */
export async function buildPresentation(
  holder: Holder,
  credentials: string[],
  challenge: Challenge,
  now = new Date(),
): Promise<string> {
  if (credentials.length === 0)
    throw new WalletError("challenge.malformed", "Choose at least one credential to present.");
  const iat = Math.floor(now.getTime() / 1000);
  return signJwt(
    { alg: "EdDSA", typ: "JWT", kid: didKeyVerificationMethod(holder.did) },
    {
      iss: holder.did,
      aud: challenge.audience,
      nonce: challenge.nonce,
      iat,
      nbf: iat,
      exp: iat + PRESENTATION_TTL_SECONDS,
      jti: `urn:uuid:${uuid()}`,
      vp: {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        type: ["VerifiablePresentation"],
        holder: holder.did,
        verifiableCredential: credentials,
      },
    },
    holder.sign,
  );
}

/**
 * The link a verifier opens to read the report: `<verify page>#vp=<VP-JWT>`. The nonce and
 * audience travel inside the signed VP; the fragment never reaches a server's logs.
 */
export function presentationLink(verifyPageUrl: string, vp: string): string {
  return `${verifyPageUrl}#vp=${vp}`;
}

function uuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
