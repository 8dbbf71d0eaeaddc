// End-to-end issuance over HTTP on a real 127.0.0.1 port: validate, claims discipline, sign
// (Ed25519, cached node:crypto key), anchor durably in the real transparency log (group commit,
// signed checkpoint per batch), store the record (synced), respond 201 with the receipt.
// Concurrent clients by autocannon in a child process (its own event loop, same 2 cores).
// Scenarios in the same run: the issuer plugin on one event loop; the same with the CPU-bound
// stages (parse, claims discipline, build, sign) in a worker thread; the whole server (buildApp).
// Baseline measured in the same run: raw node:crypto Ed25519 signing of a JWT-sized input.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawn } from "node:child_process";
import Fastify from "fastify";
import { Level } from "level";
import { loadOrCreateLogSigner, openLog, type TransparencyLog } from "@meritlog/ledger";
import {
  buildCredential,
  credentialJwtClaims,
  issueRequestSchema,
  parseInput,
  parseIssueRequest,
} from "@meritlog/schemas";
import { verifyReceipt } from "@meritlog/ledger/verify";
import {
  createIssuerService,
  createSecretBox,
  issuerRoutes,
  ISSUER_ERROR_STATUS,
  JwtSigner,
  type IssuerService,
} from "@meritlog/issuer";
import { apiExamples } from "../tests/helpers/api-examples.js";
import { defaultIssuanceWorkers } from "../server/src/cores.js";
import { percentile, type BenchReport } from "./report.js";

const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const BODY = JSON.stringify(apiExamples(HOLDER).microCredential());

const DURATION_S = Number(process.env.BENCH_ISSUANCE_SECONDS ?? 10);
// Concurrent clients: enough to fill the group-commit batches of the log and of the record
// store. Measured on this machine (issuer plugin, one event loop): 32, 64 and 256 connections
// give the same throughput, p50 14 / 27 / 115–190 ms, so 256 only adds queueing; 64 is the default.
const CONNECTIONS = Number(process.env.BENCH_ISSUANCE_CONNECTIONS ?? 64);

/** Raw node:crypto Ed25519 signatures per second over an input of `bytes` base64url characters, cached KeyObject (best round). */
function signBaseline(bytes = 2000): number {
  const { privateKey } = generateKeyPairSync("ed25519");
  const input = Buffer.from(
    randomBytes(Math.ceil((bytes * 3) / 4))
      .toString("base64url")
      .slice(0, bytes),
  );
  return 1e6 / microsPerOp(() => sign(null, input, privateKey), 250);
}

/**
 * Raw Ed25519 signatures per CPU-second of this thread (same input and key as signBaseline; best of
 * 5 rounds). On a shared machine CPU time is less disturbed by other work than wall time (not immune:
 * measured 20,217/CPU-s at load 23 against 28,045/s on a quiet machine), so the per-CPU-second
 * ratios below compare better between runs taken at different loads.
 */
function signCpuBaseline(bytes = 2000): number {
  const { privateKey } = generateKeyPairSync("ed25519");
  const input = Buffer.from(
    randomBytes(Math.ceil((bytes * 3) / 4))
      .toString("base64url")
      .slice(0, bytes),
  );
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const c0 = mainThreadCpuUs();
    let n = 0;
    while (mainThreadCpuUs() - c0 < 200_000) {
      for (let i = 0; i < 200; i++) sign(null, input, privateKey);
      n += 200;
    }
    best = Math.max(best, n / ((mainThreadCpuUs() - c0) / 1e6));
  }
  return best;
}

/** This process's CPU time in µs (user + system); run before any server starts, so it is this thread's. */
const mainThreadCpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU seconds (user + system) from a /proc stat line: fields 14/15, or 16/17 (`children`: reaped child processes). Linux only; NaN elsewhere. */
function procCpuSeconds(path: string, children = false): number {
  try {
    const stat = readFileSync(path, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
    const at = children ? 13 : 11; // utime is field 14, cutime 16
    return (Number(f[at]) + Number(f[at + 1])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** Main-thread CPU seconds of this process (the event loop that serves HTTP). */
const mainThreadCpu = () => procCpuSeconds(`/proc/self/task/${process.pid}/stat`);
/** CPU seconds of this process's reaped children (autocannon runs as one). */
const childrenCpu = () => procCpuSeconds("/proc/self/stat", true);

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number; p97_5?: number; average: number };
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** autocannon as a child process (its own event loop and process), JSON result on stdout. */
function cannon(o: {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}): Promise<CannonResult> {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve("autocannon/package.json")), "autocannon.js");
  const args = [
    bin,
    "--json",
    "-m",
    "POST",
    "-c",
    String(o.connections),
    "-d",
    String(o.duration),
    "-b",
    o.body,
  ];
  for (const [k, v] of Object.entries(o.headers)) args.push("-H", `${k}=${v}`);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve(JSON.parse(out) as CannonResult);
      } catch (e) {
        reject(new Error(`autocannon exited ${code} without a JSON result`, { cause: e }));
      }
    });
  });
}

/** The real transparency log (group commit, synced batches, signed checkpoints), default batching. */
async function openAnchorLog(
  db: Level<string, Uint8Array>,
  box: ReturnType<typeof createSecretBox>,
  origin: string,
): Promise<TransparencyLog> {
  const sub = (name: string) =>
    db.sublevel<string, Uint8Array>(name, { keyEncoding: "utf8", valueEncoding: "view" });
  const signer = await loadOrCreateLogSigner(sub("keys"), origin, box);
  return await openLog({ db: sub("log"), origin, signer });
}

/** µs per call of `fn`: the best of 5 rounds of ~`ms` each (the machine is shared; the minimum is the least disturbed). */
function microsPerOp(fn: () => unknown, ms = 120): number {
  for (let i = 0; i < 50; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 20; i++) fn();
      n += 20;
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
}

/** Where one issuance spends main-thread CPU, stage by stage (same run, same machine state). */
function stageCosts(r: BenchReport): number {
  const body = () => JSON.parse(BODY) as unknown;
  const req = parseIssueRequest(body());
  const issuer = { id: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", name: "Bench Academy" };
  const ctx = {
    id: "urn:uuid:6f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
    issuer,
    validFrom: "2026-11-21T00:00:00Z",
  };
  const cred = buildCredential(req, ctx);
  const { privateKey } = generateKeyPairSync("ed25519");
  const signer = new JwtSigner(`${issuer.id}#${issuer.id.slice(8)}`, privateKey);
  const parse = microsPerOp(() => parseInput(issueRequestSchema, body()));
  const claims = microsPerOp(() => parseIssueRequest(body())) - parse;
  const build = microsPerOp(() => buildCredential(req, ctx));
  const sign = microsPerOp(() => signer.sign({ ...cred, ...credentialJwtClaims(cred) }));
  r.record("stage: JSON + zod parse of the request", parse, "µs/op");
  r.record(
    "stage: claims discipline (parseIssueRequest minus parse)",
    claims,
    "µs/op",
    "@meritlog/schemas; the same body every time: its texts' naming verdicts are remembered, as for an issuer issuing one achievement",
  );
  r.record("stage: buildCredential", build, "µs/op");
  r.record("stage: JWT encode + Ed25519 sign", sign, "µs/op");
  return parse + claims + build + sign;
}

/** Length of the JWS signing input (`header.payload`) of the bench request's credential. */
function signingInputLength(): number {
  const req = parseIssueRequest(JSON.parse(BODY) as unknown);
  const issuer = { id: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", name: "Bench Academy" };
  const statusUrl = "http://127.0.0.1/v1/status/0123456789abcdef";
  const credentialStatus = (["revocation", "suspension"] as const).map((purpose) => ({
    id: `${statusUrl}-${purpose}#123456`,
    type: "BitstringStatusListEntry" as const,
    statusPurpose: purpose,
    statusListIndex: "123456",
    statusListCredential: `${statusUrl}-${purpose}`,
  }));
  const cred = buildCredential(req, {
    id: "urn:uuid:01a1fe84-9d06-7d20-bedd-224c73d97b3c",
    issuer,
    validFrom: "2026-11-21T00:00:00Z",
    credentialStatus,
  });
  const { privateKey } = generateKeyPairSync("ed25519");
  return new JwtSigner(`${issuer.id}#${issuer.id.slice(8)}`, privateKey).signingInput({
    ...cred,
    ...credentialJwtClaims(cred),
  }).length;
}

interface Scenario {
  rate: number;
  /** CPU time (all threads of this process: event loop, workers, LevelDB, fsync) per credential served over HTTP. */
  cpuPerCredUs: number;
  /** Of which on the main thread (the event loop serving HTTP). */
  mainCpuPerCredUs: number;
  /** The load generator's CPU (autocannon child process) per request. */
  clientCpuPerReqUs: number;
  p50: number;
  p99: number;
  failed: number;
  stats: string;
  inProcess?: { rate: number; p50: number; p99: number };
}

interface Target {
  url: string;
  adminToken: string;
  verifierKey: string;
  /** In-process issuance, when the service is reachable from here. */
  issue?: (issuerId: string, body: unknown) => Promise<unknown>;
  close(): Promise<void>;
}

/** The issuer plugin alone on a bare Fastify app, with the real log, on a fresh data folder. */
async function pluginTarget(dir: string, workers: number): Promise<Target> {
  const db = new Level<string, Uint8Array>(join(dir, "db"), { keyEncoding: "utf8", valueEncoding: "view" });
  await db.open();
  const box = createSecretBox(randomBytes(32));
  const log = await openAnchorLog(db, box, "bench.meritlog.example/log");
  const service: IssuerService = await createIssuerService({
    db: db.sublevel<string, Uint8Array>("issuer", { keyEncoding: "utf8", valueEncoding: "view" }),
    box,
    log,
    baseUrl: "http://127.0.0.1",
    issuanceWorkers: workers,
  });
  const adminToken = "bench-admin-token";
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.setErrorHandler((err: Error & { code?: string; status?: number }, _req, reply) => {
    const status =
      (err.code ? (ISSUER_ERROR_STATUS as Record<string, number>)[err.code] : undefined) ?? err.status ?? 500;
    return reply.code(status).send({ code: err.code ?? "internal.error", detail: err.message });
  });
  await app.register(issuerRoutes, {
    service,
    adminTokenHash: createHash("sha256").update(adminToken).digest(),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    adminToken,
    verifierKey: log.verifierKey,
    issue: (issuerId, body) => service.issue(issuerId, body),
    async close() {
      await app.close();
      await service.close();
      await log.close();
      await db.close();
    },
  };
}

/**
 * The whole server (`buildApp` of @meritlog/server: problem+json, OpenAPI, every route group), rate limit off.
 * `issuanceWorkers` undefined: the server's default (one worker thread per spare core, server/src/cores.ts).
 */
async function serverTarget(dir: string, issuanceWorkers?: number): Promise<Target> {
  const { buildApp, configFromEnv } = await import("@meritlog/server");
  const adminToken = "bench-admin-token";
  const config = configFromEnv(
    {},
    {
      dataDir: dir,
      adminToken,
      secret: "bench-secret",
      logger: false,
      rateLimitPerMinute: 0,
      host: "127.0.0.1",
      port: 0,
      ...(issuanceWorkers !== undefined ? { issuanceWorkers } : {}),
    },
  );
  const app = await buildApp(config);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const key = (await (await fetch(`${url}/v1/log/key`)).json()) as { verifierKey: string };
  return { url, adminToken, verifierKey: key.verifierKey, close: () => app.close() };
}

/** One fresh data folder and target on 127.0.0.1; load from autocannon. */
async function scenario(open: (dir: string) => Promise<Target>): Promise<Scenario> {
  const dir = await mkdtemp(join(tmpdir(), "meritlog-bench-issuance-"));
  const target = await open(dir);
  const url = target.url;
  try {
    const created = (await (
      await fetch(`${url}/v1/issuers`, {
        method: "POST",
        headers: { authorization: `Bearer ${target.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Bench Academy" }),
      })
    ).json()) as { id: string; token: string };
    const headers = { authorization: `Bearer ${created.token}`, "content-type": "application/json" };

    // One issuance checked end to end before load: 201, and the receipt verifies against the log key.
    const first = await fetch(`${url}/v1/credentials`, { method: "POST", headers, body: BODY });
    const one = (await first.json()) as { jwt: string; receipt: Parameters<typeof verifyReceipt>[0] };
    const check = verifyReceipt(one.receipt, target.verifierKey);
    if (first.status !== 201 || !check.ok)
      throw new Error(`issuance check failed: HTTP ${first.status}, receipt ${check.code}`);

    // In-process issuance (no HTTP), same service: the cost of HTTP is the difference.
    let inProcess: Scenario["inProcess"];
    if (target.issue) {
      const n = 3000;
      const lat: number[] = [];
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next++ < n) {
            const s = performance.now();
            await target.issue!(created.id, JSON.parse(BODY));
            lat.push(performance.now() - s);
          }
        }),
      );
      inProcess = {
        rate: n / ((performance.now() - t0) / 1000),
        p50: percentile(lat, 50),
        p99: percentile(lat, 99),
      };
    }

    await cannon({
      url: `${url}/v1/credentials`,
      headers,
      body: BODY,
      connections: CONNECTIONS,
      duration: 2,
    }); // warm-up
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpu();
    const child0 = childrenCpu();
    const res = await cannon({
      url: `${url}/v1/credentials`,
      headers,
      body: BODY,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    const cpu = process.cpuUsage(cpu0);
    const served = Math.max(1, res["2xx"]);
    return {
      rate: res["2xx"] / res.duration,
      cpuPerCredUs: (cpu.user + cpu.system) / served,
      mainCpuPerCredUs: ((mainThreadCpu() - main0) * 1e6) / served,
      clientCpuPerReqUs: ((childrenCpu() - child0) * 1e6) / Math.max(1, res["2xx"] + res.non2xx),
      p50: res.latency.p50,
      p99: res.latency.p99,
      failed: res.non2xx + res.errors + res.timeouts,
      stats: JSON.stringify(res.statusCodeStats),
      ...(inProcess ? { inProcess } : {}),
    };
  } finally {
    await target.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function issuanceBench(r: BenchReport): Promise<void> {
  r.record(
    "load average (1 min) at start",
    loadavg()[0]!,
    "runnable tasks",
    "2 cores; above 2 means other work competed for them",
  );
  const baseline = signBaseline();
  r.record(
    "baseline: node:crypto Ed25519 sign (cached KeyObject, 2 KB input)",
    Math.round(baseline),
    "sig/s",
    "one core, same run",
  );
  // The real signing input (header.payload of this request's JWT) is about twice as long.
  const realInput = signingInputLength();
  r.record(
    `baseline at the real JWT signing-input size (${realInput} B)`,
    Math.round(signBaseline(realInput)),
    "sig/s",
    "for reference; ratios below use the 2 KB baseline",
  );
  const cpuBaseline = signCpuBaseline();
  r.record(
    "baseline: node:crypto Ed25519 sign per CPU-second (2 KB input)",
    Math.round(cpuBaseline),
    "sig/CPU-s",
    "one thread, same run; the per-CPU-second ratios below use it",
  );
  const cpu = stageCosts(r);
  r.record(
    "stages total (CPU bound on one event loop, before HTTP, log, storage)",
    Math.round(1e6 / cpu),
    "cred/s max",
  );

  // Scenarios: the issuer plugin on one event loop, the same with parse/claims/build/sign in one
  // worker thread, and the whole server (buildApp) on one event loop and with its default pool.
  // BENCH_ISSUANCE_SCENARIOS=plugin,workers,server,server-workers.
  const wanted = (process.env.BENCH_ISSUANCE_SCENARIOS ?? "plugin,workers,server,server-workers").split(",");
  const scenarios: [string, string, (dir: string) => Promise<Target>][] = [
    ["plugin", "issuer plugin, single event loop", (dir) => pluginTarget(dir, 0)],
    ["workers", "issuer plugin, parse/claims/build/sign in 1 worker thread", (dir) => pluginTarget(dir, 1)],
    [
      "server",
      "full server (buildApp, rate limit off), single event loop (MERITLOG_ISSUANCE_WORKERS=0)",
      (dir) => serverTarget(dir, 0),
    ],
    [
      "server-workers",
      `full server, default: ${defaultIssuanceWorkers()} issuance worker(s), one per spare core`,
      (dir) => serverTarget(dir),
    ],
  ];
  let best = 0;
  for (const [key, label, open] of scenarios) {
    if (!wanted.includes(key)) continue;
    const s = await scenario(open);
    if (s.inProcess) {
      r.record(
        `[${label}] in-process issuance (no HTTP), durable + anchored`,
        Math.round(s.inProcess.rate),
        "cred/s",
        `${CONNECTIONS} concurrent; p50 ${s.inProcess.p50.toFixed(1)} ms, p99 ${s.inProcess.p99.toFixed(1)} ms`,
      );
    }
    r.record(
      `[${label}] end-to-end issuance over HTTP (201 with receipt)`,
      Math.round(s.rate),
      "cred/s",
      `${CONNECTIONS} connections, ${DURATION_S} s, autocannon in a child process on the same 2 cores`,
    );
    r.record(
      `[${label}] server CPU per credential`,
      Math.round(s.cpuPerCredUs),
      "µs",
      `all threads of the server process; ${Math.round(1e6 / s.cpuPerCredUs)} cred/s per fully available core`,
    );
    r.record(
      `[${label}] server main-thread CPU per credential`,
      Math.round(s.mainCpuPerCredUs),
      "µs",
      `the event loop serving HTTP: at most ${Math.round(1e6 / s.mainCpuPerCredUs)} cred/s; the rest is workers, LevelDB compaction, GC helpers, fsync`,
    );
    r.record(
      `[${label}] load generator CPU per request`,
      Math.round(s.clientCpuPerReqUs),
      "µs",
      "autocannon child process, on the same 2 cores",
    );
    r.record(`[${label}] latency p50`, s.p50, "ms");
    r.record(`[${label}] latency p99`, s.p99, "ms");
    r.record(`[${label}] failed requests`, s.failed, "count", s.stats);
    r.record(`[${label}] ratio end-to-end / raw signing baseline`, s.rate / baseline, "×");
    r.record(
      `[${label}] ratio per CPU-second: credentials per server CPU-second / raw signatures per CPU-second`,
      1e6 / s.cpuPerCredUs / cpuBaseline,
      "×",
      "the work per credential against one signature; less disturbed by other load than the rate ratio, not immune (a VM counts contention as CPU time too)",
    );
    best = Math.max(best, s.rate);
  }
  r.record(
    "target 5,000 cred/s end-to-end reached",
    best >= 5000 ? 1 : 0,
    "bool",
    `best ${Math.round(best)} cred/s`,
  );
  r.record("load average (1 min) at end", loadavg()[0]!, "runnable tasks");
}
