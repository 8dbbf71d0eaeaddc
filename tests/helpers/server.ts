import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import type { TestSchema } from "@meritlog/postgres";
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
    // issuanceWorkers and verifyWorkers 0: from the TypeScript sources each worker thread compiles
    // the schemas package anew through tsx (seconds on a loaded machine, per server); the default
    // pools are covered by issuer/test/issuance-workers.test.ts, verifier/test/decode-pool.test.ts
    // and by the tests that start the built server.
    {
      dataDir,
      port,
      adminToken: ADMIN_TOKEN,
      logger: false,
      batchMaxDelayMs: 1,
      issuanceWorkers: 0,
      verifyWorkers: 0,
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

/** In-process nodes driven with inject(), made by {@link injectNodes}. */
export interface InjectNodes {
  /** Builds one more app on a fresh data folder with `overrides`; resolves once it is ready. */
  start(overrides?: Partial<ServerConfig>): Promise<FastifyInstance>;
  /** Closes every app started and removes every data folder (also one whose app failed to build). */
  closeAll(): Promise<void>;
}

/**
 * Apps built but never listening (the tests drive them with inject()), each on its own data
 * folder, with the test admin token, no logging, 1 ms batches and `base`.
 */
export function injectNodes(base: Partial<ServerConfig>): InjectNodes {
  const apps: FastifyInstance[] = [];
  const dirs: string[] = [];
  return {
    async start(overrides = {}) {
      const dataDir = await mkdtemp(join(tmpdir(), "meritlog-inject-"));
      dirs.push(dataDir);
      const app = await buildApp(
        configFromEnv(
          {},
          {
            dataDir,
            port: 1,
            publicUrl: "http://127.0.0.1:1",
            adminToken: ADMIN_TOKEN,
            logger: false,
            batchMaxDelayMs: 1,
            ...base,
            ...overrides,
          },
        ),
      );
      await app.ready();
      apps.push(app);
      return app;
    },
    async closeAll() {
      for (const app of apps.splice(0)) await app.close().catch(() => undefined);
      for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    },
  };
}

/** Two in-process nodes of one service on one PostgreSQL schema (docs/SCALING.md). */
export interface ServerPair {
  a: RunningServer;
  b: RunningServer;
  schema: TestSchema;
  /** Closes both nodes, then drops the schema. */
  close(): Promise<void>;
}

/**
 * Starts two nodes on `schema`, each with its own data folder (the log and every other store are
 * shared), one after the other: the second finds the schema migrated and migrates nothing. Both
 * get `overrides` and one secret (one service). A start that fails closes what it started and
 * drops the schema. The test file makes the schema (tests/backend-selection.test.ts checks that
 * every file already on PostgreSQL does).
 */
export async function startServerPair(
  schema: TestSchema,
  overrides: Partial<ServerConfig> = {},
): Promise<ServerPair> {
  const config = { secret: "one service, one secret", ...overrides, databaseUrl: schema.url };
  const started: RunningServer[] = [];
  const close = async (): Promise<void> => {
    for (const s of started) await s.close();
    await schema.drop();
  };
  try {
    started.push(await startServer(config));
    started.push(await startServer(config));
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
  const [a, b] = started as [RunningServer, RunningServer];
  return { a, b, schema, close };
}

/** Makes an issuer named `name` through `base` with the admin token; fails the test unless 201. */
export async function makeIssuer(
  base: string,
  name: string,
): Promise<{ id: string; did: string; token: string }> {
  const made = await call(base, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name } });
  expect(made.status, made.text).toBe(201);
  return made.body as { id: string; did: string; token: string };
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
