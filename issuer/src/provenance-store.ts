import type { Receipt } from "./anchors.js";
import { jsonSublevel, type IssuerDb, type JsonLevel, type WriteOp } from "./storage.js";

/** What kind of claim a provenance record is (docs/API.md "Provenance"). */
export type ProvenanceKind = "authorship" | "attribution" | "anchor" | "endorsement";

/** One claim about an artifact, as indexed: where to find it (the log entry and the issuer's record). */
export interface ProvenanceRef {
  kind: ProvenanceKind;
  /** The credential (or endorsement) the claim is; absent for plain artifact anchors. */
  credentialId?: string;
  issuerId: string;
  at: string;
  /** The index of the claim's log entry, which carries the artifact digest. */
  leafIndex: number;
  /** Artifact anchors only (they have no credential record to hold it): the entry's receipt. */
  receipt?: Receipt;
}

/**
 * The provenance index: artifact digest → every claim recorded about it, and endorsement target
 * (credential id or artifact digest) → the endorsements of it. The log entries themselves carry
 * the digests, so this index only speeds up lookups anyone could make by following the log.
 * A PostgreSQL implementation sits next to this one behind the same interface.
 */
export interface ProvenanceStore {
  /** Writes (for the caller's durable batch) that index a claim under the artifact's hex SHA-256. */
  addOps(artifact: string, ref: ProvenanceRef): WriteOp[];
  /** The claims about an artifact, in log order (at most `limit`). */
  list(artifact: string, limit?: number): Promise<ProvenanceRef[]>;
  /** Writes that index an endorsement under its target (credential id or hex artifact digest). */
  endorsementOps(target: string, endorsementId: string): WriteOp[];
  /** The endorsement ids of a target, oldest first (at most `limit`). */
  endorsementsOf(target: string, limit?: number): Promise<string[]>;
}

/** Default and largest number of rows one lookup returns. */
export const PROVENANCE_LIMIT = 500;

/** Leaf indexes as fixed-width decimal, so keys sort in log order. */
const seq = (n: number): string => String(n).padStart(16, "0");

/** The LevelDB provenance index: sublevels `provenance` and `endorsements` of the issuer database. */
export class LevelProvenanceStore implements ProvenanceStore {
  private readonly claims: JsonLevel<ProvenanceRef>;
  private readonly endorsements: JsonLevel<number>;

  constructor(db: IssuerDb) {
    this.claims = jsonSublevel(db, "provenance");
    this.endorsements = jsonSublevel(db, "endorsements");
  }

  addOps(artifact: string, ref: ProvenanceRef): WriteOp[] {
    return [{ type: "put", db: this.claims, key: `${artifact}!${seq(ref.leafIndex)}`, value: ref }];
  }

  async list(artifact: string, limit = PROVENANCE_LIMIT): Promise<ProvenanceRef[]> {
    const out: ProvenanceRef[] = [];
    for await (const v of this.claims.values({ gt: `${artifact}!`, lt: `${artifact}!\uffff`, limit }))
      out.push(v);
    return out;
  }

  endorsementOps(target: string, endorsementId: string): WriteOp[] {
    // Endorsement ids are UUIDv7: key order is issuance order.
    return [{ type: "put", db: this.endorsements, key: `${target}!${endorsementId}`, value: 0 }];
  }

  async endorsementsOf(target: string, limit = PROVENANCE_LIMIT): Promise<string[]> {
    const out: string[] = [];
    const prefix = `${target}!`;
    for await (const k of this.endorsements.keys({ gt: prefix, lt: `${prefix}\uffff`, limit }))
      out.push((k as string).slice(prefix.length));
    return out;
  }
}
