// Log backends side by side (issue 10 "Benchmarks"): durable appends per second and
// append→acknowledgement latency on the embedded LevelDB log, on PostgreSQL with one node, and on
// PostgreSQL with two nodes (two log instances with their own connections, as two processes)
// appending to one tree. Same entries, same closed-loop load, one run, so the ratios compare.
// Picked up by bench/run.ts like every *.bench.ts; `npm run bench -- log-backends` runs it alone.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import {
  LEDGER_MIGRATIONS,
  createNoteSigner,
  openLog,
  openPgLog,
  type TransparencyLog,
} from "@meritlog/ledger";
import { createPool, createTestSchema, runMigrations, type Pool } from "@meritlog/postgres";
import { percentile, type BenchReport } from "./report.js";

const ORIGIN = "bench.meritlog.example/log";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(42));
const encoder = new TextEncoder();
const TOTAL = Number(process.env["MERITLOG_BENCH_LOG_APPENDS"] ?? 20_000);
const CONCURRENCY = [1, 64, 512];

function entry(i: number): Uint8Array {
  const hex = i.toString(16).padStart(12, "0");
  return encoder.encode(
    `{"at":"2026-11-21T13:00:00.000Z","credentialId":"urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-${hex}","digest":"${hex.repeat(5).slice(0, 64).padEnd(64, "0")}","issuer":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","kind":"issue","v":1}`,
  );
}

/** Closed loop: `concurrency` appenders spread over `logs`, each appending again once acknowledged. */
async function load(
  logs: TransparencyLog[],
  concurrency: number,
  total: number,
  offset: number,
): Promise<{ rate: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, k) => {
      const log = logs[k % logs.length]!;
      while (next < total) {
        const e = entry(offset + next++);
        const s = performance.now();
        await log.append(e);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { rate: total / ((performance.now() - t0) / 1000), latencies };
}

async function measure(r: BenchReport, name: string, logs: TransparencyLog[]): Promise<void> {
  let offset = 0;
  await load(logs, 16, 500, offset); // warm-up: connections, JIT
  offset += 500;
  for (const c of CONCURRENCY) {
    const total = c === 1 ? Math.min(TOTAL, 1000) : TOTAL;
    const { rate, latencies } = await load(logs, c, total, offset);
    offset += total;
    r.record(
      `${name}, ${c} concurrent: appends/s`,
      Math.round(rate),
      "appends/s",
      `${total} durable appends`,
    );
    r.record(`${name}, ${c} concurrent: latency p50`, percentile(latencies, 50), "ms");
    r.record(`${name}, ${c} concurrent: latency p99`, percentile(latencies, 99), "ms");
  }
}

export default async function logBackends(r: BenchReport): Promise<void> {
  const opts = { origin: ORIGIN, signer, batchMaxDelayMs: 2, batchMaxSize: 1024 };
  // LevelDB (the embedded default): synced batches.
  const dir = mkdtempSync(join(tmpdir(), "meritlog-bench-backends-"));
  const level = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" });
  try {
    await level.open();
    const log = await openLog({
      db: level.sublevel("log", { keyEncoding: "utf8", valueEncoding: "view" }),
      ...opts,
    });
    await measure(r, "LevelDB", [log]);
    await log.close();
  } finally {
    await level.close();
    rmSync(dir, { recursive: true, force: true });
  }
  // PostgreSQL (MERITLOG_TEST_DATABASE_URL or the local test database), a fresh schema per case.
  for (const nodes of [1, 2]) {
    const schema = await createTestSchema();
    const pools: Pool[] = [];
    try {
      await runMigrations(schema.pool, [LEDGER_MIGRATIONS]);
      const logs: TransparencyLog[] = [];
      for (let k = 0; k < nodes; k++) {
        const pool = createPool(schema.url, { max: 2 });
        pools.push(pool);
        logs.push(await openPgLog({ pool, ...opts, refreshMs: 0 }));
      }
      await measure(r, `PostgreSQL, ${nodes} node${nodes > 1 ? "s" : ""}`, logs);
      for (const l of logs) await l.close();
      const { rows } = await schema.pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM ledger_log_checkpoints",
      );
      r.record(
        `PostgreSQL, ${nodes} node(s): transactions`,
        Number(rows[0]!.n),
        "checkpoints",
        "one per committed batch",
      );
    } finally {
      for (const p of pools) await p.end();
      await schema.drop();
    }
  }
}
