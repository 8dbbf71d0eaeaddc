// Resolution of an issuer's (or holder's) DID to its verification keys: Ed25519, P-256, P-384 and
// RSA (each bound to one JWS algorithm by @meritlog/core's table). did:key (Ed25519, P-256) and
// did:jwk are resolved offline. did:web (W3C CCG did:web §3.2) and an https `kid` (a JWK or JWK
// Set URL on the issuer's own origin) only through the caller's fetcher, which the caller
// provides only when network access is enabled; we say what was fetched and when.
import type { VerifyContext } from "./context.js";
import { withTimeout } from "./context.js";
import { NEVER } from "./cache.js";
import {
  decodeDidKey,
  decodeMultikey,
  isCoreError,
  jwsKeyFromDidKey,
  publicKeyFromJwk,
  sameJwsKey,
  tryFromBase64Url,
  tryUtf8Decode,
  type JwsPublicKey,
} from "@meritlog/core";

export interface ResolvedKey {
  id: string;
  key: JwsPublicKey;
}

export type Resolution =
  | {
      ok: true;
      did: string;
      method: "did:key" | "did:web" | "did:jwk" | "https";
      keys: ResolvedKey[];
      url?: string;
      fetchedAt?: string;
    }
  | { ok: false | "unknown"; did: string; code: string; message: string };

/** Default time a did:web document is kept (no ttl is published with DID documents). */
const DID_WEB_TTL_MS = 5 * 60_000;

/** The https URL of a did:web document (did:web §3.2 "Read (Resolve)"); undefined if malformed. */
export function didWebUrl(did: string): string | undefined {
  if (!did.startsWith("did:web:")) return undefined;
  const parts = did.slice("did:web:".length).split(":");
  if (parts.some((p) => p.length === 0 || /[/?#@\s]/.test(p))) return undefined;
  let host: string;
  try {
    host = decodeURIComponent(parts[0]!); // a port is percent-encoded: example.com%3A8443
  } catch {
    return undefined;
  }
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) return undefined;
  const path = parts.slice(1).map((p) => encodeURIComponent(decodeURIComponent(p)));
  return path.length === 0
    ? `https://${host}/.well-known/did.json`
    : `https://${host}/${path.join("/")}/did.json`;
}

/** The key of a multibase multikey (Ed25519 or P-256), or undefined. */
function keyOfMultikey(mb: string): JwsPublicKey | undefined {
  try {
    return jwsKeyFromDidKey(decodeMultikey(mb));
  } catch {
    return undefined;
  }
}

/** Keys of a DID document's verificationMethod list (Multikey / Ed25519VerificationKey2020 / JsonWebKey(2020)). */
function keysOfDocument(did: string, doc: unknown): ResolvedKey[] | undefined {
  if (doc === null || typeof doc !== "object") return undefined;
  const d = doc as Record<string, unknown>;
  if (d.id !== did) return undefined;
  const vms = Array.isArray(d.verificationMethod) ? d.verificationMethod : [];
  const keys: ResolvedKey[] = [];
  for (const vm of vms.slice(0, 32)) {
    if (vm === null || typeof vm !== "object") continue;
    const v = vm as Record<string, unknown>;
    if (typeof v.id !== "string") continue;
    const id = v.id.startsWith("#") ? did + v.id : v.id;
    if (!id.startsWith(did + "#")) continue; // a method must belong to this DID
    const key =
      typeof v.publicKeyMultibase === "string"
        ? keyOfMultikey(v.publicKeyMultibase)
        : publicKeyFromJwk(v.publicKeyJwk);
    if (key) keys.push({ id, key });
  }
  return keys;
}

/** Resolves a DID to its keys, through the cache and (did:web only) the fetcher. */
export async function resolveDid(did: string, ctx: VerifyContext): Promise<Resolution> {
  if (typeof did !== "string" || !did.startsWith("did:")) {
    return {
      ok: false,
      did: String(did).slice(0, 200),
      code: "issuer.not_a_did",
      message: "The issuer is not identified by a DID.",
    };
  }
  if (did.startsWith("did:key:")) {
    // did:key is resolved by computation alone; the cache only saves the base58 decoding.
    const hit = ctx.cache?.didDocs.get(did, 0);
    if (hit) return { ok: true, did, method: "did:key", keys: hit.keys };
    try {
      // did:key §3.1.2 "Document Creation": one method, `did:key:z…#z…`.
      const key = jwsKeyFromDidKey(decodeDidKey(did));
      const keys = [{ id: `${did}#${did.slice("did:key:".length)}`, key }];
      ctx.cache?.didDocs.set(did, { keys, url: "", fetchedAt: "" }, NEVER);
      return { ok: true, did, method: "did:key", keys };
    } catch (e) {
      const code = isCoreError(e, "did.unsupported") ? "issuer.key_type_unsupported" : "issuer.did_invalid";
      return { ok: false, did, code, message: e instanceof Error ? e.message : "The did:key is invalid." };
    }
  }
  if (did.startsWith("did:jwk:")) {
    // DIF did:jwk §2.3 "Read": the DID is base64url of the public JWK; one method, `#0`.
    const bytes = tryFromBase64Url(did.slice("did:jwk:".length));
    const text = bytes && tryUtf8Decode(bytes);
    let key: JwsPublicKey | undefined;
    try {
      key = text === undefined ? undefined : publicKeyFromJwk(JSON.parse(text));
    } catch {
      key = undefined;
    }
    if (!key)
      return {
        ok: false,
        did,
        code: "issuer.did_invalid",
        message:
          "The did:jwk does not encode a public key of a supported type (Ed25519, P-256, P-384, RSA ≥ 2048 bits).",
      };
    return { ok: true, did, method: "did:jwk", keys: [{ id: `${did}#0`, key }] };
  }
  if (did.startsWith("did:web:")) {
    const url = didWebUrl(did);
    if (!url)
      return { ok: false, did, code: "issuer.did_invalid", message: "The did:web identifier is malformed." };
    const nowMs = ctx.now.getTime();
    const cached = ctx.cache?.didDocs.get(did, nowMs);
    if (cached)
      return {
        ok: true,
        did,
        method: "did:web",
        keys: cached.keys,
        url: cached.url,
        fetchedAt: cached.fetchedAt,
      };
    const fetchDoc = ctx.fetcher?.didWeb;
    if (!fetchDoc) {
      return {
        ok: "unknown",
        did,
        code: "issuer.network_disabled",
        message: `The issuer uses did:web; resolving it needs a network fetch of ${url}, which is not enabled here.`,
      };
    }
    let doc: unknown;
    try {
      doc = await withTimeout(ctx, "did:web fetch", () => fetchDoc.call(ctx.fetcher, url));
    } catch (e) {
      return {
        ok: "unknown",
        did,
        code: "issuer.did_unreachable",
        message: `The issuer's DID document at ${url} could not be fetched (${e instanceof Error ? e.message : "error"}).`,
      };
    }
    const keys = keysOfDocument(did, doc);
    if (!keys)
      return {
        ok: false,
        did,
        code: "issuer.did_document_invalid",
        message: `The DID document at ${url} is not a document for ${did}.`,
      };
    const fetchedAt = ctx.now.toISOString();
    ctx.cache?.didDocs.set(did, { keys, url, fetchedAt }, Math.min(NEVER, nowMs + DID_WEB_TTL_MS));
    return { ok: true, did, method: "did:web", keys, url, fetchedAt };
  }
  const method = did.split(":")[1] ?? "";
  return {
    ok: false,
    did,
    code: "issuer.did_method_unsupported",
    message: `DID method "${method.slice(0, 30)}" is not supported (did:key, did:jwk and did:web are).`,
  };
}

/** Keys read from one JWK Set at most (RFC 7517 §5); the rest are ignored. */
const MAX_JWKS_KEYS = 32;

/**
 * The key an https `kid` names (issue 13; RFC 7515 §4.1.4): `kid` is an https URL on the
 * issuer's own origin (`iss` an https URL), so that only the issuer's web origin can publish
 * its keys, as with did:web; the URL without its fragment is fetched (guarded) and holds a JWK
 * Set (RFC 7517 §5) or one JWK. A key of a set is `<url>#<its kid>`; a lone JWK is `<url>`.
 * Any other `kid` is left to DID resolution.
 */
export async function resolveHttpsKid(issuer: string, kid: string, ctx: VerifyContext): Promise<Resolution> {
  let iss: URL, k: URL;
  try {
    iss = new URL(issuer);
    k = new URL(kid);
  } catch {
    return { ok: false, did: issuer, code: "signature.kid_invalid", message: "The key id is not a URL." };
  }
  if (iss.protocol !== "https:" || k.protocol !== "https:" || iss.origin !== k.origin) {
    return {
      ok: false,
      did: issuer,
      code: "signature.kid_not_issuer",
      message: `The key id "${kid.slice(0, 120)}" is not on the issuer's own https origin (${issuer.slice(0, 120)}).`,
    };
  }
  const url = kid.split("#")[0]!;
  const nowMs = ctx.now.getTime();
  const cached = ctx.cache?.didDocs.get(`jwks ${url}`, nowMs);
  if (cached) return { ok: true, did: issuer, method: "https", ...cached };
  const fetchKeys = ctx.fetcher?.jwks;
  if (!fetchKeys)
    return {
      ok: "unknown",
      did: issuer,
      code: "issuer.network_disabled",
      message: `The issuer's key is published at ${url}; fetching it is not enabled here.`,
    };
  let doc: unknown;
  try {
    doc = await withTimeout(ctx, "JWK Set fetch", () => fetchKeys.call(ctx.fetcher, url));
  } catch (e) {
    return {
      ok: "unknown",
      did: issuer,
      code: "issuer.did_unreachable",
      message: `The issuer's key at ${url} could not be fetched (${e instanceof Error ? e.message : "error"}).`,
    };
  }
  const keys: ResolvedKey[] = [];
  const set = doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>).keys : undefined;
  if (Array.isArray(set)) {
    for (const j of set.slice(0, MAX_JWKS_KEYS)) {
      const key = publicKeyFromJwk(j);
      const id = (j as Record<string, unknown>).kid;
      if (key && typeof id === "string") keys.push({ id: `${url}#${id}`, key });
    }
  } else {
    const key = publicKeyFromJwk(doc);
    if (key) keys.push({ id: url, key });
  }
  const fetchedAt = ctx.now.toISOString();
  ctx.cache?.didDocs.set(`jwks ${url}`, { keys, url, fetchedAt }, nowMs + DID_WEB_TTL_MS);
  return { ok: true, did: issuer, method: "https", keys, url, fetchedAt };
}

export type KeySelection = { ok: true; key: ResolvedKey } | { ok: false; code: string; message: string };

/**
 * Picks the verification key for a JWS: `kid` must be a DID URL of the signer's DID (RFC 7515
 * §4.1.4; OB3 §8.2) naming one of its methods; an embedded `jwk` (§4.1.3) is accepted only if it
 * equals that key, so it can never introduce a key of its own.
 */
export function selectKey(did: string, keys: ResolvedKey[], kid: unknown, jwk: unknown): KeySelection {
  let key: ResolvedKey | undefined;
  if (typeof kid === "string" && !did.startsWith("did:")) {
    // An https kid (resolveHttpsKid): the key whose id is the kid, nothing else.
    key = keys.find((k) => k.id === kid);
    if (!key)
      return {
        ok: false,
        code: "signature.kid_unknown",
        message: `The key id "${kid.slice(0, 120)}" names no key of the published key set.`,
      };
  } else if (typeof kid === "string") {
    const absolute = kid.startsWith("#") ? did + kid : kid;
    const hash = absolute.indexOf("#");
    const kidDid = hash < 0 ? absolute : absolute.slice(0, hash);
    if (kidDid !== did) {
      return {
        ok: false,
        code: "signature.kid_not_issuer",
        message: `The key id "${kid.slice(0, 120)}" does not belong to the signer ${did.slice(0, 120)}.`,
      };
    }
    key = keys.find((k) => k.id === absolute);
    if (!key)
      return {
        ok: false,
        code: "signature.kid_unknown",
        message: `The key id "${kid.slice(0, 120)}" is not a verification method of ${did.slice(0, 120)}.`,
      };
  } else if (keys.length === 1) {
    key = keys[0];
  } else {
    return {
      ok: false,
      code: keys.length === 0 ? "signature.no_key" : "signature.kid_required",
      message:
        keys.length === 0
          ? "The signer's DID has no key of a supported type (Ed25519, P-256, P-384, RSA ≥ 2048 bits)."
          : "The signer's DID has several keys and the token does not say which one (kid).",
    };
  }
  if (!key) return { ok: false, code: "signature.no_key", message: "The signer's DID has no usable key." };
  if (jwk !== undefined) {
    // RFC 7515 §4.1.3: the embedded key only ever confirms the resolved one, never replaces it.
    const embedded = publicKeyFromJwk(jwk);
    if (!embedded || !sameJwsKey(embedded, key.key)) {
      return {
        ok: false,
        code: "signature.jwk_mismatch",
        message: "The key embedded in the token header is not the signer's DID key.",
      };
    }
  }
  return { ok: true, key };
}
