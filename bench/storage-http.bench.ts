// Issuance and verification over HTTP by storage backend (issue 10 "Benchmarks"): the built server
// (server/dist/server.js with the node options of package.json's start script) as real processes on 127.0.0.1, on the embedded
// LevelDB store, on PostgreSQL with one node, and on PostgreSQL with two nodes (two server
// processes on one database, the load spread over both). Same requests, same load, one run, next
// to raw node:crypto Ed25519 sign and verify measured in the same run, so the ratios compare.
//
// Where PostgreSQL's time goes: the CPU of the server processes and of every PostgreSQL backend
// process (/proc), and per request the transactions, rows written per table and WAL the case
// cost (pg_stat_user_tables of the case's own schema; pg_stat_database / pg_current_wal_lsn are
// cluster-wide, so other work on a shared machine adds to them). pg_stat_statements needs
// shared_preload_libraries and a cluster restart, which a shared test cluster does not get.
// `npm run bench -- storage-http` runs it alone; BENCH_STORAGE_SECONDS sets each load's length.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { apiExamples } from "../tests/helpers/api-examples.js";
import { freePort } from "../tests/helpers/server.js";
import { npmStartArgs, REPO_ROOT } from "../tests/helpers/npm-start.js";
import type { BenchReport } from "./report.js";

const SECONDS = Number(process.env.BENCH_STORAGE_SECONDS ?? 10);
const ISSUE_CONNECTIONS = 64; // as bench/issuance.bench.ts
const VERIFY_CONNECTIONS = 32; // as bench/verify.bench.ts
const ADMIN = "mla_bench-admin-token-0123456789abcdef";
const SECRET = "bench-storage-secret-0123456789abcdef";
const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

/** Best of 5 rounds of ~150 ms: ops per second of `fn` on this thread. */
function opsPerSecond(fn: () => unknown): number {
  for (let i = 0; i < 100; i++) fn();
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 150) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
    }
    best = Math.max(best, (n * 1000) / (performance.now() - t0));
  }
  return best;
}

/** CPU seconds (utime + stime) of a process from /proc/<pid>/stat; 0 when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Total CPU seconds of every PostgreSQL process on this machine (backends, WAL writer, checkpointer). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") total += cpuSeconds(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

interface LoadResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
  latency: { p50: number; p99: number };
  ms: number;
}

// autocannon in a child process (its own event loop), as bench/verify.bench.ts runs it.
const LOAD_SCRIPT = `
const [bin, url, body, headers, connections, seconds] = process.argv.slice(1);
const autocannon = (await import(bin)).default;
const t0 = performance.now();
const res = await autocannon({ url, method: "POST", headers: JSON.parse(headers), body, connections: Number(connections), duration: Number(seconds) });
process.stdout.write(JSON.stringify({ requests: res.requests, non2xx: res.non2xx, errors: res.errors, latency: res.latency, ms: performance.now() - t0 }));
`;

function load(
  url: string,
  body: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const bin = createRequire(import.meta.url).resolve("autocannon");
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        LOAD_SCRIPT,
        bin,
        url,
        body,
        JSON.stringify({ "content-type": "application/json", ...headers }),
        String(connections),
        String(seconds),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (e) {
        reject(new Error(`load generator exited ${code}: ${err.slice(0, 400)}`, { cause: e }));
      }
    });
  });
}

interface Node {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

/** The built server as a process, rate limit off, logs off, on `databaseUrl` when given. */
async function startNode(databaseUrl: string | undefined, origin: string): Promise<Node> {
  const dataDir = await mkdtemp(join(tmpdir(), "meritlog-bench-storage-"));
  const port = await freePort();
  const child = spawn(process.execPath, npmStartArgs(), {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      MERITLOG_DATA: dataDir,
      MERITLOG_ADMIN_TOKEN: ADMIN,
      MERITLOG_SECRET: SECRET,
      MERITLOG_LOG_ORIGIN: origin,
      MERITLOG_RATE_LIMIT: "0",
      MERITLOG_LOG: "off",
      ...(databaseUrl ? { MERITLOG_DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${err.slice(0, 800)}`);
    if (Date.now() > deadline) throw new Error(`server did not answer on ${url}: ${err.slice(0, 800)}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, dataDir };
}

async function stopNode(n: Node): Promise<void> {
  const exited = new Promise((r) => n.child.once("exit", r));
  n.child.kill("SIGTERM");
  await exited;
  await rm(n.dataDir, { recursive: true, force: true });
}

async function post(url: string, body: unknown, token?: string): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** The same load on every node at once (connections split evenly); summed rate, worst percentiles. */
async function spread(
  nodes: Node[],
  path: string,
  body: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<{ rate: number; ok: number; failed: number; p50: number; p99: number }> {
  const results = await Promise.all(
    nodes.map((n) => load(n.url + path, body, headers, Math.ceil(connections / nodes.length), seconds)),
  );
  const ok = results.reduce((s, r) => s + r.requests.total - r.non2xx - r.errors, 0);
  const failed = results.reduce((s, r) => s + r.non2xx + r.errors, 0);
  const ms = Math.max(...results.map((r) => r.ms));
  return {
    rate: (ok * 1000) / ms,
    ok,
    failed,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
  };
}

interface PgCounters {
  commits: number;
  walBytes: number;
  /** Rows inserted, updated or deleted, per table of the case's schema. */
  writes: Map<string, number>;
  /** Index and sequential scans (each a statement's read of the table), per table. */
  scans: Map<string, number>;
}

/** Commits of the test database, WAL position, and rows written per table of the case's schema. */
async function pgCounters(db: TestSchema): Promise<PgCounters> {
  const c = await db.pool.query<{ commits: string; wal: string }>(
    "SELECT xact_commit::text AS commits, (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS wal FROM pg_stat_database WHERE datname = current_database()",
  );
  const t = await db.pool.query<{ relname: string; n: string; scans: string }>(
    "SELECT relname, (n_tup_ins + n_tup_upd + n_tup_del)::text AS n, (coalesce(idx_scan, 0) + seq_scan)::text AS scans FROM pg_stat_user_tables WHERE schemaname = $1",
    [db.schema],
  );
  return {
    commits: Number(c.rows[0]!.commits),
    walBytes: Number(c.rows[0]!.wal),
    writes: new Map(t.rows.map((r) => [r.relname, Number(r.n)])),
    scans: new Map(t.rows.map((r) => [r.relname, Number(r.scans)])),
  };
}

/** Per-table deltas per request, largest first, as "table 1.23, …", and their sum. */
function perRequest(before: Map<string, number>, after: Map<string, number>, n: number): [number, string] {
  const rows = [...after]
    .map(([t, v]) => [t, (v - (before.get(t) ?? 0)) / n] as const)
    .filter(([, v]) => v > 0.005)
    .sort((a, b) => b[1] - a[1]);
  return [rows.reduce((s, [, v]) => s + v, 0), rows.map(([t, v]) => `${t} ${v.toFixed(2)}`).join(", ")];
}

/**
 * PostgreSQL 15 backends flush their statistics when idle, at the latest ~10 s later
 * (PGSTAT_IDLE_INTERVAL): wait that long so the counters hold everything before them.
 */
async function settledPgCounters(db: TestSchema): Promise<PgCounters> {
  await new Promise((r) => setTimeout(r, 11_000));
  await db.pool.query("SELECT pg_stat_clear_snapshot()");
  return await pgCounters(db);
}

interface Case {
  name: string;
  nodes: number;
  postgres: boolean;
}

const CASES: Case[] = [
  { name: "LevelDB, 1 node", nodes: 1, postgres: false },
  { name: "PostgreSQL, 1 node", nodes: 1, postgres: true },
  { name: "PostgreSQL, 2 nodes (2 server processes, one database)", nodes: 2, postgres: true },
];

export default async function storageHttp(r: BenchReport): Promise<void> {
  r.record(
    "load average (1 min) at start",
    loadavg()[0]!,
    "runnable tasks",
    "2 cores; above 2 means other work competed",
  );
  // Baselines, same run: raw Ed25519 over a JWT-sized input with a cached KeyObject.
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const input = Buffer.from(randomBytes(1500).toString("base64url").slice(0, 2000));
  const sig = sign(null, input, privateKey);
  const signRate = opsPerSecond(() => sign(null, input, privateKey));
  const verifyRate = opsPerSecond(() => verify(null, input, publicKey, sig));
  r.record(
    "baseline: node:crypto Ed25519 sign (2 KB input)",
    Math.round(signRate),
    "sig/s",
    "one core, same run",
  );
  r.record(
    "baseline: node:crypto Ed25519 verify (2 KB input)",
    Math.round(verifyRate),
    "ops/s",
    "one core, same run",
  );

  const issueBody = JSON.stringify(apiExamples(HOLDER).microCredential());
  for (const c of CASES) {
    const db = c.postgres ? await createTestSchema() : undefined;
    const nodes: Node[] = [];
    try {
      const origin = "bench.meritlog.example/storage-log";
      // One node first (it runs the migrations), then the rest: as an operator would roll them out.
      nodes.push(await startNode(db?.url, origin));
      for (let k = 1; k < c.nodes; k++) nodes.push(await startNode(db?.url, origin));
      const issuer = (await post(`${nodes[0]!.url}/v1/issuers`, { name: "Bench Academy" }, ADMIN)) as {
        token: string;
      };
      const auth = { authorization: `Bearer ${issuer.token}` };
      const sample = (await post(`${nodes[0]!.url}/v1/credentials`, JSON.parse(issueBody), issuer.token)) as {
        jwt: string;
        receipt: unknown;
      };
      const verifyBody = JSON.stringify({ credential: sample.jwt, receipt: sample.receipt });
      await spread(nodes, "/v1/credentials", issueBody, auth, 16, 2); // warm-up: JIT, pools

      const pids = nodes.map((n) => n.child.pid!);
      const before = db ? await settledPgCounters(db) : undefined;
      const cpu0 = pids.map(cpuSeconds);
      const pg0 = postgresCpuSeconds();
      const issued = await spread(nodes, "/v1/credentials", issueBody, auth, ISSUE_CONNECTIONS, SECONDS);
      const serverCpu = pids.reduce((s, p, i) => s + cpuSeconds(p) - cpu0[i]!, 0);
      const pgCpu = postgresCpuSeconds() - pg0;
      const after = db ? await settledPgCounters(db) : undefined;
      r.record(
        `[${c.name}] issuance over HTTP (201 with receipt)`,
        Math.round(issued.rate),
        "cred/s",
        `${ISSUE_CONNECTIONS} connections, ${SECONDS} s, ${issued.failed} failed`,
      );
      r.record(`[${c.name}] issuance latency p50`, issued.p50, "ms", c.nodes > 1 ? "worst node" : undefined);
      r.record(`[${c.name}] issuance latency p99`, issued.p99, "ms", c.nodes > 1 ? "worst node" : undefined);
      r.record(`[${c.name}] issuance ratio to raw Ed25519 sign`, issued.rate / signRate, "×");
      r.record(
        `[${c.name}] issuance: server process CPU per credential`,
        Math.round((serverCpu * 1e6) / issued.ok),
        "µs",
        `all ${c.nodes} node process(es)`,
      );
      if (c.postgres) {
        r.record(
          `[${c.name}] issuance: PostgreSQL CPU per credential`,
          Math.round((pgCpu * 1e6) / issued.ok),
          "µs",
          "every postgres process on the machine (others' work included)",
        );
        if (before && after) {
          r.record(
            `[${c.name}] issuance: commits per credential`,
            (after.commits - before.commits) / issued.ok,
            "transactions",
            "pg_stat_database of the test database (shared)",
          );
          r.record(
            `[${c.name}] issuance: WAL per credential`,
            Math.round((after.walBytes - before.walBytes) / issued.ok),
            "bytes",
            "pg_current_wal_lsn (cluster-wide)",
          );
          const [writes, writeNote] = perRequest(before.writes, after.writes, issued.ok);
          r.record(`[${c.name}] issuance: rows written per credential`, writes, "rows", writeNote);
          const [scans, scanNote] = perRequest(before.scans, after.scans, issued.ok);
          r.record(`[${c.name}] issuance: table reads per credential`, scans, "scans", scanNote);
        }
      }

      await spread(nodes, "/v1/verify", verifyBody, {}, 8, 2); // warm-up
      const vBefore = db ? await settledPgCounters(db) : undefined;
      const vcpu0 = pids.map(cpuSeconds);
      const vpg0 = postgresCpuSeconds();
      const verified = await spread(nodes, "/v1/verify", verifyBody, {}, VERIFY_CONNECTIONS, SECONDS);
      const vServerCpu = pids.reduce((s, p, i) => s + cpuSeconds(p) - vcpu0[i]!, 0);
      const vPgCpu = postgresCpuSeconds() - vpg0;
      r.record(
        `[${c.name}] verification over HTTP (POST /v1/verify)`,
        Math.round(verified.rate),
        "verifications/s",
        `${VERIFY_CONNECTIONS} connections, ${SECONDS} s, ${verified.failed} failed`,
      );
      r.record(`[${c.name}] verification latency p50`, verified.p50, "ms");
      r.record(`[${c.name}] verification latency p99`, verified.p99, "ms");
      r.record(`[${c.name}] verification ratio to raw Ed25519 verify`, verified.rate / verifyRate, "×");
      r.record(
        `[${c.name}] verification: server process CPU per request`,
        Math.round((vServerCpu * 1e6) / verified.ok),
        "µs",
      );
      const vAfter = db ? await settledPgCounters(db) : undefined;
      if (vBefore && vAfter) {
        const [scans, scanNote] = perRequest(vBefore.scans, vAfter.scans, verified.ok);
        r.record(`[${c.name}] verification: table reads per request`, scans, "scans", scanNote || "none");
        r.record(
          `[${c.name}] verification: commits per request`,
          (vAfter.commits - vBefore.commits) / verified.ok,
          "transactions",
          "pg_stat_database of the test database (shared)",
        );
      }
      if (c.postgres)
        r.record(
          `[${c.name}] verification: PostgreSQL CPU per request`,
          Math.round((vPgCpu * 1e6) / verified.ok),
          "µs",
          "every postgres process on the machine (others' work included)",
        );
    } finally {
      for (const n of nodes) await stopNode(n);
      await db?.drop();
    }
  }
  r.record("load average (1 min) at end", loadavg()[0]!, "runnable tasks");
}
