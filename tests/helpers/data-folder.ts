// Helpers for the storage integrity tests: fill a real data folder, copy it, hash every file, and
// start the server (in-process or as a process) on it.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { ADMIN_TOKEN, call, freePort, startServer, type RunningServer } from "./server.js";
import { apiExamples } from "./api-examples.js";
import { newHolder } from "./did-key.js";

export interface Filled {
  issuerToken: string;
  credentialIds: string[];
  suspended: string;
  size: number;
  checkpoint: string;
}

/** Issues a few credentials (one suspended) on a running server; returns what a later start must still serve. */
export async function fillServer(s: RunningServer, credentials = 3): Promise<Filled> {
  const issuer = await call(s.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Damage Test Academy" },
  });
  if (issuer.status !== 201) throw new Error(`issuer: ${issuer.text}`);
  const issuerToken = (issuer.body as { token: string }).token;
  const ex = apiExamples(newHolder().did);
  const credentialIds: string[] = [];
  for (let i = 0; i < credentials; i++) {
    const r = await call(s.url, "POST", "/v1/credentials", {
      token: issuerToken,
      body: ex.microCredential(),
    });
    if (r.status !== 201) throw new Error(`issue: ${r.text}`);
    credentialIds.push((r.body as { id: string }).id);
  }
  const suspended = credentialIds[0]!;
  const st = await call(s.url, "POST", `/v1/credentials/${encodeURIComponent(suspended)}/status`, {
    token: issuerToken,
    body: { action: "suspend", reason: "under-review" },
  });
  if (st.status !== 200) throw new Error(`suspend: ${st.text}`);
  const cp = await call(s.url, "GET", "/log/checkpoint");
  return { issuerToken, credentialIds, suspended, size: Number(cp.text.split("\n")[1]), checkpoint: cp.text };
}

/** Starts the server on an empty `dataDir`, fills it ({@link fillServer}) and stops it: a real data folder to damage. */
export async function fillDataFolder(dataDir: string, credentials = 3): Promise<Filled> {
  const r = await tryStart(dataDir);
  if (!r.server) throw r.error!;
  try {
    return await fillServer(r.server, credentials);
  } finally {
    await r.server.close();
  }
}

/** Path (relative to `dir`) → SHA-256 hex of every file under `dir`. */
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else
        out.set(
          relative(dir, p),
          createHash("sha256")
            .update(await readFile(p))
            .digest("hex"),
        );
    }
  };
  await walk(dir);
  return out;
}

/** Copies a data folder (server stopped). */
export async function copyFolder(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
}

/** Files of the LevelDB folder by kind. */
export async function dbFiles(
  dataDir: string,
): Promise<{ ldb: string[]; log: string[]; current: string; manifest: string[] }> {
  const dir = join(dataDir, "db");
  const names = await readdir(dir);
  const sized = await Promise.all(names.map(async (n) => ({ n, size: (await stat(join(dir, n))).size })));
  return {
    ldb: sized.filter((f) => f.n.endsWith(".ldb") && f.size > 0).map((f) => join(dir, f.n)),
    log: sized.filter((f) => /^\d+\.log$/.test(f.n)).map((f) => join(dir, f.n)),
    current: join(dir, "CURRENT"),
    manifest: names.filter((n) => n.startsWith("MANIFEST-")).map((n) => join(dir, n)),
  };
}

/** Tries to start the server in-process on `dataDir`: the running server, or the refusal. */
export async function tryStart(
  dataDir: string,
  overrides: Parameters<typeof startServer>[0] = {},
): Promise<{ server?: RunningServer; error?: Error }> {
  try {
    return { server: await startServer({ dataDir, ...overrides }) };
  } catch (error) {
    return { error: error as Error };
  }
}

const serverEntry = new URL("../../server/src/server.ts", import.meta.url).pathname;

/** Runs the server as a process (sources through tsx) until it listens or exits; kills it if it listens. */
export async function startProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string; listened: boolean }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@meritlog/source", serverEntry], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      MERITLOG_DATA: dataDir,
      MERITLOG_ADMIN_TOKEN: ADMIN_TOKEN,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!/Server listening/.test(output) && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const listened = /Server listening/.test(output);
  if (child.exitCode === null) child.kill("SIGTERM");
  const code = await exited;
  return { code, output, listened };
}
