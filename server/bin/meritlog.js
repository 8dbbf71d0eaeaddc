#!/usr/bin/env node
// The `meritlog` command: runs the built CLI (server/dist/cli.js; `npm run build` builds it).
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("meritlog: not built yet; run `npm run build` first");
  process.exit(2);
}
await import(cli.href);
