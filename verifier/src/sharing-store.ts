// Storage of lasting shares, presentation requests and used holder-proof nonces
// (docs/API.md "Sharing that survives email"). One small interface, `SharingStore`, so a
// PostgreSQL backend can sit beside the LevelDB one without touching the routes.
//
// Secrets are kept only as digests: a request's manage token as its SHA-256, a proof nonce as
// its SHA-256. Share and request ids are random 128-bit capability handles (the link is the key).
import { createHash } from "node:crypto";

/** The few LevelDB operations the store needs (a `level` sublevel with `view` values satisfies it). */
export interface SharingDb {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  del(key: string): Promise<void>;
  keys(options: { gt?: string; lt?: string; limit?: number }): AsyncIterable<string>;
}

/** A lasting share: one credential as its holder chose to show it, until `expiresAt` or withdrawal. */
export interface ShareRecord {
  id: string;
  credential: string;
  credentialId: string;
  /** The credential subject's DID; only a proof by this DID's key may withdraw the share. */
  holder: string;
  sharedAt: string;
  expiresAt: string;
  withdrawnAt?: string;
}

/** A verifier's request for a presentation (OpenID4VP 1.0 request by reference, `direct_post`). */
export interface PresentationRequestRecord {
  id: string;
  purpose: string;
  types?: string[];
  nonce: string;
  audience: string;
  createdAt: string;
  expiresAt: string;
  /** Hex SHA-256 of the manage token (the token itself is shown once). */
  manageTokenHash: string;
  /** The accepted presentation (re-verified live each time the result is read). */
  presentation?: string;
  answeredAt?: string;
}

export interface SharingStore {
  putShare(share: ShareRecord): Promise<void>;
  getShare(id: string): Promise<ShareRecord | undefined>;
  /** Marks the share withdrawn; false when it was already withdrawn (or is unknown). */
  withdrawShare(id: string, at: string): Promise<boolean>;
  putRequest(request: PresentationRequestRecord): Promise<void>;
  getRequest(id: string): Promise<PresentationRequestRecord | undefined>;
  /**
   * Stores `presentation` as the one answer: true for the first caller, false for every later
   * one (also for concurrent callers: exactly one wins).
   */
  answerRequest(id: string, presentation: string, at: string): Promise<boolean>;
  /**
   * Records a holder-proof nonce as used until `keepUntilMs` (after which the proof's `iat`
   * window has closed anyway): true the first time, false for a nonce seen before.
   */
  useNonce(nonce: string, keepUntilMs: number, nowMs: number): Promise<boolean>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const json = (v: unknown): Uint8Array => enc.encode(JSON.stringify(v));
const parse = <T>(b: Uint8Array | undefined): T | undefined =>
  b === undefined ? undefined : (JSON.parse(dec.decode(b)) as T);
const sha256Hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

/** A `SharingDb` in memory (tests, and a server run without a data folder). */
export function memorySharingDb(): SharingDb {
  const m = new Map<string, Uint8Array>();
  return {
    async get(k) {
      return m.get(k);
    },
    async put(k, v) {
      m.set(k, v);
    },
    async del(k) {
      m.delete(k);
    },
    async *keys(o) {
      const all = [...m.keys()]
        .filter((k) => (o.gt === undefined || k > o.gt) && (o.lt === undefined || k < o.lt))
        .sort();
      yield* all.slice(0, o.limit ?? all.length);
    },
  };
}

/**
 * The LevelDB store. Keys: `s:<id>` shares, `r:<id>` requests, `n:<sha256(nonce)>` used nonces
 * with an expiry index `x:<ms, 15 digits>:<hash>` that each new nonce sweeps a few of.
 *
 * Compare-and-set (withdraw, answer, nonce) is serialised per key inside this process: LevelDB
 * has none, and one meritlog server owns its database (a PostgreSQL backend uses row locks).
 */
export function createSharingStore(db: SharingDb): SharingStore {
  const chains = new Map<string, Promise<unknown>>();
  const exclusive = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    chains.set(key, tail);
    void tail.then(() => {
      if (chains.get(key) === tail) chains.delete(key);
    });
    return next;
  };
  const sweepNonces = async (nowMs: number): Promise<void> => {
    const done: string[] = [];
    for await (const k of db.keys({ gt: "x:", lt: `x:${String(nowMs).padStart(15, "0")}`, limit: 16 }))
      done.push(k);
    for (const k of done) {
      await db.del(`n:${k.slice(k.lastIndexOf(":") + 1)}`);
      await db.del(k);
    }
  };
  return {
    async putShare(s) {
      await db.put(`s:${s.id}`, json(s));
    },
    async getShare(id) {
      return parse<ShareRecord>(await db.get(`s:${id}`));
    },
    withdrawShare(id, at) {
      return exclusive(`s:${id}`, async () => {
        const s = parse<ShareRecord>(await db.get(`s:${id}`));
        if (!s || s.withdrawnAt) return false;
        // The credential is dropped with the share: a withdrawn link keeps nothing of the holder.
        await db.put(`s:${id}`, json({ ...s, credential: "", withdrawnAt: at }));
        return true;
      });
    },
    async putRequest(r) {
      await db.put(`r:${r.id}`, json(r));
    },
    async getRequest(id) {
      return parse<PresentationRequestRecord>(await db.get(`r:${id}`));
    },
    answerRequest(id, presentation, at) {
      return exclusive(`r:${id}`, async () => {
        const r = parse<PresentationRequestRecord>(await db.get(`r:${id}`));
        if (!r || r.presentation !== undefined) return false;
        await db.put(`r:${id}`, json({ ...r, presentation, answeredAt: at }));
        return true;
      });
    },
    useNonce(nonce, keepUntilMs, nowMs) {
      const h = sha256Hex(nonce);
      return exclusive(`n:${h}`, async () => {
        if ((await db.get(`n:${h}`)) !== undefined) return false;
        await db.put(`n:${h}`, json(keepUntilMs));
        await db.put(`x:${String(keepUntilMs).padStart(15, "0")}:${h}`, new Uint8Array(0));
        await sweepNonces(nowMs);
        return true;
      });
    },
  };
}
