// Ledger benchmark (issue 2 "Benchmark"): durable appends/s and append→resolution latency with
// concurrent appenders at batch windows of 1, 5 and 20 ms against raw LevelDB synced batches of
// the same size; proof generation time, open time and RSS at 1M and 10M entries (measured in a
// fresh child process on a log built once and kept under the OS temp dir).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Level } from "level";
import { createNoteSigner, openLog, type TransparencyLog } from "@meritlog/ledger";
import { percentile, type BenchReport } from "./report.js";

const ORIGIN = "bench.meritlog.example/log";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(42));
const LEVEL_OPTS = { keyEncoding: "utf8", valueEncoding: "view" } as const;
const encoder = new TextEncoder();

/** A realistic log entry: RFC 8785 canonical JSON as docs/API.md "Receipt" describes (~220 bytes). */
function entry(i: number): Uint8Array {
  const hex = i.toString(16).padStart(12, "0");
  return encoder.encode(
    `{"at":"2026-11-21T13:00:00.000Z","credentialId":"urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-${hex}","digest":"${hex.repeat(5).slice(0, 64).padEnd(64, "0")}","issuer":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","kind":"issue","v":1}`,
  );
}

async function openDb(dir: string, maxOpenFiles?: number) {
  const level = new Level<string, Uint8Array>(
    dir,
    maxOpenFiles === undefined ? LEVEL_OPTS : { ...LEVEL_OPTS, maxOpenFiles },
  );
  await level.open();
  return { level, db: level.sublevel<string, Uint8Array>("log", LEVEL_OPTS) };
}

/** Closed-loop load: `concurrency` appenders, each appending again as soon as its append resolves. */
async function load(
  log: TransparencyLog,
  concurrency: number,
  total: number,
  offset: number,
): Promise<{ rate: number; latencies: number[]; batches: number }> {
  let next = 0;
  const latencies: number[] = [];
  const sizes = new Set<number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const e = entry(offset + next++);
        const s = performance.now();
        const r = await log.append(e);
        latencies.push(performance.now() - s);
        sizes.add(r.treeSize);
      }
    }),
  );
  return { rate: total / ((performance.now() - t0) / 1000), latencies, batches: sizes.size };
}

/** Baseline: the same entries as individual puts, in raw LevelDB synced batches of `batch` puts. */
async function rawBaseline(dir: string, total: number, batch: number): Promise<number> {
  const { level, db } = await openDb(dir);
  const t0 = performance.now();
  for (let i = 0; i < total; i += batch) {
    const ops = [];
    for (let j = i; j < Math.min(total, i + batch); j++)
      ops.push({ type: "put" as const, key: `raw/${String(j).padStart(12, "0")}`, value: entry(j) });
    await db.batch(ops, { ...LEVEL_OPTS, sync: true } as typeof LEVEL_OPTS);
  }
  const rate = total / ((performance.now() - t0) / 1000);
  await level.close();
  return rate;
}

/**
 * One log run and one raw-LevelDB run per repetition, interleaved so both see the same machine
 * load (this box is shared); rates are the median over repetitions, latencies pooled.
 */
async function groupCommit(r: BenchReport): Promise<void> {
  const runs: { window: number; concurrency: number }[] = [
    { window: 1, concurrency: 256 },
    { window: 1, concurrency: 512 },
    { window: 5, concurrency: 512 },
    { window: 20, concurrency: 512 },
    { window: 1, concurrency: 1024 },
    { window: 1, concurrency: 4096 },
  ];
  const total = Number(process.env.LEDGER_BENCH_APPENDS ?? 60_000);
  const repeat = Number(process.env.LEDGER_BENCH_REPEAT ?? 3);
  const median = (xs: number[]) => percentile(xs, 50);
  for (const { window, concurrency } of runs) {
    const rates: number[] = [];
    const raws: number[] = [];
    const cpus: number[] = [];
    const latencies: number[] = [];
    let batches = 0;
    for (let rep = 0; rep < repeat; rep++) {
      const dir = mkdtempSync(join(tmpdir(), "meritlog-bench-gc-"));
      try {
        const { level, db } = await openDb(dir);
        const log = await openLog({
          db,
          origin: ORIGIN,
          signer,
          batchMaxDelayMs: window,
          batchMaxSize: 8192,
          maxPending: 1 << 20,
        });
        await load(log, concurrency, 10_000, 0); // warm-up
        const cpu0 = process.cpuUsage();
        const res = await load(log, concurrency, total, 10_000);
        const cpu = process.cpuUsage(cpu0);
        await log.close();
        await level.close();
        rates.push(res.rate);
        cpus.push((cpu.user + cpu.system) / total);
        latencies.push(...res.latencies);
        batches += res.batches;
        raws.push(await rawBaseline(join(dir, "raw"), total, Math.round(total / res.batches)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const meanBatch = Math.round((total * repeat) / batches);
    const tag = `window ${window} ms, ${concurrency} appenders`;
    r.record(
      `durable appends/s (${tag})`,
      Math.round(median(rates)),
      "appends/s",
      `median of ${repeat}; mean batch ${meanBatch}; ${median(cpus).toFixed(1)} µs CPU per append`,
    );
    r.record(`append→resolution median (${tag})`, percentile(latencies, 50), "ms");
    r.record(`append→resolution p99 (${tag})`, percentile(latencies, 99), "ms");
    r.record(
      `raw LevelDB synced batches of ${meanBatch} puts (${tag})`,
      Math.round(median(raws)),
      "puts/s",
      "baseline: same entries, one key each, same repetitions",
    );
    r.record(`log / raw LevelDB (${tag})`, median(rates) / median(raws), "ratio");
  }
}

/** Builds (once, cached under the OS temp dir) a log of `size` entries through the real append path. */
async function buildLog(size: number): Promise<{ dir: string; seconds: number; reused: boolean }> {
  const dir = join(tmpdir(), `meritlog-bench-log-${size}`);
  const { level, db } = await openDb(dir);
  const log = await openLog({
    db,
    origin: ORIGIN,
    signer,
    batchMaxDelayMs: 0,
    batchMaxSize: 16_384,
    maxPending: 1 << 20,
  });
  const reused = log.size >= size;
  const t0 = performance.now();
  const chunk = 65_536;
  let lastReport = performance.now();
  while (log.size < size) {
    const base = log.size;
    const n = Math.min(chunk, size - base);
    await Promise.all(Array.from({ length: n }, (_, j) => log.append(entry(base + j))));
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      console.log(
        `    building ${size}: ${log.size} entries, ${Math.round((log.size - 0) / ((performance.now() - t0) / 1000))}/s`,
      );
    }
  }
  await log.close();
  await level.close();
  return { dir, seconds: (performance.now() - t0) / 1000, reused };
}

/** RSS split (Linux /proc): anonymous memory vs file-backed pages (binary, LevelDB's mmapped tables). */
function rss(): { rss: number; anon: number; file: number } {
  const mib = { rss: process.memoryUsage().rss / 2 ** 20, anon: NaN, file: NaN };
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    mib.anon = Number(/RssAnon:\s+(\d+)/.exec(status)?.[1]) / 1024;
    mib.file = Number(/RssFile:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    // not Linux: total RSS only
  }
  return mib;
}

interface ChildResult {
  size: number;
  openMs: number;
  rssStart: { rss: number; anon: number; file: number };
  rssAfterOpen: { rss: number; anon: number; file: number };
  rssAfterProofs: { rss: number; anon: number; file: number };
  rssEnd: { rss: number; anon: number; file: number };
  inclusion: { median: number; p99: number };
  consistency: { median: number; p99: number };
  rawGet: { median: number; p99: number };
  appendRate: number;
  appendMedian: number;
}

/** Runs in a fresh process: opens the log and measures proofs, raw gets, appends and RSS. */
async function child(dir: string, maxOpenFiles?: number): Promise<ChildResult> {
  const rssStart = rss();
  const t0 = performance.now();
  const { level, db } = await openDb(dir, maxOpenFiles);
  const log = await openLog({ db, origin: ORIGIN, signer, batchMaxDelayMs: 1 });
  const openMs = performance.now() - t0;
  const rssAfterOpen = rss();
  const size = log.size;
  const rand = (n: number) => Math.floor(Math.random() * n);
  const time = async (count: number, f: () => Promise<unknown>) => {
    const lat: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      await f();
      lat.push(performance.now() - s);
    }
    return { median: percentile(lat, 50), p99: percentile(lat, 99) };
  };
  await time(2000, () => log.inclusionProof(rand(size), size)); // warm the upper tiles
  const inclusion = await time(20_000, () => log.inclusionProof(rand(size), size));
  const consistency = await time(20_000, () => log.consistencyProof(1 + rand(size - 1), size));
  const rawGet = await time(20_000, () =>
    db.get(`t/0/${String(rand(Math.floor(size / 256))).padStart(13, "0")}`, LEVEL_OPTS),
  );
  const rssAfterProofs = rss();
  const res = await load(log, 512, 50_000, size);
  const rssEnd = rss();
  await log.close();
  await level.close();
  return {
    size,
    openMs,
    rssStart,
    rssAfterOpen,
    rssAfterProofs,
    rssEnd,
    inclusion,
    consistency,
    rawGet,
    appendRate: res.rate,
    appendMedian: percentile(res.latencies, 50),
  };
}

function runChild(dir: string, maxOpenFiles?: number): Promise<ChildResult> {
  const self = fileURLToPath(import.meta.url);
  const args = [
    "--import",
    "tsx",
    self,
    "--child",
    dir,
    ...(maxOpenFiles === undefined ? [] : [String(maxOpenFiles)]),
  ];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop()!) as ChildResult)
        : reject(new Error(`bench child exited ${code}`)),
    );
  });
}

async function scale(r: BenchReport): Promise<void> {
  const sizes = (process.env.LEDGER_BENCH_SIZES ?? "1000000,10000000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  for (const size of sizes) {
    const built = await buildLog(size);
    const label = size >= 1e6 ? `${size / 1e6}M` : String(size);
    if (!built.reused)
      r.record(
        `build ${label} entries through append`,
        Math.round(size / built.seconds),
        "appends/s",
        `${built.seconds.toFixed(0)} s, batches of up to 16384; kept in ${built.dir}`,
      );
    for (const maxOpenFiles of [undefined, 64]) await measureAt(r, built.dir, label, maxOpenFiles);
  }
}

/** One fresh child process on a built log: open, proofs, raw gets, appends, RSS. */
async function measureAt(
  r: BenchReport,
  dir: string,
  size: string,
  maxOpenFiles: number | undefined,
): Promise<void> {
  const c = await runChild(dir, maxOpenFiles);
  // LevelDB memory-maps up to 1000 table files; pages read through those maps count as RSS
  // (file-backed, reclaimable page cache). maxOpenFiles bounds the open tables, hence the maps.
  const label =
    maxOpenFiles === undefined ? `${size} (LevelDB defaults)` : `${size} (maxOpenFiles ${maxOpenFiles})`;
  r.record(
    `open log at ${label}`,
    c.openMs,
    "ms",
    `${c.size} entries; reads the state and right-edge records only`,
  );
  r.record(`inclusion proof at ${label}, median`, c.inclusion.median, "ms");
  r.record(`inclusion proof at ${label}, p99`, c.inclusion.p99, "ms");
  r.record(`consistency proof at ${label}, median`, c.consistency.median, "ms");
  r.record(`consistency proof at ${label}, p99`, c.consistency.p99, "ms");
  r.record(
    `raw LevelDB random get at ${label}, median`,
    c.rawGet.median,
    "ms",
    "baseline: one random level-0 tile read",
  );
  r.record(`inclusion proof / raw get at ${label}`, c.inclusion.median / c.rawGet.median, "ratio");
  r.record(
    `durable appends/s at ${label} (window 1 ms, 512 appenders)`,
    Math.round(c.appendRate),
    "appends/s",
    `median ${c.appendMedian.toFixed(2)} ms`,
  );
  const split = (m: { anon: number; file: number }) =>
    `anon ${Math.round(m.anon)} MiB + file-backed ${Math.round(m.file)} MiB`;
  r.record(
    `RSS of the bare process (node + tsx, before opening) at ${label}`,
    Math.round(c.rssStart.rss),
    "MiB",
    split(c.rssStart),
  );
  r.record(`RSS after open at ${label}`, Math.round(c.rssAfterOpen.rss), "MiB", split(c.rssAfterOpen));
  r.record(
    `RSS after 62k proofs and gets at ${label}`,
    Math.round(c.rssAfterProofs.rss),
    "MiB",
    split(c.rssAfterProofs),
  );
  r.record(`RSS after 50k more appends at ${label}`, Math.round(c.rssEnd.rss), "MiB", split(c.rssEnd));
  r.record(
    `RSS added by the log (end − bare process) at ${label}`,
    Math.round(c.rssEnd.rss - c.rssStart.rss),
    "MiB",
    `anon +${Math.round(c.rssEnd.anon - c.rssStart.anon)} MiB, file-backed +${Math.round(c.rssEnd.file - c.rssStart.file)} MiB`,
  );
}

/** `npm run bench -- ledger`. */
export default async function ledgerBench(r: BenchReport): Promise<void> {
  if (process.env.LEDGER_BENCH_SKIP_GROUP_COMMIT !== "1") await groupCommit(r);
  await scale(r);
}

// Child mode (spawned by `scale`): node --import tsx bench/ledger.bench.ts --child <dir> [maxOpenFiles]
if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === "--child"
) {
  const dir = process.argv[3]!;
  if (!existsSync(dir)) throw new Error(`no log at ${dir}`);
  console.log(
    JSON.stringify(await child(dir, process.argv[4] === undefined ? undefined : Number(process.argv[4]))),
  );
}
