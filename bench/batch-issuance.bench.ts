// Batch issuance over HTTP (docs/API.md "What an issuer has issued", issue 11): the whole server
// (buildApp, rate limit off) on a real 127.0.0.1 port, `POST /v1/credentials/batch` with 1000
// items per request, each credential durable (synced record batch) and anchored (one group
// commit of the log per request) with its own receipt. Baseline in the same run: raw node:crypto
// Ed25519 signatures per second on one core. Where the time goes: per-item CPU of the stages
// (parse + claims, build, sign) measured in the same run, and the server's main-thread CPU.
// The load comes from a child process (its own event loop and heap, on the same 2 cores), as
// autocannon does in issuance.bench.ts: in this process its reading of the ~5 MB answers (JSON
// parse, UTF-8 decode, their garbage) ran on the server's event loop and counted as server CPU.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildCredential, credentialJwtClaims, parseIssueRequest } from "@meritlog/schemas";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { apiExamples } from "../tests/helpers/api-examples.js";
import type { BenchReport } from "./report.js";

const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const ITEMS = 1000;
const REQUESTS = Number(process.env.BENCH_BATCH_REQUESTS ?? 12);
/** Requests in flight at once: two keep the log and the record store busy while the next batch is signed. */
const CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 2);

/** µs per call: best of 5 rounds (the machine is shared; the minimum is the least disturbed). */
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

/** CPU seconds (user + system) from a /proc stat line: fields 14/15, or 16/17 (`children`: reaped child processes). Linux only; NaN elsewhere. */
function procCpuSeconds(path: string, children = false): number {
  try {
    const stat = readFileSync(path, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const at = children ? 13 : 11;
    return (Number(f[at]) + Number(f[at + 1])) / 100;
  } catch {
    return NaN;
  }
}

/** Main-thread CPU seconds of this process (Linux /proc; NaN elsewhere). */
const mainThreadCpu = () => procCpuSeconds(`/proc/self/task/${process.pid}/stat`);

/** CPU seconds of each thread of this process by thread id (Linux /proc; empty elsewhere). */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync("/proc/self/task"))
      out.set(Number(tid), procCpuSeconds(`/proc/self/task/${tid}/stat`));
  } catch {
    // not Linux: no per-thread rows
  }
  return out;
}

/**
 * Threads running when the bench module loaded: the event loop, V8's 4 platform threads (GC
 * helpers: concurrent marking, sweeping; started with the process, so the next 4 thread ids) and
 * libuv's pool (started by the first fs call; classic-level runs its writes and fsyncs there).
 */
const startThreads = new Set(threadCpu().keys());
const isPlatformThread = (tid: number) => tid > process.pid && tid <= process.pid + 4;
/** CPU seconds of this process's reaped children (the load generator runs as one). */
const childrenCpu = () => procCpuSeconds("/proc/self/stat", true);

/**
 * The load generator, run by a child node process: `requests` POSTs of the batch body, `concurrency`
 * in flight, each answer read whole and parsed; prints {done, seconds} (items issued, wall time).
 */
const CLIENT = `
const { url, headers, item, items, requests, concurrency } = JSON.parse(process.env.BENCH_BATCH_CLIENT);
const body = JSON.stringify({ items: Array.from({ length: items }, () => item) });
let next = 0, done = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next++ < requests) {
    const res = await fetch(url, { method: "POST", headers, body });
    if (res.status !== 201) throw new Error("batch: HTTP " + res.status + " " + (await res.text()));
    done += (await res.json()).results.filter((x) => x.id).length;
  }
}));
process.stdout.write(JSON.stringify({ done, seconds: (performance.now() - t0) / 1000 }));
`;

function runClient(o: {
  url: string;
  headers: Record<string, string>;
  item: unknown;
}): Promise<{ done: number; seconds: number }> {
  const env = { ...o, items: ITEMS, requests: REQUESTS, concurrency: CONCURRENCY };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CLIENT], {
      env: { ...process.env, BENCH_BATCH_CLIENT: JSON.stringify(env) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve(JSON.parse(out) as { done: number; seconds: number });
      } catch (e) {
        reject(new Error(`batch load generator exited ${code} without a result`, { cause: e }));
      }
    });
  });
}

export default async function batchIssuanceBench(r: BenchReport): Promise<void> {
  r.record(
    "load average (1 min) at start",
    loadavg()[0]!,
    "runnable tasks",
    "2 cores; above 2 means other work competed for them",
  );
  const { privateKey } = generateKeyPairSync("ed25519");
  const input = Buffer.from(randomBytes(1500).toString("base64url").slice(0, 2000));
  const baseline = 1e6 / microsPerOp(() => sign(null, input, privateKey), 250);
  r.record(
    "baseline: node:crypto Ed25519 sign (cached KeyObject, 2 KB input)",
    Math.round(baseline),
    "sig/s",
    "one core, same run",
  );

  // Where the time goes, per item (main thread, CPU bound).
  const body = apiExamples(HOLDER).microCredential();
  const text = JSON.stringify(body);
  const parse = microsPerOp(() => parseIssueRequest(JSON.parse(text)));
  const req = parseIssueRequest(body);
  const ctx = {
    id: "urn:uuid:6f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
    issuer: { id: HOLDER, name: "Bench Academy" },
    validFrom: "2026-11-21T00:00:00Z",
  };
  const build = microsPerOp(() => buildCredential(req, ctx));
  const cred = buildCredential(req, ctx);
  const signJwt = microsPerOp(() => {
    const payload = Buffer.from(JSON.stringify({ ...cred, ...credentialJwtClaims(cred) })).toString(
      "base64url",
    );
    return sign(null, Buffer.from(`eyJhbGciOiJFZERTQSJ9.${payload}`), privateKey);
  });
  r.record(
    "stage: JSON parse + schema + claims discipline",
    parse,
    "µs/item",
    "the same item every time, as in a cohort: its texts' naming verdicts are remembered (schemas claims-discipline.ts)",
  );
  r.record("stage: build the credential", build, "µs/item");
  r.record("stage: serialise + Ed25519 sign the JWT", signJwt, "µs/item");

  for (const workers of (process.env.BENCH_BATCH_WORKERS ?? "0,1").split(",").map(Number)) {
    await scenario(r, workers, baseline, body, parse + build + signJwt);
  }
  r.record("load average (1 min) at end", loadavg()[0]!, "runnable tasks");
}

/** One server (buildApp, rate limit off, `workers` issuance worker threads) under batch load. */
async function scenario(
  r: BenchReport,
  workers: number,
  baseline: number,
  body: Record<string, unknown>,
  stagesUs: number,
): Promise<void> {
  const tag = `[${workers} issuance worker${workers === 1 ? "" : "s"}]`;
  const { buildApp, configFromEnv } = await import("@meritlog/server");
  const dir = await mkdtemp(join(tmpdir(), "meritlog-bench-batch-"));
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
      issuanceWorkers: workers,
    },
  );
  const app = await buildApp(config);
  await app.listen({ host: "127.0.0.1", port: 0 });
  // Threads buildApp started (LevelDB's background compaction thread, libuv's pool for fsync).
  const appThreads = new Set([...threadCpu().keys()].filter((t) => !startThreads.has(t)));
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    const { verifierKey } = (await (await fetch(`${url}/v1/log/key`)).json()) as { verifierKey: string };
    const created = (await (
      await fetch(`${url}/v1/issuers`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Bench Academy" }),
      })
    ).json()) as { token: string };
    const headers = { authorization: `Bearer ${created.token}`, "content-type": "application/json" };
    const batch = JSON.stringify({ items: Array.from({ length: ITEMS }, () => body) });
    r.record(
      `${tag} request body`,
      batch.length / 1024,
      "KiB",
      `${ITEMS} items of the API.md MicroCredential example`,
    );

    type Result = {
      index: number;
      id?: string;
      receipt?: Parameters<typeof verifyReceipt>[0];
      error?: unknown;
    };
    const post = async (): Promise<Result[]> => {
      const res = await fetch(`${url}/v1/credentials/batch`, { method: "POST", headers, body: batch });
      if (res.status !== 201) throw new Error(`batch: HTTP ${res.status} ${await res.text()}`);
      return ((await res.json()) as { results: Result[] }).results;
    };

    // Warm-up, and the check that every item was issued with a receipt that verifies.
    const first = await post();
    const issued = first.filter((x) => x.id && x.receipt);
    const bad = issued.filter((x) => !verifyReceipt(x.receipt!, verifierKey).ok).length;
    if (issued.length !== ITEMS || bad > 0)
      throw new Error(`batch check failed: ${issued.length}/${ITEMS} issued, ${bad} receipts do not verify`);
    const checkpoints = new Set(issued.map((x) => (x.receipt as { checkpoint: string }).checkpoint)).size;
    r.record(
      `${tag} signed checkpoints covering one batch of 1000`,
      checkpoints,
      "count",
      "1 = the whole batch entered the log in one group commit",
    );

    const main0 = mainThreadCpu();
    const threads0 = threadCpu();
    const child0 = childrenCpu();
    const cpu0 = process.cpuUsage();
    const { done, seconds } = await runClient({ url: `${url}/v1/credentials/batch`, headers, item: body });
    const cpu = process.cpuUsage(cpu0);
    const clientCpu = childrenCpu() - child0;
    const rate = done / seconds;
    r.record(
      `${tag} batch issuance over HTTP (1000 per request, durable + anchored, each with its receipt)`,
      Math.round(rate),
      "cred/s",
      `${REQUESTS} requests, ${CONCURRENCY} in flight, from a child process; client and server on the same 2 cores`,
    );
    r.record(
      `${tag} ratio batch issuance / raw Ed25519 sign (one core)`,
      rate / baseline,
      "×",
      "target ≥ 0.25",
    );
    r.record(
      `${tag} server CPU per credential`,
      (cpu.user + cpu.system) / done,
      "µs",
      "all threads of the server process (event loop, workers, LevelDB, fsync)",
    );
    r.record(
      `${tag} load generator CPU per credential`,
      (clientCpu * 1e6) / done,
      "µs",
      "the child process: request bodies, reading and parsing the answers",
    );
    r.record(
      `${tag} main-thread CPU per credential`,
      ((mainThreadCpu() - main0) * 1e6) / done,
      "µs",
      `stages above sum to ${stagesUs.toFixed(1)} µs (done in the worker when there is one); the rest is HTTP, status-list allocation, records, log entries, receipts (inclusion proofs) and response JSON`,
    );
    // Per thread: the issuance worker is the thread started by the first batch (the pool starts with its first job).
    const perThread = {
      "event loop": 0,
      "issuance worker": 0,
      "V8 platform threads (GC helpers)": 0,
      "libuv pool (LevelDB writes, fsync)": 0,
      "LevelDB compaction thread": 0,
    };
    const later: number[] = [];
    for (const [tid, s] of threadCpu()) {
      const used = s - (threads0.get(tid) ?? 0);
      if (tid === process.pid) perThread["event loop"] += used;
      else if (isPlatformThread(tid)) perThread["V8 platform threads (GC helpers)"] += used;
      else if (startThreads.has(tid)) perThread["libuv pool (LevelDB writes, fsync)"] += used;
      else if (appThreads.has(tid)) perThread["LevelDB compaction thread"] += used;
      else later.push(used);
    }
    // Started after the server: the issuance worker (with its first job) and LevelDB's compaction
    // thread (with its first compaction); the worker is the busier one.
    later.sort((a, b) => b - a);
    if (workers > 0) perThread["issuance worker"] = later.shift() ?? 0;
    for (const used of later) perThread["LevelDB compaction thread"] += used;
    for (const [name, s] of Object.entries(perThread)) {
      if (name === "issuance worker" && workers === 0) continue;
      r.record(`${tag} CPU per credential: ${name}`, (s * 1e6) / done, "µs", "from /proc/self/task/*/stat");
    }
    r.record(`${tag} batch latency (wall time per request)`, (seconds * 1000 * CONCURRENCY) / REQUESTS, "ms");
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}
