// Test support: each test file gets its own schema in the shared test database, so files run in
// parallel without seeing each other's tables, and the schema is dropped afterwards. A database
// that is not reachable fails the test loudly (never a silent skip): `.ci/run` starts PostgreSQL
// before the suite.
import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { createPool, type Pool } from "./pool.js";

/** The test database (override with MERITLOG_TEST_DATABASE_URL). */
export const TEST_DATABASE_URL =
  process.env["MERITLOG_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestSchema {
  /** The schema's name (t_ + 16 hex digits). */
  schema: string;
  /** A URL whose connections use only this schema (`options=-c search_path=…`): give it to servers. */
  url: string;
  /** A pool on `url`, closed by `drop`. */
  pool: Pool;
  /** Ends the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/** `url` with its connections' search_path set to `schema` (libpq `options` parameter). */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

/**
 * Creates an empty schema for one test file. Call in beforeAll; call `drop()` in afterAll.
 * @throws Error naming the URL when the test database is not reachable.
 */
export async function createTestSchema(baseUrl: string = TEST_DATABASE_URL): Promise<TestSchema> {
  const schema = `t_${randomBytes(8).toString("hex")}`;
  const admin = createPool(baseUrl, { max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (e) {
    await admin.end();
    throw new Error(
      `PostgreSQL test database ${baseUrl} is not reachable (${(e as Error).message}); start it with ` +
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (.ci/run does)",
      { cause: e },
    );
  }
  const url = withSearchPath(baseUrl, schema);
  const pool = createPool(url, { max: 5 });
  let dropped = false;
  return {
    schema,
    url,
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      try {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A TCP relay in front of the test database that a test can cut (database unreachable) and restore. */
export interface TcpRelay {
  /** The test database's URL through the relay, with `schema` as search_path. */
  url(schema: string): string;
  /** Closes the listener and every relayed connection: the database looks down. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
}

/** Starts a relay to the test database on a free loopback port. */
export async function createTcpRelay(baseUrl: string = TEST_DATABASE_URL): Promise<TcpRelay> {
  const target = new URL(baseUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((c) => {
        const up = connect(Number(target.port || 5432), target.hostname);
        sockets.add(c).add(up);
        const drop = () => {
          c.destroy();
          up.destroy();
          sockets.delete(c);
          sockets.delete(up);
        };
        c.on("error", drop).on("close", drop);
        up.on("error", drop).on("close", drop);
        c.pipe(up).pipe(c);
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  await listen();
  return {
    url(schema) {
      const u = new URL(baseUrl);
      u.host = `127.0.0.1:${port}`;
      return withSearchPath(u.toString(), schema);
    },
    async cut() {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        for (const x of sockets) x.destroy();
      });
    },
    restore: listen,
  };
}
