// Resolution of an issuer's (or holder's) DID to its Ed25519 verification keys.
// did:key is resolved offline. did:web (W3C CCG did:web §3.2) only through the caller's
// fetcher, which the caller provides only when network access is enabled; we say what was
// fetched and when.
import type { VerifyContext } from "./context.js";
import { withTimeout } from "./context.js";
import { NEVER } from "./cache.js";
import { VerifierError } from "../errors.js";
import { bytesEqual } from "@meritlog/core";
import {
  ed25519FromJwk,
  multikeyFromPublicKey,
  publicKeyFromDidKey,
  publicKeyFromMultikey,
} from "./did-key.js";

export interface ResolvedKey {
  id: string;
  publicKey: Uint8Array;
}

export type Resolution =
  | {
      ok: true;
      did: string;
      method: "did:key" | "did:web";
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

/** Ed25519 keys of a DID document's verificationMethod list (Multikey / Ed25519VerificationKey2020 / JsonWebKey). */
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
    const pk =
      typeof v.publicKeyMultibase === "string"
        ? publicKeyFromMultikey(v.publicKeyMultibase)
        : ed25519FromJwk(v.publicKeyJwk);
    if (pk) keys.push({ id, publicKey: pk });
  }
  return keys;
}

/** Resolves a DID to its Ed25519 keys, through the cache and (did:web only) the fetcher. */
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
      const pk = publicKeyFromDidKey(did);
      const keys = [{ id: `${did}#${multikeyFromPublicKey(pk)}`, publicKey: pk }];
      ctx.cache?.didDocs.set(did, { keys, url: "", fetchedAt: "" }, NEVER);
      return { ok: true, did, method: "did:key", keys };
    } catch (e) {
      const code =
        e instanceof VerifierError && e.code === "did.unsupported"
          ? "issuer.key_type_unsupported"
          : "issuer.did_invalid";
      return { ok: false, did, code, message: e instanceof Error ? e.message : "The did:key is invalid." };
    }
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
    message: `DID method "${method.slice(0, 30)}" is not supported (did:key and did:web are).`,
  };
}

export type KeySelection = { ok: true; key: ResolvedKey } | { ok: false; code: string; message: string };

/**
 * Picks the verification key for a JWS: `kid` must be a DID URL of the signer's DID (RFC 7515
 * §4.1.4; OB3 §8.2) naming one of its methods; an embedded `jwk` (§4.1.3) is accepted only if it
 * equals that key, so it can never introduce a key of its own.
 */
export function selectKey(did: string, keys: ResolvedKey[], kid: unknown, jwk: unknown): KeySelection {
  let key: ResolvedKey | undefined;
  if (typeof kid === "string") {
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
          ? "The signer's DID has no Ed25519 key."
          : "The signer's DID has several keys and the token does not say which one (kid).",
    };
  }
  if (!key) return { ok: false, code: "signature.no_key", message: "The signer's DID has no Ed25519 key." };
  if (jwk !== undefined) {
    const pk = ed25519FromJwk(jwk);
    if (!pk || !bytesEqual(pk, key.publicKey)) {
      return {
        ok: false,
        code: "signature.jwk_mismatch",
        message: "The key embedded in the token header is not the signer's DID key.",
      };
    }
  }
  return { ok: true, key };
}
