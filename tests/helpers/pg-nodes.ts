// Real server processes on one PostgreSQL schema (docs/SCALING.md "Running N nodes"): each node is
// `node server/dist/server.js` with its own port and data folder and the same database, secret,
// admin token, public URL and log origin, so SIGKILL is a real crash. Needs `tsc -b` first (the
// suite's `npm test` builds before it runs).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestSchema } from "@meritlog/postgres";
import { ADMIN_TOKEN, call, freePort, makeIssuer } from "./server.js";

const SERVER_JS = fileURLToPath(new URL("../../server/dist/server.js", import.meta.url));

/** What every node of one service shares. */
export interface PgServiceConfig {
  databaseUrl: string;
  secret: string;
  /** MERITLOG_PUBLIC_URL: the one name of the service (credentials and OpenID4VCI audiences use it). */
  publicUrl: string;
  logOrigin: string;
  /** More environment for every node (e.g. MERITLOG_REQUEST_TIMEOUT_MS). */
  env?: Record<string, string>;
}

export interface PgNode {
  /** `http://127.0.0.1:<port>`: where this node listens. */
  url: string;
  port: number;
  dataDir: string;
  /** The running process (undefined after it exited). */
  proc: ChildProcess | undefined;
  /** Everything the process wrote to stderr (for failure messages). */
  stderr(): string;
  /** SIGKILL, and resolves when the process is gone. */
  kill(): Promise<void>;
  /** Starts the process again on the same port and data folder; resolves when /healthz answers 200. */
  restart(): Promise<void>;
  /** SIGTERM (graceful shutdown) and resolves when the process is gone; the data folder stays. */
  halt(): Promise<void>;
  /** {@link halt}, then removes the data folder. */
  stop(): Promise<void>;
}

const exited = (p: ChildProcess): Promise<void> =>
  p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => p.once("exit", () => resolve()));

/**
 * Starts one node and resolves once `GET /healthz` answers 200.
 * @throws Error with the node's stderr when it exits or is not healthy within `timeoutMs`
 */
async function startPgNode(service: PgServiceConfig, timeoutMs = 60_000): Promise<PgNode> {
  const dataDir = await mkdtemp(join(tmpdir(), "meritlog-pg-node-"));
  const port = await freePort();
  let err = "";
  const node: PgNode = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    proc: undefined,
    stderr: () => err,
    async kill() {
      const p = node.proc;
      if (!p) return;
      p.kill("SIGKILL");
      await exited(p);
      node.proc = undefined;
    },
    async restart() {
      const p = spawn(process.execPath, [SERVER_JS], {
        env: {
          PATH: process.env["PATH"] ?? "",
          HOST: "127.0.0.1",
          PORT: String(port),
          MERITLOG_DATA: dataDir,
          MERITLOG_DATABASE_URL: service.databaseUrl,
          MERITLOG_SECRET: service.secret,
          MERITLOG_ADMIN_TOKEN: ADMIN_TOKEN,
          MERITLOG_PUBLIC_URL: service.publicUrl,
          MERITLOG_LOG_ORIGIN: service.logOrigin,
          MERITLOG_LOG: "off",
          MERITLOG_FETCH: "off",
          MERITLOG_RATE_LIMIT: "0",
          MERITLOG_ISSUANCE_WORKERS: "0",
          MERITLOG_VERIFY_WORKERS: "0",
          MERITLOG_BATCH_MAX_DELAY_MS: "2",
          ...service.env,
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      p.stderr?.setEncoding("utf8").on("data", (d: string) => {
        err = (err + d).slice(-8000);
      });
      node.proc = p;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (p.exitCode !== null || p.signalCode !== null)
          throw new Error(`node on port ${port} exited (${p.exitCode ?? p.signalCode}): ${err}`);
        try {
          const res = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(2000) });
          if (res.status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      p.kill("SIGKILL");
      throw new Error(`node on port ${port} was not healthy within ${timeoutMs} ms: ${err}`);
    },
    async halt() {
      const p = node.proc;
      if (!p) return;
      p.kill("SIGTERM");
      const t = setTimeout(() => p.kill("SIGKILL"), 15_000);
      await exited(p);
      clearTimeout(t);
      node.proc = undefined;
    },
    async stop() {
      await node.halt();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await node.restart();
  return node;
}

/**
 * Starts `n` nodes of one service: the first alone (it migrates the schema and makes the log key,
 * as the first node of a deployment does), then the others at once, as nodes joining a running
 * service start; a node start is seconds of module loading a second core can share.
 */
export async function startPgNodes(service: PgServiceConfig, n: number): Promise<PgNode[]> {
  const first = await startPgNode(service);
  const rest = await Promise.allSettled(Array.from({ length: n - 1 }, () => startPgNode(service)));
  const nodes = [first, ...rest.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []))];
  const failed = rest.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    for (const x of nodes) await x.stop().catch(() => undefined);
    throw failed.reason;
  }
  return nodes;
}

/** Nodes of one service with an issuer made through the first, and the log's verifier key. */
export interface PgServiceWithIssuer {
  service: PgServiceConfig;
  nodes: PgNode[];
  /** The bearer token of the issuer made through nodes[0]. */
  issuerToken: string;
  /** The log's verifier key (C2SP signed-note), read through nodes[1]: a node that did not make the issuer. */
  verifierKey: string;
}

/**
 * Starts `n` nodes (at least 2) of a service on `db`, makes the issuer `issuerName` through the
 * first and reads the log's verifier key through the second. Stops the nodes when a step fails;
 * the test file makes `db` and drops it (tests/backend-selection.test.ts checks that it makes it).
 */
export async function startPgServiceWithIssuer(
  db: TestSchema,
  config: Omit<PgServiceConfig, "databaseUrl">,
  n: number,
  issuerName: string,
): Promise<PgServiceWithIssuer> {
  const service = { ...config, databaseUrl: db.url };
  const nodes = await startPgNodes(service, n);
  try {
    const issuerToken = (await makeIssuer(nodes[0]!.url, issuerName)).token;
    const key = await call(nodes[1]!.url, "GET", "/v1/log/key");
    const verifierKey = (key.body as { verifierKey: string }).verifierKey;
    return { service, nodes, issuerToken, verifierKey };
  } catch (e) {
    for (const x of nodes) await x.stop().catch(() => undefined);
    throw e;
  }
}
