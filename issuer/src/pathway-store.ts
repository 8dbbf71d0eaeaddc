/**
 * Where pathways are kept: an interface with the embedded LevelDB implementation here (a
 * PostgreSQL one sits beside it when MERITLOG_DATABASE_URL is set). Writes resolve only after
 * they are on disk (one synced batch), like every other issuer write.
 */
import type { PathwayRecord } from "./pathways.js";
import { DurableWriter, jsonSublevel, type IssuerDb, type WriteOp } from "./storage.js";

export interface PathwayStore {
  get(id: string): Promise<PathwayRecord | undefined>;
  /** Stores these records atomically and durably (a new version and the one it supersedes). */
  put(records: readonly PathwayRecord[]): Promise<void>;
  /** One issuer's pathways, oldest first. */
  list(issuerId: string): Promise<PathwayRecord[]>;
}

/** LevelDB: `pathways` id → record; `pathways-by-issuer` `<issuerId>!<id>` → "" (ids are UUIDv7: time order). */
export function levelPathwayStore(db: IssuerDb): PathwayStore {
  const byId = jsonSublevel<PathwayRecord>(db, "pathways");
  const byIssuer = jsonSublevel<string>(db, "pathways-by-issuer");
  const writer = new DurableWriter(db);
  return {
    get: async (id) => await byId.get(id),
    async put(records) {
      const ops: WriteOp[] = [];
      for (const r of records) {
        ops.push({ type: "put", db: byId, key: r.id, value: r });
        ops.push({ type: "put", db: byIssuer, key: `${r.issuerId}!${r.id}`, value: "" });
      }
      await writer.write(ops);
    },
    async list(issuerId) {
      const ids: string[] = [];
      for await (const key of byIssuer.keys({ gt: `${issuerId}!`, lt: `${issuerId}!\uffff` }))
        ids.push(key.slice(issuerId.length + 1));
      const records = await byId.getMany(ids);
      return records.filter((r): r is PathwayRecord => r !== undefined);
    },
  };
}
