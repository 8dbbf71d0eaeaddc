import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp, configFromEnv, type ServerConfig } from "@meritlog/server";
import { backendOverrides } from "./backend.js";

export const ADMIN_TOKEN = "mla_test-admin-token-0123456789abcdef";

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  dataDir: string;
  config: ServerConfig;
  close(): Promise<void>;
}

/**
 * Starts the real composition root on 127.0.0.1 with a random port and a fresh data folder, on
 * this vitest project's storage backend (helpers/backend.ts: a fresh PostgreSQL schema per data
 * folder in the "postgres" project).
 */
export async function startServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), "meritlog-test-")));
  // Listen first on port 0 is not possible before the config names the public URL, so pick a free port.
  const port = overrides.port ?? (await freePort());
  const config = configFromEnv(
    {},
    // issuanceWorkers 0: from the TypeScript sources each worker thread compiles the schemas package
    // anew through tsx (seconds on a loaded machine, per server); the default pool is covered by
    // issuer/test/issuance-workers.test.ts and by the tests that start the built server.
    {
      dataDir,
      port,
      adminToken: ADMIN_TOKEN,
      logger: false,
      batchMaxDelayMs: 1,
      issuanceWorkers: 0,
      ...(await backendOverrides(dataDir)),
      ...overrides,
    },
  );
  const app = await buildApp(config);
  await app.listen({ host: config.host, port: config.port });
  return {
    app,
    url: config.publicUrl,
    dataDir,
    config,
    async close() {
      await app.close();
      if (!overrides.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/** JSON over HTTP with an optional bearer token; returns status, headers and parsed body. */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
  const res = await fetch(base + path, {
    method,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text };
}
