// Bounded caches with a time-to-live, measured on the caller's clock (ctx.now), so the core keeps
// no clock of its own. DID documents and status lists are kept for their ttl; checkpoint
// signatures and consistency results are facts about fixed bytes and kept until evicted.

import type { ResolvedKey } from "./did-resolver.js";

/** A Map with per-entry expiry and a size bound (oldest inserted evicted first). */
export class TtlCache<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();
  constructor(private readonly maxEntries = 1000) {}

  get(key: string, nowMs: number): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expires <= nowMs) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, expires: number): void {
    this.map.delete(key);
    this.map.set(key, { value, expires });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  /** Forgets `key` (a value known to be out of date). */
  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

/** What the verifier remembers between calls; pass the same one in every VerifyContext. */
export interface VerifierCache {
  /** Resolved did:web documents (public keys), by DID. */
  didDocs: TtlCache<{ keys: ResolvedKey[]; url: string; fetchedAt: string }>;
  /** Verified, decoded status lists, by URL. */
  statusLists: TtlCache<unknown>;
  /** Checkpoint notes whose signature verified, keyed by verifier key + note text. */
  checkpoints: TtlCache<unknown>;
  /** Consistency results between two checkpoints. */
  consistency: TtlCache<boolean>;
  /** Inclusion proofs that held against a verified checkpoint (anchoring.ts `inclusionKey`). */
  inclusions: TtlCache<true>;
  /** Newest checkpoint per origin, fetched through the fetcher. */
  latest: TtlCache<string>;
  /**
   * What a credential JWT's bytes alone decide, by the JWT: its decoding, normal form, digest
   * and schema check (verify-credential.ts). Never the signature, status or anchoring outcome.
   */
  credentials: TtlCache<unknown>;
}

/**
 * A fresh cache; `maxEntries` bounds each of its maps (`credentials`: how many credential JWTs'
 * decodings and receipts' inclusion proofs are kept; 0 decodes and hashes every one afresh).
 */
export function createVerifierCache(maxEntries = 1000, o: { credentials?: number } = {}): VerifierCache {
  return {
    credentials: new TtlCache(o.credentials ?? maxEntries),
    didDocs: new TtlCache(maxEntries),
    statusLists: new TtlCache(maxEntries),
    checkpoints: new TtlCache(maxEntries),
    consistency: new TtlCache(maxEntries),
    inclusions: new TtlCache(o.credentials ?? maxEntries),
    latest: new TtlCache(Math.min(maxEntries, 64)),
  };
}

/** "Forever" for facts about immutable bytes. */
export const NEVER = Number.MAX_SAFE_INTEGER;
