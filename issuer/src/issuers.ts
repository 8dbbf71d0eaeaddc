import { randomBytes, timingSafeEqual } from "node:crypto";
import { didKeyVerificationMethod, tryFromHex } from "@meritlog/core";
import type { KeyObject } from "node:crypto";
import type { IssuerAgent } from "./agent.js";
import { anchorEntry, isoSeconds, sha256Hex, type AnchorLog, type Receipt } from "./anchors.js";
import { IssuerError } from "./errors.js";
import { Ed25519JwsSigner as JwtSigner, ed25519PrivateKey } from "@meritlog/core/node";
import type { ManagedPrivateKey } from "@veramo/key-manager";
import { jsonSublevel, type IssuerDb, type JsonLevel, type RecordWriter, type WriteOp } from "./storage.js";
import { generateToken, hashToken } from "./tokens.js";

/** The `key` log entry's digest: hex SHA-256 of the raw public key the agent reports in hex. */
function publicKeyDigest(publicKeyHex: string): string {
  const raw = tryFromHex(publicKeyHex.toLowerCase());
  if (!raw)
    throw new IssuerError("issuer.key_unavailable", "the agent reported a public key that is not hex");
  return sha256Hex(raw);
}

/** An issuer as stored (the token only as its SHA-256). */
export interface IssuerRecord {
  id: string;
  did: string;
  /** The DID URL of the signing key (`did:key:z…#z…`), the JWT `kid`. */
  kid: string;
  /** Veramo key id (hex public key): alias of the sealed private key. */
  keyId: string;
  name: string;
  url?: string;
  createdAt: string;
  /** Creation order (the registry lists oldest first). */
  seq: number;
  /** Hex SHA-256 of the current API token; empty while the token is revoked (no token works). */
  tokenHash: string;
  /** Receipt of the `key` log entry that anchored this issuer's current key (create or rotate). */
  keyReceipt: Receipt;
  /** DIDs of earlier keys, oldest first, with when each was retired (absent: never rotated). */
  previousDids?: RetiredDid[];
}

/** A DID this issuer used before a key rotation. */
export interface RetiredDid {
  did: string;
  /** When the rotation that retired it happened (the `at` of the `rotate` entry). */
  retiredAt: string;
}

/** The public registry entry (`GET /v1/issuers`). */
export interface PublicIssuer {
  id: string;
  did: string;
  name: string;
  url?: string;
  createdAt: string;
  /** DIDs of this issuer's earlier keys, oldest first (empty if never rotated). */
  previousDids: string[];
  /** The same DIDs with when each was retired. */
  previousKeys: RetiredDid[];
}

/** What `rotateKey` returns. */
export interface RotatedKey {
  id: string;
  /** The new DID (new key). */
  did: string;
  /** The DID it replaces, now in `previousDids`. */
  previousDid: string;
  /** Receipt of the anchored `key` entry with `event: "rotate"`. */
  keyReceipt: Receipt;
}

/** What a token rotation or revocation returns (the new token appears here once). */
export interface TokenChange {
  id: string;
  /** The new token (rotation only). */
  token?: string;
  revoked: boolean;
  /** Receipt of the anchored `key` entry (`event: "token-rotate"` or `"token-revoke"`). */
  keyReceipt: Receipt;
}

/** What `createIssuer` returns: the token appears here once and is never stored in clear. */
export interface CreatedIssuer extends Omit<PublicIssuer, "previousDids" | "previousKeys"> {
  token: string;
  keyReceipt: Receipt;
}

/**
 * Where issuer records are kept. The registry holds them all in memory (there are few) and writes
 * through the backend's {@link RecordWriter}. LevelDB: {@link LevelIssuerStore}; PostgreSQL: issuer-pg.ts.
 */
export interface IssuerStore {
  /** Every issuer record. */
  all(): AsyncIterable<IssuerRecord>;
  /** The write that stores (creates or replaces) a record. */
  putOps(record: IssuerRecord): WriteOp[];
  /** Reads one record as stored now (several nodes: another process may have changed it). */
  get?(id: string): Promise<IssuerRecord | undefined>;
}

/** Issuer records on LevelDB, one JSON value per issuer id in the `issuers` sublevel. */
export class LevelIssuerStore implements IssuerStore {
  private readonly db: JsonLevel<IssuerRecord>;
  constructor(db: IssuerDb) {
    this.db = jsonSublevel(db, "issuers");
  }
  all(): AsyncIterable<IssuerRecord> {
    return this.db.values();
  }
  putOps(record: IssuerRecord): WriteOp[] {
    return [{ type: "put", db: this.db, key: record.id, value: record }];
  }
}

/** What the registry needs of the private-key store: one key by alias, unsealed. */
export interface PrivateKeySource {
  getKey(args: { alias: string }): Promise<ManagedPrivateKey>;
}

const toPublic = (r: IssuerRecord): PublicIssuer => ({
  id: r.id,
  did: r.did,
  name: r.name,
  ...(r.url ? { url: r.url } : {}),
  createdAt: r.createdAt,
  previousDids: (r.previousDids ?? []).map((p) => p.did),
  previousKeys: (r.previousDids ?? []).map((p) => ({ ...p })),
});

/**
 * Issuer identities: Veramo creates the Ed25519 key and did:key (system of record), the registry
 * keeps name, url and the token hash. All issuers are held in memory (there are few); the
 * signing key of each is unsealed once and cached as a node:crypto KeyObject.
 */
export class IssuerRegistry {
  private readonly byId = new Map<string, IssuerRecord>();
  private readonly byTokenHash = new Map<string, string>();
  /** Cached signers by key (`kid`), so a rotation never leaves a stale signer under the issuer's id. */
  private readonly signers = new Map<string, JwtSigner>();
  /** Signers being loaded, by key (`kid`): concurrent callers share one load. */
  private readonly loadingSigners = new Map<string, Promise<JwtSigner>>();
  /** Rotations in progress per issuer id (one at a time per issuer). */
  private readonly rotations = new Map<string, Promise<unknown>>();
  private nextSeq = 0;
  /** Bumped on every change of an issuer record (creation, key rotation, token change). */
  version = 0;

  constructor(
    private readonly store: IssuerStore,
    private readonly agent: IssuerAgent,
    private readonly privateKeys: PrivateKeySource,
    private readonly log: AnchorLog,
    private readonly writer: RecordWriter,
    private readonly now: () => Date,
    /** Several nodes share the store: an unknown token or issuer id may be one another node just made. */
    private readonly shared = false,
  ) {}

  /** A re-read queued because of a miss that has not started yet (misses join it). */
  private queuedRefresh: Promise<void> | undefined;
  private runningRefresh: Promise<void> = Promise.resolve();
  private lastMissRefresh = 0;

  /**
   * Several nodes: makes sure a token or issuer id this node does not know is looked up in the
   * database before it is refused, so a token created or rotated on another node works here at
   * once (not only after the next periodic {@link refresh}). Misses share one re-read, started
   * after the miss, at most one every 100 ms (a flood of made-up tokens costs 10 reads/s).
   * A revoked token this node still knows is not caught here; the periodic re-read drops it.
   * @throws StorageError `storage.unavailable` when the database cannot be read
   */
  async ensureKnown(o: { token?: string; id?: string }): Promise<void> {
    if (!this.shared) return;
    const known = (): boolean =>
      (o.id === undefined || this.byId.has(o.id)) &&
      (o.token === undefined || this.byTokenHash.has(Buffer.from(hashToken(o.token)).toString("hex")));
    if (known()) return;
    this.queuedRefresh ??= this.runningRefresh
      .catch(() => undefined)
      .then(async () => {
        const wait = this.lastMissRefresh + 100 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.queuedRefresh = undefined;
        this.lastMissRefresh = Date.now();
        this.runningRefresh = this.refresh();
        await this.runningRefresh;
      });
    await this.queuedRefresh;
  }

  async load(): Promise<void> {
    for await (const r of this.store.all()) this.index(r);
  }

  /**
   * Re-reads every record (several nodes on one database: issuers created, rotated or whose token
   * changed on another node). Records that did not change are left as they are.
   */
  async refresh(): Promise<void> {
    for await (const r of this.store.all()) {
      const cur = this.byId.get(r.id);
      if (cur && JSON.stringify(cur) === JSON.stringify(r)) continue;
      if (cur && cur.kid !== r.kid) this.signers.delete(cur.kid);
      this.index(r);
    }
  }

  private index(r: IssuerRecord): void {
    this.nextSeq = Math.max(this.nextSeq, r.seq + 1);
    this.version++;
    const before = this.byId.get(r.id);
    if (before && before.tokenHash !== r.tokenHash) this.byTokenHash.delete(before.tokenHash);
    this.byId.set(r.id, r);
    if (r.tokenHash) this.byTokenHash.set(r.tokenHash, r.id);
  }

  /**
   * Creates an issuer: Ed25519 key and did:key through the agent, a `key` entry in the log
   * (digest = hex SHA-256 of the raw public key), then the record, synced. Resolves after all three.
   */
  async create(o: { name: string; url?: string }): Promise<CreatedIssuer> {
    // Issuer ids are hex, so they never contain the `-` that separates a status list's purpose.
    const id = randomBytes(8).toString("hex");
    // Taken before any await, so concurrent creations keep their call order in the registry.
    const seq = this.nextSeq++;
    const identifier = await this.agent.didManagerCreate({
      provider: "did:key",
      alias: id,
      options: { keyType: "Ed25519" },
    });
    const key = identifier.keys[0];
    if (!key) throw new IssuerError("issuer.key_unavailable", "the agent created a DID without a key");
    const kid = didKeyVerificationMethod(identifier.did);
    const createdAt = isoSeconds(this.now());
    const keyReceipt = await anchorEntry(this.log, {
      kind: "key",
      event: "create",
      kid,
      issuer: identifier.did,
      digest: publicKeyDigest(key.publicKeyHex),
      at: createdAt,
      v: 1,
    });
    const token = generateToken();
    const record: IssuerRecord = {
      id,
      did: identifier.did,
      kid,
      keyId: key.kid,
      name: o.name,
      ...(o.url ? { url: o.url } : {}),
      createdAt,
      seq,
      tokenHash: Buffer.from(hashToken(token)).toString("hex"),
      keyReceipt,
    };
    await this.writer.write(this.store.putOps(record));
    this.index(record);
    const { previousDids: _p, previousKeys: _k, ...pub } = toPublic(record);
    return { ...pub, token, keyReceipt };
  }

  /**
   * Key rotation: a new Ed25519 did:key through the agent (its private key sealed like the
   * first), a `key` entry `{event: "rotate", issuer: <new DID>, previous: <old DID>, kid, digest}`
   * in the log (durable, in a signed checkpoint), then the record with `did`/`kid` switched and the
   * old DID appended to `previousDids`, synced. Only then do signers see the new key. Rotations of
   * one issuer run one after the other.
   * @throws IssuerError `issuer.not_found`, `issuer.key_unavailable`
   */
  async rotate(id: string): Promise<RotatedKey> {
    this.require(id);
    const prior = this.rotations.get(id) ?? Promise.resolve();
    const run = prior.catch(() => undefined).then(() => this.rotateNow(id));
    this.rotations.set(id, run);
    try {
      return await run;
    } finally {
      if (this.rotations.get(id) === run) this.rotations.delete(id);
    }
  }

  private async rotateNow(id: string): Promise<RotatedKey> {
    const old = this.require(id);
    const retired = old.previousDids ?? [];
    // Veramo aliases are unique per provider: the issuer id plus the key's generation.
    const identifier = await this.agent.didManagerCreate({
      provider: "did:key",
      alias: `${id}.${retired.length + 1}.${randomBytes(4).toString("hex")}`,
      options: { keyType: "Ed25519" },
    });
    const key = identifier.keys[0];
    if (!key) throw new IssuerError("issuer.key_unavailable", "the agent created a DID without a key");
    const kid = didKeyVerificationMethod(identifier.did);
    const at = isoSeconds(this.now());
    const keyReceipt = await anchorEntry(this.log, {
      kind: "key",
      event: "rotate",
      kid,
      issuer: identifier.did,
      previous: old.did,
      digest: publicKeyDigest(key.publicKeyHex),
      at,
      v: 1,
    });
    const record: IssuerRecord = {
      ...old,
      did: identifier.did,
      kid,
      keyId: key.kid,
      keyReceipt,
      previousDids: [...retired, { did: old.did, retiredAt: at }],
    };
    await this.writer.write(this.store.putOps(record));
    this.index(record);
    this.signers.delete(old.kid);
    return { id, did: record.did, previousDid: old.did, keyReceipt };
  }

  /**
   * Replaces (`revoke: false`) or withdraws (`revoke: true`) the issuer's API token. A revocation
   * stops the old token at once, before anything is awaited; a new token works only after the
   * change is anchored as a `key` entry (`event: "token-rotate" | "token-revoke"`, naming the
   * current key) and the record is synced. Serialised with key rotations of the same issuer.
   * @throws IssuerError `issuer.not_found`
   */
  async changeToken(id: string, revoke: boolean): Promise<TokenChange> {
    const current = this.require(id);
    if (revoke) this.byTokenHash.delete(current.tokenHash);
    const prior = this.rotations.get(id) ?? Promise.resolve();
    const run = prior.catch(() => undefined).then(() => this.changeTokenNow(id, revoke));
    this.rotations.set(id, run);
    try {
      return await run;
    } finally {
      if (this.rotations.get(id) === run) this.rotations.delete(id);
    }
  }

  private async changeTokenNow(id: string, revoke: boolean): Promise<TokenChange> {
    const old = this.require(id);
    if (revoke) this.byTokenHash.delete(old.tokenHash);
    // The digest names the key whose signer changes hands: SHA-256 of its raw public key, as for
    // create (the Veramo key id is the hex public key).
    const publicKeyHex = old.keyId;
    if (!/^[0-9a-f]{64}$/i.test(publicKeyHex))
      throw new IssuerError(
        "issuer.key_unavailable",
        `the signing key of issuer ${id} has no raw public key id`,
      );
    const keyReceipt = await anchorEntry(this.log, {
      kind: "key",
      event: revoke ? "token-revoke" : "token-rotate",
      kid: old.kid,
      issuer: old.did,
      digest: publicKeyDigest(publicKeyHex),
      at: isoSeconds(this.now()),
      v: 1,
    });
    const token = revoke ? undefined : generateToken();
    const record: IssuerRecord = {
      ...this.require(id),
      tokenHash: token ? Buffer.from(hashToken(token)).toString("hex") : "",
    };
    await this.writer.write(this.store.putOps(record));
    this.index(record);
    return { id, ...(token ? { token } : {}), revoked: revoke, keyReceipt };
  }

  list(): PublicIssuer[] {
    return [...this.byId.values()].sort((a, b) => a.seq - b.seq).map(toPublic);
  }

  get(id: string): IssuerRecord | undefined {
    return this.byId.get(id);
  }

  /** @throws IssuerError `issuer.not_found` */
  require(id: string): IssuerRecord {
    const r = this.byId.get(id);
    if (!r) throw new IssuerError("issuer.not_found", `no issuer ${id}`);
    return r;
  }

  /**
   * The issuer a bearer token belongs to. The map lookup is keyed by SHA-256 of the token (a
   * preimage-resistant value, so timing leaks nothing usable); the final comparison is constant-time.
   * @throws IssuerError `auth.bad_token`
   */
  authenticate(token: string): IssuerRecord {
    const h = hashToken(token);
    const hex = Buffer.from(h).toString("hex");
    const id = this.byTokenHash.get(hex);
    const rec = id === undefined ? undefined : this.byId.get(id);
    const stored = rec ? Buffer.from(rec.tokenHash, "hex") : Buffer.alloc(32);
    if (!timingSafeEqual(stored, h) || !rec)
      throw new IssuerError("auth.bad_token", "the token is not valid");
    return rec;
  }

  /** The issuer's cached JWT signer for its current key; each private key is unsealed once per process. */
  async signer(id: string): Promise<JwtSigner> {
    return (await this.signing(id)).signer;
  }

  /**
   * The issuer's current record and the signer of its current key, consistent with each other
   * even while a rotation completes (`signer.kid === record.kid`, the DID is `record.did`).
   */
  async signing(id: string): Promise<{ record: IssuerRecord; signer: JwtSigner }> {
    // An offer made on another node may name an issuer created there a moment ago.
    await this.ensureKnown({ id });
    for (;;) {
      const signer = await this.keySigner(this.require(id));
      const record = this.require(id);
      if (signer.kid === record.kid) return { record, signer };
    }
  }

  /**
   * The signer of `rec`'s key: cached, or loaded once however many callers ask while it loads. A
   * batch of 1000 (or a burst of requests) arriving before the key was loaded in this process used
   * to unseal the key and build its KeyObject once per item (issue 11: ~0.5 s of the event loop for
   * the first batch of an issuer after a start).
   */
  private keySigner(rec: IssuerRecord): Promise<JwtSigner> {
    const cached = this.signers.get(rec.kid);
    if (cached) return Promise.resolve(cached);
    let loading = this.loadingSigners.get(rec.kid);
    if (loading === undefined) {
      loading = this.loadSigner(rec).finally(() => this.loadingSigners.delete(rec.kid));
      this.loadingSigners.set(rec.kid, loading);
    }
    return loading;
  }

  private async loadSigner(rec: IssuerRecord): Promise<JwtSigner> {
    const id = rec.id;
    let key: KeyObject;
    try {
      const managed = await this.privateKeys.getKey({ alias: rec.keyId });
      key = ed25519PrivateKey(Buffer.from(managed.privateKeyHex, "hex"));
    } catch (cause) {
      if (cause instanceof IssuerError) throw cause;
      throw new IssuerError("issuer.key_unavailable", `the signing key of issuer ${id} cannot be loaded`, {
        cause,
      });
    }
    const signer = this.signers.get(rec.kid) ?? new JwtSigner(rec.kid, key);
    // Only the current key is cached: a rotation may have finished while this one was loading.
    if (this.byId.get(id)?.kid === rec.kid) this.signers.set(rec.kid, signer);
    return signer;
  }
}
