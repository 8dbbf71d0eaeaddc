import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { IssuerError } from "./errors.js";
import { uuidv7 } from "./ids.js";
import { KeyedLock } from "./keyed-lock.js";

/**
 * Credential offers for the OpenID4VCI 1.0 pre-authorized code flow (oid4vci.ts), made to survive
 * real delivery (docs/API.md "Offers that survive real delivery"): a link sent by SMS or email
 * lives `expiresIn` seconds (default 30 days, at most one year), may be protected by a 6-digit
 * `tx_code` (OpenID4VCI 1.0 §4.1.1, checked at the token endpoint, §6.1), and stays on record
 * after it is used, cancelled or expired, so the issuer can list it, see what it became, cancel it
 * or send a new link (`reissue`).
 *
 * Storage: a LevelDB sublevel (the server passes `db.sublevel("offers")`), or a bounded in-memory
 * map when none is given. Every secret (the offer secret in the link, the pre-authorized code,
 * the tx_code, access tokens, c_nonces) is stored only as a hash, so a copy of the database
 * cannot be replayed. The offer's own record is keyed by a non-secret `id` (a UUIDv7) that the
 * issuer uses to manage it; the links to it (`link:`, `code:`) are deleted when it is redeemed,
 * cancelled or reissued, which is what makes an old link dead. Tokens and nonces expire after
 * `tokenTtlSeconds` / `nonceTtlSeconds` (5 min); an expiry index (`exp:<ms>:<key>`) lets every
 * write sweep a few expired ones.
 *
 * Single use within one process: changes to one offer run under a per-offer lock (LevelDB has no
 * compare-and-set); one meritlog server owns its database, so this covers every request.
 * An access token is spent through {@link OfferDb.claimOnce}: one atomic step that answers true
 * for exactly one caller (here a synchronous set insert before any await, then a durable marker;
 * on PostgreSQL `UPDATE … SET claimed_at = now() WHERE key = $1 AND claimed_at IS NULL`).
 */

/** The few LevelDB operations the store needs (satisfied by a `level` sublevel with `view` values). */
export interface OfferDb {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  del(key: string): Promise<void>;
  keys(options: { gt?: string; lt?: string; limit?: number; reverse?: boolean }): AsyncIterable<string>;
  /** Atomic writes; `sync: true` returns only after they are on disk (LevelDB `batch`). */
  batch?(ops: OfferOp[], options: { sync: boolean }): Promise<void>;
  /**
   * Marks `key` claimed and answers true for exactly one caller, however many race (a backend with
   * a conditional write implements it as one statement). Optional: without it the store claims
   * in-process and persists a `claim:` marker, which is atomic because one server owns the db.
   */
  claimOnce?(key: string): Promise<boolean>;
  /** Undoes a claim whose work failed before anything durable happened (pairs with claimOnce). */
  unclaim?(key: string): Promise<void>;
}

/** One write of an offer change. */
type OfferOp = { type: "put"; key: string; value: Uint8Array } | { type: "del"; key: string };

export interface OfferStoreOptions {
  tokenTtlSeconds?: number;
  nonceTtlSeconds?: number;
  /** In-memory store only: most live records kept (oldest dropped first). */
  maxEntries?: number;
  now?: () => Date;
}

/** Default and longest offer lifetime (docs/API.md): 30 days, one year. */
export const OFFER_DEFAULT_EXPIRES_IN = 2_592_000;
export const OFFER_MAX_EXPIRES_IN = 31_536_000;
/**
 * How long a redemption in flight holds its offer against cancel and reissue. Issuing takes a
 * moment; a node that died mid-issuance must not hold the offer for ever.
 */
export const REDEMPTION_HOLD_SECONDS = 120;
/** Wrong tx_codes an offer survives; the fifth kills it (state `cancelled`, reason `tx_code`). */
export const TX_CODE_MAX_TRIES = 5;
export const TX_CODE_LENGTH = 6;

/** What the listing says about an offer (`expired` is a pending offer whose time has passed). */
export type OfferState = "pending" | "redeemed" | "expired" | "cancelled";

/** The stored offer: who offers what; the subject is filled in from the holder's proof. */
export interface OfferRecord {
  /** Non-secret handle for the issuer (`GET /v1/offers/{id}`); never enough to redeem. */
  id: string;
  issuerId: string;
  /** The validated offer request (an issue request without `subject`). */
  request: Record<string, unknown>;
  /** The credential configuration id published in the issuer metadata (the request's `type`). */
  configurationId: string;
  /** The issuer's own label; never in a credential or the log. */
  reference?: string;
  createdAt: string;
  expiresAt: string;
  expiresIn: number;
  state: "pending" | "redeemed" | "cancelled";
  /** Hash of the current link secret (reissue replaces it). */
  linkHash: string;
  /** Salted hash of the 6-digit tx_code, when one was asked for. */
  txCodeHash?: string;
  txCodeTries: number;
  redeemedAt?: string;
  credentialId?: string;
  cancelledAt?: string;
  /** `issuer`: DELETE /v1/offers/{id}; `tx_code`: too many wrong tx_codes. */
  cancelReason?: "issuer" | "tx_code";
  /**
   * The one holder DID this offer may be redeemed by (a co-authored MPU's author, whose DID the
   * credential already names): a key proof by any other key is refused (OpenID4VCI 1.0 §8.2).
   */
  holder?: string;
  /**
   * Set while the credential endpoint issues this offer's credential (between its last look at the
   * offer and `markRedeemed`): a cancel or reissue then is refused, so the offer has one outcome.
   */
  redeemingSince?: string;
}

/** An offer as the listing shows it: no secret, no hash. */
export interface OfferView {
  id: string;
  type: string;
  reference: string | null;
  state: OfferState;
  createdAt: string;
  expiresAt: string;
  txCode: boolean;
  redeemedAt?: string;
  credentialId?: string;
  cancelledAt?: string;
  cancelReason?: "issuer" | "tx_code";
}

export interface OfferOptions {
  expiresIn?: number;
  txCode?: boolean;
  reference?: string;
  /**
   * The offer's id, fixed by a caller that records it before the offer exists, so a retry after a
   * crash finds the offer instead of making a second one (co-authored MPUs, mpus.ts). Never from HTTP.
   */
  id?: string;
  /** Binds the offer to one holder DID ({@link OfferRecord.holder}). Never from HTTP. */
  holder?: string;
}

export interface CreatedOffer {
  id: string;
  /** The link secret (`credential_offer_uri` path); shown once. */
  offerId: string;
  preAuthorizedCode: string;
  expiresAt: Date;
  /** The 6-digit tx_code, shown once. */
  txCode?: string;
}

interface TokenGrant {
  accessToken: string;
  expiresIn: number;
  cNonce: string;
  cNonceExpiresIn: number;
}

/** What an access token is good for: exactly one credential of one offer. */
interface TokenRecord {
  offer: OfferRecord;
  expiresAt: string;
}

type ConsumeResult = "ok" | "unknown" | "expired";

/** Why a pre-authorized code is refused at the token endpoint. */
type RedeemError =
  | { error: "unknown" }
  | { error: "expired"; expiresAt: string }
  | { error: "cancelled" }
  | { error: "tx_code_required" }
  | { error: "tx_code_wrong"; triesLeft: number };

export interface OfferStore {
  readonly nonceTtlSeconds: number;
  create(
    issuerId: string,
    request: Record<string, unknown> & { type: string },
    o?: OfferOptions,
  ): Promise<CreatedOffer>;
  /**
   * Makes several offers in one durable write (`POST /v1/offers/batch`): every record, link and
   * code of the lot goes into one synced batch, so the batch is acknowledged whole or not at all.
   * Results are in the order of `items`.
   */
  createMany(
    issuerId: string,
    items: readonly { request: Record<string, unknown> & { type: string }; options?: OfferOptions }[],
  ): Promise<CreatedOffer[]>;
  /** The live offer behind a link secret (for `credential_offer_uri`), and its pre-authorized code. */
  lookup(offerId: string): Promise<{ offer: OfferRecord; preAuthorizedCode: string } | undefined>;
  /**
   * Redeems a pre-authorized code once (OpenID4VCI 1.0 §6.1), checking the tx_code when the offer
   * has one: the link and code are dead afterwards; a wrong tx_code counts, the fifth kills the offer.
   */
  redeem(code: string, txCode?: string): Promise<{ grant: TokenGrant } | RedeemError>;
  /**
   * Holds a pending offer for the credential its access token is about to buy (issue 11: a cancel
   * racing a redemption): from now until `markRedeemed` or `abortRedemption`, cancel and reissue
   * answer 409 `offer.not_pending`. Returns `held`, or the offer's state when it is not pending
   * (`gone` when there is no record), and then nothing may be issued.
   */
  startRedemption(id: string): Promise<"held" | Exclude<OfferState, "pending"> | "gone">;
  /** Releases the hold of a redemption that issued nothing: the offer is pending again. */
  abortRedemption(id: string): Promise<void>;
  /** Records the credential an offer became (offer → credential link), and releases the hold. */
  markRedeemed(id: string, credentialId: string): Promise<void>;
  /** One offer of an issuer. @throws IssuerError `offer.not_found` */
  get(issuerId: string, id: string): Promise<OfferView>;
  /** The issuer's offers, newest first, optionally of one state; `cursor` is the last id of the previous page. */
  list(
    issuerId: string,
    q: { state?: OfferState; limit?: number; cursor?: string },
  ): Promise<{ items: OfferView[]; next: string | null }>;
  /** Cancels a pending offer: its link is dead from then on. @throws IssuerError `offer.not_found`, `offer.not_pending` */
  cancel(issuerId: string, id: string): Promise<OfferView>;
  /** A new link (and tx_code) for a pending offer, with a fresh lifetime; the old ones are dead. @throws as `cancel` */
  reissue(issuerId: string, id: string): Promise<{ view: OfferView; created: CreatedOffer }>;
  /** A fresh c_nonce, bound to an access token when given (OpenID4VCI 1.0 §7). */
  nonce(accessToken?: string): Promise<{ cNonce: string; expiresIn: number }>;
  /** Consumes a c_nonce; a nonce bound to another access token does not count. */
  consumeNonce(nonce: string, accessToken: string): Promise<ConsumeResult>;
  /** Reserves an access token for one credential request; call `finish` with the outcome. */
  claimToken(
    accessToken: string,
  ): Promise<
    { token: TokenRecord; finish(issued: boolean): Promise<void> } | { error: "unknown" | "expired" | "busy" }
  >;
  /** Reads an access token without reserving it. */
  peekToken(accessToken: string): Promise<TokenRecord | undefined>;
}

const hash = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("base64url");
const secret = (): string => randomBytes(32).toString("base64url");
const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const dec = <T>(b: Uint8Array): T => JSON.parse(new TextDecoder().decode(b)) as T;
/** The pre-authorized code is derived from the offer id, so only hashes of both need storing. */
const codeOf = (offerId: string): string =>
  createHmac("sha256", offerId).update("meritlog/oid4vci/pre-authorized_code").digest("base64url");
/** The tx_code hash is salted with the offer's id, so equal codes of two offers hash apart. */
const txHash = (id: string, code: string): string =>
  createHash("sha256").update(`meritlog/tx_code\0${id}\0${code}`, "utf8").digest("base64url");
const newTxCode = (): string => String(randomInt(0, 10 ** TX_CODE_LENGTH)).padStart(TX_CODE_LENGTH, "0");

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface PointerRecord {
  id: string;
  /** The link secret's hash this pointer was made for: pointers of an older link are dead. */
  link: string;
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
  async *keys(o: { gt?: string; lt?: string; limit?: number; reverse?: boolean }): AsyncIterable<string> {
    const all = [...this.map.keys()]
      .filter((k) => (o.gt === undefined || k > o.gt) && (o.lt === undefined || k < o.lt))
      .sort();
    if (o.reverse) all.reverse();
    yield* all.slice(0, o.limit ?? all.length);
  }
}

/** Creates the offer store on a LevelDB sublevel, or in bounded memory when `db` is omitted. */
export async function createOfferStore(db?: OfferDb, o: OfferStoreOptions = {}): Promise<OfferStore> {
  const store: OfferDb = db ?? new MemoryOfferDb(o.maxEntries);
  const now = o.now ?? (() => new Date());
  const tokenTtl = o.tokenTtlSeconds ?? 300;
  const nonceTtl = o.nonceTtlSeconds ?? 300;
  const inFlight = new Set<string>();
  const locks = new KeyedLock();
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
  const recKey = (id: string): string => `rec:${id}`;
  const byKey = (issuerId: string, id: string): string => `by:${issuerId}:${id}`;

  async function putWithExpiry<T extends { expiresAt: string }>(key: string, value: T): Promise<void> {
    await store.put(key, enc(value));
    await store.put(expKey(new Date(value.expiresAt), key), new Uint8Array(0));
  }

  /** Deletes up to `limit` tokens and nonces whose expiry has passed (oldest first); offers stay on record. */
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
  async function take<T extends { expiresAt: string }>(
    key: string,
  ): Promise<{ value: T } | { error: "unknown" | "expired" }> {
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

  const stateOf = (r: OfferRecord): OfferState => offerState(r, now());
  const view = (r: OfferRecord): OfferView => offerView(r, now());

  /**
   * Writes an offer change atomically and durably (one synced batch) before anything is answered:
   * a link the issuer was given survives a crash, and so does a link that was killed.
   */
  async function commit(ops: OfferOp[]): Promise<void> {
    if (store.batch) return await store.batch(ops, { sync: true });
    for (const op of ops) await (op.type === "put" ? store.put(op.key, op.value) : store.del(op.key));
  }

  /** New link secret, code and (when asked) tx_code for a record; the caller stores the record. */
  function arm(r: OfferRecord, txCode: boolean, ops: OfferOp[]): CreatedOffer {
    const offerId = secret();
    const preAuthorizedCode = codeOf(offerId);
    r.linkHash = hash(offerId);
    const code = txCode ? newTxCode() : undefined;
    if (code !== undefined) r.txCodeHash = txHash(r.id, code);
    r.txCodeTries = 0;
    ops.push({
      type: "put",
      key: `link:${r.linkHash}`,
      value: enc({ id: r.id, link: r.linkHash } satisfies PointerRecord),
    });
    ops.push({
      type: "put",
      key: `code:${hash(preAuthorizedCode)}`,
      value: enc({ id: r.id, link: r.linkHash } satisfies PointerRecord),
    });
    return {
      id: r.id,
      offerId,
      preAuthorizedCode,
      expiresAt: new Date(r.expiresAt),
      ...(code !== undefined ? { txCode: code } : {}),
    };
  }

  /** Deletes the link pointer of the record's current secret: the link is dead. */
  function disarm(r: OfferRecord, ops: OfferOp[]): void {
    ops.push({ type: "del", key: `link:${r.linkHash}` });
    // The code pointer's key is the hash of a value derived from the link secret, which is not
    // stored, so it cannot be deleted here; it names the link it was made for, and `live` refuses
    // a pointer whose link is no longer the record's.
    r.linkHash = "";
  }

  async function owned(issuerId: string, id: string): Promise<OfferRecord> {
    const r = typeof id === "string" && id.length <= 64 ? await read<OfferRecord>(recKey(id)) : undefined;
    // Another issuer's offer is "not found": ids are not secret, but the offers are not public either.
    if (!r || r.issuerId !== issuerId) throw new IssuerError("offer.not_found", `no offer ${id}`);
    return r;
  }

  /** A code pointer is live only while it points at a pending offer whose current link made it. */
  async function live(code: string): Promise<OfferRecord | undefined> {
    const p = await read<PointerRecord>(`code:${hash(code)}`);
    const r = p ? await read<OfferRecord>(recKey(p.id)) : undefined;
    if (!p || !r || r.linkHash === "" || !sameHash(p.link, r.linkHash)) return undefined;
    return r;
  }

  /** Makes offers in one synced batch (see {@link OfferStore.createMany}). */
  const createMany: OfferStore["createMany"] = async (issuerId, items) => {
    await sweep();
    const t = now();
    const ops: OfferOp[] = [];
    const created = items.map(({ request, options: opts = {} }) => {
      const r = newOfferRecord(issuerId, request, opts, t);
      const c = arm(r, opts.txCode === true, ops);
      ops.push(
        { type: "put", key: recKey(r.id), value: enc(r) },
        { type: "put", key: byKey(issuerId, r.id), value: new Uint8Array(0) },
      );
      return c;
    });
    if (ops.length > 0) await commit(ops);
    return created;
  };

  return {
    nonceTtlSeconds: nonceTtl,

    async create(issuerId, request, opts = {}) {
      return (await createMany(issuerId, [{ request, options: opts }]))[0]!;
    },

    createMany,

    async lookup(offerId) {
      const p = await read<PointerRecord>(`link:${hash(offerId)}`);
      const r = p ? await read<OfferRecord>(recKey(p.id)) : undefined;
      if (!r || r.linkHash !== hash(offerId) || stateOf(r) !== "pending") return undefined;
      return { offer: r, preAuthorizedCode: codeOf(offerId) };
    },

    async redeem(code, txCode) {
      const first = await live(code);
      if (!first) return { error: "unknown" };
      return await locks.run(first.id, async (): Promise<{ grant: TokenGrant } | RedeemError> => {
        // Re-read under the lock: a concurrent redemption, cancel or reissue may have won.
        const r = await live(code);
        if (!r) return { error: "unknown" };
        if (r.state === "cancelled") return { error: "cancelled" };
        if (r.state !== "pending") return { error: "unknown" };
        // An expired offer is refused here, before any token exists: nothing can be issued or logged.
        if (expired(r.expiresAt)) return { error: "expired", expiresAt: r.expiresAt };
        if (r.txCodeHash !== undefined) {
          if (txCode === undefined || txCode === "") return { error: "tx_code_required" };
          if (!sameHash(txHash(r.id, txCode), r.txCodeHash)) {
            r.txCodeTries += 1;
            if (r.txCodeTries >= TX_CODE_MAX_TRIES) {
              // OpenID4VCI 1.0 §13.6 (brute forcing the tx_code): the offer dies after five wrong tries.
              r.state = "cancelled";
              r.cancelledAt = now().toISOString();
              r.cancelReason = "tx_code";
            }
            const ops: OfferOp[] = [];
            if (r.state === "cancelled") {
              ops.push({ type: "del", key: `code:${hash(code)}` });
              disarm(r, ops);
            }
            ops.push({ type: "put", key: recKey(r.id), value: enc(r) });
            await commit(ops);
            return { error: "tx_code_wrong", triesLeft: Math.max(0, TX_CODE_MAX_TRIES - r.txCodeTries) };
          }
        }
        // One use: the link and the code die now; the record stays pending until the credential is issued.
        const ops: OfferOp[] = [{ type: "del", key: `code:${hash(code)}` }];
        disarm(r, ops);
        ops.push({ type: "put", key: recKey(r.id), value: enc(r) });
        await commit(ops);
        const accessToken = secret();
        const token: TokenRecord = { offer: r, expiresAt: expiry(tokenTtl).toISOString() };
        await putWithExpiry(`token:${hash(accessToken)}`, token);
        const n = await nonce(accessToken);
        return {
          grant: { accessToken, expiresIn: tokenTtl, cNonce: n.cNonce, cNonceExpiresIn: n.expiresIn },
        };
      });
    },

    async startRedemption(id) {
      return await locks.run(id, async () => {
        const r = await read<OfferRecord>(recKey(id));
        if (!r) return "gone";
        const state = stateOf(r);
        if (state !== "pending") return state;
        // The token is claimed (one request per token), so a live hold is this offer's own retry.
        r.redeemingSince = now().toISOString();
        await commit([{ type: "put", key: recKey(id), value: enc(r) }]);
        return "held";
      });
    },

    async abortRedemption(id) {
      await locks.run(id, async () => {
        const r = await read<OfferRecord>(recKey(id));
        if (!r || r.redeemingSince === undefined) return;
        delete r.redeemingSince;
        await commit([{ type: "put", key: recKey(id), value: enc(r) }]);
      });
    },

    async markRedeemed(id, credentialId) {
      await locks.run(id, async () => {
        const r = await read<OfferRecord>(recKey(id));
        if (!r) return;
        r.state = "redeemed";
        r.redeemedAt = now().toISOString();
        r.credentialId = credentialId;
        delete r.redeemingSince;
        await commit([{ type: "put", key: recKey(id), value: enc(r) }]);
      });
    },

    async get(issuerId, id) {
      return view(await owned(issuerId, id));
    },

    async list(issuerId, q) {
      const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
      const items: OfferView[] = [];
      let next: string | null = null;
      const lt = q.cursor !== undefined ? byKey(issuerId, q.cursor) : `by:${issuerId}:\uffff`;
      for await (const k of store.keys({ gt: `by:${issuerId}:`, lt, reverse: true })) {
        const id = k.slice(`by:${issuerId}:`.length);
        const r = await read<OfferRecord>(recKey(id));
        if (!r) continue;
        const v = view(r);
        if (q.state !== undefined && v.state !== q.state) continue;
        if (items.length === limit) {
          next = items[items.length - 1]!.id;
          break;
        }
        items.push(v);
      }
      return { items, next };
    },

    async cancel(issuerId, id) {
      await owned(issuerId, id);
      return await locks.run(id, async () => {
        const r = await owned(issuerId, id);
        const refused = notChangeable(r, now(), "cancelled");
        if (refused) throw refused;
        r.state = "cancelled";
        r.cancelledAt = now().toISOString();
        r.cancelReason = "issuer";
        const ops: OfferOp[] = [];
        disarm(r, ops);
        ops.push({ type: "put", key: recKey(id), value: enc(r) });
        await commit(ops);
        return view(r);
      });
    },

    async reissue(issuerId, id) {
      await owned(issuerId, id);
      return await locks.run(id, async () => {
        const r = await owned(issuerId, id);
        const refused = notChangeable(r, now(), "reissued");
        if (refused) throw refused;
        const ops: OfferOp[] = [];
        disarm(r, ops);
        // A new link lives as long as the first one did, counted from now.
        r.expiresAt = new Date(now().getTime() + r.expiresIn * 1000).toISOString();
        const had = r.txCodeHash !== undefined;
        delete r.txCodeHash;
        const created = arm(r, had, ops);
        ops.push({ type: "put", key: recKey(id), value: enc(r) });
        await commit(ops);
        return { view: view(r), created };
      });
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

/**
 * The secret derivations, shared with the PostgreSQL store (offers-pg.ts) so both backends hash
 * and derive alike (a migrated database keeps working links and codes).
 */
/** True while a redemption holds `r` (offers.ts `startRedemption`), up to {@link REDEMPTION_HOLD_SECONDS}. */
function redemptionHeld(r: OfferRecord, now: Date): boolean {
  return (
    r.state === "pending" &&
    r.redeemingSince !== undefined &&
    now.getTime() - Date.parse(r.redeemingSince) < REDEMPTION_HOLD_SECONDS * 1000
  );
}

/**
 * Whether a cancel or reissue of `r` may go ahead (`undefined`) or why not: only a pending offer
 * that no redemption holds.
 */
export function notChangeable(
  r: OfferRecord,
  now: Date,
  what: "cancelled" | "reissued",
): IssuerError | undefined {
  const state = offerState(r, now);
  if (state !== "pending")
    return new IssuerError(
      "offer.not_pending",
      `offer ${r.id} is ${state}; only a pending offer can be ${what}`,
    );
  if (redemptionHeld(r, now))
    return new IssuerError(
      "offer.not_pending",
      `offer ${r.id} is being redeemed: its credential is being issued, so it cannot be ${what}`,
    );
  return undefined;
}

/** An offer's state now: a pending offer past its `expiresAt` is `expired` (derived, never stored). */
export function offerState(r: OfferRecord, now: Date): OfferState {
  return r.state === "pending" && Date.parse(r.expiresAt) <= now.getTime() ? "expired" : r.state;
}

/** What the issuer's listing shows of an offer: never a link, code or tx_code. */
export function offerView(r: OfferRecord, now: Date): OfferView {
  const v: OfferView = {
    id: r.id,
    type: r.configurationId,
    reference: r.reference ?? null,
    state: offerState(r, now),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    txCode: r.txCodeHash !== undefined,
  };
  if (r.redeemedAt !== undefined) v.redeemedAt = r.redeemedAt;
  if (r.credentialId !== undefined) v.credentialId = r.credentialId;
  if (r.cancelledAt !== undefined) v.cancelledAt = r.cancelledAt;
  if (r.cancelReason !== undefined) v.cancelReason = r.cancelReason;
  return v;
}

/** A new pending offer's record, not yet armed with a link and code (both stores arm it their way). */
export function newOfferRecord(
  issuerId: string,
  request: Record<string, unknown> & { type: string },
  opts: OfferOptions,
  t: Date,
): OfferRecord {
  const expiresIn = opts.expiresIn ?? OFFER_DEFAULT_EXPIRES_IN;
  return {
    id: opts.id ?? uuidv7(t.getTime()),
    issuerId,
    request,
    configurationId: request.type,
    ...(opts.reference !== undefined ? { reference: opts.reference } : {}),
    ...(opts.holder !== undefined ? { holder: opts.holder } : {}),
    createdAt: t.toISOString(),
    expiresAt: new Date(t.getTime() + expiresIn * 1000).toISOString(),
    expiresIn,
    state: "pending",
    linkHash: "",
    txCodeTries: 0,
  };
}

export const offerSecrets = { hash, secret, codeOf, txHash, newTxCode, sameHash };
