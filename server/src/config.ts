import { resolve } from "node:path";

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
  /** Fastify logger: true for pino JSON logs, false to silence (tests). */
  logger: boolean;
  /** `MERITLOG_FETCH` (default on; `off` turns it off): the verifier fetches did:web documents and foreign status lists through the guarded fetcher. */
  fetch: boolean;
  /**
   * `MERITLOG_TRUSTED_LOGS`: verifier keys (`<origin>+<hex key id>+<base64 key>`, C2SP signed-note),
   * separated by commas or white space, of other meritlog deployments' logs whose receipts this
   * verifier accepts; their latest checkpoints are fetched (guarded) from `https://<origin>/checkpoint`.
   */
  trustedLogs: string[];
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** Reads the configuration from environment variables, applying the documented defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const host = overrides.host ?? env.HOST ?? "127.0.0.1";
  const port = overrides.port ?? intFrom(env.PORT, 8080, "PORT");
  const publicUrl = overrides.publicUrl ?? env.MERITLOG_PUBLIC_URL ?? `http://${host}:${port}`;
  const config: ServerConfig = {
    host,
    port,
    dataDir: resolve(overrides.dataDir ?? env.MERITLOG_DATA ?? "./data"),
    logOrigin: overrides.logOrigin ?? env.MERITLOG_LOG_ORIGIN ?? `${host}:${port}/log`,
    publicUrl: publicUrl.replace(/\/+$/, ""),
    batchMaxSize: overrides.batchMaxSize ?? intFrom(env.MERITLOG_BATCH_MAX_SIZE, 1024, "MERITLOG_BATCH_MAX_SIZE"),
    batchMaxDelayMs: overrides.batchMaxDelayMs ?? intFrom(env.MERITLOG_BATCH_MAX_DELAY_MS, 2, "MERITLOG_BATCH_MAX_DELAY_MS"),
    rateLimitPerMinute: overrides.rateLimitPerMinute ?? intFrom(env.MERITLOG_RATE_LIMIT, 60_000, "MERITLOG_RATE_LIMIT"),
    bodyLimit: overrides.bodyLimit ?? intFrom(env.MERITLOG_BODY_LIMIT, 256 * 1024, "MERITLOG_BODY_LIMIT"),
    issuanceWorkers: overrides.issuanceWorkers ?? intFrom(env.MERITLOG_ISSUANCE_WORKERS, 0, "MERITLOG_ISSUANCE_WORKERS"),
    logger: overrides.logger ?? env.MERITLOG_LOG !== "off",
    fetch: overrides.fetch ?? env.MERITLOG_FETCH !== "off",
    trustedLogs: overrides.trustedLogs ?? (env.MERITLOG_TRUSTED_LOGS ?? "").split(/[\s,]+/).filter((k) => k.length > 0),
  };
  for (const k of config.trustedLogs) {
    if (!/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(k)) throw new Error(`MERITLOG_TRUSTED_LOGS: "${k.slice(0, 80)}" is not a log verifier key <origin>+<hex id>+<base64 key>`);
  }
  const adminToken = overrides.adminToken ?? env.MERITLOG_ADMIN_TOKEN;
  if (adminToken) config.adminToken = adminToken;
  const secret = overrides.secret ?? env.MERITLOG_SECRET;
  if (secret) config.secret = secret;
  return config;
}
