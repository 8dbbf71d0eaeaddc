import { resolve } from "node:path";
import { defaultIssuanceWorkers } from "./cores.js";

/** Everything the composition root needs, read once from the environment (docs/API.md "Conventions"). */
export interface ServerConfig {
  host: string;
  port: number;
  /** Folder for the LevelDB database, the generated admin token and the at-rest secret. */
  dataDir: string;
  /** Admin token from `MERITLOG_ADMIN_TOKEN`; otherwise generated on first start and kept in dataDir. */
  adminToken?: string;
  /** 32-byte key material (any string, stretched with SHA-256) from `MERITLOG_SECRET`; otherwise a generated file. */
  secret?: string;
  /** The log's origin line (C2SP tlog-checkpoint); defaults to `<host>:<port>/log`. */
  logOrigin: string;
  /**
   * Whether `logOrigin` was configured (`MERITLOG_LOG_ORIGIN`) rather than defaulted: the origin is
   * fixed at a data folder's first start; a configured one that differs refuses to start, a
   * defaulted one gives way to the stored one.
   */
  logOriginSet?: boolean;
  /** Public base URL used in credentials (status list URLs, offer URIs). */
  publicUrl: string;
  /** Group commit: most entries per batch and the longest wait for a batch to fill. */
  batchMaxSize: number;
  batchMaxDelayMs: number;
  /** Requests per minute per token (or per address without one); 0 disables rate limiting. */
  rateLimitPerMinute: number;
  /** Request body limit in bytes. */
  bodyLimit: number;
  /**
   * Worker threads that parse, check, build and sign plain issuance requests (0: all on the event
   * loop). On 2 cores, 1 worker takes ~40% of the main thread's CPU per credential off it
   * (bench/issuance.bench.ts).
   */
  issuanceWorkers: number;
  /**
   * Worker threads that decode credential JWTs `POST /v1/verify` has not seen lately (decoding,
   * normal form, digest, schema check), off the event loop (0: all on the event loop).
   */
  verifyWorkers: number;
  /**
   * Longest time a client may take to send a whole request, headers and body (Node's
   * `requestTimeout`); headers alone get at most a third of it. A trickling client is cut off with
   * 408 problem+json. Default 30 s (`MERITLOG_REQUEST_TIMEOUT_MS`).
   */
  requestTimeoutMs: number;
  /** Fastify logger: true for pino JSON logs, false to silence (tests). */
  logger: boolean;
  /** The clock of issuance, status lists and verification (tests simulate days with it); not read from the environment. */
  now?: () => Date;
  /** `MERITLOG_WITNESS=on`: serve `POST /witness/add-checkpoint` for the logs in `witnessedLogs`. */
  witness: boolean;
  /** The witness's cosigner name (`MERITLOG_WITNESS_NAME`, default `<public host>/witness`). */
  witnessName: string;
  /** Verifier keys of the logs this server witnesses (`MERITLOG_WITNESSED_LOGS`, comma-separated). */
  witnessedLogs: string[];
  /** `MERITLOG_WITNESSES`: comma-separated `<cosigner vkey>=<url>` this log asks to cosign. */
  witnesses?: string;
  /** `MERITLOG_WITNESS_QUORUM`: cosignatures the verifier requires (default: all configured witnesses). */
  witnessQuorum?: number;
  /** Per request to a witness (`MERITLOG_WITNESS_TIMEOUT_MS`, default 5000). */
  witnessTimeoutMs: number;
  /** How long an append waits for cosignatures before answering (`MERITLOG_WITNESS_WAIT_MS`, default 0). */
  witnessWaitMs: number;
  /** `MERITLOG_FETCH` (default on; `off` turns it off): the verifier fetches did:web documents and foreign status lists through the guarded fetcher. */
  fetch: boolean;
  /**
   * `MERITLOG_TRUSTED_LOGS`: verifier keys (`<origin>+<hex key id>+<base64 key>`, C2SP signed-note),
   * separated by commas or white space, of other meritlog deployments' logs whose receipts this
   * verifier accepts; their latest checkpoints are fetched (guarded) from `https://<origin>/checkpoint`.
   */
  trustedLogs: string[];
  /**
   * `MERITLOG_DATABASE_URL` (postgres://…): the log's state and every other store (pg-stores.ts)
   * live in PostgreSQL and any number of processes with the same URL and secret are one service.
   * Unset: the embedded LevelDB.
   */
  databaseUrl?: string;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** Reads the configuration from environment variables, applying the documented defaults. */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const host = overrides.host ?? env.HOST ?? "127.0.0.1";
  const port = overrides.port ?? intFrom(env.PORT, 8080, "PORT");
  const publicUrl = overrides.publicUrl ?? env.MERITLOG_PUBLIC_URL ?? `http://${host}:${port}`;
  const config: ServerConfig = {
    host,
    port,
    dataDir: resolve(overrides.dataDir ?? env.MERITLOG_DATA ?? "./data"),
    logOrigin: overrides.logOrigin ?? env.MERITLOG_LOG_ORIGIN ?? `${host}:${port}/log`,
    logOriginSet:
      overrides.logOriginSet ?? (overrides.logOrigin !== undefined || (env.MERITLOG_LOG_ORIGIN ?? "") !== ""),
    publicUrl: publicUrl.replace(/\/+$/, ""),
    batchMaxSize:
      overrides.batchMaxSize ?? intFrom(env.MERITLOG_BATCH_MAX_SIZE, 1024, "MERITLOG_BATCH_MAX_SIZE"),
    batchMaxDelayMs:
      overrides.batchMaxDelayMs ?? intFrom(env.MERITLOG_BATCH_MAX_DELAY_MS, 2, "MERITLOG_BATCH_MAX_DELAY_MS"),
    rateLimitPerMinute:
      overrides.rateLimitPerMinute ?? intFrom(env.MERITLOG_RATE_LIMIT, 60_000, "MERITLOG_RATE_LIMIT"),
    bodyLimit: overrides.bodyLimit ?? intFrom(env.MERITLOG_BODY_LIMIT, 256 * 1024, "MERITLOG_BODY_LIMIT"),
    requestTimeoutMs:
      overrides.requestTimeoutMs ??
      intFrom(env.MERITLOG_REQUEST_TIMEOUT_MS, 30_000, "MERITLOG_REQUEST_TIMEOUT_MS"),
    issuanceWorkers:
      overrides.issuanceWorkers ??
      intFrom(env.MERITLOG_ISSUANCE_WORKERS, defaultIssuanceWorkers(), "MERITLOG_ISSUANCE_WORKERS"),
    // The same rule as issuance: one thread per core beyond the event loop's, at most 4.
    verifyWorkers:
      overrides.verifyWorkers ??
      intFrom(env.MERITLOG_VERIFY_WORKERS, defaultIssuanceWorkers(), "MERITLOG_VERIFY_WORKERS"),
    logger: overrides.logger ?? env.MERITLOG_LOG !== "off",
    witness: overrides.witness ?? env.MERITLOG_WITNESS === "on",
    witnessName: overrides.witnessName ?? env.MERITLOG_WITNESS_NAME ?? `${new URL(publicUrl).host}/witness`,
    witnessedLogs:
      overrides.witnessedLogs ??
      (env.MERITLOG_WITNESSED_LOGS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    witnessTimeoutMs:
      overrides.witnessTimeoutMs ??
      intFrom(env.MERITLOG_WITNESS_TIMEOUT_MS, 5000, "MERITLOG_WITNESS_TIMEOUT_MS"),
    witnessWaitMs:
      overrides.witnessWaitMs ?? intFrom(env.MERITLOG_WITNESS_WAIT_MS, 0, "MERITLOG_WITNESS_WAIT_MS"),
    fetch: overrides.fetch ?? env.MERITLOG_FETCH !== "off",
    trustedLogs:
      overrides.trustedLogs ?? (env.MERITLOG_TRUSTED_LOGS ?? "").split(/[\s,]+/).filter((k) => k.length > 0),
  };
  const witnesses = overrides.witnesses ?? env.MERITLOG_WITNESSES;
  if (witnesses) config.witnesses = witnesses;
  const quorum =
    overrides.witnessQuorum ??
    (env.MERITLOG_WITNESS_QUORUM
      ? intFrom(env.MERITLOG_WITNESS_QUORUM, 0, "MERITLOG_WITNESS_QUORUM")
      : undefined);
  if (quorum !== undefined) config.witnessQuorum = quorum;
  for (const k of config.trustedLogs) {
    if (!/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(k))
      throw new Error(
        `MERITLOG_TRUSTED_LOGS: "${k.slice(0, 80)}" is not a log verifier key <origin>+<hex id>+<base64 key>`,
      );
  }
  const adminToken = overrides.adminToken ?? env.MERITLOG_ADMIN_TOKEN;
  if (adminToken) config.adminToken = adminToken;
  const secret = overrides.secret ?? env.MERITLOG_SECRET;
  if (secret) config.secret = secret;
  if (overrides.now) config.now = overrides.now;
  const databaseUrl = overrides.databaseUrl ?? env.MERITLOG_DATABASE_URL;
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//i.test(databaseUrl))
      throw new Error("MERITLOG_DATABASE_URL must be a postgres:// or postgresql:// URL");
    config.databaseUrl = databaseUrl;
  }
  return config;
}
