// Issue 9: a bit flipped inside a LevelDB value is served until fsck runs, because classic-level
// does not verify block checksums on read. Every log record and credential record now carries a
// CRC-32 header checked on every read (ledger/src/value-codec.ts): the server refuses to serve or
// to sign over the damage, and `meritlog fsck` names the record.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromEnv, runFsck } from "@meritlog/server";
import { call } from "./helpers/server.js";
import { copyFolder, fillDataFolder, tryStart, type Filled } from "./helpers/data-folder.js";

const dirs: string[] = [];
let original = "";
let filled: Filled;

async function copy(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "meritlog-crc-"));
  dirs.push(d);
  await copyFolder(original, d);
  return d;
}

/** Flips one bit of a stored value through the raw LevelDB, as a damaged disk sector would. */
async function flipBit(dir: string, key: string, byte: number): Promise<void> {
  const db = new Level<string, Uint8Array>(join(dir, "db"), {
    keyEncoding: "utf8",
    valueEncoding: "view",
    createIfMissing: false,
  });
  await db.open();
  try {
    const v = await db.get(key);
    if (v === undefined) throw new Error(`no stored value ${key}`);
    const bad = Uint8Array.from(v);
    bad[Math.min(byte, bad.length - 1)]! ^= 0x08;
    await db.put(key, bad);
  } finally {
    await db.close();
  }
}

async function fsckProblems(dir: string): Promise<{ code: number; said: string }> {
  const r = await runFsck(configFromEnv({}, { dataDir: dir }));
  const out = r.output as { problems?: { store: string; key?: string; message: string }[] };
  return {
    code: r.code,
    said: (out.problems ?? []).map((p) => `${p.store} ${p.key ?? ""} ${p.message}`).join("\n"),
  };
}

beforeAll(async () => {
  original = await mkdtemp(join(tmpdir(), "meritlog-crc-"));
  dirs.push(original);
  filled = await fillDataFolder(original);
}, 60_000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("a bit flipped in a stored value", () => {
  it("in a credential record: the read answers 503 storage.corrupt, others still serve, fsck names it", async () => {
    const dir = await copy();
    const victim = filled.credentialIds[1]!;
    await flipBit(dir, `!issuer!!credentials!${victim}`, 300);
    const r = await tryStart(dir);
    if (!r.server) throw r.error!;
    try {
      const got = await call(r.server.url, "GET", `/v1/credentials/${encodeURIComponent(victim)}`, {
        token: filled.issuerToken,
      });
      expect(got.status).toBe(503);
      expect(got.headers.get("content-type")).toContain("application/problem+json");
      expect((got.body as { code: string }).code).toBe("storage.corrupt");
      const other = await call(
        r.server.url,
        "GET",
        `/v1/credentials/${encodeURIComponent(filled.credentialIds[2]!)}`,
        { token: filled.issuerToken },
      );
      expect(other.status).toBe(200);
      // A status change on the damaged record is refused too: nothing is appended or signed over it.
      const before = await call(r.server.url, "GET", "/log/checkpoint");
      const st = await call(r.server.url, "POST", `/v1/credentials/${encodeURIComponent(victim)}/status`, {
        token: filled.issuerToken,
        body: { action: "revoke", reason: "issued-in-error" },
      });
      expect(st.status).toBe(503);
      expect((await call(r.server.url, "GET", "/log/checkpoint")).text).toBe(before.text);
    } finally {
      await r.server.close();
    }
    const f = await fsckProblems(dir);
    expect(f.code).toBe(1);
    expect(f.said).toMatch(new RegExp(`issuer/credentials ${victim} record does not decode.*CRC-32`));
  }, 60_000);

  for (const key of ["!log!state", "!log!e/0000000000000", "!log!t/0/0000000000000"]) {
    it(`in the log record ${key}: the server refuses to start (it never signs over it), fsck names it`, async () => {
      const dir = await copy();
      await flipBit(dir, key, 40);
      const r = await tryStart(dir);
      if (r.server) await r.server.close();
      expect(r.server).toBeUndefined();
      expect(r.error?.message).toMatch(/damaged|CRC|corrupt|decode/i);
      const f = await fsckProblems(dir);
      expect(f.code).toBe(1);
      expect(f.said).toContain(`log ${key.slice("!log!".length)} record is damaged`);
      expect(f.said).toMatch(/fsck\.record_damaged/);
    }, 60_000);
  }
});
