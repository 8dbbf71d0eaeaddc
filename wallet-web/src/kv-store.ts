/**
 * Where the wallet keeps its (already encrypted) records. The browser uses IndexedDB
 * (idb-store.ts); tests use {@link MemoryStore}. Values are plain JSON-compatible objects.
 */
export interface KvStore {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  keys(prefix?: string): Promise<string[]>;
  clear(): Promise<void>;
}

/** In-memory store for tests and for a wallet that must not persist. */
export class MemoryStore implements KvStore {
  readonly data = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    const v = this.data.get(key);
    return v === undefined ? undefined : structuredClone(v);
  }
  async put(key: string, value: unknown): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
  async keys(prefix = ""): Promise<string[]> {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix));
  }
  async clear(): Promise<void> {
    this.data.clear();
  }
}
