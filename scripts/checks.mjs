#!/usr/bin/env node
// `npm test`'s steps before vitest, side by side. Each is a single-threaded process (eslint,
// prettier, knip, tsc, vite) or waits on the network and dpkg (Debian's chromium for the browser
// tests), so one after another they left a core idle for two to three minutes of the suite's
// 15-minute budget. Each step's output is printed whole when it ends, so the log reads as if
// they had run in turn; the exit code is non-zero if any failed, after all have ended (so one
// run shows every failure).
import { spawn } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;

/** name → command. */
const STEPS = {
  "chromium for the browser tests": ["node", "scripts/setup.mjs", "--chromium"],
  lint: ["npm", "run", "--silent", "lint"],
  "format:check": ["npm", "run", "--silent", "format:check"],
  knip: ["npm", "run", "--silent", "knip"],
  build: ["npm", "run", "--silent", "build"],
  // The tests' tsconfig resolves the packages to their sources (the "@meritlog/source"
  // condition), so it needs nothing the build writes.
  "the tests' types": ["npx", "tsc", "-p", "tsconfig.tests.json"],
};

function runStep(name, [cmd, ...args]) {
  const t0 = Date.now();
  const out = [];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => out.push(b));
    let ended = false;
    const end = (code) => {
      if (ended) return; // 'close' can follow 'error'
      ended = true;
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      process.stdout.write(`\n── ${name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${seconds} s\n`);
      process.stdout.write(Buffer.concat(out));
      resolve(code);
    };
    child.on("error", (e) => {
      out.push(Buffer.from(`${cmd}: ${e.message}\n`));
      end(1);
    });
    child.on("close", (code) => end(code ?? 1));
  });
}

const codes = await Promise.all(Object.entries(STEPS).map(([name, command]) => runStep(name, command)));
process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
