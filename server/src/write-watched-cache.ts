// Reads of the embedded LevelDB kept until a committed write touches what they were read from
// (issue 10: POST /v1/verify read a credential's whole record, and scanned its endorsement index,
// on every request). abstract-level announces every committed write on the root database with
// its full, prefixed keys (the `write` event, abstract-level README "write"); LevelDB's lock makes
// this process the database's only writer, so no change can go unseen. Never use it for storage
// other processes write too (PostgreSQL: several nodes on one database).

/** The part of the root database (classic-level) the cache listens to. */
export interface WriteAnnouncer {
  on(event: "write", listener: (ops: ReadonlyArray<{ key: unknown }>) => void): unknown;
  on(event: "clear", listener: () => void): unknown;
}

/**
 * Values loaded from the database with the names ("dependencies") of what they were read from.
 * A committed write whose key `depsOfKey` maps to a dependency drops every value that named it,
 * before the writer's own promise resolves, so a reader after the write never sees the old value.
 * A value whose load overlapped any watched write is returned but not kept (it may predate it).
 * Bounded: the oldest value goes first beyond `maxEntries`.
 */
export class WriteWatchedCache<V> {
  private readonly entries = new Map<string, { value: V; deps: readonly string[] }>();
  private readonly byDep = new Map<string, Set<string>>();
  /** Watched writes so far: a load is kept only if none happened while it ran. */
  private writes = 0;

  constructor(
    db: WriteAnnouncer,
    private readonly depsOfKey: (key: string) => readonly string[],
    private readonly maxEntries = 10_000,
  ) {
    db.on("write", (ops) => {
      for (const op of ops) {
        const deps = this.depsOfKey(String(op.key));
        if (deps.length === 0) continue;
        this.writes++;
        for (const dep of deps) this.dropDependents(dep);
      }
    });
    db.on("clear", () => {
      this.writes++;
      this.entries.clear();
      this.byDep.clear();
    });
  }

  /**
   * The value for `key`: kept, or loaded (with what it depends on) and kept if no watched write
   * overlapped the load and the loader did not say `keep: false` (a value too large to hold).
   */
  async get(
    key: string,
    load: () => Promise<{ value: V; deps: readonly string[]; keep?: boolean }>,
  ): Promise<V> {
    const kept = this.entries.get(key);
    if (kept) return kept.value;
    const before = this.writes;
    const loaded = await load();
    if (this.writes === before && loaded.keep !== false) this.keep(key, loaded.value, loaded.deps);
    return loaded.value;
  }

  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, value: V, deps: readonly string[]): void {
    this.drop(key);
    this.entries.set(key, { value, deps });
    for (const dep of deps) {
      let keys = this.byDep.get(dep);
      if (!keys) this.byDep.set(dep, (keys = new Set()));
      keys.add(key);
    }
    if (this.entries.size > this.maxEntries) this.drop(this.entries.keys().next().value!);
  }

  private dropDependents(dep: string): void {
    const keys = this.byDep.get(dep);
    if (!keys) return;
    for (const key of [...keys]) this.drop(key);
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    for (const dep of e.deps) {
      const keys = this.byDep.get(dep);
      keys?.delete(key);
      if (keys?.size === 0) this.byDep.delete(dep);
    }
  }
}
