// The issuer's storage as one object: every store the service uses, and the writer that commits
// their writes atomically and durably. Two implementations: LevelDB (the embedded default, below)
// and PostgreSQL (issuer-pg.ts), chosen by the server (MERITLOG_DATABASE_URL).
import { levelVeramoStores, type VeramoStores } from "./agent.js";
import { LevelIssuerStore, type IssuerStore } from "./issuers.js";
import { LevelRecordStore, type RecordStore } from "./records.js";
import type { SecretBox } from "./secret-box.js";
import { LevelStatusStore, type StatusStore } from "./status-list.js";
import { DurableWriter, type IssuerDb, type RecordWriter } from "./storage.js";
import { LevelMpuStore, type MpuStore } from "./mpu-store.js";
import { LevelProvenanceStore, type ProvenanceStore } from "./provenance-store.js";

export interface IssuerBackend {
  readonly kind: "leveldb" | "postgres";
  /**
   * True when several processes share the storage (PostgreSQL): the registry then re-reads issuer
   * records it does not know and on a timer, and status lists compare their version before serving.
   */
  readonly shared: boolean;
  writer: RecordWriter;
  issuers: IssuerStore;
  records: RecordStore;
  status: StatusStore;
  veramo: VeramoStores;
  /** The provenance index and co-authored MPUs (LevelDB: the `issuer` sublevel). */
  provenance: ProvenanceStore;
  mpus: MpuStore;
}

/** The embedded backend: `db` is the `issuer` sublevel, `veramoDb` the `veramo` one. */
export function levelIssuerBackend(db: IssuerDb, veramoDb: IssuerDb, box: SecretBox): IssuerBackend {
  return {
    kind: "leveldb",
    shared: false,
    writer: new DurableWriter(db),
    issuers: new LevelIssuerStore(db),
    records: new LevelRecordStore(db),
    status: new LevelStatusStore(db),
    veramo: levelVeramoStores(veramoDb, box),
    provenance: new LevelProvenanceStore(db),
    mpus: new LevelMpuStore(db),
  };
}
