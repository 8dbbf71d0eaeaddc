import type { IssueRequest, LogEntry } from "@meritlog/schemas";
import type { Receipt } from "./anchors.js";
import type { StatusEntry } from "./status-list.js";
import { jsonSublevel, type IssuerDb, type JsonLevel, type WriteOp } from "./storage.js";

/** Current state of a credential (docs/API.md "Verification": `status.state`). */
export type CredentialState = "active" | "suspended" | "revoked" | "superseded" | "archived";

/** One anchored event in a credential's history, with the receipt of its log entry. */
export interface HistoryEvent {
  kind: LogEntry["kind"];
  /** State after the event. */
  state: CredentialState;
  at: string;
  reason?: string;
  /** Free text from the issuer; kept here, never in the public log. */
  note?: string;
  /** For supersede/renew: the credential that replaces this one. */
  by?: string;
  /** Digest in the log entry (hex SHA-256 of the credential's JWT). */
  digest: string;
  receipt: Receipt;
}

/** The issuer's record of one credential. Holds the holder DID (in the JWT and request); the log never does. */
export interface CredentialRecord {
  id: string;
  issuerId: string;
  issuerDid: string;
  type: IssueRequest["type"];
  state: CredentialState;
  jwt: string;
  digest: string;
  /** The same index in the issuer's revocation and suspension lists. */
  statusListIndex: number;
  /** The credential's `credentialStatus` entries (both lists). */
  credentialStatus: StatusEntry[];
  createdAt: string;
  updatedAt: string;
  supersedes?: string;
  renews?: string;
  supersededBy?: string;
  /** The VC Data Model 1.1 form (`vc` claim), when it was asked for at issuance. */
  vc11?: { jwt: string; digest: string; receipt: Receipt };
  history: HistoryEvent[];
}

/** What a digest lookup returns: the credential and the receipt of the entry with that digest. */
export interface DigestMatch {
  kind: "issue" | "anchor";
  /** Absent for artifact anchors. */
  credentialId?: string;
  issuerId: string;
  receipt: Receipt;
  /** Artifact anchors only: what the issuer said about it (kept here, not in the log). */
  mediaType?: string;
  note?: string;
}

/** What the digest index stores: credentials point at their record (the receipt lives there once). */
type DigestIndexValue = Omit<DigestMatch, "receipt"> & { receipt?: Receipt; vc11?: boolean };

/** Credential records and the digest index on LevelDB; writes go through the DurableWriter. */
export class RecordStore {
  private readonly records: JsonLevel<CredentialRecord>;
  private readonly digests: JsonLevel<DigestIndexValue>;

  constructor(db: IssuerDb) {
    this.records = jsonSublevel(db, "credentials");
    this.digests = jsonSublevel(db, "digests");
  }

  async get(id: string): Promise<CredentialRecord | undefined> {
    return (await this.records.get(id)) ?? undefined;
  }

  putOps(rec: CredentialRecord): WriteOp[] {
    return [{ type: "put", db: this.records, key: rec.id, value: rec }];
  }

  /** Indexes a JWT digest so a verifier can find the receipt without being handed one. */
  digestOps(digest: string, value: DigestIndexValue): WriteOp[] {
    return [{ type: "put", db: this.digests, key: digest, value }];
  }

  async findByDigest(hexDigest: string): Promise<DigestMatch | undefined> {
    const v = (await this.digests.get(hexDigest.toLowerCase())) ?? undefined;
    if (!v) return undefined;
    if (v.receipt) return v as DigestMatch;
    const rec = v.credentialId === undefined ? undefined : await this.get(v.credentialId);
    const receipt = v.vc11 ? rec?.vc11?.receipt : rec?.history[0]?.receipt;
    if (!receipt) return undefined;
    const { vc11: _v, ...match } = v;
    return { ...match, receipt };
  }
}
