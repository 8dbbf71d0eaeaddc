// The learner chooses what to reveal (issue 15; docs/API.md "SD-JWT: the learner chooses what to
// show"). The issuer's SD-JWT form (`vc+sd-jwt`, RFC 9901) commits to each disclosable field by
// digest; a presentation is the issuer-signed JWT, the disclosures the learner kept, and a
// key-binding JWT (RFC 9901 §4.3) by the holder key over the verifier's nonce and audience.
import { SD_JWT_DISCLOSABLE_PATHS } from "@meritlog/schemas";
import { sha256, toBase64Url, tryFromBase64Url } from "@meritlog/core";
import { WalletError } from "./errors.js";
import { fromUtf8, utf8 } from "./encoding.js";
import { signJwt } from "./jwt.js";
import type { Challenge, Holder } from "./presentation.js";

/** One field the learner may reveal or withhold: its path in the credential, its disclosure and value. */
export interface DisclosableField {
  path: (typeof SD_JWT_DISCLOSABLE_PATHS)[number];
  disclosure: string;
  value: unknown;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function decodeJson(part: string | undefined): unknown {
  const b = part === undefined ? undefined : tryFromBase64Url(part);
  if (b === undefined) return undefined;
  try {
    return JSON.parse(fromUtf8(b)) as unknown;
  } catch {
    return undefined;
  }
}

/** RFC 9901 §4.2.3: a disclosure's digest is base64url(SHA-256(the disclosure's ASCII)). */
const digestOf = (s: string): string => toBase64Url(sha256(utf8(s)));

/** The issuer-signed JWT's payload of an SD-JWT. @throws WalletError encoding.malformed */
function sdJwtPayload(sdJwt: string): Json {
  const p = decodeJson(sdJwt.split("~")[0]!.split(".")[1]);
  if (!isObj(p)) throw new WalletError("encoding.malformed", "This is not an SD-JWT.");
  return p;
}

/**
 * The disclosable fields of an SD-JWT, each found where the issuer committed to it (its digest in
 * the `_sd` list of the field's parent object), in the order of SD_JWT_DISCLOSABLE_PATHS.
 * @throws WalletError encoding.malformed
 */
export function disclosableFields(sdJwt: string): DisclosableField[] {
  const [, ...disclosures] = sdJwt.split("~");
  const payload = sdJwtPayload(sdJwt);
  const byDigest = new Map<string, { disclosure: string; name: unknown; value: unknown }>();
  for (const d of disclosures.filter(Boolean)) {
    const v = decodeJson(d);
    // RFC 9901 §4.2.1: an object property's disclosure is [salt, name, value].
    if (Array.isArray(v) && v.length === 3)
      byDigest.set(digestOf(d), { disclosure: d, name: v[1], value: v[2] });
  }
  const out: DisclosableField[] = [];
  for (const path of SD_JWT_DISCLOSABLE_PATHS) {
    const keys = path.split(".");
    const parent = keys.slice(0, -1).reduce<unknown>((n, k) => (isObj(n) ? n[k] : undefined), payload);
    const sd = isObj(parent) && Array.isArray(parent._sd) ? parent._sd : [];
    for (const digest of sd) {
      const found = typeof digest === "string" ? byDigest.get(digest) : undefined;
      if (found !== undefined && found.name === keys[keys.length - 1])
        out.push({ path, disclosure: found.disclosure, value: found.value });
    }
  }
  return out;
}

/**
 * Whether `sdJwt` is the SD-JWT form of the VC-JWT `jwt` (same id and issuer) bound to this
 * holder's did:key (`sub`), so a presentation of it is this learner's to make.
 */
export function isSdJwtFormOf(sdJwt: string, jwt: string, holderDid: string): boolean {
  try {
    const sd = sdJwtPayload(sdJwt);
    const vc = decodeJson(jwt.split(".")[1]);
    return isObj(vc) && sd.jti === vc.jti && sd.iss === vc.iss && sd.sub === holderDid && isObj(sd.cnf);
  } catch {
    return false;
  }
}

/**
 * An SD-JWT presentation revealing only the disclosures of `reveal` (paths), with a key-binding
 * JWT by the holder over the verifier's nonce and audience and `sd_hash`, the digest of everything
 * before it (RFC 9901 §4.3.1). The issuer-signed JWT is unchanged; withheld fields stay digests.
 */
export async function presentSdJwt(
  sdJwt: string,
  reveal: readonly string[],
  holder: Holder,
  challenge: Challenge,
  now = new Date(),
): Promise<string> {
  const presented = disclosedSdJwt(sdJwt, reveal);
  const kb = await signJwt(
    { alg: "EdDSA", typ: "kb+jwt" },
    {
      iat: Math.floor(now.getTime() / 1000),
      aud: challenge.audience,
      nonce: challenge.nonce,
      sd_hash: digestOf(presented),
    },
    holder.sign,
  );
  return presented + kb;
}

/**
 * The SD-JWT with only the disclosures of `reveal` and no key binding (`<JWT>~<d>~…~`): what a
 * lasting share link holds (the holder proof made the link; docs/API.md "Sharing that survives
 * email"), and what a presentation's key binding covers.
 */
export function disclosedSdJwt(sdJwt: string, reveal: readonly string[]): string {
  const chosen = disclosableFields(sdJwt)
    .filter((f) => reveal.includes(f.path))
    .map((f) => f.disclosure);
  return `${[sdJwt.split("~")[0]!, ...chosen].join("~")}~`;
}
