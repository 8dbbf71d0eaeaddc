/**
 * The provenance index, co-authored MPU records and pathways on PostgreSQL, next to their LevelDB
 * implementations (provenance-store.ts, mpu-store.ts, pathway-store.ts). Their writes are `sql`
 * operations for the backend's writer, so they commit in the same transaction as the credential
 * record they belong to, as on LevelDB they go in the same synced batch.
 */
import { query, type MigrationSet, type Pool } from "@meritlog/postgres";
import type { MpuRecord, MpuStore } from "./mpu-store.js";
import type { PathwayRecord } from "./pathways.js";
import type { PathwayStore } from "./pathway-store.js";
import { PROVENANCE_LIMIT, type ProvenanceRef, type ProvenanceStore } from "./provenance-store.js";
import type { RecordWriter, WriteOp } from "./storage.js";

export const PROVENANCE_MIGRATIONS: MigrationSet = {
  component: "issuer-provenance",
  migrations: [
    {
      version: 1,
      name: "provenance claims, endorsement index, co-authored MPUs, pathways",
      up: `
        CREATE TABLE issuer_provenance (
          artifact text NOT NULL,
          leaf_index bigint NOT NULL,
          ref json NOT NULL,
          PRIMARY KEY (artifact, leaf_index)
        );
        CREATE TABLE issuer_endorsements (
          target text NOT NULL,
          endorsement_id text NOT NULL,
          PRIMARY KEY (target, endorsement_id)
        );
        CREATE TABLE issuer_mpus (
          id text PRIMARY KEY,
          record json NOT NULL
        );
        CREATE TABLE issuer_pathways (
          id text PRIMARY KEY,
          issuer_id text NOT NULL,
          record json NOT NULL
        );
        CREATE INDEX issuer_pathways_issuer ON issuer_pathways (issuer_id, id);
      `,
    },
  ],
};

const sql = (text: string, ...values: unknown[]): WriteOp => ({ type: "sql", text, values });

export class PgProvenanceStore implements ProvenanceStore {
  constructor(private readonly pool: Pool) {}
  addOps(artifact: string, ref: ProvenanceRef): WriteOp[] {
    return [
      sql(
        `INSERT INTO issuer_provenance (artifact, leaf_index, ref) VALUES ($1, $2, $3)
         ON CONFLICT (artifact, leaf_index) DO UPDATE SET ref = EXCLUDED.ref`,
        artifact,
        ref.leafIndex,
        JSON.stringify(ref),
      ),
    ];
  }
  async list(artifact: string, limit = PROVENANCE_LIMIT): Promise<ProvenanceRef[]> {
    const rows = await query<{ ref: ProvenanceRef }>(
      this.pool,
      "SELECT ref FROM issuer_provenance WHERE artifact = $1 ORDER BY leaf_index LIMIT $2",
      [artifact, limit],
    );
    return rows.map((r) => r.ref);
  }
  endorsementOps(target: string, endorsementId: string): WriteOp[] {
    return [
      sql(
        "INSERT INTO issuer_endorsements (target, endorsement_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        target,
        endorsementId,
      ),
    ];
  }
  async endorsementsOf(target: string, limit = PROVENANCE_LIMIT): Promise<string[]> {
    // Endorsement ids are UUIDv7: their order is issuance order.
    const rows = await query<{ endorsement_id: string }>(
      this.pool,
      "SELECT endorsement_id FROM issuer_endorsements WHERE target = $1 ORDER BY endorsement_id LIMIT $2",
      [target, limit],
    );
    return rows.map((r) => r.endorsement_id);
  }
}

export class PgMpuStore implements MpuStore {
  constructor(private readonly pool: Pool) {}
  async get(id: string): Promise<MpuRecord | undefined> {
    const rows = await query<{ record: MpuRecord }>(
      this.pool,
      "SELECT record FROM issuer_mpus WHERE id = $1",
      [id],
    );
    return rows[0]?.record;
  }
  putOps(rec: MpuRecord): WriteOp[] {
    return [
      sql(
        `INSERT INTO issuer_mpus (id, record) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
        rec.id,
        JSON.stringify(rec),
      ),
    ];
  }
}

/** Pathways on PostgreSQL; `writer` is the issuer backend's (one transaction per put). */
export function pgPathwayStore(pool: Pool, writer: RecordWriter): PathwayStore {
  return {
    async get(id) {
      const rows = await query<{ record: PathwayRecord }>(
        pool,
        "SELECT record FROM issuer_pathways WHERE id = $1",
        [id],
      );
      return rows[0]?.record;
    },
    async put(records) {
      await writer.write(
        records.map((r) =>
          sql(
            `INSERT INTO issuer_pathways (id, issuer_id, record) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
            r.id,
            r.issuerId,
            JSON.stringify(r),
          ),
        ),
      );
    },
    async list(issuerId) {
      const rows = await query<{ record: PathwayRecord }>(
        pool,
        "SELECT record FROM issuer_pathways WHERE issuer_id = $1 ORDER BY id",
        [issuerId],
      );
      return rows.map((r) => r.record);
    },
  };
}
