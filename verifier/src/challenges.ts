// Presentation challenges (GET /v1/challenges): random nonces bound to this verifier's audience,
// each usable once and only until it expires. Memory is bounded: at most `maxOutstanding` open
// nonces and as many remembered used ones (to tell a replay from a stranger).
import { randomBytes } from "node:crypto";
import type { ChallengeState } from "./core/index.js";

export interface Challenge {
  nonce: string;
  audience: string;
  expiresAt: string;
}

/**
 * Where challenges live: in memory (one process, below) or in PostgreSQL (challenges-pg.ts, where
 * every node of one service accepts a nonce any node issued, once). Callers `await` both forms.
 */
export interface ChallengeStore {
  readonly audience: string;
  /** Issues a fresh challenge; resolves after it is stored. */
  issue(): Challenge | Promise<Challenge>;
  /** Uses up `nonce`: "valid" the first time within its life, then "replayed"; "expired" or "unknown" otherwise. */
  consume(nonce: string, audience?: string): ChallengeState | Promise<ChallengeState>;
  /** Open (issued, unused, maybe expired) challenges held (in-memory store; -1 when not counted). */
  readonly size: number;
}

export interface ChallengeStoreOptions {
  audience: string;
  /** Lifetime of a nonce (default 5 minutes). */
  ttlMs?: number;
  /** Bound on open nonces; the oldest are dropped first (default 10,000). */
  maxOutstanding?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** A challenge store in memory (one process). */
export function createChallengeStore(o: ChallengeStoreOptions): ChallengeStore {
  const ttl = o.ttlMs ?? 5 * 60_000;
  const max = o.maxOutstanding ?? 10_000;
  const now = o.now ?? Date.now;
  // Both maps are in insertion order, which is expiry order (one ttl for all).
  const open = new Map<string, number>();
  const used = new Map<string, number>();
  const prune = (t: number): void => {
    for (const m of [open, used]) {
      for (const [k, exp] of m) {
        // Open nonces are kept a little past expiry so a late use is "expired", not "unknown".
        if (exp + ttl > t && m.size <= max) break;
        m.delete(k);
      }
    }
  };
  return {
    audience: o.audience,
    issue() {
      const t = now();
      prune(t);
      const nonce = randomBytes(24).toString("base64url");
      const exp = t + ttl;
      open.set(nonce, exp);
      return { nonce, audience: o.audience, expiresAt: new Date(exp).toISOString() };
    },
    consume(nonce, audience) {
      if (typeof nonce !== "string") return "unknown";
      if (audience !== undefined && audience !== o.audience) return "unknown";
      const t = now();
      const exp = open.get(nonce);
      if (exp !== undefined) {
        open.delete(nonce);
        used.set(nonce, exp);
        prune(t);
        return t < exp ? "valid" : "expired";
      }
      if (used.has(nonce)) return "replayed";
      return "unknown";
    },
    get size() {
      return open.size;
    },
  };
}
