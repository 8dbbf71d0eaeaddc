#!/usr/bin/env node
// Installs what `npm start` / `npm test` need on a fresh machine, using only Node built-ins:
//   --runtime  npm dependencies (when node_modules is missing or older than package-lock.json)
//   --chromium Debian's chromium for the browser tests, never a downloaded browser (`npm test` runs
//              it beside its other checks, scripts/checks.mjs)
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

function ensureNodeModules() {
  const marker = `${root}node_modules/.package-lock.json`;
  const lock = `${root}package-lock.json`;
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log("setup: installing npm dependencies");
  run("npm", [existsSync(`${root}node_modules`) ? "install" : "ci", "--no-audit", "--no-fund"]);
}

export const CHROMIUM = process.env.MERITLOG_CHROMIUM ?? "/usr/bin/chromium";

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.warn(
      `setup: ${CHROMIUM} is missing; install Debian's chromium (apt-get install chromium) for the browser tests`,
    );
    return;
  }
  console.log("setup: installing Debian's chromium for the browser tests");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    stdio: "inherit",
    env,
  });
}

const args = new Set(process.argv.slice(2));
if (args.has("--runtime")) ensureNodeModules();
if (args.has("--chromium")) ensureChromium();
