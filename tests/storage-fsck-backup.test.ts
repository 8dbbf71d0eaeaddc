// Issue 9, defect 4 and the backup/restore contract: `meritlog fsck` finds damage in every store,
// a read that meets damage answers 503 `storage.corrupt` (never 500), and a backup taken while the
// server serves restores into an empty folder that passes fsck and serves the same log; a
// tampered backup is refused.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Level } from "level";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedEncoding, openValue } from "@meritlog/ledger";
import { configFromEnv, runFsck, runRestore } from "@meritlog/server";
import { ADMIN_TOKEN, call } from "./helpers/server.js";
import { apiExamples } from "./helpers/api-examples.js";
import { newHolder } from "./helpers/did-key.js";
import { copyFolder, fillDataFolder, tryStart, type Filled } from "./helpers/data-folder.js";

const cli = new URL("../server/src/cli.ts", import.meta.url).pathname;
const dirs: string[] = [];
const tmp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "meritlog-fsck-"));
  dirs.push(d);
  return d;
};
let original = "";
/** Seals bytes in the stored value format (CRC-32 header), as the server writes them. */
const SEALED = checkedEncoding({ name: "raw", encode: (v: Uint8Array) => v, decode: (v) => v });
let filled: Filled;

async function meritlog(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--conditions=@meritlog/source", cli, ...args],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          MERITLOG_ADMIN_TOKEN: ADMIN_TOKEN,
          MERITLOG_LOG: "off",
          ...env,
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The CLI's `fsck` and `restore` in-process (the same functions cli.ts dispatches to; spawning tsx costs seconds each). */
async function fsck(dataDir: string): Promise<{ code: number; stdout: string }> {
  const r = await runFsck(configFromEnv({}, { dataDir }));
  return { code: r.code, stdout: typeof r.output === "string" ? r.output : JSON.stringify(r.output) };
}
async function restore(from: string, dataDir: string): Promise<{ code: number; stdout: string }> {
  const r = await runRestore(from, configFromEnv({}, { dataDir }));
  return { code: r.code, stdout: typeof r.output === "string" ? r.output : JSON.stringify(r.output) };
}

async function copy(): Promise<string> {
  const d = await tmp();
  await copyFolder(original, d);
  return d;
}

/** Opens a stopped data folder's database directly, as a damaged disk or a careless hand would change it. */
async function withDb(dir: string, f: (db: Level<string, Uint8Array>) => Promise<void>): Promise<void> {
  const db = new Level<string, Uint8Array>(join(dir, "db"), {
    keyEncoding: "utf8",
    valueEncoding: "view",
    createIfMissing: false,
  });
  await db.open();
  try {
    await f(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  original = await tmp();
  filled = await fillDataFolder(original, 4);
}, 60_000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("meritlog fsck", () => {
  it("passes a clean data folder (exit 0) and finds a damaged record, a status list that disagrees and a receipt that is not its log entry (exit 1)", async () => {
    const clean = await fsck(original);
    expect(clean.code, clean.stdout).toBe(0);
    const report = JSON.parse(clean.stdout) as { ok: boolean; credentials: number; log: { size: number } };
    expect(report.ok).toBe(true);
    expect(report.credentials).toBe(filled.credentialIds.length);
    expect(report.log.size).toBe(filled.size);

    const dir = await copy();
    const [a, b, c] = filled.credentialIds.slice(1);
    await withDb(dir, async (db) => {
      await db.put(`!issuer!!credentials!${a}`, new TextEncoder().encode("{not json"));
      // One bit flipped on disk inside a stored record: its CRC-32 header no longer matches.
      const flipped = Uint8Array.from((await db.get(`!issuer!!credentials!${c}`))!);
      flipped[40]! ^= 0x10;
      await db.put(`!issuer!!credentials!${c}`, flipped);
      // The suspended credential's suspension bit cleared behind the record's back.
      for await (const k of db.keys({ gte: "!issuer!!status!b!", lt: "!issuer!!status!b!~" }))
        if (k.includes("-suspension!")) await db.del(k);
      // A credential's issue receipt pointing at a different entry: rewrite its history's entry text.
      // (Rewritten with a valid header: a careless hand, not a damaged disk.)
      const raw = await db.get(`!issuer!!credentials!${b}`);
      const text = Buffer.from(openValue(raw!))
        .toString("latin1")
        .replace('"kind\\":\\"issue\\"', '"kind\\":\\"renew\\"');
      await db.put(`!issuer!!credentials!${b}`, SEALED.encode(Buffer.from(text, "latin1")));
    });
    const damaged = await fsck(dir);
    expect(damaged.code).toBe(1);
    const out = JSON.parse(damaged.stdout) as {
      ok: boolean;
      problems: { store: string; key?: string; message: string }[];
    };
    expect(out.ok).toBe(false);
    const said = out.problems.map((p) => `${p.store} ${p.key ?? ""} ${p.message}`).join("\n");
    expect(said).toMatch(new RegExp(`issuer/credentials ${a} record does not decode`));
    expect(said).toMatch(new RegExp(`issuer/credentials ${c} record does not decode.*CRC-32`));
    expect(said).toMatch(/suspension status list says clear/);
    expect(said).toMatch(new RegExp(`${b} log entry \\d+ is not the`));
  }, 60_000);

  it("finds a log behind its published checkpoint (log verify too)", async () => {
    const dir = await copy();
    await withDb(dir, async (db) => {
      // Roll the log back one batch: drop the state record, as a lost write-ahead log would.
      await db.del("!log!state");
    });
    const found = await fsck(dir);
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/rolled back|fsck\.rollback/);
    const verify = await meritlog(["log", "verify"], { MERITLOG_DATA: dir });
    expect(verify.code).toBe(1);
  }, 60_000);
});

describe("storage damage met while serving", () => {
  it("answers 503 problem+json storage.corrupt, never 500", async () => {
    const dir = await copy();
    const victim = filled.credentialIds[2]!;
    await withDb(dir, async (db) => {
      await db.put(`!issuer!!credentials!${victim}`, Uint8Array.of(0x01, 0xff, 0xff, 0xff, 0xff, 0x7b));
    });
    const r = await tryStart(dir);
    if (!r.server) throw r.error!;
    try {
      const got = await call(r.server.url, "GET", `/v1/credentials/${encodeURIComponent(victim)}`, {
        token: filled.issuerToken,
      });
      expect(got.status).toBe(503);
      expect(got.headers.get("content-type")).toContain("application/problem+json");
      expect((got.body as { code: string }).code).toBe("storage.corrupt");
      expect(got.text).not.toMatch(/\n\s+at /);
      // Undamaged records still answer.
      const ok = await call(
        r.server.url,
        "GET",
        `/v1/credentials/${encodeURIComponent(filled.credentialIds[1]!)}`,
        { token: filled.issuerToken },
      );
      expect(ok.status).toBe(200);
    } finally {
      await r.server.close();
    }
  }, 30_000);
});

describe("meritlog backup and restore", () => {
  it("backs up while serving, refuses a tampered backup, restores into an empty folder that passes fsck and serves the same log", async () => {
    const live = await copy();
    const r = await tryStart(live);
    if (!r.server) throw r.error!;
    const server = r.server;
    const backupDir = join(await tmp(), "backup");
    let manifest: { logSize: number; origin: string };
    try {
      // Appends keep going while the backup is taken.
      const ex = apiExamples(newHolder().did);
      const issuing = Promise.all(
        Array.from({ length: 6 }, () =>
          call(server.url, "POST", "/v1/credentials", {
            token: filled.issuerToken,
            body: ex.microCredential(),
          }),
        ),
      );
      const b = await meritlog(["backup", backupDir], { MERITLOG_DATA: live, MERITLOG_URL: server.url });
      expect(b.code, b.stderr).toBe(0);
      manifest = JSON.parse(b.stdout) as { logSize: number; origin: string };
      expect((await issuing).every((x) => x.status === 201)).toBe(true);
      expect(manifest.logSize).toBeGreaterThanOrEqual(filled.size);
      // A backup needs the admin token.
      const denied = await call(server.url, "POST", "/v1/admin/backup", {
        token: filled.issuerToken,
        body: { dir: join(backupDir, "x") },
      });
      expect(denied.status).toBe(403);
      // The same admin check as the issuer routes: no token or a bad one is 401, not 403.
      for (const token of [undefined, "mla_not-the-admin-token"]) {
        const anon = await call(server.url, "POST", "/v1/admin/backup", {
          ...(token === undefined ? {} : { token }),
          body: { dir: join(backupDir, "y") },
        });
        expect(anon.status).toBe(401);
        expect((anon.body as { code: string }).code).toBe(
          token === undefined ? "auth.missing_token" : "auth.bad_token",
        );
      }
      const notEmpty = await call(server.url, "POST", "/v1/admin/backup", {
        token: ADMIN_TOKEN,
        body: { dir: backupDir },
      });
      expect(notEmpty.status).toBe(409);
      expect((notEmpty.body as { code: string }).code).toBe("backup.target_not_empty");
    } finally {
      await server.close();
    }

    // Tampered: one byte of the dump changed.
    const tampered = await tmp();
    await copyFolder(backupDir, tampered);
    const dump = await readFile(join(tampered, "db.dump"));
    dump[dump.length - 3] = dump[dump.length - 3]! ^ 0x01;
    await writeFile(join(tampered, "db.dump"), dump);
    const intoTampered = join(await tmp(), "data");
    const refused = await restore(tampered, intoTampered);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/does not match its SHA-256/);

    // Not into a folder that holds data.
    const occupied = await restore(backupDir, live);
    expect(occupied.code).toBe(1);
    expect(occupied.stdout).toMatch(/not empty/);

    const into = join(await tmp(), "data");
    const restored = await restore(backupDir, into);
    expect(restored.code, restored.stdout).toBe(0);
    expect((JSON.parse(restored.stdout) as { fsck: { ok: boolean } }).fsck.ok).toBe(true);

    const again = await tryStart(into);
    if (!again.server) throw again.error!;
    try {
      const cp = await call(again.server.url, "GET", "/log/checkpoint");
      expect(cp.text.split("\n")[0]).toBe(manifest.origin);
      expect(Number(cp.text.split("\n")[1])).toBe(manifest.logSize);
      expect(cp.text).toBe(await readFile(join(backupDir, "checkpoint"), "utf8"));
      const rec = await call(
        again.server.url,
        "GET",
        `/v1/credentials/${encodeURIComponent(filled.suspended)}`,
        { token: filled.issuerToken },
      );
      expect(rec.status).toBe(200);
      expect((rec.body as { state: string }).state).toBe("suspended");
    } finally {
      await again.server.close();
    }
  }, 120_000);
});
