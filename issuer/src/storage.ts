import type { AbstractLevel } from "abstract-level";

/**
 * The LevelDB (sub)level the issuer package is given, with string keys and string values (JSON is
 * encoded per sublevel). The server passes `root.sublevel("issuer")`; tests pass a fresh `Level`.
 */
// The key/value type parameters of a parent level do not matter to us: every sublevel we open
// declares its own encodings.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type IssuerDb = AbstractLevel<any, string, any>;

export type JsonLevel<V> = AbstractLevel<string | Buffer | Uint8Array, string, V>;

/** Opens a JSON-valued sublevel. */
export function jsonSublevel<V>(db: IssuerDb, name: string): JsonLevel<V> {
  return db.sublevel<string, V>(name, { valueEncoding: "json" }) as unknown as JsonLevel<V>;
}

/**
 * One write of a store change. Stores hand these out (`putOps`, `bitOps`, …) and the caller passes
 * the writes of one change to its {@link RecordWriter} together, which commits them atomically. A
 * store only emits the kind its backend's writer understands: `put`/`del` on a LevelDB sublevel
 * for {@link DurableWriter}, `sql` statements for the PostgreSQL writer (issuer-pg.ts).
 */
export type WriteOp =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { type: "put"; db: JsonLevel<any>; key: string; value: unknown }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { type: "del"; db: JsonLevel<any>; key: string }
  | { type: "sql"; text: string; values: unknown[] };

/** Commits groups of {@link WriteOp}s atomically; nothing resolves before the writes are durable. */
export interface RecordWriter {
  /** Resolves only after the operations are durable (fsync'd / committed). */
  write(ops: WriteOp[]): Promise<void>;
  /** Resolves when no batch is pending or being written. */
  idle(): Promise<void>;
}

/** A sublevel written through the top-level database: prefixed key, value encoded as the sublevel would. */
interface Direct {
  prefix: string;
  encode(value: unknown): unknown;
  /** The top level's options for the encoded value: its format (`utf8` text or `view` bytes). */
  options: { valueEncoding: "utf8" | "view" | "buffer" };
}

/** The parts of a classic-level database the direct batch uses (abstract-level's private `_batch`). */
interface NativeBatchLevel {
  status: string;
  hooks?: { prewrite: { noop: boolean } };
  _batch?(operations: unknown[], options: { sync: boolean }): Promise<void>;
  keyEncoding(name: string): unknown;
  valueEncoding(name: string): unknown;
  emit(event: "write", operations: unknown[]): unknown;
}

interface SublevelLike {
  db?: unknown;
  prefixKey?(key: string, keyFormat: "utf8"): string;
  keyEncoding(): { name?: string; format: string };
  valueEncoding(): { format: string; encode(v: unknown): unknown };
}

/** {@link Direct} for `db` when it is a sublevel of `top` with utf8 keys (abstract-level `prefixKey`, global form). */
function directWrite(db: object, top: IssuerDb): Direct | undefined {
  const s = db as SublevelLike;
  // `sublevel.db` is the root database (abstract-level): the global prefix is relative to it.
  if (s.db !== top || typeof s.prefixKey !== "function") return undefined;
  if (s.keyEncoding().format !== "utf8" || s.keyEncoding().name !== "utf8") return undefined;
  const enc = s.valueEncoding();
  const format = enc.format;
  if (format !== "utf8" && format !== "view" && format !== "buffer") return undefined;
  return {
    prefix: s.prefixKey("", "utf8"),
    encode: (v) => enc.encode(v),
    options: { valueEncoding: format },
  };
}

/**
 * Group commit for issuer records: writes requested in the same tick are coalesced into one
 * LevelDB batch with `sync: true` (one fsync for the lot). A single synced put costs ~0.24 ms
 * (≈4,200/s on this machine), a synced batch of 1,000 ~9 ms, so batching is what lets issuance
 * stay durable above 5,000/s.
 */
export class DurableWriter implements RecordWriter {
  private pending: { ops: WriteOp[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  /** The top-level database: batching there prefixes each op once, not once per sublevel layer. */
  private readonly top: IssuerDb;
  constructor(root: IssuerDb) {
    this.top = (root as unknown as { db?: IssuerDb }).db ?? root;
  }

  private readonly direct = new WeakMap<object, Direct | null>();

  /**
   * How to write to `db` straight through the top-level database: its full key prefix and its
   * value encoding, worked out once per sublevel. The `sublevel` option does the same per
   * operation and costs ~10 µs of event-loop CPU each (four per issuance), against ~3 µs
   * (abstract-level's chained batch checks the sublevel's ancestry, clones the options and
   * re-normalises both encodings every time; measured in the "Issuance" section of
   * docs/SCALING.md). Undefined when that is not a plain string-keyed sublevel of the top level:
   * then the `sublevel` option does it.
   */
  private directOf(db: object): Direct | undefined {
    let d = this.direct.get(db);
    if (d === undefined) this.direct.set(db, (d = directWrite(db, this.top) ?? null));
    return d ?? undefined;
  }

  /** Resolves only after the operations are on disk (fsync'd). */
  write(ops: WriteOp[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ ops, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Resolves when no batch is pending or being written. */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setImmediate(r));
  }

  /**
   * Writes `group` as one synced batch of already prefixed and encoded operations through the
   * database's own batch (abstract-level's private API `_batch(operations, options)`, which
   * classic-level implements), then announces them as its `write` event does (abstract-level
   * README "write": full keys, encoded values). False, having written nothing, when the database
   * has no such method, is not open, has a prewrite hook, or an operation is not a plain
   * sublevel write.
   * Why: abstract-level's public `put` on a chained batch costs ~13 µs of event-loop CPU per
   * operation on the 2-core bench machine (it clones the operation and its options twice and
   * normalises both encodings; the native part is ~8 µs for a 5 KB record), four per issuance:
   * one of the largest single costs of a batch of 1000 (docs/SCALING.md "Issuance").
   */
  private async writeEncoded(group: readonly { ops: WriteOp[] }[]): Promise<boolean> {
    const top = this.top as unknown as NativeBatchLevel;
    // A prewrite hook (abstract-level "Hooks") may add or change operations: only the public batch runs it.
    if (typeof top._batch !== "function" || top.status !== "open" || top.hooks?.prewrite.noop !== true)
      return false;
    const native: { type: "put" | "del"; key: string; value?: unknown }[] = [];
    const announced: Record<string, unknown>[] = [];
    for (const g of group) {
      for (const op of g.ops) {
        if (op.type === "sql") throw new TypeError("a LevelDB writer was handed an SQL write");
        const direct = this.directOf(op.db);
        if (direct === undefined) return false;
        const key = direct.prefix + op.key;
        if (op.type === "put") {
          const value = direct.encode(op.value);
          native.push({ type: "put", key, value });
          announced.push({
            type: "put",
            key,
            value,
            keyEncoding: top.keyEncoding("utf8"),
            valueEncoding: top.valueEncoding(direct.options.valueEncoding),
            encodedKey: key,
            encodedValue: value,
          });
        } else {
          native.push({ type: "del", key });
          announced.push({ type: "del", key, keyEncoding: top.keyEncoding("utf8"), encodedKey: key });
        }
      }
    }
    await top._batch(native, { sync: true });
    top.emit("write", announced);
    return true;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      try {
        if (await this.writeEncoded(group)) {
          for (const g of group) g.resolve();
          continue;
        }
        // A chained batch: abstract-level's array form clones and re-normalises every operation
        // (~7 µs each on this machine, three per issuance), the chained form ~1–2 µs. Writes to
        // several sublevels commit atomically in one synced batch of the top-level database.
        const batch = this.top.batch();
        for (const g of group) {
          for (const op of g.ops) {
            if (op.type === "sql") throw new TypeError("a LevelDB writer was handed an SQL write");
            const direct = this.directOf(op.db);
            if (direct === undefined) {
              // `sublevel` makes the parent batch encode and prefix like the sublevel would.
              if (op.type === "put") batch.put(op.key, op.value as never, { sublevel: op.db } as never);
              else batch.del(op.key, { sublevel: op.db } as never);
            } else if (op.type === "put") {
              batch.put(direct.prefix + op.key, direct.encode(op.value) as never, direct.options as never);
            } else batch.del(direct.prefix + op.key);
          }
        }
        await batch.write({ sync: true } as never);
        for (const g of group) g.resolve();
      } catch (e) {
        for (const g of group) g.reject(e);
      }
    }
    this.running = false;
  }
}
