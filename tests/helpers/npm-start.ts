// How `npm start` runs the server, read from package.json's start script, so that tests and
// benches that spawn the built server run the very process a deployment runs (its node options
// and preloads included), not a copy of the command that could drift from it.
import { readFileSync } from "node:fs";

/** The repository root: `npmStartArgs()` paths are relative to it (spawn with `cwd: REPO_ROOT`). */
export const REPO_ROOT = new URL("../..", import.meta.url).pathname;

/** The arguments `npm start` passes to node (after `node`), e.g. `[--max-semi-space-size=32, …, server/dist/server.js]`. */
export function npmStartArgs(): string[] {
  const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, "utf8")) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (node !== "node" || args.some((a) => /[$"'`;&|<>]/.test(a)))
    throw new Error(`package.json's start script is not a plain node command: ${pkg.scripts.start}`);
  return args;
}

/** `npm start`'s node options and preloads: its arguments without the server script. */
export function npmStartNodeOptions(): string[] {
  return npmStartArgs().slice(0, -1);
}
