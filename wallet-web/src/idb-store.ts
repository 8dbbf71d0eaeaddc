import type { KvStore } from "./kv-store.js";

const STORE = "records";

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

/** A {@link KvStore} on one IndexedDB object store. Only sealed (encrypted) values are written to it. */
export class IdbStore implements KvStore {
  private constructor(private readonly db: IDBDatabase) {}

  static open(name = "meritlog-wallet"): Promise<IdbStore> {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      r.onsuccess = () => resolve(new IdbStore(r.result));
      r.onerror = () => reject(r.error ?? new Error("IndexedDB is not available"));
    });
  }

  private tx(mode: IDBTransactionMode): IDBObjectStore {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }
  get(key: string): Promise<unknown> {
    return req(this.tx("readonly").get(key));
  }
  async put(key: string, value: unknown): Promise<void> {
    await req(this.tx("readwrite").put(value, key));
  }
  async delete(key: string): Promise<void> {
    await req(this.tx("readwrite").delete(key));
  }
  async keys(prefix = ""): Promise<string[]> {
    const all = (await req(this.tx("readonly").getAllKeys())) as IDBValidKey[];
    return all.map(String).filter((k) => k.startsWith(prefix));
  }
  async clear(): Promise<void> {
    await req(this.tx("readwrite").clear());
  }
}
