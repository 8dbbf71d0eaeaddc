// The transparency log on PostgreSQL, for any number of server processes on one database. Each
// node group-commits its appends like the LevelDB log, but sequences every batch inside one
// transaction: lock the state row (SELECT … FOR UPDATE), take the size and right edge from the
// database — not from memory, another node may have appended — integrate, write tiles, bundles,
// the new state and the signed checkpoint, commit. So appends from all nodes land in one tree, a
// checkpoint is handed out only once its transaction committed (durable: synchronous_commit), and
// each checkpoint extends every earlier one. Reads are served from the latest head this node
// knows; a request for a size beyond it refreshes the head from the database first.
import { isUnavailable, mapPgError, query, withTransaction, type Pool } from "@meritlog/postgres";
import {
  appendResults,
  checkpointFor,
  headCheckpoint,
  loadHead,
  prepareBatch,
  type Head,
  type Prepared,
} from "./batch.js";
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
import { rootOfEdge } from "./integrate.js";
import type { AppendResult, LogOptions, TransparencyLog } from "./log.js";
import type { NoteSigner } from "./signer.js";
import { RecordCache, encodeState } from "./store.js";
import { pgRecordSource, readPgState, writePgRecords, writePgState } from "./store-pg.js";
import { TreeReader } from "./tree-reader.js";
import { POW2 } from "./tree-math.js";
import { parseCheckpoint } from "./verify/checkpoint.js";
import { parseNote } from "./verify/note.js";
import type { Receipt } from "./verify/receipt.js";

export interface OpenPgLogOptions extends LogOptions {
  /** A pool on the database (its URL's search_path selects the schema); the caller owns it. */
  pool: Pool;
  /** How often this node picks up checkpoints other nodes committed (default 1000 ms; 0: only on demand). */
  refreshMs?: number;
}

/** The PostgreSQL log: a TransparencyLog plus an explicit refresh of the head from the database. */
export interface PgTransparencyLog extends TransparencyLog {
  /** Adopts the newest committed checkpoint (any node's). @throws StorageError `storage.unavailable` */
  refresh(): Promise<void>;
}

/**
 * Opens (or creates) the log in the database. Run `runMigrations(pool, [LEDGER_MIGRATIONS, …])`
 * first. When the stored checkpoint is not signed by `signer` for `origin`, the same tree head is
 * signed anew (as openLog does).
 * @throws LedgerError `log.corrupt`, StorageError `storage.unavailable`
 */
export async function openPgLog(o: OpenPgLogOptions): Promise<PgTransparencyLog> {
  checkOriginAndSigner(o.origin, o.signer);
  const head = await withTransaction(o.pool, async (c) => {
    let st = await readPgState(c, true);
    if (st === undefined) {
      // Nodes starting together on an empty database: the first insert wins, the rest do nothing
      // and then read (and lock) that row; READ COMMITTED sees it once its transaction commits.
      const note = checkpointFor(o.origin, o.signer, 0, rootOfEdge({ size: 0, stack: [] }));
      const state = encodeState({
        edge: { size: 0, stack: [] },
        checkpoint: note,
        verifierKey: o.signer.verifierKey,
      });
      await query(
        c,
        "INSERT INTO ledger_log_state (id, size, state, checkpoint) VALUES (1, 0, $1, $2) ON CONFLICT (id) DO NOTHING",
        [Buffer.from(state), note],
      );
      st = (await readPgState(c, true))!;
    }
    const root = rootOfEdge(st.edge);
    const stored = st.checkpoint;
    // Nodes share one log: a node configured with another origin must not re-sign the head as its own.
    const storedOrigin = (() => {
      try {
        return parseCheckpoint(parseNote(stored).body).origin;
      } catch {
        return undefined;
      }
    })();
    if (storedOrigin !== undefined && storedOrigin !== o.origin)
      throw new LedgerError(
        "log.malformed_key",
        `the database holds the log "${storedOrigin}"; this node is configured for "${o.origin}"`,
      );
    const { checkpoint, signed } = headCheckpoint(stored, o.origin, o.signer, st.edge, root);
    if (signed)
      await writePgState(
        c,
        encodeState({ edge: st.edge, checkpoint, verifierKey: o.signer.verifierKey }),
        st.edge.size,
        checkpoint,
      );
    // The same root for this size, signed by this key (a no-op when recorded already).
    await query(
      c,
      `INSERT INTO ledger_log_checkpoints (size, root, checkpoint) VALUES ($1, $2, $3)
       ON CONFLICT (size) DO NOTHING`,
      [st.edge.size, Buffer.from(root), checkpoint],
    );
    return await loadHead(pgRecordSource(c), st.edge, checkpoint);
  });
  return new PgLog(o, head);
}

class PgLog implements PgTransparencyLog {
  readonly origin: string;
  readonly verifierKey: string;
  private head: Head;
  private readonly pool: Pool;
  private readonly signer: NoteSigner;
  private readonly batchMaxSize: number;
  private readonly batchMaxDelayMs: number;
  private readonly maxPending: number;
  private readonly cache: RecordCache;
  private readonly reads: LogReads;
  private readonly reader: TreeReader;
  private readonly onCommit: OpenPgLogOptions["onCommit"];
  private pending: PendingAppend[] = [];
  private inflight = 0;
  private running = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly poller: ReturnType<typeof setInterval> | undefined;
  private refreshing: Promise<void> | undefined;
  private idle: (() => void)[] = [];

  constructor(o: OpenPgLogOptions, head: Head) {
    this.origin = o.origin;
    this.signer = o.signer;
    this.verifierKey = o.signer.verifierKey;
    this.pool = o.pool;
    this.head = head;
    this.batchMaxSize = Math.max(1, o.batchMaxSize ?? 4096);
    this.batchMaxDelayMs = Math.max(0, o.batchMaxDelayMs ?? 2);
    this.maxPending = Math.max(1, o.maxPending ?? 65536);
    this.cache = new RecordCache(o.tileCacheBytes ?? 4 * 2 ** 20);
    this.reader = new TreeReader(pgRecordSource(this.pool), this.cache, false);
    this.reads = new LogReads(this.origin, this.reader, o.bundleCacheBytes ?? 2 * 2 ** 20);
    this.onCommit = o.onCommit;
    const every = o.refreshMs ?? 1000;
    if (every > 0) {
      // Background pick-up of other nodes' checkpoints; a database that is down is retried next tick.
      this.poller = setInterval(() => void this.refresh().catch(() => undefined), every);
      this.poller.unref();
    }
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

  /** Makes `h` the head if it is newer (heads only move forward; every one is committed). */
  private adopt(h: Head): void {
    if (h.size > this.head.size) this.head = h;
  }

  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const st = await readPgState(this.pool);
        if (st === undefined || st.edge.size <= this.head.size) return;
        // Records only grow by appending until full, so partials read after the state are at
        // least as long as it needs; loadPartials keeps the prefix of the state's size.
        this.adopt(await loadHead(pgRecordSource(this.pool), st.edge, st.checkpoint));
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
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
    if (this.pending.length === 0 || this.running) return;
    if (this.pending.length >= this.batchMaxSize || this.closed) {
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.batchMaxDelayMs);
    }
  }

  /** One transaction at a time per node; appends queue meanwhile and form the next batch. */
  private async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.pending.length === 0) return;
    this.running = true;
    const batch = this.pending.splice(0, this.batchMaxSize);
    this.inflight += batch.length;
    try {
      const prepared = await this.commit(batch.map((p) => p.entry));
      // Committed: publish the head, then (after the outside copy, if any) acknowledge.
      this.adopt(prepared.head);
      for (const [key, rec] of prepared.completed) this.cache.set(key, rec);
      let hookError: unknown;
      if (this.onCommit !== undefined)
        await this.onCommit(prepared.checkpoint, prepared.it.newSize).catch((e: unknown) => (hookError = e));
      if (hookError !== undefined) {
        const err = new LedgerError("log.write_failed", "the batch was not committed", { cause: hookError });
        for (const p of batch) p.reject(err);
      } else {
        const results = appendResults(prepared, batch.length);
        batch.forEach((p, j) => p.resolve(results[j]!));
      }
    } catch (cause) {
      // Not acknowledged. When the database went away mid-commit the batch may or may not be in
      // the tree; the next batch reads the committed state either way.
      const err = isUnavailable(cause)
        ? mapPgError(cause)
        : new LedgerError("log.write_failed", "the batch was not committed", { cause });
      for (const p of batch) p.reject(err);
    } finally {
      this.inflight -= batch.length;
      this.running = false;
    }
    if (this.pending.length > 0) void this.flush();
    else for (const f of this.idle.splice(0)) f();
  }

  private async commit(entries: Uint8Array[]): Promise<Prepared> {
    return await withTransaction(
      this.pool,
      async (c) => {
        const st = await readPgState(c, true);
        if (st === undefined) throw new LedgerError("log.corrupt", "the log state row is missing");
        let base = this.head;
        if (st.edge.size !== base.size || st.checkpoint !== base.checkpoint)
          base = await loadHead(pgRecordSource(c), st.edge, st.checkpoint);
        const prepared = prepareBatch(base, entries, this.origin, this.signer);
        await writePgRecords(c, prepared.ops, {
          size: prepared.it.newSize,
          root: prepared.it.root,
          note: prepared.checkpoint,
        });
        return prepared;
      },
      { retries: 0 },
    );
  }

  receipt(entry: Uint8Array, r: AppendResult): Receipt {
    return this.reads.receipt(entry, r);
  }

  /** The head, refreshed first when `size` is beyond it (another node may have appended). */
  private async headFor(size: number): Promise<Head> {
    if (size > this.head.size) await this.refresh();
    return this.head;
  }

  async inclusionProof(index: number, size?: number): Promise<Uint8Array[]> {
    if (!isIndex(index) || (size !== undefined && !isIndex(size)))
      throw new LedgerError("log.bad_request", "leaf index and tree size must be non-negative integers");
    const head = await this.headFor(size ?? 0);
    return await this.reads.inclusionProof(head, index, size ?? head.size);
  }

  async consistencyProof(first: number, second?: number): Promise<Uint8Array[]> {
    if (!isIndex(first) || (second !== undefined && !isIndex(second)))
      throw new LedgerError("log.bad_request", "tree sizes must be non-negative integers");
    const head = await this.headFor(second ?? 0);
    return await this.reads.consistencyProof(head, first, second ?? head.size);
  }

  async entry(index: number): Promise<Uint8Array> {
    if (!isIndex(index)) throw new LedgerError("log.bad_request", "index must be a non-negative integer");
    return await this.reads.entry(await this.headFor(index + 1), index);
  }

  async tile(level: number, index: number, width = 256): Promise<Uint8Array> {
    checkTileArgs(level, index, width);
    const h = 8 * level;
    const need = h < POW2.length ? (index * 256 + width) * POW2[h]! : Infinity;
    const head = await this.headFor(Number.isSafeInteger(need) ? need : 0);
    return await this.reads.tile(head, level, index, width);
  }

  async entryBundle(index: number, width = 256): Promise<Uint8Array> {
    checkBundleArgs(index, width);
    return await this.reads.entryBundle(await this.headFor(index * 256 + width), index, width);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller !== undefined) clearInterval(this.poller);
    if (this.pending.length === 0 && !this.running) return;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.schedule();
    });
  }
}
