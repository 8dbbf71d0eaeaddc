// Lasting shares, presentation requests and used holder-proof nonces on PostgreSQL: the
// `SharingStore` contract of sharing-store.ts for several server processes on one database.
// Compare-and-set is one conditional statement each, so exactly one caller wins on any node:
// withdraw and answer are `UPDATE … WHERE <not yet> RETURNING`, a nonce is used by the insert of
// its primary key (`ON CONFLICT DO NOTHING RETURNING`).
import { createHash } from "node:crypto";
import { query, type MigrationSet, type Pool } from "@meritlog/postgres";
import type { PresentationRequestRecord, ShareRecord, SharingStore } from "./sharing-store.js";

/** The sharing tables, in order. */
export const SHARING_MIGRATIONS: MigrationSet = {
  component: "sharing",
  migrations: [
    {
      version: 1,
      name: "shares, presentation requests, proof nonces",
      up: `
        CREATE TABLE verifier_shares (
          id text PRIMARY KEY,
          credential_id text NOT NULL,
          holder text NOT NULL,
          -- '' once withdrawn: a withdrawn link keeps nothing of the holder
          credential text NOT NULL,
          shared_at text NOT NULL,
          expires_at text NOT NULL,
          withdrawn_at text
        );
        CREATE TABLE verifier_presentation_requests (
          id text PRIMARY KEY,
          purpose text NOT NULL,
          types json,
          nonce text NOT NULL,
          audience text NOT NULL,
          created_at text NOT NULL,
          expires_at text NOT NULL,
          manage_token_hash text NOT NULL,
          presentation text,
          answered_at text
        );
        CREATE TABLE verifier_proof_nonces (
          nonce_hash text PRIMARY KEY,
          keep_until bigint NOT NULL
        );
        CREATE INDEX verifier_proof_nonces_expiry ON verifier_proof_nonces (keep_until);
      `,
    },
  ],
};

const sha256Hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

interface ShareRow {
  id: string;
  credential_id: string;
  holder: string;
  credential: string;
  shared_at: string;
  expires_at: string;
  withdrawn_at: string | null;
}
interface RequestRow {
  id: string;
  purpose: string;
  types: string[] | null;
  nonce: string;
  audience: string;
  created_at: string;
  expires_at: string;
  manage_token_hash: string;
  presentation: string | null;
  answered_at: string | null;
}

/** The sharing store on PostgreSQL; the caller owns `pool` and has run {@link SHARING_MIGRATIONS}. */
export function createPgSharingStore(pool: Pool): SharingStore {
  return {
    async putShare(s) {
      await query(
        pool,
        `INSERT INTO verifier_shares (id, credential_id, holder, credential, shared_at, expires_at, withdrawn_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET credential = EXCLUDED.credential, expires_at = EXCLUDED.expires_at,
           withdrawn_at = EXCLUDED.withdrawn_at`,
        [s.id, s.credentialId, s.holder, s.credential, s.sharedAt, s.expiresAt, s.withdrawnAt ?? null],
      );
    },
    async getShare(id) {
      const rows = await query<ShareRow & Record<string, unknown>>(
        pool,
        "SELECT * FROM verifier_shares WHERE id = $1",
        [id],
      );
      const r = rows[0];
      if (!r) return undefined;
      const s: ShareRecord = {
        id: r.id,
        credential: r.credential,
        credentialId: r.credential_id,
        holder: r.holder,
        sharedAt: r.shared_at,
        expiresAt: r.expires_at,
      };
      if (r.withdrawn_at !== null) s.withdrawnAt = r.withdrawn_at;
      return s;
    },
    async withdrawShare(id, at) {
      const rows = await query(
        pool,
        "UPDATE verifier_shares SET credential = '', withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL RETURNING id",
        [id, at],
      );
      return rows.length === 1;
    },
    async putRequest(r) {
      await query(
        pool,
        `INSERT INTO verifier_presentation_requests
           (id, purpose, types, nonce, audience, created_at, expires_at, manage_token_hash, presentation, answered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET presentation = EXCLUDED.presentation, answered_at = EXCLUDED.answered_at`,
        [
          r.id,
          r.purpose,
          r.types === undefined ? null : JSON.stringify(r.types),
          r.nonce,
          r.audience,
          r.createdAt,
          r.expiresAt,
          r.manageTokenHash,
          r.presentation ?? null,
          r.answeredAt ?? null,
        ],
      );
    },
    async getRequest(id) {
      const rows = await query<RequestRow & Record<string, unknown>>(
        pool,
        "SELECT * FROM verifier_presentation_requests WHERE id = $1",
        [id],
      );
      const r = rows[0];
      if (!r) return undefined;
      const out: PresentationRequestRecord = {
        id: r.id,
        purpose: r.purpose,
        ...(r.types !== null ? { types: r.types } : {}),
        nonce: r.nonce,
        audience: r.audience,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        manageTokenHash: r.manage_token_hash,
      };
      if (r.presentation !== null) out.presentation = r.presentation;
      if (r.answered_at !== null) out.answeredAt = r.answered_at;
      return out;
    },
    async answerRequest(id, presentation, at) {
      const rows = await query(
        pool,
        `UPDATE verifier_presentation_requests SET presentation = $2, answered_at = $3
         WHERE id = $1 AND presentation IS NULL RETURNING id`,
        [id, presentation, at],
      );
      return rows.length === 1;
    },
    async useNonce(nonce, keepUntilMs, nowMs) {
      const rows = await query(
        pool,
        "INSERT INTO verifier_proof_nonces (nonce_hash, keep_until) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING nonce_hash",
        [sha256Hex(nonce), keepUntilMs],
      );
      // A few nonces whose proof window has closed go with each new one.
      await query(
        pool,
        `DELETE FROM verifier_proof_nonces WHERE nonce_hash IN
           (SELECT nonce_hash FROM verifier_proof_nonces WHERE keep_until < $1 LIMIT 16)`,
        [nowMs],
      );
      return rows.length === 1;
    },
  };
}
