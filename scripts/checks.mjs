#!/usr/bin/env node
// `npm test`'s steps before vitest, side by side. Each is a single-threaded process (eslint,
// prettier, knip, tsc) or waits on the network and dpkg (Debian's chromium for the browser
// tests), so one after another they left a core idle for two to three minutes of the suite's
// 15-minute budget. The build and the type-check of the tests stay in order (the tests'
// tsconfig reads the packages' declarations that `tsc -b` writes). Each step's output is
// printed whole when it ends, so the log reads as if they had run in turn; the exit code is
// non-zero if any failed, after all have ended (so one run shows every failure).
import { spawn } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;

/** name → the commands it runs in order (each stops the step when it fails). */
const STEPS = {
  "chromium for the browser tests": [["node", "scripts/setup.mjs", "--chromium"]],
  lint: [["npm", "run", "--silent", "lint"]],
  "format:check": [["npm", "run", "--silent", "format:check"]],
  knip: [["npm", "run", "--silent", "knip"]],
  "build, then the tests' types": [
    ["npm", "run", "--silent", "build"],
    ["npx", "tsc", "-p", "tsconfig.tests.json"],
  ],
};

function runOne([cmd, ...args], out) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => out.push(b));
    child.on("error", (e) => {
      out.push(Buffer.from(`${cmd}: ${e.message}\n`));
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function runStep(name, commands) {
  const t0 = Date.now();
  const out = [];
  let code = 0;
  for (const command of commands) {
    code = await runOne(command, out);
    if (code !== 0) break;
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`\n── ${name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${seconds} s\n`);
  process.stdout.write(Buffer.concat(out));
  return code;
}

const codes = await Promise.all(Object.entries(STEPS).map(([name, commands]) => runStep(name, commands)));
process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
