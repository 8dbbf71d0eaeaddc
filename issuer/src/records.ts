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

/**
 * How a JWT is kept inside a stored record: the header and signature as they are, the payload as
 * its JSON text rather than base64url (the exact decoded bytes, so the JWT is rebuilt byte for
 * byte). 25% fewer bytes than base64url, and text LevelDB's block compression can shrink, where
 * base64 barely compresses: a stored issuance record goes from ~5.9 KB to ~5.2 KB before
 * compression, and the LevelDB compaction thread spends ~30% less CPU per issuance
 * (bench/issuance.bench.ts). Records written before hold the JWT as a string; both are read.
 */
interface PackedJwt {
  h: string;
  p: string;
  s: string;
}

/** base64url length (no padding) of `n` bytes. */
const b64urlLength = (n: number): number => Math.floor(n / 3) * 4 + [0, 2, 3][n % 3]!;

/**
 * Packs a compact JWS for storage; the JWT string itself when its payload segment is not the
 * canonical base64url of UTF-8 text (then nothing is gained and nothing may be lost).
 * `payloadJson`: the payload text the JWT was signed over, when the caller has it (no decoding).
 */
export function packJwt(jwt: string, payloadJson?: string): PackedJwt | string {
  const a = jwt.indexOf(".");
  const b = a < 0 ? -1 : jwt.indexOf(".", a + 1);
  if (b < 0 || jwt.indexOf(".", b + 1) >= 0) return jwt;
  const segment = jwt.slice(a + 1, b);
  if (payloadJson !== undefined && b64urlLength(Buffer.byteLength(payloadJson)) === segment.length) {
    return { h: jwt.slice(0, a), p: payloadJson, s: jwt.slice(b + 1) };
  }
  const p = Buffer.from(segment, "base64url").toString("utf8");
  if (Buffer.from(p).toString("base64url") !== segment) return jwt;
  return { h: jwt.slice(0, a), p, s: jwt.slice(b + 1) };
}

/** The JWT of {@link packJwt}'s result. */
export function unpackJwt(v: PackedJwt | string): string {
  return typeof v === "string" ? v : `${v.h}.${Buffer.from(v.p).toString("base64url")}.${v.s}`;
}

/** Credential records and the digest index on LevelDB; writes go through the DurableWriter. */
export class RecordStore {
  private readonly records: JsonLevel<CredentialRecord>;
  private readonly digests: JsonLevel<DigestIndexValue>;

  constructor(db: IssuerDb) {
    this.records = jsonSublevel(db, "credentials");
    this.digests = jsonSublevel(db, "digests");
  }

  async get(id: string): Promise<CredentialRecord | undefined> {
    const stored = (await this.records.get(id)) as (Omit<CredentialRecord, "jwt"> & { jwt: PackedJwt | string }) | undefined;
    if (!stored) return undefined;
    // Assigning the existing member keeps the record's member order (the API returns it as is).
    if (typeof stored.jwt !== "string") stored.jwt = unpackJwt(stored.jwt);
    return stored as CredentialRecord;
  }

  /** `payloadJson`: the signed payload text of `rec.jwt`, when the caller has it (saves decoding it). */
  putOps(rec: CredentialRecord, payloadJson?: string): WriteOp[] {
    return [{ type: "put", db: this.records, key: rec.id, value: { ...rec, jwt: packJwt(rec.jwt, payloadJson) } }];
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
