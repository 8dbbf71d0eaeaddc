// The transparency log: group commit of appends into synced LevelDB batches, one signed
// checkpoint per batch, proofs and tiles served from storage. Only the right edge of the tree
// (O(log n) hashes plus the partial tile rows) lives in memory.
import { LedgerError } from "./errors.js";
import {
  LogReads,
  appendRefusal,
  checkOriginAndSigner,
  type PendingAppend,
  checkBundleArgs,
  checkTileArgs,
  isIndex,
} from "./log-reads.js";
import { EMPTY_EDGE, rootOfEdge } from "./integrate.js";
import {
  appendResults,
  headCheckpoint,
  loadPartials,
  prepareBatch,
  type Head,
  type Prepared,
} from "./batch.js";
import type { NoteSigner } from "./signer.js";
import {
  ENC,
  RecordCache,
  STATE_KEY,
  SYNC_WRITE,
  bundleKey,
  decodeBundle,
  decodeState,
  encodeState,
  getRecord,
  type LedgerDb,
  type LogSource,
} from "./store.js";
import { TreeReader } from "./tree-reader.js";
import type { Receipt } from "./verify/receipt.js";

/** What `append` resolves with. */
export interface AppendResult {
  leafIndex: number;
  treeSize: number;
  /** RFC 9162 §2.1.3 audit path of the leaf in the tree of `treeSize`, leaf to root. */
  inclusionProof: Uint8Array[];
  /** The signed checkpoint (C2SP tlog-checkpoint note) of `treeSize`. */
  checkpoint: string;
}

/** What every backend's log is opened with (LevelDB here, PostgreSQL in pg-log.ts). */
export interface LogOptions {
  origin: string;
  signer: NoteSigner;
  /** Most entries per synced batch, or per transaction on PostgreSQL (default 4096). */
  batchMaxSize?: number;
  /** How long the first append of an idle log waits for company (default 2 ms). */
  batchMaxDelayMs?: number;
  /** Appends queued or in flight before `append` rejects with `log.overloaded` (default 65536). */
  maxPending?: number;
  /** Bytes of immutable tiles and mid rows kept in memory for proofs (default 4 MiB). */
  tileCacheBytes?: number;
  /** Bytes of full entry bundles kept in memory for entry reads (default 2 MiB). */
  bundleCacheBytes?: number;
  /**
   * Called with each new signed checkpoint after its batch is durable (committed) and before any
   * append of the batch resolves, so a copy kept outside the database (the server's checkpoint
   * file) is never behind what a client has seen. A rejection fails the batch's appends
   * (`log.write_failed`); the entries stay in the tree, which is already durable.
   */
  onCommit?: (checkpoint: string, size: number) => Promise<void>;
}

export interface OpenLogOptions extends LogOptions {
  db: LedgerDb;
  /** Read tiles with LevelDB's synchronous get where supported (default true; see TreeReader). */
  syncReads?: boolean;
}

/** The log. All reads reflect only durable, checkpointed state. */
export interface TransparencyLog {
  readonly origin: string;
  readonly verifierKey: string;
  /** Size of the latest signed checkpoint. */
  readonly size: number;
  readonly rootHash: Uint8Array;
  /**
   * Appends one entry (≤ 65535 bytes). Resolves only after the entry is durably committed (synced
   * LevelDB batch) and covered by a signed checkpoint.
   * @throws LedgerError `log.overloaded` (retry later), `log.entry_too_large`, `log.closed`, `log.write_failed`
   */
  append(entry: Uint8Array): Promise<AppendResult>;
  /** The API.md receipt for an appended entry (proof in base64, entry as UTF-8 text). */
  receipt(entry: Uint8Array, r: AppendResult): Receipt;
  /** The latest signed checkpoint note. */
  checkpoint(): string;
  /** @throws LedgerError `log.bad_request`, `log.size_out_of_range` */
  inclusionProof(index: number, size?: number): Promise<Uint8Array[]>;
  /** @throws LedgerError `log.bad_request`, `log.size_out_of_range` */
  consistencyProof(first: number, second?: number): Promise<Uint8Array[]>;
  /** @throws LedgerError `log.not_found` */
  entry(index: number): Promise<Uint8Array>;
  /** Hash tile bytes (C2SP tlog-tiles); width 256 = full. @throws LedgerError `log.not_found` */
  tile(level: number, index: number, width?: number): Promise<Uint8Array>;
  /** Entry bundle bytes (C2SP tlog-tiles); width 256 = full. @throws LedgerError `log.not_found` */
  entryBundle(index: number, width?: number): Promise<Uint8Array>;
  /** Commits what is queued, then stops accepting appends. Does not close `db` (the caller owns it). */
  close(): Promise<void>;
}

/** One batch being written while the next is prepared (see `flushNow`). */
const MAX_BATCHES_IN_FLIGHT = 2;
/**
 * With an onCommit hook a written batch also waits for its checkpoint to reach the outside copy;
 * two more slots let the next batches be written meanwhile, and the hook's coalesced write then
 * covers several batches at once.
 */
const MAX_BATCHES_IN_FLIGHT_WITH_HOOK = 4;

/**
 * The latest signed checkpoint stored in `db`, without opening the log for writing.
 * @throws LedgerError `log.not_found` when `db` holds no log, `log.corrupt`
 */
export async function loadStoredCheckpoint(db: LogSource): Promise<string> {
  const raw = await getRecord(db, STATE_KEY);
  if (raw === undefined) throw new LedgerError("log.not_found", "no transparency log is stored here");
  return decodeState(raw).checkpoint;
}

/**
 * Entry `index` as stored in `db` (read-only; for fsck of a stopped log), or undefined when it is
 * beyond the stored tree. @throws LedgerError `log.corrupt` for a missing or short bundle.
 */
export async function loadStoredEntry(db: LogSource, index: number): Promise<Uint8Array | undefined> {
  const raw = await getRecord(db, STATE_KEY);
  if (raw === undefined || !isIndex(index) || index >= decodeState(raw).edge.size) return undefined;
  const g = Math.floor(index / 256);
  const bundle = await getRecord(db, bundleKey(g));
  const e = bundle === undefined ? undefined : decodeBundle(bundle)[index % 256];
  if (e === undefined) throw new LedgerError("log.corrupt", `entry bundle ${g} is missing or short`);
  return new Uint8Array(e);
}

/**
 * Opens (or creates) the log stored in `db`. Reads only the state record and the partial
 * records of the right edge (a few keys, whatever the size). When the stored checkpoint is not
 * signed by `signer` for `origin` (key or origin changed), the same tree head is signed anew.
 * @throws LedgerError `log.corrupt`
 */
export async function openLog(o: OpenLogOptions): Promise<TransparencyLog> {
  checkOriginAndSigner(o.origin, o.signer);
  const raw = (await o.db.get(STATE_KEY, ENC)) as Uint8Array | undefined;
  let edge = EMPTY_EDGE;
  let stored: string | undefined;
  if (raw !== undefined) {
    const st = decodeState(raw);
    edge = st.edge;
    stored = st.checkpoint;
  }
  const root = rootOfEdge(edge);
  const { partials, bundle } = await loadPartials(o.db, edge);
  const { checkpoint, signed } = headCheckpoint(stored, o.origin, o.signer, edge, root);
  if (signed) {
    await o.db.put(
      STATE_KEY,
      encodeState({ edge, checkpoint, verifierKey: o.signer.verifierKey }),
      SYNC_WRITE,
    );
  }
  return new Log(o, { size: edge.size, edge, root, checkpoint, partials, bundle });
}

class Log implements TransparencyLog {
  readonly origin: string;
  readonly verifierKey: string;
  private head: Head;
  private readonly db: LedgerDb;
  private readonly signer: NoteSigner;
  private readonly batchMaxSize: number;
  private readonly batchMaxDelayMs: number;
  private readonly maxPending: number;
  private readonly cache: RecordCache;
  private readonly reads: LogReads;
  private readonly reader: TreeReader;
  private readonly onCommit: OpenLogOptions["onCommit"];
  private readonly maxBatches: number;
  private pending: PendingAppend[] = [];
  /** Appends in batches that are prepared or being written. */
  private inflight = 0;
  /** Batches prepared, being written or waiting for onCommit (at most `maxBatches`). */
  private batches = 0;
  /** Head after every prepared batch (ahead of `head` while writes are in flight). */
  private staged: Head;
  /** Settles with whether the last prepared batch was committed. */
  private tail: Promise<boolean> = Promise.resolve(true);
  /** A write failed: prepare nothing until the batches in flight have drained. */
  private poisoned = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private idle: (() => void)[] = [];

  constructor(o: OpenLogOptions, head: Head) {
    this.origin = o.origin;
    this.signer = o.signer;
    this.verifierKey = o.signer.verifierKey;
    this.db = o.db;
    this.head = head;
    this.staged = head;
    this.batchMaxSize = Math.max(1, o.batchMaxSize ?? 4096);
    this.batchMaxDelayMs = Math.max(0, o.batchMaxDelayMs ?? 2);
    this.maxPending = Math.max(1, o.maxPending ?? 65536);
    this.cache = new RecordCache(o.tileCacheBytes ?? 4 * 2 ** 20);
    this.reader = new TreeReader(this.db, this.cache, o.syncReads ?? true);
    this.reads = new LogReads(this.origin, this.reader, o.bundleCacheBytes ?? 2 * 2 ** 20);
    this.onCommit = o.onCommit;
    this.maxBatches = o.onCommit === undefined ? MAX_BATCHES_IN_FLIGHT : MAX_BATCHES_IN_FLIGHT_WITH_HOOK;
  }

  get size(): number {
    return this.head.size;
  }

  get rootHash(): Uint8Array {
    return new Uint8Array(this.head.root);
  }

  checkpoint(): string {
    return this.head.checkpoint;
  }

  append(entry: Uint8Array): Promise<AppendResult> {
    const refusal = appendRefusal(entry, this.closed, this.pending.length + this.inflight, this.maxPending);
    if (refusal !== undefined) return Promise.reject(refusal);
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ entry: new Uint8Array(entry), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.pending.length === 0 || this.batches >= this.maxBatches || this.poisoned) return;
    if (this.pending.length >= this.batchMaxSize || this.closed) {
      this.flushNow();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flushNow();
      }, this.batchMaxDelayMs);
    }
  }

  /**
   * Group commit, pipelined: the next batch is integrated and signed (CPU) while the previous
   * one is being written and fsynced (I/O), and written right after it. Writes stay strictly
   * ordered, so the stored state is always a prefix of what was handed out.
   */
  private flushNow(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || this.batches >= this.maxBatches || this.poisoned) return;
    const batch = this.pending.splice(0, this.batchMaxSize);
    this.inflight += batch.length;
    this.batches++;
    let prepared: Prepared;
    try {
      prepared = this.prepare(this.staged, batch);
    } catch (cause) {
      this.settle(batch, false, cause);
      return;
    }
    this.staged = prepared.head;
    const previous = this.tail;
    this.tail = (async (): Promise<boolean> => {
      if (!(await previous)) {
        this.settle(batch, false, new Error("an earlier batch failed"));
        return false;
      }
      try {
        await this.db.batch(prepared.ops, SYNC_WRITE);
      } catch (cause) {
        this.settle(batch, false, cause);
        return false;
      }
      // Durable. Publish the new head (readers see the checkpoint from then on), then resolve; with
      // an onCommit hook both wait until the outside copy has the checkpoint (proofs come from the
      // batch's own nodes).
      const { it, checkpoint } = prepared;
      const publish = (): void => {
        this.head = prepared.head;
        for (const [key, rec] of prepared.completed) this.cache.set(key, rec);
      };
      const resolveAll = (): void => {
        publish();
        const results = appendResults(prepared, batch.length);
        for (let j = 0; j < batch.length; j++) batch[j]!.resolve(results[j]!);
        this.settle(batch, true);
      };
      if (this.onCommit === undefined) {
        resolveAll();
        return true;
      }
      // The next batch may be written while this checkpoint reaches the outside copy (the hook
      // keeps its own writes in order); this batch's appends wait for it. A failure withholds only
      // the acknowledgement: the tree is durable and stays the head.
      this.onCommit(checkpoint, it.newSize).then(resolveAll, (cause: unknown) => {
        // Still the head: the tree is durable, and the next batch must build on it (building on an
        // older head would write a second tree for sizes already stored).
        publish();
        this.settle(batch, false, cause);
      });
      return true;
    })();
    // With room for another batch in flight, prepare it at once if enough is queued.
    if (this.pending.length >= this.batchMaxSize) this.flushNow();
  }

  private settle(batch: PendingAppend[], ok: boolean, cause?: unknown): void {
    if (!ok) {
      const err = new LedgerError("log.write_failed", "the batch was not committed", { cause });
      for (const p of batch) p.reject(err);
      // Batches prepared on top of this one must fail too; start again from the durable head.
      this.poisoned = true;
    }
    this.inflight -= batch.length;
    this.batches--;
    if (this.batches === 0) {
      // Nothing in flight: the next batch builds on the durable head and waits for no one.
      this.poisoned = false;
      this.staged = this.head;
      this.tail = Promise.resolve(true);
    }
    if (this.pending.length > 0) {
      // Appends that queued during a write have waited long enough: go now.
      this.flushNow();
      this.schedule();
    } else if (this.batches === 0) {
      for (const f of this.idle.splice(0)) f();
    }
  }

  /** Integrates a batch on top of `head` (batch.ts, shared with the PostgreSQL log). */
  private prepare(head: Head, batch: PendingAppend[]): Prepared {
    return prepareBatch(
      head,
      batch.map((p) => p.entry),
      this.origin,
      this.signer,
    );
  }

  receipt(entry: Uint8Array, r: AppendResult): Receipt {
    return this.reads.receipt(entry, r);
  }

  async inclusionProof(index: number, size?: number): Promise<Uint8Array[]> {
    const head = this.head;
    const n = size ?? head.size;
    if (!isIndex(index) || !isIndex(n))
      throw new LedgerError("log.bad_request", "leaf index and tree size must be non-negative integers");
    return await this.reads.inclusionProof(head, index, n);
  }

  async consistencyProof(first: number, second?: number): Promise<Uint8Array[]> {
    const head = this.head;
    const n = second ?? head.size;
    if (!isIndex(first) || !isIndex(n))
      throw new LedgerError("log.bad_request", "tree sizes must be non-negative integers");
    return await this.reads.consistencyProof(head, first, n);
  }

  async entry(index: number): Promise<Uint8Array> {
    if (!isIndex(index)) throw new LedgerError("log.bad_request", "index must be a non-negative integer");
    return await this.reads.entry(this.head, index);
  }

  async tile(level: number, index: number, width = 256): Promise<Uint8Array> {
    checkTileArgs(level, index, width);
    return await this.reads.tile(this.head, level, index, width);
  }

  async entryBundle(index: number, width = 256): Promise<Uint8Array> {
    checkBundleArgs(index, width);
    return await this.reads.entryBundle(this.head, index, width);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pending.length === 0 && this.batches === 0) return;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.schedule();
    });
  }
}
