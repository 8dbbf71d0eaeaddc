import type { AnchorLog } from "./anchors.js";
import type { IssuerRegistry } from "./issuers.js";
import type { IssuanceWorkers } from "./issuance-workers.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { ProvenanceStore } from "./provenance-store.js";
import type { RecordStore } from "./records.js";
import type { StatusLists } from "./status-list.js";
import type { RecordWriter } from "./storage.js";

/** What issuance and lifecycle share inside one IssuerService. */
export interface ServiceContext {
  registry: IssuerRegistry;
  statusLists: StatusLists;
  records: RecordStore;
  writer: RecordWriter;
  log: AnchorLog;
  locks: KeyedLock;
  now: () => Date;
  /** Artifact and endorsement-target index (provenance-store.ts); absent in contexts built without one. */
  provenance?: ProvenanceStore;
  /** When set, plain issuance parses, checks, builds and signs in these worker threads. */
  workers?: IssuanceWorkers;
}
