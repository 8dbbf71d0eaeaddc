// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), each of which
// measures its baseline in the same run, and writes bench/results/latest.json and latest.md.
// The workspace packages are imported from their builds (no `@meritlog/source` condition), so
// what is measured is the code `npm start` runs, not tsx's transform of the sources (which adds a
// name-keeping helper call per function, 5-20 µs per request in the verify route's profile).
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchReport, type Row } from "./report.js";
import { npmStartNodeOptions, REPO_ROOT } from "../tests/helpers/npm-start.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
if (process.argv.includes("--soak")) {
  // `npm run bench -- --soak [--minutes N]`: the soak run alone (bench/soak.ts).
  const { runSoak } = await import("./soak.js");
  process.exit((await runSoak()) ? 0 : 1);
}
// Each bench runs in a process of its own (`--one NAME FILE`), so what one leaves behind (a heap
// grown by the 10M-entry log, LevelDB compaction threads still at work, warm caches) cannot weigh
// on the next. (Measured, the effect is within the noise: the whole-server verification took
// 543 µs of server CPU per request after the others in one process, 522 µs in its own process
// after them, and 380-497 µs in three runs of that bench alone.) Each runs with the node options
// of `npm start` (package.json's start script: young generation, libuv pool sized to the cores),
// so the servers a bench builds in its own process run as `npm start` runs them.
const one = process.argv.indexOf("--one");
if (one >= 0) {
  const [name, out] = process.argv.slice(one + 1, one + 3) as [string, string];
  const report = new BenchReport();
  const mod = (await import(`./${name}.bench.ts`)) as { default: (r: BenchReport) => Promise<void> };
  await mod.default(report.section(name));
  await writeFile(out, JSON.stringify(report.rows(name)));
  process.exit(0);
}
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith(".bench.ts")).sort();
const report = new BenchReport();
const scratch = await mkdtemp(join(tmpdir(), "meritlog-bench-"));
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n# ${name}`);
  const out = join(scratch, `${name}.json`);
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...npmStartNodeOptions(), fileURLToPath(import.meta.url), "--one", name, out],
    { cwd: REPO_ROOT, stdio: "inherit" },
  );
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`bench ${name} exited with ${code}`);
  report.add(name, JSON.parse(await readFile(out, "utf8")) as Row[]);
}
await rm(scratch, { recursive: true, force: true });
await writeFile(`${dir}results/latest.json`, JSON.stringify(report.toJSON(), null, 2) + "\n");
await writeFile(`${dir}results/latest.md`, report.toMarkdown());
console.log(`\nwrote bench/results/latest.json and latest.md`);
