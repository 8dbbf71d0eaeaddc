import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * One-time credential offers for the OpenID4VCI 1.0 pre-authorized code flow (oid4vci.ts).
 *
 * Storage: a LevelDB sublevel (the server passes `db.sublevel("offers")`), or a bounded in-memory
 * map when none is given. Every secret (offer id, pre-authorized code, access token, c_nonce) is
 * stored only as its SHA-256, so a copy of the database cannot be replayed. Each is single-use
 * and expires: offer and code after `offerTtlSeconds` (10 min), access token and nonces after
 * `tokenTtlSeconds` / `nonceTtlSeconds` (5 min). An expiry index (`exp:<ms>:<key>`) lets every
 * write sweep a few expired records, so the store does not grow without bound.
 *
 * Single use within one process is enforced by an in-flight set around read-then-delete (LevelDB
 * has no compare-and-set); one meritlog server owns its database, so this covers every request.
 * An access token is spent through {@link OfferDb.claimOnce}: one atomic step that answers true
 * for exactly one caller (here a synchronous set insert before any await, then a durable marker;
 * on PostgreSQL `UPDATE … SET claimed_at = now() WHERE key = $1 AND claimed_at IS NULL`).
 */

/** The few LevelDB operations the store needs (satisfied by a `level` sublevel with `view` values). */
export interface OfferDb {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  del(key: string): Promise<void>;
  keys(options: { gt?: string; lt?: string; limit?: number }): AsyncIterable<string>;
  /**
   * Marks `key` claimed and answers true for exactly one caller, however many race (a backend with
   * a conditional write implements it as one statement). Optional: without it the store claims
   * in-process and persists a `claim:` marker, which is atomic because one server owns the db.
   */
  claimOnce?(key: string): Promise<boolean>;
  /** Undoes a claim whose work failed before anything durable happened (pairs with claimOnce). */
  unclaim?(key: string): Promise<void>;
}

export interface OfferStoreOptions {
  offerTtlSeconds?: number;
  tokenTtlSeconds?: number;
  nonceTtlSeconds?: number;
  /** In-memory store only: most live records kept (oldest dropped first). */
  maxEntries?: number;
  now?: () => Date;
}

/** The stored offer: who offers what; the subject is filled in from the holder's proof. */
export interface OfferRecord {
  issuerId: string;
  /** The validated offer request (an issue request without `subject`). */
  request: Record<string, unknown>;
  /** The credential configuration id published in the issuer metadata (the request's `type`). */
  configurationId: string;
  createdAt: string;
  expiresAt: string;
}

export interface CreatedOffer {
  offerId: string;
  preAuthorizedCode: string;
  expiresAt: Date;
}

export interface TokenGrant {
  accessToken: string;
  expiresIn: number;
  cNonce: string;
  cNonceExpiresIn: number;
}

/** What an access token is good for: exactly one credential of one offer. */
export interface TokenRecord {
  offer: OfferRecord;
  expiresAt: string;
}

export type ConsumeResult = "ok" | "unknown" | "expired";

export interface OfferStore {
  readonly nonceTtlSeconds: number;
  create(issuerId: string, request: Record<string, unknown> & { type: string }): Promise<CreatedOffer>;
  /** The live offer behind an offer id (for `credential_offer_uri`), and its pre-authorized code. */
  lookup(offerId: string): Promise<{ offer: OfferRecord; preAuthorizedCode: string } | undefined>;
  /** Redeems a pre-authorized code once: the code and its offer are gone afterwards. */
  redeem(code: string): Promise<{ grant: TokenGrant } | { error: "unknown" | "expired" }>;
  /** A fresh c_nonce, bound to an access token when given (OpenID4VCI 1.0 §7). */
  nonce(accessToken?: string): Promise<{ cNonce: string; expiresIn: number }>;
  /** Consumes a c_nonce; a nonce bound to another access token does not count. */
  consumeNonce(nonce: string, accessToken: string): Promise<ConsumeResult>;
  /** Reserves an access token for one credential request; call `finish` with the outcome. */
  claimToken(accessToken: string): Promise<{ token: TokenRecord; finish(issued: boolean): Promise<void> } | { error: "unknown" | "expired" | "busy" }>;
  /** Reads an access token without reserving it. */
  peekToken(accessToken: string): Promise<TokenRecord | undefined>;
}

const hash = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("base64url");
const secret = (): string => randomBytes(32).toString("base64url");
const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const dec = <T>(b: Uint8Array): T => JSON.parse(new TextDecoder().decode(b)) as T;
/** The pre-authorized code is derived from the offer id, so only hashes of both need storing. */
const codeOf = (offerId: string): string => createHmac("sha256", offerId).update("meritlog/oid4vci/pre-authorized_code").digest("base64url");

interface CodeRecord {
  offerKey: string;
  expiresAt: string;
}
interface NonceRecord {
  token?: string;
  expiresAt: string;
}

/** Bounded in-memory {@link OfferDb}: the default when no LevelDB sublevel is given. */
export class MemoryOfferDb implements OfferDb {
  private readonly map = new Map<string, Uint8Array>();
  constructor(private readonly maxEntries = 10_000) {}
  async get(key: string): Promise<Uint8Array | undefined> {
    return this.map.get(key);
  }
  async put(key: string, value: Uint8Array): Promise<void> {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value as string);
  }
  async del(key: string): Promise<void> {
    this.map.delete(key);
  }
  async *keys(o: { gt?: string; lt?: string; limit?: number }): AsyncIterable<string> {
    const all = [...this.map.keys()].filter((k) => (o.gt === undefined || k > o.gt) && (o.lt === undefined || k < o.lt)).sort();
    yield* all.slice(0, o.limit ?? all.length);
  }
}

/** Creates the offer store on a LevelDB sublevel, or in bounded memory when `db` is omitted. */
export async function createOfferStore(db?: OfferDb, o: OfferStoreOptions = {}): Promise<OfferStore> {
  const store: OfferDb = db ?? new MemoryOfferDb(o.maxEntries);
  const now = o.now ?? (() => new Date());
  const offerTtl = o.offerTtlSeconds ?? 600;
  const tokenTtl = o.tokenTtlSeconds ?? 300;
  const nonceTtl = o.nonceTtlSeconds ?? 300;
  const inFlight = new Set<string>();
  // Keys claimed by this process (claimOnce's fallback); the durable `claim:` marker covers restarts.
  const claimed = new Set<string>();

  /**
   * Exactly one caller gets true per key. The synchronous has/add happens before any await, so two
   * requests on the event loop can never both pass; the marker is written before the caller acts.
   */
  async function claimOnce(key: string): Promise<boolean> {
    if (store.claimOnce) return await store.claimOnce(key);
    if (claimed.has(key)) return false;
    claimed.add(key);
    try {
      if ((await store.get(`claim:${key}`)) !== undefined) return false;
      await store.put(`claim:${key}`, new Uint8Array(0));
      return true;
    } catch (err) {
      claimed.delete(key);
      throw err;
    }
  }
  /** Deletes a spent record, then its claim (in that order, so no window reopens it). */
  async function release(key: string): Promise<void> {
    await store.del(key);
    await store.del(`claim:${key}`);
    claimed.delete(key);
  }
  async function unclaim(key: string): Promise<void> {
    if (store.unclaim) return await store.unclaim(key);
    await store.del(`claim:${key}`);
    claimed.delete(key);
  }

  const expiry = (seconds: number): Date => new Date(now().getTime() + seconds * 1000);
  const expired = (iso: string): boolean => Date.parse(iso) <= now().getTime();
  const expKey = (at: Date, key: string): string => `exp:${String(at.getTime()).padStart(15, "0")}:${key}`;

  async function putWithExpiry<T extends { expiresAt: string }>(key: string, value: T): Promise<void> {
    await store.put(key, enc(value));
    await store.put(expKey(new Date(value.expiresAt), key), new Uint8Array(0));
  }

  /** Deletes up to `limit` records whose expiry has passed (oldest first). */
  async function sweep(limit = 32): Promise<void> {
    const stale: string[] = [];
    for await (const k of store.keys({ gt: "exp:", lt: expKey(now(), ""), limit })) stale.push(k);
    for (const k of stale) {
      await store.del(k.slice(k.indexOf(":", 4) + 1));
      await store.del(k);
    }
  }

  async function read<T>(key: string): Promise<T | undefined> {
    const v = await store.get(key);
    return v === undefined ? undefined : dec<T>(v);
  }

  /** Read-then-delete under an in-flight guard: two concurrent consumers never both succeed. */
  async function take<T extends { expiresAt: string }>(key: string): Promise<{ value: T } | { error: "unknown" | "expired" }> {
    if (inFlight.has(key)) return { error: "unknown" };
    inFlight.add(key);
    try {
      const v = await read<T>(key);
      if (!v) return { error: "unknown" };
      await store.del(key);
      return expired(v.expiresAt) ? { error: "expired" } : { value: v };
    } finally {
      inFlight.delete(key);
    }
  }

  async function nonce(accessToken?: string): Promise<{ cNonce: string; expiresIn: number }> {
    const cNonce = secret();
    const rec: NonceRecord = { expiresAt: expiry(nonceTtl).toISOString() };
    if (accessToken) rec.token = hash(accessToken);
    await putWithExpiry(`nonce:${hash(cNonce)}`, rec);
    return { cNonce, expiresIn: nonceTtl };
  }

  return {
    nonceTtlSeconds: nonceTtl,

    async create(issuerId, request) {
      await sweep();
      const offerId = secret();
      const preAuthorizedCode = codeOf(offerId);
      const expiresAt = expiry(offerTtl);
      const offerKey = `offer:${hash(offerId)}`;
      const rec: OfferRecord = { issuerId, request, configurationId: request.type, createdAt: now().toISOString(), expiresAt: expiresAt.toISOString() };
      await putWithExpiry(offerKey, rec);
      await putWithExpiry<CodeRecord>(`code:${hash(preAuthorizedCode)}`, { offerKey, expiresAt: rec.expiresAt });
      return { offerId, preAuthorizedCode, expiresAt };
    },

    async lookup(offerId) {
      const offer = await read<OfferRecord>(`offer:${hash(offerId)}`);
      if (!offer || expired(offer.expiresAt)) return undefined;
      const code = await read<CodeRecord>(`code:${hash(codeOf(offerId))}`);
      return code ? { offer, preAuthorizedCode: codeOf(offerId) } : undefined;
    },

    async redeem(code) {
      const taken = await take<CodeRecord>(`code:${hash(code)}`);
      if ("error" in taken) return taken;
      const offer = await read<OfferRecord>(taken.value.offerKey);
      await store.del(taken.value.offerKey);
      if (!offer) return { error: "unknown" };
      const accessToken = secret();
      const token: TokenRecord = { offer, expiresAt: expiry(tokenTtl).toISOString() };
      await putWithExpiry(`token:${hash(accessToken)}`, token);
      const n = await nonce(accessToken);
      return { grant: { accessToken, expiresIn: tokenTtl, cNonce: n.cNonce, cNonceExpiresIn: n.expiresIn } };
    },

    nonce,

    async consumeNonce(n, accessToken) {
      const key = `nonce:${hash(n)}`;
      const rec = await read<NonceRecord>(key);
      if (!rec) return "unknown";
      if (rec.token !== undefined && rec.token !== hash(accessToken)) return "unknown";
      const taken = await take<NonceRecord>(key);
      return "error" in taken ? taken.error : "ok";
    },

    async peekToken(accessToken) {
      const t = await read<TokenRecord>(`token:${hash(accessToken)}`);
      return t && !expired(t.expiresAt) ? t : undefined;
    },

    async claimToken(accessToken) {
      const key = `token:${hash(accessToken)}`;
      // Claim first (issue 9 defect 1): reading before claiming let N requests with one token all
      // pass the check and each buy a credential.
      if (!(await claimOnce(key))) return { error: "busy" };
      const t = await read<TokenRecord>(key);
      if (!t || expired(t.expiresAt)) {
        await release(key);
        return { error: t ? "expired" : "unknown" };
      }
      return {
        token: t,
        async finish(issued: boolean) {
          if (issued) {
            // The token is spent; the claim marker goes with it (a replay reads "unknown").
            await release(key);
          } else {
            // Nothing was anchored: the wallet may try again with the same token.
            await unclaim(key);
          }
        },
      };
    },
  };
}
