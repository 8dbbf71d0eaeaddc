import { randomBytes } from "node:crypto";
import { Bitstring, MIN_STATUS_LIST_BITS } from "./bitstring.js";
import { IssuerError } from "./errors.js";
import type { Ed25519JwsSigner as JwtSigner } from "@meritlog/core/node";
import { jsonSublevel, type IssuerDb, type JsonLevel, type WriteOp } from "./storage.js";

export type StatusPurpose = "revocation" | "suspension";
const STATUS_PURPOSES: readonly StatusPurpose[] = ["revocation", "suspension"];
/** The lists served per issuer: the two one-bit lists (credentials issued before the combined entry) and the two-bit `message` list. */
export type StatusListKind = StatusPurpose | "message";
const STATUS_LIST_KINDS: readonly StatusListKind[] = ["revocation", "suspension", "message"];

/**
 * Bits per credential in the `message` list (Bitstring Status List v1.0 §2.1 `statusSize`): the
 * first (most significant) bit is "revoked", the second "suspended".
 */
const MESSAGE_STATUS_SIZE = 2;

/**
 * §2.1 `statusMessage`: one message per value of the two bits (the spec asks for 2^statusSize
 * entries, `status` as a hex string). A revoked credential stays revoked whatever its suspension bit.
 */
const STATUS_MESSAGES: readonly { status: string; message: string }[] = [
  { status: "0x0", message: "active" },
  { status: "0x1", message: "suspended" },
  { status: "0x2", message: "revoked" },
  { status: "0x3", message: "revoked" },
];

/** Bitstring Status List v1.0 §2.1 `BitstringStatusListEntry`, as embedded in `credentialStatus`. */
export interface StatusEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: StatusListKind;
  statusListIndex: string;
  statusListCredential: string;
  /** Only on the `message` entry (§2.1): bits per credential. */
  statusSize?: number;
  /** Only on the `message` entry (§2.1): what each value means. */
  statusMessage?: { status: string; message: string }[];
}

/**
 * Where a status list's facts are kept: which indexes are allocated and which bits are set. The
 * signed lists are derived from these in memory. LevelDB: {@link LevelStatusStore}; PostgreSQL:
 * issuer-pg.ts, whose `reserve` is the cross-process guarantee that an index is handed out once.
 */
export interface StatusStore {
  /** Every allocated index of the issuer and the indexes whose revocation / suspension bit is set. */
  load(issuerId: string): Promise<{ allocated: number[]; bits: Record<StatusPurpose, number[]> }>;
  /**
   * Claims `indexes` for new credentials before they are used, in one round trip; resolves with
   * those this process now holds (another process already holds the rest: the caller draws
   * again). Absent: the in-memory bitmap is the only allocator (one process owns the database).
   */
  reserve?(issuerId: string, indexes: readonly number[]): Promise<number[]>;
  /** Gives back reserved indexes no credential was issued with (a failed issuance, a node stopping). */
  unreserve?(issuerId: string, indexes: readonly number[]): Promise<void>;
  /** The write that makes an allocation durable (in the record's atomic commit). */
  allocationOps(issuerId: string, index: number): WriteOp[];
  /** The writes that persist the bits of an index. */
  bitOps(issuerId: string, index: number, bits: Record<StatusPurpose, boolean>): WriteOp[];
  /**
   * A value that changes whenever any process changes the issuer's allocations or bits; when
   * present, a list is re-read before it is signed if the value moved (several nodes, one database).
   */
  version?(issuerId: string): Promise<string>;
}

/** Status facts on LevelDB: keys `a!<issuer>!<idx>` (allocated) and `b!<listId>!<idx>` (bit set). */
export class LevelStatusStore implements StatusStore {
  private readonly db: JsonLevel<number>;
  constructor(db: IssuerDb) {
    this.db = jsonSublevel<number>(db, "status");
  }

  async load(issuerId: string): Promise<{ allocated: number[]; bits: Record<StatusPurpose, number[]> }> {
    const allocated: number[] = [];
    const alloc = `a!${issuerId}!`;
    for await (const k of this.db.keys({ gte: alloc, lt: alloc + "~" }))
      allocated.push(parseInt(k.slice(alloc.length), 16));
    const bits: Record<StatusPurpose, number[]> = { revocation: [], suspension: [] };
    for (const purpose of STATUS_PURPOSES) {
      const prefix = `b!${listId(issuerId, purpose)}!`;
      for await (const k of this.db.keys({ gte: prefix, lt: prefix + "~" }))
        bits[purpose].push(parseInt(k.slice(prefix.length), 16));
    }
    return { allocated, bits };
  }

  allocationOps(issuerId: string, index: number): WriteOp[] {
    return [{ type: "put", db: this.db, key: `a!${issuerId}!${pad(index)}`, value: 1 }];
  }

  bitOps(issuerId: string, index: number, bits: Record<StatusPurpose, boolean>): WriteOp[] {
    return STATUS_PURPOSES.map((purpose) => {
      const key = `b!${listId(issuerId, purpose)}!${pad(index)}`;
      return bits[purpose] ? { type: "put", db: this.db, key, value: 1 } : { type: "del", db: this.db, key };
    });
  }
}

export interface StatusListOptions {
  /** Where allocations and bits are kept. */
  store: StatusStore;
  baseUrl: string;
  now: () => Date;
  /** Entries per list; at least 131,072 (16 KB, "Bitstring Generation Algorithm"). A power of two (unbiased random index). */
  size?: number;
  /** A changed list is re-signed on read at most once per this many ms (batching under load). */
  refreshMs?: number;
  /** `validUntil` of each signed list, from its signing time. */
  validityMs?: number;
  /** `ttl` member of the list (§2.2): how long a verifier may cache it, in ms. */
  ttlMs?: number;
  signerFor(issuerId: string): Promise<{ did: string; signer: JwtSigner }>;
  /** The `kid` of the issuer's current key: a list signed with another key is never served (key rotation). */
  currentKid?(issuerId: string): string | undefined;
  /**
   * Told the URL of a list the moment its content or signer changes (before the change is
   * acknowledged), so caches of it (the server's verifier) drop their copy at once.
   */
  onChange?(url: string): void;
}

interface ListState {
  bits: Bitstring;
  dirty: boolean;
  jwt?: string;
  /** The key (`kid`) that signed `jwt`. */
  kid?: string;
  signedAt: number;
  signing?: Promise<string>;
}

interface IssuerLists {
  /** The store's {@link StatusStore.version} when this state was read (several nodes only). */
  version?: string;
  /** When the version was last compared (ms); compared at most once per `refreshMs`. */
  versionCheckedAt?: number;
  allocated: Bitstring;
  count: number;
  /** `message` holds `MESSAGE_STATUS_SIZE` bits per index, derived from the two one-bit lists. */
  lists: Record<StatusListKind, ListState>;
}

const pad = (i: number): string => i.toString(16).padStart(8, "0");

/** Indexes reserved per round trip when several processes share the store. */
const RESERVE_BLOCK = 32;

/** `<issuerId>-<purpose>`; issuer ids never contain `-`, so the last `-` splits it. */
export function listId(issuerId: string, purpose: StatusListKind): string {
  return `${issuerId}-${purpose}`;
}

export function parseListId(id: string): { issuerId: string; purpose: StatusListKind } | undefined {
  const at = id.lastIndexOf("-");
  const purpose = id.slice(at + 1);
  if (at <= 0 || !(STATUS_LIST_KINDS as readonly string[]).includes(purpose)) return undefined;
  return { issuerId: id.slice(0, at), purpose: purpose as StatusListKind };
}

/**
 * Per-issuer W3C Bitstring Status Lists v1.0, one per purpose (`revocation`, `suspension`).
 *
 * A credential gets one random, never reused index, the same in both lists of its issuer
 * (Bitstring Status List v1.0 Privacy Considerations: indexes are allocated uniformly at random
 * so that an index says nothing about issuance order or about neighbouring credentials). Allocation and bit changes are persisted as small keys
 * (`a!<issuer>!<idx>`, `b!<listId>!<idx>`) written in the same synced batch as the credential
 * record, and replayed into memory on first use after a restart.
 *
 * Signing is batched: a change only marks the list dirty; the list credential is re-signed on
 * read, at most once per `refreshMs`, never once per change.
 */
export class StatusLists {
  readonly size: number;
  private readonly store: StatusStore;
  private readonly loaded = new Map<string, Promise<IssuerLists>>();
  private readonly refreshMs: number;
  private readonly validityMs: number;
  private readonly ttlMs: number;

  constructor(private readonly o: StatusListOptions) {
    this.size = o.size ?? MIN_STATUS_LIST_BITS;
    if (this.size < MIN_STATUS_LIST_BITS || (this.size & (this.size - 1)) !== 0) {
      throw new Error(`status list size must be a power of two ≥ ${MIN_STATUS_LIST_BITS}`);
    }
    this.refreshMs = o.refreshMs ?? 250;
    this.validityMs = o.validityMs ?? 24 * 3600_000;
    this.ttlMs = o.ttlMs ?? 300_000;
    this.store = o.store;
  }

  /** Several nodes: indexes this process reserved and has not handed out yet, per issuer. */
  private readonly spare = new Map<string, number[]>();
  private readonly reserving = new Map<string, Promise<void>>();

  private pool = Buffer.alloc(0);
  private poolAt = 0;
  /** A uniformly random uint32 from a CSPRNG, drawn from a refilled pool (one syscall per 1,024). */
  private random(): number {
    if (this.poolAt + 4 > this.pool.length) {
      this.pool = randomBytes(4096);
      this.poolAt = 0;
    }
    const v = this.pool.readUInt32BE(this.poolAt);
    this.poolAt += 4;
    return v;
  }

  /** URL of a list credential (`statusListCredential`). */
  url(issuerId: string, purpose: StatusListKind): string {
    return `${this.o.baseUrl}/v1/status/${listId(issuerId, purpose)}`;
  }

  /**
   * The `credentialStatus` of a new credential: one `BitstringStatusListEntry` with
   * `statusPurpose: "message"` and `statusSize: 2` (§2.1), so that the credential carries one
   * status object, as the Open Badges 3.0 AchievementCredential JSON Schema requires, and still
   * tells revocation from suspension.
   */
  entries(issuerId: string, index: number): StatusEntry[] {
    const url = this.url(issuerId, "message");
    return [
      {
        id: `${url}#${index}`,
        type: "BitstringStatusListEntry",
        statusPurpose: "message",
        statusListIndex: String(index),
        statusListCredential: url,
        statusSize: MESSAGE_STATUS_SIZE,
        statusMessage: STATUS_MESSAGES.map((m) => ({ ...m })),
      },
    ];
  }

  /** The two one-bit entries that credentials issued before the combined entry carry (still served and kept current). */
  legacyEntries(issuerId: string, index: number): StatusEntry[] {
    return STATUS_PURPOSES.map((purpose) => ({
      id: `${this.url(issuerId, purpose)}#${index}`,
      type: "BitstringStatusListEntry" as const,
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: this.url(issuerId, purpose),
    }));
  }

  private load(issuerId: string): Promise<IssuerLists> {
    let p = this.loaded.get(issuerId);
    if (!p) {
      p = this.read(issuerId);
      this.loaded.set(issuerId, p);
      p.catch(() => this.loaded.delete(issuerId));
    }
    return p;
  }

  private async read(issuerId: string): Promise<IssuerLists> {
    const state: IssuerLists = {
      allocated: new Bitstring(this.size),
      count: 0,
      lists: {
        revocation: { bits: new Bitstring(this.size), dirty: true, signedAt: 0 },
        suspension: { bits: new Bitstring(this.size), dirty: true, signedAt: 0 },
        message: { bits: new Bitstring(this.size * MESSAGE_STATUS_SIZE), dirty: true, signedAt: 0 },
      },
    };
    // Read the version first: a change landing during the read moves it, and the next check re-reads.
    if (this.store.version) {
      state.version = await this.store.version(issuerId);
      state.versionCheckedAt = this.o.now().getTime();
    }
    const facts = await this.store.load(issuerId);
    for (const index of facts.allocated) {
      if (state.allocated.get(index)) continue;
      state.allocated.set(index, true);
      state.count++;
    }
    for (const purpose of STATUS_PURPOSES) {
      for (const index of facts.bits[purpose]) {
        state.lists[purpose].bits.set(index, true);
        state.lists.message.bits.set(messageBit(index, purpose), true);
      }
    }
    return state;
  }

  /**
   * With a shared store (several nodes), the issuer's state as it is now: when another process
   * changed the lists since they were read, they are read again (and re-signed on next read).
   * Compared at most once per `refreshMs`, unless `force`.
   */
  private async current(issuerId: string, force = false): Promise<IssuerLists> {
    const s = await this.load(issuerId);
    if (!this.store.version || s.version === undefined) return s;
    const t = this.o.now().getTime();
    if (!force && s.versionCheckedAt !== undefined && t - s.versionCheckedAt < this.refreshMs) return s;
    s.versionCheckedAt = t;
    const v = await this.store.version(issuerId);
    if (v === s.version) return s;
    const fresh = await this.read(issuerId);
    // Keep the signed forms only as a cache key: the lists are dirty, so they are re-signed.
    for (const kind of STATUS_LIST_KINDS) {
      const old = s.lists[kind];
      const now = fresh.lists[kind];
      if (old.jwt !== undefined) now.jwt = old.jwt;
      if (old.kid !== undefined) now.kid = old.kid;
      now.signedAt = old.signedAt;
      this.o.onChange?.(this.url(issuerId, kind));
    }
    // Indexes this process reserved but has not yet committed stay taken.
    const bytes = s.allocated.bytes;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        const index = i * 8 + bit;
        if (b & (0x80 >> bit) && !fresh.allocated.get(index)) {
          fresh.allocated.set(index, true);
          fresh.count++;
        }
      }
    }
    const p = Promise.resolve(fresh);
    this.loaded.set(issuerId, p);
    return fresh;
  }

  /**
   * Reserves a fresh random index in the issuer's lists (in memory; persist it with
   * {@link allocationOps} in the record's batch).
   * @throws IssuerError `status.list_full` when every index is taken.
   */
  async allocate(issuerId: string): Promise<number> {
    if (!this.store.reserve) return this.pick(await this.load(issuerId));
    for (let attempt = 0; ; attempt++) {
      const index = this.spare.get(issuerId)?.pop();
      if (index !== undefined) return index;
      if (attempt >= 64)
        throw new IssuerError("status.list_full", "no free status list index could be reserved");
      await this.reserveBlock(issuerId);
    }
  }

  /**
   * Several nodes: reserves a block of random free indexes in one round trip and keeps them for
   * the next allocations (one reservation per credential was a round trip and a commit each,
   * docs/SCALING.md "Issuance and verification over HTTP, by backend"). Concurrent allocations
   * share one reservation. The indexes are drawn as one at a time would be (uniformly at random
   * among the free ones); a node that dies holding some leaves at most a block per issuer
   * reserved and unused, a node that stops gives them back ({@link close}).
   */
  private reserveBlock(issuerId: string): Promise<void> {
    let p = this.reserving.get(issuerId);
    if (p === undefined) {
      p = (async () => {
        const s = await this.load(issuerId);
        // With no index free, the one pick throws status.list_full.
        const n = Math.max(1, Math.min(RESERVE_BLOCK, this.size - s.count));
        const picks = Array.from({ length: n }, () => this.pick(s));
        // Picks another process holds stay marked here (our bitmap was behind).
        const held = await this.store.reserve!(issuerId, picks);
        const spare = this.spare.get(issuerId) ?? [];
        spare.push(...held);
        this.spare.set(issuerId, spare);
      })().finally(() => this.reserving.delete(issuerId));
      this.reserving.set(issuerId, p);
    }
    return p;
  }

  /** Gives back the indexes reserved and not handed out (several nodes; the service is closing). */
  async close(): Promise<void> {
    await Promise.allSettled(this.reserving.values());
    const spare = [...this.spare];
    this.spare.clear();
    for (const [issuerId, indexes] of spare)
      if (indexes.length > 0) await this.store.unreserve?.(issuerId, indexes);
  }

  /** Draws a free index from the in-memory bitmap and marks it taken. */
  private pick(s: IssuerLists): number {
    if (s.count >= this.size)
      throw new IssuerError("status.list_full", "this issuer's status lists have no free index left");
    let index = -1;
    // Uniform rejection sampling; with a list under ~90% full this takes a few tries. Past that,
    // scan forward from a random start (skipping full bytes) so allocation stays bounded.
    for (let tries = 0; tries < 64 && index < 0; tries++) {
      const candidate = this.random() & (this.size - 1);
      if (!s.allocated.get(candidate)) index = candidate;
    }
    if (index < 0) {
      const bytes = s.allocated.bytes;
      const startByte = (this.random() & (this.size - 1)) >> 3;
      for (let k = 0; k < bytes.length && index < 0; k++) {
        const at = (startByte + k) % bytes.length;
        const byte = bytes[at]!;
        if (byte === 0xff) continue;
        for (let bit = 0; bit < 8; bit++) {
          if ((byte & (0x80 >> bit)) === 0) {
            index = at * 8 + bit;
            break;
          }
        }
      }
    }
    s.allocated.set(index, true);
    s.count++;
    return index;
  }

  /** Returns an index whose credential was never anchored (a failed issuance) to the pool. */
  async release(issuerId: string, index: number): Promise<void> {
    const s = await this.load(issuerId);
    if (s.allocated.get(index)) {
      s.allocated.set(index, false);
      s.count--;
    }
    await this.store.unreserve?.(issuerId, [index]);
  }

  /** The write that makes an allocation durable. */
  allocationOps(issuerId: string, index: number): WriteOp[] {
    return this.store.allocationOps(issuerId, index);
  }

  /** The writes that persist the bits of an index; apply them in memory with {@link apply} after they are durable. */
  bitOps(issuerId: string, index: number, bits: Record<StatusPurpose, boolean>): WriteOp[] {
    return this.store.bitOps(issuerId, index, bits);
  }

  /** Sets the in-memory bits of an index and marks changed lists for re-signing. */
  async apply(issuerId: string, index: number, bits: Record<StatusPurpose, boolean>): Promise<void> {
    const s = await this.load(issuerId);
    for (const purpose of STATUS_PURPOSES) {
      const list = s.lists[purpose];
      if (list.bits.get(index) !== bits[purpose]) {
        list.bits.set(index, bits[purpose]);
        this.changed(issuerId, purpose, list);
        // The message list is the same facts, two bits per index; it changes with them.
        s.lists.message.bits.set(messageBit(index, purpose), bits[purpose]);
        this.changed(issuerId, "message", s.lists.message);
      }
    }
  }

  /** Current bits of an index (for the record and for tests). */
  async bits(issuerId: string, index: number): Promise<Record<StatusPurpose, boolean>> {
    const s = await this.current(issuerId, true);
    return { revocation: s.lists.revocation.bits.get(index), suspension: s.lists.suspension.bits.get(index) };
  }

  /**
   * The Bitstring Status List credential (§2.2) as a VC-JWT signed by the issuer.
   * @throws IssuerError `status.not_found` for an unknown list id or issuer.
   */
  async jwt(
    id: string,
    issuerExists: (issuerId: string) => Promise<boolean>,
    o: { current?: boolean } = {},
  ): Promise<string> {
    const parsed = parseListId(id);
    if (!parsed || !(await issuerExists(parsed.issuerId)))
      throw new IssuerError("status.not_found", `no status list ${id}`);
    const s = await this.current(parsed.issuerId, o.current === true);
    const list = s.lists[parsed.purpose];
    const keyOk = () => this.o.currentKid === undefined || list.kid === this.o.currentKid(parsed.issuerId);
    const now = this.o.now().getTime();
    const fresh = list.jwt !== undefined && now < list.signedAt + this.validityMs / 2 && keyOk();
    // `current`: an in-process reader (the server's verifier) gets every change, not the batched copy.
    if (fresh && (!list.dirty || (!o.current && now - list.signedAt < this.refreshMs))) return list.jwt!;
    for (let attempt = 0; ; attempt++) {
      // One signing at a time per list; concurrent readers share it.
      list.signing ??= this.sign(parsed.issuerId, parsed.purpose, list).finally(
        () => (list.signing = undefined),
      );
      const jwt = await list.signing;
      // A signing that started before a key rotation finished is not served; sign again.
      if (keyOk() || attempt >= 3) return jwt;
    }
  }

  /**
   * After a key rotation: the issuer's lists are dirty and their signed forms are dropped, so the
   * next read re-signs them with the new key (no waiting for the refresh interval).
   */
  rekey(issuerId: string): void {
    const p = this.loaded.get(issuerId);
    if (!p) return;
    void p.then(
      (s) => {
        for (const [purpose, list] of Object.entries(s.lists)) {
          delete list.jwt;
          delete list.kid;
          this.changed(issuerId, purpose as StatusListKind, list);
        }
      },
      () => undefined,
    );
  }

  /** Marks a list for re-signing and tells the listener (the verifier's cache) its URL changed. */
  private changed(issuerId: string, purpose: StatusListKind, list: ListState): void {
    list.dirty = true;
    this.o.onChange?.(this.url(issuerId, purpose));
  }

  private async sign(issuerId: string, purpose: StatusListKind, list: ListState): Promise<string> {
    const { did, signer } = await this.o.signerFor(issuerId);
    const nowDate = this.o.now();
    list.dirty = false; // changes that land while signing mark it dirty again
    const url = this.url(issuerId, purpose);
    const validFrom = new Date(Math.floor(nowDate.getTime() / 1000) * 1000);
    const validUntil = new Date(validFrom.getTime() + this.validityMs);
    const credential = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      id: url,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: did,
      validFrom: validFrom.toISOString().replace(".000Z", "Z"),
      validUntil: validUntil.toISOString().replace(".000Z", "Z"),
      credentialSubject: {
        id: `${url}#list`,
        type: "BitstringStatusList",
        statusPurpose: purpose,
        encodedList: list.bits.encode(),
        ttl: this.ttlMs,
      },
    };
    const jwt = signer.sign({
      ...credential,
      iss: did,
      sub: credential.credentialSubject.id,
      jti: url,
      nbf: validFrom.getTime() / 1000,
      iat: validFrom.getTime() / 1000,
      exp: validUntil.getTime() / 1000,
    });
    list.jwt = jwt;
    list.kid = signer.kid;
    list.signedAt = nowDate.getTime();
    return jwt;
  }
}

/**
 * Position in the `message` list of one fact about `index`: §2.1 / "Validate Algorithm" step 9
 * reads `statusSize` bits starting at `statusListIndex × statusSize`, most significant first;
 * the first is "revoked", the second "suspended" (value 0x2 revoked, 0x1 suspended).
 */
function messageBit(index: number, purpose: StatusPurpose): number {
  return index * MESSAGE_STATUS_SIZE + (purpose === "revocation" ? 0 : 1);
}
