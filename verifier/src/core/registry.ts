import type { TrustMaterial } from "./context.js";

/** What the issuer registry says about one DID. */
export interface RegistryEntry {
  /** The registered issuer's name. */
  name: string;
  /** The issuer's current DID (the one its status lists are signed with). */
  currentDid: string;
  /** Present when the DID is an earlier key of the issuer, retired by a key rotation. */
  previous?: { retiredAt?: string };
}

const registries = new WeakMap<TrustMaterial, Map<string, RegistryEntry>>();

/**
 * The issuer registry as a map from every DID it vouches for (current and previous keys) to its
 * entry, built once per trust object. A current DID wins over the same DID listed as previous.
 */
export function registryOf(trust: TrustMaterial): Map<string, RegistryEntry> {
  let m = registries.get(trust);
  if (!m) {
    m = new Map();
    for (const i of trust.issuers) {
      for (const p of i.previousDids ?? []) {
        if (typeof p !== "string" || p === i.did || m.has(p)) continue;
        const retiredAt = i.retiredAt?.[p];
        m.set(p, { name: i.name, currentDid: i.did, previous: retiredAt !== undefined ? { retiredAt } : {} });
      }
    }
    for (const i of trust.issuers) m.set(i.did, { name: i.name, currentDid: i.did });
    registries.set(trust, m);
  }
  return m;
}

/**
 * Whether a status list signed by `listIssuer` speaks for credentials of `credentialIssuer`:
 * the same DID, or, only through the registry, the current DID of the registered issuer of which
 * `credentialIssuer` is an earlier (rotated) key.
 */
export function listSignerAccepted(
  trust: TrustMaterial,
  credentialIssuer: string,
  listIssuer: string,
): boolean {
  if (listIssuer === credentialIssuer) return true;
  const e = registryOf(trust).get(credentialIssuer);
  return e?.previous !== undefined && e.currentDid === listIssuer;
}
