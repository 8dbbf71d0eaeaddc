// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), each of which
// measures its baseline in the same run, and writes bench/results/latest.json and latest.md.
// The workspace packages are imported from their builds (no `@meritlog/source` condition), so
// what is measured is the code `npm start` runs, not tsx's transform of the sources (which adds a
// name-keeping helper call per function, 5-20 µs per request in the verify route's profile).
import { readdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { BenchReport } from "./report.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
if (process.argv.includes("--soak")) {
  // `npm run bench -- --soak [--minutes N]`: the soak run alone (bench/soak.ts).
  const { runSoak } = await import("./soak.js");
  process.exit((await runSoak()) ? 0 : 1);
}
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith(".bench.ts")).sort();
const report = new BenchReport();
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n# ${name}`);
  const mod = (await import(`./${file}`)) as { default: (r: BenchReport) => Promise<void> };
  await mod.default(report.section(name));
}
await writeFile(`${dir}results/latest.json`, JSON.stringify(report.toJSON(), null, 2) + "\n");
await writeFile(`${dir}results/latest.md`, report.toMarkdown());
console.log(`\nwrote bench/results/latest.json and latest.md`);
