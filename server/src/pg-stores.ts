// Every non-log store on PostgreSQL, opened together when MERITLOG_DATABASE_URL is set: the
// issuer backend (issuers, tokens, keys, records, digests, status lists), offers and OpenID4VCI
// codes/tokens/nonces, shares and presentation requests, challenges and rate-limit counters.
// The schema is migrated here (versioned, under an advisory lock: safe from several processes).
import { createPool, runMigrations, type MigrationSet, type Pool } from "@meritlog/postgres";
import {
  createPgOfferStore,
  ISSUER_MIGRATIONS,
  PROVENANCE_MIGRATIONS,
  OFFER_MIGRATIONS,
  pgIssuerBackend,
  type IssuerBackend,
  type OfferStore,
  type SecretBox,
} from "@meritlog/issuer";
import {
  CHALLENGE_MIGRATIONS,
  createPgChallengeStore,
  createPgSharingStore,
  SHARING_MIGRATIONS,
  type ChallengeStore,
  type SharingStore,
} from "@meritlog/verifier";
import type { FastifyRateLimitStore } from "@fastify/rate-limit";
import { pgRateLimitStore, RATE_LIMIT_MIGRATIONS } from "./rate-limit-pg.js";

/** The migrations of every non-log store, in the order they are applied. */
export const STORE_MIGRATIONS: readonly MigrationSet[] = [
  ISSUER_MIGRATIONS,
  PROVENANCE_MIGRATIONS,
  OFFER_MIGRATIONS,
  SHARING_MIGRATIONS,
  CHALLENGE_MIGRATIONS,
  RATE_LIMIT_MIGRATIONS,
];

export interface PgStores {
  pool: Pool;
  issuerBackend: IssuerBackend;
  offers: OfferStore;
  sharing: SharingStore;
  challenges: ChallengeStore;
  /** For @fastify/rate-limit's `store` option: counts across every node. */
  rateLimitStore: new () => FastifyRateLimitStore;
  close(): Promise<void>;
}

/**
 * Opens a pool on `url` (or uses `pool`), applies the store migrations and builds the stores.
 * @throws StorageError `storage.unavailable` when the database cannot be reached
 */
export async function openPgStores(o: {
  url?: string;
  pool?: Pool;
  box: SecretBox;
  audience: string;
  now?: () => Date;
}): Promise<PgStores> {
  const own = o.pool === undefined;
  const pool = o.pool ?? createPool(o.url ?? "", { applicationName: "meritlog-stores" });
  try {
    await runMigrations(pool, STORE_MIGRATIONS);
  } catch (e) {
    if (own) await pool.end().catch(() => undefined);
    throw e;
  }
  const nowMs = o.now ? () => o.now!().getTime() : Date.now;
  return {
    pool,
    issuerBackend: pgIssuerBackend(pool, o.box),
    offers: createPgOfferStore(pool, o.now ? { now: o.now } : {}),
    sharing: createPgSharingStore(pool),
    challenges: createPgChallengeStore(pool, { audience: o.audience, now: nowMs }),
    rateLimitStore: pgRateLimitStore(pool),
    async close() {
      if (own) await pool.end();
    },
  };
}
