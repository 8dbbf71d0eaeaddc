import { jsonSublevel, type IssuerDb, type JsonLevel, type WriteOp } from "./storage.js";
import type { Receipt } from "./anchors.js";

/** A co-authored MPU's state: collecting signatures, offered to every author (`issued`), or declined by one. */
export type MpuState = "open" | "issued" | "declined";

/** One author's signature (or refusal), anchored as a `cosign` entry. */
interface MpuDecision {
  jws: string;
  at: string;
  receipt: Receipt;
  /** For a refusal: the author's reason (kept here, never in the log). */
  reason?: string;
}

/** The issuer's record of a co-authored MPU (`POST /v1/mpus`). Holds author DIDs: never logged. */
export interface MpuRecord {
  id: string;
  issuerId: string;
  issuerDid: string;
  /** The issuance request each author's credential is made from (`subject` added per author). */
  request: Record<string, unknown>;
  /** The statement every author signs (schemas' `mpuStatement`), its RFC 8785 text and hex SHA-256. */
  statementText: string;
  statementDigest: string;
  /** Author DID → hex SHA-256 of the secret in that author's sign link. */
  linkKeys: Record<string, string>;
  signatures: Record<string, MpuDecision>;
  declined?: { author: string } & MpuDecision;
  state: MpuState;
  /**
   * Author DID → the id of the OpenID4VCI offer of that author's MPUAuthorship credential. Fixed
   * and stored before any offer is made, so a retry after a crash finds the offers instead of
   * making more (mpus.ts `offerToAuthors`).
   */
  offers?: Record<string, string>;
  /** Author DID → that offer's link secret, sealed with the at-rest key (base64url); read with the author's link key. */
  offerLinks?: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** Co-authored MPU registrations. A PostgreSQL implementation sits next to this one behind the same interface. */
export interface MpuStore {
  get(id: string): Promise<MpuRecord | undefined>;
  /** Writes (for the caller's durable batch) that store the record. */
  putOps(rec: MpuRecord): WriteOp[];
}

/** The LevelDB MPU store: sublevel `mpus` of the issuer database. */
export class LevelMpuStore implements MpuStore {
  private readonly mpus: JsonLevel<MpuRecord>;
  constructor(db: IssuerDb) {
    this.mpus = jsonSublevel(db, "mpus");
  }
  async get(id: string): Promise<MpuRecord | undefined> {
    return (await this.mpus.get(id)) ?? undefined;
  }
  putOps(rec: MpuRecord): WriteOp[] {
    return [{ type: "put", db: this.mpus, key: rec.id, value: rec }];
  }
}
