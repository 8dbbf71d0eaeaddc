import type { LeafCommand } from "../command.js";

/** `meritlog bench`: runs `npm run bench` (bench/run.ts) with the arguments after `--`. */
export const bench: LeafCommand = {
  name: "bench",
  summary: "run the benchmarks (npm run bench)",
  usage: `usage: meritlog bench [-- BENCH_ARGS…]

Runs the benchmarks (npm run bench, from the repository root); arguments after -- are passed on.`,
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run(p) {
    const { spawnSync } = await import("node:child_process");
    const r = spawnSync("npm", ["run", "bench", "--", ...p.positionals], { stdio: "inherit" });
    return r.status === 0 ? 0 : 2;
  },
};
