// `npm start` as a newcomer runs it: the built server on a fresh data folder, first-start secrets
// saved with 0600 permissions and their location printed, graceful shutdown on SIGTERM with exit 0,
// and a restart that keeps the log and the admin token.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./helpers/server.js";
import { backendEnv, backendOverrides } from "./helpers/backend.js";
import { npmStartArgs, REPO_ROOT } from "./helpers/npm-start.js";

// `npm test` builds before running vitest, so the built entry exists here; spawned with the start
// script's own node options and preload.
let dataDir = "";
// This vitest project's storage (helpers/backend.ts): the built server on PostgreSQL in the
// "postgres" project, so the restart below must find its state in the database.
let storageEnv: Record<string, string> = {};

async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, npmStartArgs(), {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      MERITLOG_DATA: dataDir,
      ...storageEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!/Server listening/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  return await exited;
}

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("npm start shutting down while a client holds half a request", () => {
  it("cuts that connection and still exits 0 (database closed), not through the 10 s forced exit", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "meritlog-start-"));
    storageEnv = backendEnv((await backendOverrides(dataDir)).databaseUrl);
    const port = await freePort();
    const { child, output } = await start(port);
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write("GET /v1/issuers HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // headers never finished
    await new Promise((r) => setTimeout(r, 100));
    expect(await stop(child), output()).toBe(0);
    expect(output()).not.toContain("shutdown took longer");
    socket.destroy();
    await rm(dataDir, { recursive: true, force: true });
    dataDir = "";
  }, 30_000);
});

describe("npm start (built server)", () => {
  it("first start saves secrets 0600, logs JSON, shuts down with exit 0 and restarts with the same state", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "meritlog-start-"));
    storageEnv = backendEnv((await backendOverrides(dataDir)).databaseUrl);
    const port = await freePort();
    const first = await start(port);
    const tokenFile = join(dataDir, "admin-token");
    expect(first.output()).toContain(tokenFile);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, "secret.key"))).mode & 0o777).toBe(0o600);
    const token = (await readFile(tokenFile, "utf8")).trim();
    expect(first.output()).not.toContain(token);
    // Structured logs: pino JSON lines.
    const line = first
      .output()
      .split("\n")
      .find((l) => l.includes("Server listening"))!;
    expect(() => JSON.parse(line)).not.toThrow();

    const created = await fetch(`http://127.0.0.1:${port}/v1/issuers`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Restart Test Issuer" }),
    });
    expect(created.status).toBe(201);
    const before = await (await fetch(`http://127.0.0.1:${port}/log/checkpoint`)).text();
    expect(await stop(first.child)).toBe(0);

    const second = await start(port);
    expect(second.output()).not.toContain("generated");
    const after = await (await fetch(`http://127.0.0.1:${port}/log/checkpoint`)).text();
    expect(after.split("\n").slice(0, 3)).toEqual(before.split("\n").slice(0, 3));
    const issuers = (await (await fetch(`http://127.0.0.1:${port}/v1/issuers`)).json()) as Array<{
      name: string;
    }>;
    expect(issuers.map((i) => i.name)).toContain("Restart Test Issuer");
    expect(await stop(second.child)).toBe(0);
  }, 60_000);
});

describe("npm start's libuv thread pool (server/bin/thread-pool.cjs)", () => {
  const preload = "./server/bin/thread-pool.cjs";
  const cores = String(Math.max(2, availableParallelism()));
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env } })
      .toString()
      .trim();

  it("is preloaded by the start script", () => {
    const args = npmStartArgs();
    expect(args[args.indexOf("--require") + 1]).toBe(preload);
  });

  it("sizes the pool to the cores unless UV_THREADPOOL_SIZE is set", () => {
    expect(run(["--require", preload, "-p", "process.env.UV_THREADPOOL_SIZE"])).toBe(cores);
    expect(
      run(["--require", preload, "-p", "process.env.UV_THREADPOOL_SIZE"], { UV_THREADPOOL_SIZE: "3" }),
    ).toBe("3");
  });

  it("takes effect: an ES module entry gets as many pool threads as with the variable set outright", async () => {
    // libuv reads the variable when the pool starts, which the ES module loader does before the
    // entry runs; a preload that ran too late would leave libuv's default of 4 threads.
    const dir = await mkdtemp(join(tmpdir(), "meritlog-pool-"));
    try {
      const main = join(dir, "main.mjs");
      await writeFile(
        main,
        'import { readdirSync } from "node:fs"; import { readFile } from "node:fs/promises";\n' +
          'await readFile(import.meta.filename); console.log(readdirSync("/proc/self/task").length);\n',
      );
      const preloaded = Number(run(["--require", preload, main]));
      const outright = Number(run([main], { UV_THREADPOOL_SIZE: cores }));
      const libuvDefault = Number(run([main], { UV_THREADPOOL_SIZE: "4" }));
      expect(preloaded).toBe(outright);
      // The count does follow the pool's size (so the comparison above can fail).
      expect(libuvDefault - outright).toBe(4 - Number(cores));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
