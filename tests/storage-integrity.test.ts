// Issue 9, defects 2, 3 and 8 (storage half): a start never rolls the log back, never creates a
// database where one was initialised, never renames the log, and refuses with one clear line.
import { mkdtemp, rm, truncate, unlink, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type RunningServer } from "./helpers/server.js";
import {
  copyFolder,
  dbFiles,
  fillDataFolder,
  hashTree,
  startProcess,
  tryStart,
  type Filled,
} from "./helpers/data-folder.js";

const dirs: string[] = [];
const tmp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "meritlog-integrity-"));
  dirs.push(d);
  return d;
};
let original = "";
let filled: Filled;

beforeAll(async () => {
  original = await tmp();
  filled = await fillDataFolder(original);
}, 60_000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function copy(): Promise<string> {
  const d = await tmp();
  await copyFolder(original, d);
  return d;
}

async function expectRefused(dir: string, pattern: RegExp): Promise<void> {
  const before = await hashTree(dir);
  const r = await tryStart(dir);
  if (r.server) {
    const cp = await call(r.server.url, "GET", "/log/checkpoint");
    await r.server.close();
    throw new Error(`started at size ${cp.text.split("\n")[1]} instead of refusing`);
  }
  expect(r.error!.message, r.error!.message).toMatch(pattern);
  // Every byte is as it was: no file deleted, created or changed by the refused start.
  expect(await hashTree(dir)).toEqual(before);
}

describe("defect 2: a start never serves a tree smaller than, or different from, one it signed", () => {
  it("keeps the newest signed checkpoint outside the database, equal to what clients saw", async () => {
    // In two slots (server/src/checkpoint-file.ts), read as the newest intact one.
    const { readCheckpointFile } = await import("../server/src/checkpoint-file.js");
    const ext = await readCheckpointFile(join(original, "checkpoint"));
    expect(ext).toBe(filled.checkpoint);
  });

  it("refuses to start when the write-ahead log was truncated", async () => {
    const dir = await copy();
    const { log } = await dbFiles(dir);
    expect(log.length).toBeGreaterThan(0);
    for (const f of log) await truncate(f, 0);
    await expectRefused(dir, /rolled back|smaller|lost/i);
  });

  it("refuses to start when the write-ahead log was deleted", async () => {
    const dir = await copy();
    for (const f of (await dbFiles(dir)).log) await unlink(f);
    await expectRefused(dir, /rolled back|smaller|lost/i);
  });

  it("refuses when the checkpoint file is replaced by one not signed by the log key", async () => {
    const dir = await copy();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "checkpoint"), filled.checkpoint.replace(/— .*$/m, "— x AAAA"));
    await expectRefused(dir, /checkpoint/i);
  });
});

describe("a crash never leaves the checkpoint file ahead of the database", () => {
  it("after SIGKILL during appends, the next start serves at least every acknowledged tree", async () => {
    const dir = await tmp();
    const { spawn } = await import("node:child_process");
    const { freePort } = await import("./helpers/server.js");
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@meritlog/source",
        new URL("../server/src/server.ts", import.meta.url).pathname,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: String(port),
          MERITLOG_DATA: dir,
          MERITLOG_ADMIN_TOKEN: "mla_test-admin-token-0123456789abcdef",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.once("exit", r));
    const deadline = Date.now() + 30_000;
    while (!/Server listening/.test(out) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    const url = `http://127.0.0.1:${port}`;
    let acknowledged = 0;
    const workers = Array.from({ length: 8 }, async () => {
      for (;;) {
        try {
          const r = await call(url, "POST", "/v1/issuers", {
            token: "mla_test-admin-token-0123456789abcdef",
            body: { name: "Crash Test" },
          });
          if (r.status !== 201) return;
          const size = Number(
            (r.body as { keyReceipt: { checkpoint: string } }).keyReceipt.checkpoint.split("\n")[1],
          );
          acknowledged = Math.max(acknowledged, size);
        } catch {
          return; // the server is gone
        }
      }
    });
    // Kill it mid-stream, once a few appends were acknowledged (later ones are in flight).
    const killAt = Date.now() + 30_000;
    while (acknowledged < 4 && Date.now() < killAt) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await exited;
    await Promise.all(workers);
    expect(acknowledged, out).toBeGreaterThanOrEqual(4);
    const r = await tryStart(dir);
    if (!r.server) throw r.error!;
    try {
      const cp = await call(r.server.url, "GET", "/log/checkpoint");
      expect(Number(cp.text.split("\n")[1])).toBeGreaterThanOrEqual(acknowledged);
    } finally {
      await r.server.close();
    }
  }, 90_000);
});

describe("defect 3: a start never creates a database where one was initialised", () => {
  it("refuses when db/CURRENT is gone and leaves every byte as it was", async () => {
    const dir = await copy();
    await unlink(join(dir, "db", "CURRENT"));
    await expectRefused(dir, /database|CURRENT/i);
  });

  it("refuses when the whole db folder is gone (initialised data folder)", async () => {
    const dir = await copy();
    await rm(join(dir, "db"), { recursive: true });
    await expectRefused(dir, /database/i);
    expect(await readdir(dir)).not.toContain("db");
  });

  it("refuses, rather than generating a new one, when secret.key is gone", async () => {
    const dir = await copy();
    await unlink(join(dir, "secret.key"));
    await expectRefused(dir, /secret/i);
  });
});

describe("defect 8: the log origin is fixed at first start", () => {
  it("a restart on another port without MERITLOG_LOG_ORIGIN keeps the stored origin", async () => {
    const dir = await copy();
    const r = await tryStart(dir); // a new random port
    if (!r.server) throw r.error!;
    try {
      const cp = await call(r.server.url, "GET", "/log/checkpoint");
      expect(cp.text.split("\n")[0]).toBe(filled.checkpoint.split("\n")[0]);
      expect(cp.text).toBe(filled.checkpoint);
    } finally {
      await r.server.close();
    }
  });

  it("a different configured origin refuses to start", async () => {
    const dir = await copy();
    const before = await hashTree(dir);
    const r = await tryStart(dir, { logOrigin: "elsewhere.example/log" });
    if (r.server) await r.server.close();
    expect(r.server).toBeUndefined();
    expect(r.error!.message).toMatch(/origin/);
    expect(await hashTree(dir)).toEqual(before);
  });

  it("a refused start prints one clear line, no stack trace, and exits 1", async () => {
    const dir = await copy();
    await unlink(join(dir, "db", "CURRENT"));
    const r = await startProcess(dir);
    expect(r.listened).toBe(false);
    expect(r.code).toBe(1);
    const lines = r.output.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^meritlog: refusing to start: /);
    expect(r.output).not.toMatch(/\n\s+at /);
  }, 40_000);
});

export type { RunningServer };
