// Rate limits counted across every node of one service (docs/API.md "Storage beyond one
// machine"): a @fastify/rate-limit store on PostgreSQL. One row per key and route; each request is
// one atomic upsert that either opens a new fixed window or counts into the current one, so N
// nodes share one budget per caller instead of N budgets.
import type { FastifyRateLimitStore } from "@fastify/rate-limit";
import { query, type MigrationSet, type Pool } from "@meritlog/postgres";

/** The rate-limit table, in order. */
export const RATE_LIMIT_MIGRATIONS: MigrationSet = {
  component: "rate-limits",
  migrations: [
    {
      version: 1,
      name: "rate limit windows",
      up: `
        CREATE TABLE server_rate_limits (
          key text PRIMARY KEY,
          -- ms since the epoch when the current window opened
          window_start bigint NOT NULL,
          hits integer NOT NULL
        );
        CREATE INDEX server_rate_limits_window ON server_rate_limits (window_start);
      `,
    },
    {
      // Counters need no durability: a crash that loses the current windows only resets them
      // (every caller starts a fresh window). Logged, each request's upsert waited for its own
      // WAL flush: about 5-10 ms per request on this machine, which made every rate-limited
      // route on PostgreSQL several times slower than on LevelDB (the http-fuzz suite: 67 s
      // against 10 s). UNLOGGED writes no WAL; the table stays shared by every node.
      version: 2,
      name: "rate limit windows unlogged",
      up: `ALTER TABLE server_rate_limits SET UNLOGGED;`,
    },
  ],
};

type IncrResult = { current: number; ttl: number };

/** Counts one hit of `key` in a fixed window of `timeWindow` ms; the database decides, atomically. */
async function countHit(pool: Pool, key: string, timeWindow: number, nowMs: number): Promise<IncrResult> {
  const rows = await query<{ hits: number; window_start: string }>(
    pool,
    `INSERT INTO server_rate_limits AS r (key, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN r.window_start + $3 <= $2 THEN 1 ELSE r.hits + 1 END,
       window_start = CASE WHEN r.window_start + $3 <= $2 THEN $2 ELSE r.window_start END
     RETURNING hits, window_start`,
    [key, nowMs, timeWindow],
  );
  const row = rows[0]!;
  return { current: row.hits, ttl: Math.max(0, Number(row.window_start) + timeWindow - nowMs) };
}

/**
 * A store class for `@fastify/rate-limit`'s `store` option, bound to `pool`. Route-level limits
 * (`config.rateLimit` on a route) get a child store whose keys carry the route.
 */
export function pgRateLimitStore(pool: Pool, now: () => number = Date.now): new () => FastifyRateLimitStore {
  let sweeps = 0;
  class PgRateLimitStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = "") {}
    incr(key: string, cb: (error: Error | null, result?: IncrResult) => void, timeWindow: number): void {
      const t = now();
      countHit(pool, `${this.prefix}${key}`, timeWindow, t).then(
        (r) => {
          cb(null, r);
          // Every 256th hit drops a few windows closed over an hour ago.
          if ((++sweeps & 255) === 0)
            void query(
              pool,
              `DELETE FROM server_rate_limits WHERE key IN
                 (SELECT key FROM server_rate_limits WHERE window_start < $1 LIMIT 256)`,
              [t - 3_600_000],
            ).catch(() => undefined);
        },
        (err: Error) => cb(err),
      );
    }
    child(routeOptions: { method?: string | string[]; path: string; prefix: string }): FastifyRateLimitStore {
      const method = Array.isArray(routeOptions.method)
        ? routeOptions.method.join(",")
        : (routeOptions.method ?? "");
      return new PgRateLimitStore(`${method} ${routeOptions.path}|`);
    }
  }
  return PgRateLimitStore as unknown as new () => FastifyRateLimitStore;
}
