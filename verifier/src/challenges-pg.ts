// Presentation challenges (GET /v1/challenges) on PostgreSQL, so a nonce issued by one node of a
// service is accepted once by any node. Only the nonce's SHA-256 is stored. Consuming is one
// conditional update (`SET used = true WHERE used = false RETURNING`): exactly one caller gets
// "valid" (or "expired"), every later one "replayed".
import { createHash, randomBytes } from "node:crypto";
import { query, type MigrationSet, type Pool } from "@meritlog/postgres";
import type { Challenge, ChallengeStore } from "./challenges.js";

/** The challenge table, in order. */
export const CHALLENGE_MIGRATIONS: MigrationSet = {
  component: "challenges",
  migrations: [
    {
      version: 1,
      name: "challenges",
      up: `
        CREATE TABLE verifier_challenges (
          nonce_hash text PRIMARY KEY,
          -- ms since the epoch
          expires_at bigint NOT NULL,
          used boolean NOT NULL DEFAULT false
        );
        CREATE INDEX verifier_challenges_expiry ON verifier_challenges (expires_at);
      `,
    },
  ],
};

const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("base64url");

/** The challenge store on PostgreSQL; the caller owns `pool` and has run {@link CHALLENGE_MIGRATIONS}. */
export function createPgChallengeStore(
  pool: Pool,
  o: { audience: string; ttlMs?: number; now?: () => number },
): ChallengeStore {
  const ttl = o.ttlMs ?? 5 * 60_000;
  const now = o.now ?? Date.now;
  return {
    audience: o.audience,
    size: -1,
    async issue(): Promise<Challenge> {
      const t = now();
      const nonce = randomBytes(24).toString("base64url");
      const exp = t + ttl;
      await query(pool, "INSERT INTO verifier_challenges (nonce_hash, expires_at) VALUES ($1, $2)", [
        sha(nonce),
        exp,
      ]);
      // Rows are kept a ttl past expiry, so a late use reads "expired" or "replayed", not "unknown".
      await query(
        pool,
        `DELETE FROM verifier_challenges WHERE nonce_hash IN
           (SELECT nonce_hash FROM verifier_challenges WHERE expires_at < $1 LIMIT 16)`,
        [t - ttl],
      );
      return { nonce, audience: o.audience, expiresAt: new Date(exp).toISOString() };
    },
    async consume(nonce, audience) {
      if (typeof nonce !== "string") return "unknown";
      if (audience !== undefined && audience !== o.audience) return "unknown";
      const h = sha(nonce);
      const rows = await query<{ expires_at: string }>(
        pool,
        "UPDATE verifier_challenges SET used = true WHERE nonce_hash = $1 AND used = false RETURNING expires_at",
        [h],
      );
      const row = rows[0];
      if (row) return now() < Number(row.expires_at) ? "valid" : "expired";
      const seen = await query(pool, "SELECT 1 FROM verifier_challenges WHERE nonce_hash = $1", [h]);
      return seen.length > 0 ? "replayed" : "unknown";
    },
  };
}
