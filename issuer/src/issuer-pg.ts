// The issuer's stores on PostgreSQL (MERITLOG_DATABASE_URL): issuers and their hashed tokens,
// Veramo keys (private keys sealed with the SecretBox, as on LevelDB), credential records with the
// per-issuer listing and the digest index, and status list facts. Real tables with typed columns,
// primary keys and indexes; the schema is created by the versioned migrations below
// (`ISSUER_MIGRATIONS`, run by the server through @meritlog/postgres `runMigrations`).
//
// Several server processes share these tables. What keeps them one service:
// - writes of one change (record + status bits + allocation, or an issuer record) commit in one
//   transaction, grouped per tick like the LevelDB writer (nothing resolves before COMMIT);
// - a status list index is reserved by inserting its primary key `(issuer_id, idx)` before it is
//   used, so two processes can never hand out the same index (the second insert finds the row);
// - status bit changes bump a per-issuer version, which other processes compare before serving
//   a list, so a revocation on one node is served by every node.
import type {
  AbstractKeyStore,
  AbstractPrivateKeyStore,
  ImportablePrivateKey,
  ManagedPrivateKey,
} from "@veramo/key-manager";
import type { AbstractDIDStore } from "@veramo/did-manager";
import type { IIdentifier, IKey, ManagedKeyInfo } from "@veramo/core";
import { randomUUID } from "node:crypto";
import { isUnavailable, query, withTransaction, type MigrationSet, type Pool } from "@meritlog/postgres";
import type { VeramoStores } from "./agent.js";
import type { IssuerBackend } from "./backend.js";
import type { IssuerRecord, IssuerStore } from "./issuers.js";
import {
  packJwt,
  recordEncoding,
  resolveDigestMatch,
  unpackJwt,
  type CredentialRecord,
  type DigestIndexValue,
  type DigestMatch,
  type RecordStore,
} from "./records.js";
import type { RegisterRow } from "./register.js";
import type { SecretBox } from "./secret-box.js";
import type { StatusPurpose, StatusStore } from "./status-list.js";
import type { RecordWriter, WriteOp } from "./storage.js";
import { PgMpuStore, PgProvenanceStore } from "./provenance-pg.js";

/** The issuer's schema, in order. Never edit an applied migration; add one. */
export const ISSUER_MIGRATIONS: MigrationSet = {
  component: "issuer",
  migrations: [
    {
      version: 1,
      name: "issuers, keys, credentials, digests, status lists",
      up: `
        CREATE TABLE issuer_issuers (
          id text PRIMARY KEY,
          seq integer NOT NULL,
          did text NOT NULL,
          name text NOT NULL,
          -- hex SHA-256 of the API token; '' while the token is revoked (the token is never stored)
          token_hash text NOT NULL,
          -- the whole IssuerRecord as written (json keeps member order: the API returns it)
          record json NOT NULL
        );
        CREATE UNIQUE INDEX issuer_issuers_token ON issuer_issuers (token_hash) WHERE token_hash <> '';

        CREATE TABLE issuer_keys (
          kid text PRIMARY KEY,
          kms text NOT NULL,
          type text NOT NULL,
          public_key_hex text NOT NULL,
          data json NOT NULL
        );
        CREATE TABLE issuer_private_keys (
          alias text PRIMARY KEY,
          type text NOT NULL,
          -- AES-256-GCM sealed (SecretBox); never the plain key
          sealed bytea NOT NULL
        );
        CREATE TABLE issuer_dids (
          did text PRIMARY KEY,
          alias text,
          provider text,
          data json NOT NULL
        );
        CREATE INDEX issuer_dids_alias ON issuer_dids (alias);

        CREATE TABLE issuer_credentials (
          id text PRIMARY KEY,
          issuer_id text NOT NULL,
          type text NOT NULL,
          state text NOT NULL,
          subject text,
          offer_id text,
          created_at text NOT NULL,
          digest text NOT NULL,
          status_list_index integer NOT NULL,
          -- records.ts recordEncoding: the same bytes LevelDB keeps (JWT payload as bytes)
          record bytea NOT NULL
        );
        -- GET /v1/credentials: one issuer's credentials newest first (ids are UUIDv7)
        CREATE INDEX issuer_credentials_listing ON issuer_credentials (issuer_id, id DESC);

        CREATE TABLE issuer_digests (
          digest text PRIMARY KEY,
          kind text NOT NULL,
          credential_id text,
          issuer_id text NOT NULL,
          value json NOT NULL
        );
        CREATE INDEX issuer_digests_credential ON issuer_digests (credential_id);

        -- One row per allocated index: the primary key is what makes an index unique across nodes.
        CREATE TABLE issuer_status_indexes (
          issuer_id text NOT NULL,
          idx integer NOT NULL CHECK (idx >= 0),
          -- false while reserved by an issuance that has not committed yet
          committed boolean NOT NULL DEFAULT false,
          revoked boolean NOT NULL DEFAULT false,
          suspended boolean NOT NULL DEFAULT false,
          PRIMARY KEY (issuer_id, idx)
        );
        CREATE TABLE issuer_status_versions (
          issuer_id text PRIMARY KEY,
          version bigint NOT NULL
        );
      `,
    },
  ],
};

/**
 * Group commit on PostgreSQL: the writes handed in during one tick run in one transaction (one
 * WAL flush for the lot, as LevelDB's one fsync). A group whose transaction fails for another
 * reason than an unreachable database is retried member by member, so one bad write does not
 * fail its neighbours.
 */
class PgWriter implements RecordWriter {
  private pending: { ops: WriteOp[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private running = false;
  constructor(private readonly pool: Pool) {}

  write(ops: WriteOp[]): Promise<void> {
    for (const op of ops)
      if (op.type !== "sql") throw new TypeError("a PostgreSQL writer was handed a LevelDB write");
    return new Promise((resolve, reject) => {
      this.pending.push({ ops, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setImmediate(r));
  }

  private async run(ops: readonly WriteOp[]): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      for (const op of ops) if (op.type === "sql") await c.query(op.text, op.values);
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      try {
        await this.run(group.flatMap((g) => g.ops));
        for (const g of group) g.resolve();
      } catch (e) {
        if (group.length === 1 || isUnavailable(e)) {
          for (const g of group) g.reject(e);
          continue;
        }
        for (const g of group) {
          try {
            await this.run(g.ops);
            g.resolve();
          } catch (e2) {
            g.reject(e2);
          }
        }
      }
    }
    this.running = false;
  }
}

const sql = (text: string, ...values: unknown[]): WriteOp => ({ type: "sql", text, values });

/** Issuer records; the token only as its hex SHA-256 (unique while set). */
class PgIssuerStore implements IssuerStore {
  constructor(private readonly pool: Pool) {}
  async *all(): AsyncIterable<IssuerRecord> {
    const rows = await query<{ record: IssuerRecord }>(
      this.pool,
      "SELECT record FROM issuer_issuers ORDER BY seq",
    );
    for (const r of rows) yield r.record;
  }
  async get(id: string): Promise<IssuerRecord | undefined> {
    const rows = await query<{ record: IssuerRecord }>(
      this.pool,
      "SELECT record FROM issuer_issuers WHERE id = $1",
      [id],
    );
    return rows[0]?.record;
  }
  putOps(r: IssuerRecord): WriteOp[] {
    return [
      sql(
        `INSERT INTO issuer_issuers (id, seq, did, name, token_hash, record) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET did = EXCLUDED.did, name = EXCLUDED.name,
           token_hash = EXCLUDED.token_hash, record = EXCLUDED.record`,
        r.id,
        r.seq,
        r.did,
        r.name,
        r.tokenHash,
        JSON.stringify(r),
      ),
    ];
  }
}

type StoredRecord = Parameters<typeof recordEncoding.encode>[0];

/** Credential records, the listing (an index on the table) and the digest index. */
class PgRecordStore implements RecordStore {
  constructor(private readonly pool: Pool) {}

  async get(id: string): Promise<CredentialRecord | undefined> {
    const rows = await query<{ record: Buffer }>(
      this.pool,
      "SELECT record FROM issuer_credentials WHERE id = $1",
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    const stored = recordEncoding.decode(row.record);
    if (typeof stored.jwt !== "string") stored.jwt = unpackJwt(stored.jwt);
    return stored as CredentialRecord;
  }

  putOps(rec: CredentialRecord, payload?: string | Uint8Array): WriteOp[] {
    const bytes = recordEncoding.encode({ ...rec, jwt: packJwt(rec.jwt, payload) } as StoredRecord);
    return [
      sql(
        `INSERT INTO issuer_credentials
           (id, issuer_id, type, state, subject, offer_id, created_at, digest, status_list_index, record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, subject = EXCLUDED.subject,
           offer_id = EXCLUDED.offer_id, record = EXCLUDED.record`,
        rec.id,
        rec.issuerId,
        rec.type,
        rec.state,
        rec.subject ?? null,
        rec.offerId ?? null,
        rec.createdAt,
        rec.digest,
        rec.statusListIndex,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ),
    ];
  }

  /** The listing is the `(issuer_id, id)` index of the records table: nothing extra to write. */
  listingOps(_rec: CredentialRecord): WriteOp[] {
    return [];
  }

  async *idsOf(issuerId: string, cursor?: string): AsyncIterable<string> {
    // Pages of 256 ids, newest first, each starting below the last id seen.
    let below = cursor;
    for (;;) {
      const rows = await query<{ id: string }>(
        this.pool,
        below === undefined
          ? "SELECT id FROM issuer_credentials WHERE issuer_id = $1 ORDER BY id DESC LIMIT 256"
          : "SELECT id FROM issuer_credentials WHERE issuer_id = $1 AND id < $2 ORDER BY id DESC LIMIT 256",
        below === undefined ? [issuerId] : [issuerId, below],
      );
      for (const r of rows) yield r.id;
      if (rows.length < 256) return;
      below = rows[rows.length - 1]!.id;
    }
  }

  digestOps(digest: string, value: DigestIndexValue): WriteOp[] {
    return [
      sql(
        `INSERT INTO issuer_digests (digest, kind, credential_id, issuer_id, value) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (digest) DO UPDATE SET kind = EXCLUDED.kind, credential_id = EXCLUDED.credential_id,
           issuer_id = EXCLUDED.issuer_id, value = EXCLUDED.value`,
        digest,
        value.kind,
        value.credentialId ?? null,
        value.issuerId,
        JSON.stringify(value),
      ),
    ];
  }

  async findByDigest(hexDigest: string): Promise<DigestMatch | undefined> {
    const rows = await query<{ value: DigestIndexValue }>(
      this.pool,
      "SELECT value FROM issuer_digests WHERE digest = $1",
      [hexDigest.toLowerCase()],
    );
    return await resolveDigestMatch(rows[0]?.value, (id) => this.get(id));
  }

  async *registerRows(): AsyncIterable<RegisterRow> {
    // Only the four register columns are read: never a holder DID, a claim or a JWT.
    const rows = await query<{ issuer_id: string; type: string; state: string; created_at: string }>(
      this.pool,
      "SELECT issuer_id, type, state, created_at FROM issuer_credentials",
    );
    for (const r of rows)
      yield { issuerId: r.issuer_id, type: r.type, state: r.state, createdAt: r.created_at };
  }
}

/** Status list facts: one row per allocated index, with its two bits. */
export class PgStatusStore implements StatusStore {
  constructor(private readonly pool: Pool) {}

  async load(issuerId: string): Promise<{ allocated: number[]; bits: Record<StatusPurpose, number[]> }> {
    const rows = await query<{ idx: number; revoked: boolean; suspended: boolean }>(
      this.pool,
      "SELECT idx, revoked, suspended FROM issuer_status_indexes WHERE issuer_id = $1",
      [issuerId],
    );
    const bits: Record<StatusPurpose, number[]> = { revocation: [], suspension: [] };
    for (const r of rows) {
      if (r.revoked) bits.revocation.push(r.idx);
      if (r.suspended) bits.suspension.push(r.idx);
    }
    return { allocated: rows.map((r) => r.idx), bits };
  }

  /** The insert of the primary key is the reservation: exactly one process gets each index. */
  async reserve(issuerId: string, indexes: readonly number[]): Promise<number[]> {
    const rows = await query<{ idx: number }>(
      this.pool,
      `INSERT INTO issuer_status_indexes (issuer_id, idx) SELECT $1, unnest($2::integer[])
       ON CONFLICT DO NOTHING RETURNING idx`,
      [issuerId, indexes],
    );
    return rows.map((r) => r.idx);
  }

  async unreserve(issuerId: string, indexes: readonly number[]): Promise<void> {
    await query(
      this.pool,
      "DELETE FROM issuer_status_indexes WHERE issuer_id = $1 AND idx = ANY($2::integer[]) AND committed = false",
      [issuerId, indexes],
    );
  }

  allocationOps(issuerId: string, index: number): WriteOp[] {
    // An upsert, so a credential whose index was allocated by another path (migration) commits too.
    return [
      sql(
        `INSERT INTO issuer_status_indexes (issuer_id, idx, committed) VALUES ($1, $2, true)
         ON CONFLICT (issuer_id, idx) DO UPDATE SET committed = true`,
        issuerId,
        index,
      ),
    ];
  }

  bitOps(issuerId: string, index: number, bits: Record<StatusPurpose, boolean>): WriteOp[] {
    return [
      sql(
        `INSERT INTO issuer_status_indexes (issuer_id, idx, committed, revoked, suspended) VALUES ($1, $2, true, $3, $4)
         ON CONFLICT (issuer_id, idx) DO UPDATE SET revoked = EXCLUDED.revoked, suspended = EXCLUDED.suspended`,
        issuerId,
        index,
        bits.revocation,
        bits.suspension,
      ),
      sql(
        `INSERT INTO issuer_status_versions (issuer_id, version) VALUES ($1, 1)
         ON CONFLICT (issuer_id) DO UPDATE SET version = issuer_status_versions.version + 1`,
        issuerId,
      ),
    ];
  }

  async version(issuerId: string): Promise<string> {
    const rows = await query<{ version: string }>(
      this.pool,
      "SELECT version FROM issuer_status_versions WHERE issuer_id = $1",
      [issuerId],
    );
    return rows[0]?.version ?? "0";
  }
}

const notFound = (what: string): Error => new Error(`not_found: ${what}`);

/** Veramo key metadata (no private material). Each write commits before it resolves. */
class PgKeyStore implements AbstractKeyStore {
  constructor(private readonly pool: Pool) {}
  async importKey(args: Partial<IKey>): Promise<boolean> {
    if (!args.kid) throw new Error("invalid_argument: key without kid");
    const { privateKeyHex: _drop, ...safe } = args;
    await query(
      this.pool,
      `INSERT INTO issuer_keys (kid, kms, type, public_key_hex, data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kid) DO UPDATE SET kms = EXCLUDED.kms, type = EXCLUDED.type,
         public_key_hex = EXCLUDED.public_key_hex, data = EXCLUDED.data`,
      [args.kid, args.kms ?? "", args.type ?? "", args.publicKeyHex ?? "", JSON.stringify(safe)],
    );
    return true;
  }
  async getKey({ kid }: { kid: string }): Promise<IKey> {
    const rows = await query<{ data: IKey }>(this.pool, "SELECT data FROM issuer_keys WHERE kid = $1", [kid]);
    if (!rows[0]) throw notFound(`Key not found kid=${kid}`);
    return rows[0].data;
  }
  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    await query(this.pool, "DELETE FROM issuer_keys WHERE kid = $1", [kid]);
    return true;
  }
  async listKeys(_args: object): Promise<ManagedKeyInfo[]> {
    const rows = await query<{ data: ManagedKeyInfo }>(
      this.pool,
      "SELECT data FROM issuer_keys ORDER BY kid",
    );
    return rows.map((r) => r.data);
  }
}

/** Private keys for kms-local, sealed with the SecretBox before they reach the database. */
class PgPrivateKeyStore implements AbstractPrivateKeyStore {
  constructor(
    private readonly pool: Pool,
    private readonly box: SecretBox,
  ) {}
  private open(v: { alias: string; type: string; sealed: Buffer }): ManagedPrivateKey {
    const plain = this.box.open(v.sealed);
    return {
      alias: v.alias,
      type: v.type as ManagedPrivateKey["type"],
      privateKeyHex: Buffer.from(plain).toString("hex"),
    };
  }
  private async row(alias: string): Promise<{ alias: string; type: string; sealed: Buffer } | undefined> {
    const rows = await query<{ alias: string; type: string; sealed: Buffer }>(
      this.pool,
      "SELECT alias, type, sealed FROM issuer_private_keys WHERE alias = $1",
      [alias],
    );
    return rows[0];
  }
  async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    const alias = args.alias ?? randomUUID();
    const existing = await this.row(alias);
    if (existing && this.open(existing).privateKeyHex !== args.privateKeyHex) {
      throw new Error("key_already_exists: key exists with different data, please use a different alias");
    }
    const sealed = Buffer.from(this.box.seal(Buffer.from(args.privateKeyHex, "hex")));
    await query(
      this.pool,
      `INSERT INTO issuer_private_keys (alias, type, sealed) VALUES ($1, $2, $3)
       ON CONFLICT (alias) DO UPDATE SET type = EXCLUDED.type, sealed = EXCLUDED.sealed`,
      [alias, args.type, sealed],
    );
    return { alias, type: args.type, privateKeyHex: args.privateKeyHex };
  }
  async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    const v = await this.row(alias);
    if (!v) throw notFound(`PrivateKey not found for alias=${alias}`);
    return this.open(v);
  }
  async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    await query(this.pool, "DELETE FROM issuer_private_keys WHERE alias = $1", [alias]);
    return true;
  }
  async listKeys(_args: object): Promise<ManagedPrivateKey[]> {
    const rows = await query<{ alias: string; type: string; sealed: Buffer }>(
      this.pool,
      "SELECT alias, type, sealed FROM issuer_private_keys ORDER BY alias",
    );
    return rows.map((r) => this.open(r));
  }
}

/** DIDs (did → IIdentifier), with the alias and provider as indexed columns. */
class PgDIDStore implements AbstractDIDStore {
  constructor(private readonly pool: Pool) {}
  async importDID(args: IIdentifier): Promise<boolean> {
    const keys = args.keys.map(({ privateKeyHex: _drop, ...k }) => k);
    await query(
      this.pool,
      `INSERT INTO issuer_dids (did, alias, provider, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (did) DO UPDATE SET alias = EXCLUDED.alias, provider = EXCLUDED.provider, data = EXCLUDED.data`,
      [args.did, args.alias ?? null, args.provider ?? null, JSON.stringify({ ...args, keys })],
    );
    return true;
  }
  async getDID(args: { did: string } | { alias: string }): Promise<IIdentifier> {
    if ("did" in args && args.did) {
      const rows = await query<{ data: IIdentifier }>(
        this.pool,
        "SELECT data FROM issuer_dids WHERE did = $1",
        [args.did],
      );
      if (!rows[0]) throw notFound(`IIdentifier not found with did=${args.did}`);
      return rows[0].data;
    }
    if ("alias" in args && args.alias) {
      const rows = await query<{ data: IIdentifier }>(
        this.pool,
        "SELECT data FROM issuer_dids WHERE alias = $1 LIMIT 1",
        [args.alias],
      );
      if (!rows[0]) throw notFound(`IIdentifier not found with alias=${args.alias}`);
      return rows[0].data;
    }
    throw new Error("invalid_argument: Get requires did or alias");
  }
  async deleteDID({ did }: { did: string }): Promise<boolean> {
    await query(this.pool, "DELETE FROM issuer_dids WHERE did = $1", [did]);
    return true;
  }
  async listDIDs(args: { alias?: string; provider?: string }): Promise<IIdentifier[]> {
    const rows = await query<{ data: IIdentifier }>(
      this.pool,
      `SELECT data FROM issuer_dids WHERE ($1::text IS NULL OR alias = $1) AND ($2::text IS NULL OR provider = $2)
       ORDER BY did`,
      [args.alias ?? null, args.provider ?? null],
    );
    return rows.map((r) => r.data);
  }
}

/** The Veramo stores on PostgreSQL. */
function pgVeramoStores(pool: Pool, box: SecretBox): VeramoStores {
  return {
    keys: new PgKeyStore(pool),
    privateKeys: new PgPrivateKeyStore(pool, box),
    dids: new PgDIDStore(pool),
  };
}

/**
 * The issuer backend on PostgreSQL. The caller owns `pool` and has run {@link ISSUER_MIGRATIONS}.
 * @example createIssuerService({ backend: pgIssuerBackend(pool, box), box, log, baseUrl })
 */
export function pgIssuerBackend(pool: Pool, box: SecretBox): IssuerBackend {
  return {
    kind: "postgres",
    shared: true,
    writer: new PgWriter(pool),
    provenance: new PgProvenanceStore(pool),
    mpus: new PgMpuStore(pool),
    issuers: new PgIssuerStore(pool),
    records: new PgRecordStore(pool),
    status: new PgStatusStore(pool),
    veramo: pgVeramoStores(pool, box),
  };
}
