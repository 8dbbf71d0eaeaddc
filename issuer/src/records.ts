import type { IssueRequest, LogEntry } from "@meritlog/schemas";
import type { Receipt } from "./anchors.js";
import type { StatusEntry } from "./status-list.js";
import type { RegisterRow } from "./register.js";
import { isUtf8 } from "node:buffer";
import { checkedEncoding } from "@meritlog/ledger";
import { jsonSublevel, type IssuerDb, type JsonLevel, type WriteOp } from "./storage.js";

/** Current state of a credential (docs/API.md "Verification": `status.state`). */
export type CredentialState = "active" | "suspended" | "revoked" | "superseded" | "archived";

/** One anchored event in a credential's history, with the receipt of its log entry. */
export interface HistoryEvent {
  // A credential's or an anchor's own events: pathway entries never belong to a credential.
  kind: Exclude<LogEntry["kind"], "pathway">;
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
  /** `EndorsementCredential` for endorsements (endorsements.ts), which share the record and lifecycle. */
  type: IssueRequest["type"] | "EndorsementCredential";
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
  /** Listing fields (`GET /v1/credentials`): display name, subject DID, end of validity. */
  name?: string;
  subject?: string;
  validUntil?: string;
  /** The offer this credential redeemed. */
  offerId?: string;
  /** Hex SHA-256 of the artifact an MPU authorship or attribution is about (in its version 2 `issue` entry). */
  artifact?: string;
  /** The VC Data Model 1.1 form (`vc` claim), when it was asked for at issuance. */
  vc11?: { jwt: string; digest: string; receipt: Receipt };
  /** The Data Integrity form (`eddsa-rdfc-2022`), when asked for; `digest` is hex SHA-256 of its RFC 8785 canonical JSON. */
  di?: { credential: Record<string, unknown>; digest: string; receipt: Receipt };
  /** `?format=sd-jwt`: the SD-JWT form; `digest` covers its issuer-signed JWT (before the first `~`). */
  sdJwt?: { credential: string; digest: string; receipt: Receipt };
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
export type DigestIndexValue = Omit<DigestMatch, "receipt"> & {
  receipt?: Receipt;
  vc11?: boolean;
  di?: boolean;
  sdJwt?: boolean;
};

/**
 * How a JWT is kept inside a stored record: the header and signature as they are, the payload as
 * its bytes rather than base64url (the exact decoded bytes, so the JWT is rebuilt byte for byte).
 * 25% fewer bytes than base64url, and JSON text LevelDB's block compression can shrink, where
 * base64 barely compresses: the LevelDB compaction thread spends ~30% less CPU per issuance
 * (bench/issuance.bench.ts). Records written before hold the JWT as a string; all forms are read.
 */
interface PackedJwt {
  h: string;
  /** The payload's UTF-8 bytes, or its text (records stored as JSON). */
  p: string | Uint8Array;
  s: string;
}

/** base64url length (no padding) of `n` bytes. */
const b64urlLength = (n: number): number => Math.floor(n / 3) * 4 + [0, 2, 3][n % 3]!;

/**
 * Packs a compact JWS for storage; the JWT string itself when its payload segment is not the
 * canonical base64url of UTF-8 text (then nothing is gained and nothing may be lost).
 * `payload`: the payload text (or its UTF-8 bytes) the JWT was signed over, when the caller has it (no decoding).
 */
export function packJwt(jwt: string, payload?: string | Uint8Array): PackedJwt | string {
  const a = jwt.indexOf(".");
  const b = a < 0 ? -1 : jwt.indexOf(".", a + 1);
  if (b < 0 || jwt.indexOf(".", b + 1) >= 0) return jwt;
  const segment = jwt.slice(a + 1, b);
  if (
    payload !== undefined &&
    b64urlLength(typeof payload === "string" ? Buffer.byteLength(payload) : payload.length) === segment.length
  ) {
    return { h: jwt.slice(0, a), p: payload, s: jwt.slice(b + 1) };
  }
  const p = Buffer.from(segment, "base64url");
  if (p.toString("base64url") !== segment || !isUtf8(p)) return jwt;
  return { h: jwt.slice(0, a), p, s: jwt.slice(b + 1) };
}

/** The JWT of {@link packJwt}'s result. */
export function unpackJwt(v: PackedJwt | string): string {
  if (typeof v === "string") return v;
  const payload =
    typeof v.p === "string" ? Buffer.from(v.p) : Buffer.from(v.p.buffer, v.p.byteOffset, v.p.byteLength);
  return `${v.h}.${payload.toString("base64url")}.${v.s}`;
}

type StoredRecord = Omit<CredentialRecord, "jwt"> & { jwt: PackedJwt | string };

/** First byte of the binary record form; JSON records start with `{` (0x7b). */
const BINARY_RECORD = 0x01;

/**
 * Value encoding of the credential records. A record whose JWT is packed is stored as
 * `0x01 ‖ uint32be(n) ‖ JSON of the record without the payload (n bytes) ‖ payload bytes`: the
 * payload is copied in as bytes, not escaped into JSON text (the main thread's JSON.stringify
 * then covers ~2 KB instead of ~5 KB per issuance). Records stored as JSON (older forms) are read too.
 */
const plainRecordEncoding = {
  name: "meritlog-credential-record",
  format: "view" as const,
  encode(rec: StoredRecord): Uint8Array {
    return plainRecordEncoding.encodeAfter(rec, 0);
  },
  /**
   * The encoding after `reserve` free bytes (the checked header's room), written straight into
   * one buffer of the exact size: the record head is a two-byte string whenever the receipt's
   * checkpoint is (its signature lines start with U+2014), and Buffer.from of such a string then
   * copying it twice more cost ~3× what measuring it and writing it in place does.
   */
  encodeAfter(rec: StoredRecord, reserve: number): Uint8Array {
    if (typeof rec.jwt === "string") {
      const text = JSON.stringify(rec);
      const out = Buffer.allocUnsafe(reserve + Buffer.byteLength(text));
      out.write(text, reserve);
      return out;
    }
    const { p, ...jwt } = rec.jwt;
    const head = JSON.stringify({ ...rec, jwt });
    const headLength = Buffer.byteLength(head);
    const payloadLength = typeof p === "string" ? Buffer.byteLength(p) : p.length;
    const out = Buffer.allocUnsafe(reserve + 5 + headLength + payloadLength);
    out[reserve] = BINARY_RECORD;
    out.writeUInt32BE(headLength, reserve + 1);
    out.write(head, reserve + 5);
    if (typeof p === "string") out.write(p, reserve + 5 + headLength);
    else out.set(p, reserve + 5 + headLength);
    return out;
  },
  decode(data: Uint8Array): StoredRecord {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (buf[0] !== BINARY_RECORD) return JSON.parse(buf.toString("utf8")) as StoredRecord;
    const n = buf.readUInt32BE(1);
    const rec = JSON.parse(buf.toString("utf8", 5, 5 + n)) as Omit<StoredRecord, "jwt"> & {
      jwt: Omit<PackedJwt, "p">;
    };
    (rec.jwt as PackedJwt).p = buf.subarray(5 + n);
    return rec as StoredRecord;
  },
};

/**
 * The stored form: {@link plainRecordEncoding} inside a CRC-32 header checked on every read
 * (issue 9: classic-level serves a bit flipped in a table block; the check turns it into
 * `log.corrupt`, answered 503 `storage.corrupt`). Records written before the header are read too.
 */
export const recordEncoding = checkedEncoding(plainRecordEncoding);

/**
 * Credential records, the per-issuer listing index and the digest index. Reads are direct; writes
 * are handed out as {@link WriteOp}s and committed by the backend's {@link RecordWriter} together
 * with the other writes of the same change (record, status bits, allocation: one atomic commit).
 * Implemented on LevelDB (below) and PostgreSQL (issuer-pg.ts).
 */
export interface RecordStore {
  get(id: string): Promise<CredentialRecord | undefined>;
  /** `payload`: the signed payload of `rec.jwt` (text or UTF-8 bytes), when the caller has it. */
  putOps(rec: CredentialRecord, payload?: string | Uint8Array): WriteOp[];
  /** Indexes the record under its issuer for the listing. */
  listingOps(rec: CredentialRecord): WriteOp[];
  /** The issuer's credential ids, newest first, strictly before `cursor` (a credential id) when given. */
  idsOf(issuerId: string, cursor?: string): AsyncIterable<string>;
  /** Indexes a JWT digest so a verifier can find the receipt without being handed one. */
  digestOps(digest: string, value: DigestIndexValue): WriteOp[];
  findByDigest(hexDigest: string): Promise<DigestMatch | undefined>;
  /** The register fields of every stored record (register.ts), one pass. */
  registerRows(): AsyncIterable<RegisterRow>;
}

/** The receipt a digest index value names, looked up in the record when it is not stored inline. */
export async function resolveDigestMatch(
  v: DigestIndexValue | undefined,
  get: (id: string) => Promise<CredentialRecord | undefined>,
): Promise<DigestMatch | undefined> {
  if (!v) return undefined;
  if (v.receipt) return v as DigestMatch;
  const rec = v.credentialId === undefined ? undefined : await get(v.credentialId);
  const receipt = v.vc11
    ? rec?.vc11?.receipt
    : v.di
      ? rec?.di?.receipt
      : v.sdJwt
        ? rec?.sdJwt?.receipt
        : rec?.history[0]?.receipt;
  if (!receipt) return undefined;
  const { vc11: _v, di: _d, sdJwt: _s, ...match } = v;
  return { ...match, receipt };
}

/** Credential records and the digest index on LevelDB; writes go through the DurableWriter. */
export class LevelRecordStore implements RecordStore {
  private readonly records: JsonLevel<StoredRecord>;
  private readonly digests: JsonLevel<DigestIndexValue>;
  /** `<issuerId>!<credential id>` → nothing: the issuer's credentials in issuance order (ids are UUIDv7). */
  private readonly byIssuer: JsonLevel<number>;

  constructor(db: IssuerDb) {
    this.byIssuer = jsonSublevel(db, "by-issuer");
    this.records = db.sublevel<string, StoredRecord>("credentials", {
      valueEncoding: recordEncoding,
    }) as unknown as JsonLevel<StoredRecord>;
    this.digests = jsonSublevel(db, "digests");
  }

  async get(id: string): Promise<CredentialRecord | undefined> {
    const stored = await this.records.get(id);
    if (!stored) return undefined;
    // Assigning the existing member keeps the record's member order (the API returns it as is).
    if (typeof stored.jwt !== "string") stored.jwt = unpackJwt(stored.jwt);
    return stored as CredentialRecord;
  }

  /** `payload`: the signed payload of `rec.jwt` (text or UTF-8 bytes), when the caller has it (saves decoding it). */
  putOps(rec: CredentialRecord, payload?: string | Uint8Array): WriteOp[] {
    return [
      { type: "put", db: this.records, key: rec.id, value: { ...rec, jwt: packJwt(rec.jwt, payload) } },
    ];
  }

  /** Indexes the record under its issuer for the listing. */
  listingOps(rec: CredentialRecord): WriteOp[] {
    return [{ type: "put", db: this.byIssuer, key: `${rec.issuerId}!${rec.id}`, value: 0 }];
  }

  /**
   * The issuer's credential ids, newest first, strictly before `cursor` (a credential id) when given.
   * Records issued before the listing index existed are not listed.
   */
  async *idsOf(issuerId: string, cursor?: string): AsyncIterable<string> {
    const prefix = `${issuerId}!`;
    for await (const k of this.byIssuer.keys({
      gt: prefix,
      lt: cursor !== undefined ? `${prefix}${cursor}` : `${prefix}\uffff`,
      reverse: true,
    })) {
      yield (k as string).slice(prefix.length);
    }
  }

  /** Indexes a JWT digest so a verifier can find the receipt without being handed one. */
  digestOps(digest: string, value: DigestIndexValue): WriteOp[] {
    return [{ type: "put", db: this.digests, key: digest, value }];
  }

  async findByDigest(hexDigest: string): Promise<DigestMatch | undefined> {
    const v = (await this.digests.get(hexDigest.toLowerCase())) ?? undefined;
    return await resolveDigestMatch(v, (id) => this.get(id));
  }

  async *registerRows(): AsyncIterable<RegisterRow> {
    for await (const rec of this.records.values()) {
      yield { issuerId: rec.issuerId, type: rec.type, state: rec.state, createdAt: rec.createdAt };
    }
  }
}
