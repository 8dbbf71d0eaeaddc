// What the caller hands the verifier: the clock, trust material, Ed25519 and an optional fetcher.
// The core does no I/O of its own (docs/ARCHITECTURE.md, verifier core).
import type { Receipt } from "@meritlog/ledger/verify";
import type { VerifierCache } from "./cache.js";
import type { Check } from "./report.js";

/** Ed25519 verification (RFC 8032 §5.1.7); noble in the browser, node:crypto on the server. */
export interface Ed25519Verify {
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean | Promise<boolean>;
}

/** A log receipt as the issuer returns it (docs/API.md "Receipt"). */
export type { Receipt };

/** One event in a credential's history, from the issuer or the log. */
export interface HistoryEvent {
  kind:
    | "issue"
    | "suspend"
    | "reinstate"
    | "revoke"
    | "supersede"
    | "renew"
    | "archive"
    | "anchor"
    | "key"
    | "cosign"
    | "endorse";
  at: string;
  leafIndex?: number;
  reason?: string;
  /** For "supersede"/"renew": the id of the credential that replaces this one. */
  replacedBy?: string;
  digest?: string;
}

export interface TrustMaterial {
  /**
   * This service's issuer registry. `previousDids` are the issuer's earlier DIDs (retired by key
   * rotation): credentials they signed count as the issuer's, and status lists signed by the
   * current `did` are accepted for them. `retiredAt` optionally says when each was retired.
   */
  issuers: { did: string; name: string; previousDids?: string[]; retiredAt?: Record<string, string> }[];
  /** Signed-note verifier keys of trusted logs (`<name>+<hex keyhash>+<base64 key>`). */
  logKeys: string[];
  /** Checkpoints the caller already trusts (signed notes); the newest is compared for consistency. */
  knownCheckpoints?: string[];
  /** C2SP tlog-cosignature vkeys (`<name>+<hex id>+<base64(0x04||key)>`) of the log's witnesses. */
  witnesses?: string[];
  /** Witness cosignatures anchoring requires (`MERITLOG_WITNESS_QUORUM`; default: all of `witnesses`). */
  witnessQuorum?: number;
}

/** Optional I/O the caller allows. Absent members mean "not available", reported as such. */
export interface Fetcher {
  /** Returns the status list credential (a VC-JWT) at `url`. */
  statusList?(url: string): Promise<string>;
  /** Consistency proof between tree sizes `first` and `second` of the log `origin` (RFC 9162 §2.1.4). */
  consistencyProof?(origin: string, first: number, second: number): Promise<Uint8Array[]>;
  /** The newest signed checkpoint of the log `origin`. */
  latestCheckpoint?(origin: string): Promise<string>;
  /** The recorded history of a credential (issuer records or log entries). */
  history?(credentialId: string): Promise<HistoryEvent[]>;
  /** Looks a credential up in the log by hex sha256 of its JWT. */
  receipt?(jwtDigestHex: string): Promise<Receipt | undefined>;
  /**
   * The endorsements (OB 3.0 EndorsementCredential VC-JWTs) recorded for a credential, each with
   * the state its issuer's service records for it (issue 14).
   */
  endorsements?(credentialId: string): Promise<{ jwt: string; state: string }[]>;
  /**
   * The receipt of leaf `leafIndex` of this service's log (entry, inclusion proof, signed
   * checkpoint): the coAuthorship check reads the `cosign` entries a credential names (issue 14).
   */
  logEntry?(leafIndex: number): Promise<Receipt>;
  /** Fetches a did:web document (https only; enabling this member enables network DID resolution). */
  didWeb?(url: string): Promise<unknown>;
  /** Fetches a JWK Set or a JWK named by an https `kid` on the issuer's origin (https only, as `didWeb`). */
  jwks?(url: string): Promise<unknown>;
}

/** A co-signature whose JWS holds, and the log entry its credential names for it (issue 14). */
export interface HeldCoSignature {
  author: string;
  jws: string;
  leafIndex: unknown;
}

export interface VerifyContext {
  now: Date;
  /** Clock skew tolerated on validity windows, in seconds (default 60). */
  skewSeconds?: number;
  ed25519: Ed25519Verify;
  /**
   * A synchronous Ed25519 check for signed notes (checkpoints, C2SP signed-note), which the
   * ledger's note verifiers call synchronously: node:crypto on the server, about 20× faster than
   * noble, which is used without one (issue 10: each checkpoint first seen cost the event loop
   * about 3 ms). Same argument order as `ed25519.verify`.
   */
  ed25519Sync?: (sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array) => boolean;
  trust: TrustMaterial;
  fetcher?: Fetcher;
  /** Shared caches; without one, nothing is remembered between calls. */
  cache?: VerifierCache;
  /** Time limit for each fetcher call, in milliseconds (default 5000). */
  fetchTimeoutMs?: number;
  /** SHA-256 override (node:crypto on the server); noble otherwise. */
  sha256?: (data: Uint8Array) => Uint8Array;
  /** Hex SHA-256 of a string's UTF-8 (node:crypto on the server); else derived from `sha256`. */
  sha256Hex?: (text: string) => string;
  /**
   * Cross-checks the `cosign` log entries a co-authored MPU credential names (issue 14) and
   * returns the coAuthorship check refined by what they say: the server passes
   * `checkCoSignatureEntries` (cosign-entries.ts); a browser, which does not read the log, none.
   */
  coSignatureEntries?(
    base: Check,
    held: HeldCoSignature[],
    statement: string,
    issuerDid: string,
    ctx: VerifyContext,
  ): Promise<Check>;
}

export const DEFAULT_SKEW_SECONDS = 60;
export const DEFAULT_FETCH_TIMEOUT_MS = 5000;

/**
 * Runs a fetcher call with the context's time limit; rejects with a plain Error on timeout.
 * One shared sweep timer watches all calls in flight (a timer per call costs more than a
 * cached verification step); limits are therefore kept to within about 100 ms.
 */
export async function withTimeout<T>(ctx: VerifyContext, what: string, call: () => Promise<T>): Promise<T> {
  const ms = ctx.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  return await new Promise<T>((resolve, reject) => {
    const entry: Watched = {
      deadline: Date.now() + ms,
      fail: () => reject(new Error(`${what} timed out after ${ms} ms`)),
    };
    watch(entry);
    let p: Promise<T>;
    try {
      p = call();
    } catch (e) {
      inFlight.delete(entry);
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    p.then(
      (v) => {
        inFlight.delete(entry);
        resolve(v);
      },
      (e: unknown) => {
        inFlight.delete(entry);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

interface Watched {
  deadline: number;
  fail: () => void;
}
const inFlight = new Set<Watched>();
let sweeper: ReturnType<typeof setInterval> | undefined;
const SWEEP_MS = Math.min(100, DEFAULT_FETCH_TIMEOUT_MS);

function watch(e: Watched): void {
  inFlight.add(e);
  if (sweeper === undefined) {
    sweeper = setInterval(sweep, SWEEP_MS);
    // Node: do not keep the process alive for the sweep alone.
    (sweeper as { unref?: () => void }).unref?.();
  }
}

function sweep(): void {
  const now = Date.now();
  for (const e of inFlight) {
    if (e.deadline <= now) {
      inFlight.delete(e);
      e.fail();
    }
  }
  if (inFlight.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}
