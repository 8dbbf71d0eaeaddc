/**
 * The SD-JWT form of a credential (issue 15; docs/API.md "The learner's account"): VC-JOSE-COSE
 * §3.2 `vc+sd-jwt`, made with `@sd-jwt/core` (IETF SD-JWT, RFC 9901). The payload is the same
 * Open Badges 3.0 credential as the VC-JWT, with the fields a learner may want to keep to
 * themselves made selectively disclosable: the achievement's description and criteria narrative,
 * the evidence, results, and an attribution's contribution description. Everything that says what
 * the credential is and whether it is current (type, issuer, subject, scope, review level,
 * validity, status, no-conversion notice) stays always disclosed. `cnf.jwk` binds it to the
 * subject's did:key, so a presentation needs a key-binding JWT by the learner.
 */
import { SDJwtInstance } from "@sd-jwt/core";
import { SD_JWT_DISCLOSABLE_PATHS as SD_PATHS } from "@meritlog/schemas";
import { decodeDidKey, jwkFromPublicKey, toBase64Url } from "@meritlog/core";
import { sdJwtSha256 } from "@meritlog/core/node";
import { randomBytes } from "node:crypto";
import type { Ed25519JwsSigner as JwtSigner } from "@meritlog/core/node";

/** The JOSE `typ` of the issuer-signed JWT (VC-JOSE-COSE §3.2.1). */
const SD_JWT_TYP = "vc+sd-jwt";

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The disclosure frame for `payload`: `_sd` lists at each parent of a present SD path. */
function disclosureFrame(payload: Json): Parameters<SDJwtInstance<Json>["issue"]>[1] {
  const frame: Json = {};
  for (const path of SD_PATHS) {
    const keys = path.split(".");
    let node: unknown = payload;
    let f = frame;
    for (const k of keys.slice(0, -1)) {
      node = isObj(node) ? node[k] : undefined;
      f = (f[k] ??= {}) as Json;
    }
    const last = keys[keys.length - 1]!;
    if (isObj(node) && node[last] !== undefined) ((f._sd ??= []) as string[]).push(last);
  }
  return frame as Parameters<SDJwtInstance<Json>["issue"]>[1];
}

/**
 * Signs the SD-JWT form of an Open Badges 3.0 payload (the VC-JWT's payload: credential plus
 * iss/sub/jti/nbf/exp) with the issuer's key. Returns `<issuer-signed JWT>~<disclosure>~…~`.
 * @throws Error when the subject is not a did:key (there is no key to bind the credential to).
 */
export async function issueSdJwt(payload: Json, signer: JwtSigner): Promise<string> {
  const types = Array.isArray(payload.type) ? payload.type : [payload.type];
  const kind =
    ["MicroCredential", "Attribution", "MPUAuthorship"].find((t) => types.includes(t)) ?? "Credential";
  const subject = isObj(payload.credentialSubject) ? payload.credentialSubject.id : undefined;
  if (typeof subject !== "string" || !subject.startsWith("did:key:"))
    throw new Error("the SD-JWT form needs a did:key subject to bind the credential to");
  const sd = new SDJwtInstance<Json>({
    hasher: sdJwtSha256,
    hashAlg: "sha-256",
    // RFC 9901 §4.2.1: at least 128 bits of salt from a CSPRNG.
    saltGenerator: (n) => toBase64Url(randomBytes(Math.max(16, n))),
    signer: (data) => toBase64Url(signer.signBytes(new TextEncoder().encode(data))),
    signAlg: "EdDSA",
  });
  const body: Json = {
    ...payload,
    // SD-JWT VC §3.2.2.2 `vct`, so SD-JWT VC wallets and libraries accept it too.
    vct: `urn:meritlog:vct:${kind}`,
    iat: typeof payload.nbf === "number" ? payload.nbf : Math.floor(Date.now() / 1000),
    // RFC 7800 §3.2: the holder's key, from the subject's did:key.
    cnf: { jwk: jwkFromPublicKey(decodeDidKey(subject)) },
  };
  return await sd.issue(body, disclosureFrame(body), { header: { typ: SD_JWT_TYP, kid: signer.kid } });
}

/** The issuer-signed JWT of an SD-JWT (before the first `~`): what the log entry's digest covers. */
export const sdJwtIssuerPart = (sdJwt: string): string => sdJwt.slice(0, sdJwt.indexOf("~"));
