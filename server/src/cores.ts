import { availableParallelism } from "node:os";

/**
 * Default `MERITLOG_ISSUANCE_WORKERS`: one worker thread per core beyond the one that runs the
 * event loop (1 on a 2-core machine, none on one core), at most 4. With one worker the event loop
 * keeps only HTTP, status allocation, anchoring and storage, and its CPU per credential halves
 * (bench/issuance.bench.ts, bench/results/latest.md); workers beyond the spare cores only add
 * hand-over cost. docs/ARCHITECTURE.md "Every core" says why this is the default.
 */
export function defaultIssuanceWorkers(cores = availableParallelism()): number {
  return Math.max(0, Math.min(4, cores - 1));
}
