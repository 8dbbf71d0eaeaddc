// Issue 9, "Storage damage": on copies of a real data folder, each of truncate, zero, bit-flip and
// delete applied to the table files, the write-ahead log, CURRENT and MANIFEST. The server either
// refuses to start (one clear line, every file left as it was) or starts and serves the tree it
// signed (same size and root) and correct records (or 503 storage.corrupt for what it cannot read);
// it never serves a smaller or different tree and never deletes a file. Damage is placed at fixed
// offsets, so every run does the same thing.
import { readFile, rm, truncate, unlink, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiExamples } from "./helpers/api-examples.js";
import { newHolder } from "./helpers/did-key.js";
import { configFromEnv, runFsck } from "@meritlog/server";
import { call } from "./helpers/server.js";
import { copyFolder, dbFiles, fillServer, hashTree, tryStart, type Filled } from "./helpers/data-folder.js";

const dirs: string[] = [];
const tmp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "meritlog-damage-"));
  dirs.push(d);
  return d;
};
let original = "";
let filled: Filled;
/** What the undamaged folder serves: record bodies by id, and the log's first entries. */
const truth = new Map<string, string>();
let entries: string[] = [];

type Damage = "truncate" | "zero" | "bit-flip" | "delete";
type Target = "table" | "write-ahead log" | "CURRENT" | "MANIFEST";

async function damage(file: string, how: Damage): Promise<void> {
  const bytes = await readFile(file);
  switch (how) {
    case "truncate":
      await truncate(file, Math.floor(bytes.length / 2));
      break;
    case "zero":
      await writeFile(file, Buffer.alloc(bytes.length));
      break;
    case "bit-flip": {
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x10;
      await writeFile(file, bytes);
      break;
    }
    case "delete":
      await unlink(file);
      break;
  }
}

beforeAll(async () => {
  original = await tmp();
  // Two runs, so the folder holds both table files (the first run's write-ahead log becomes a
  // table when the second run opens it) and a write-ahead log with newer writes.
  const first = await tryStart(original);
  if (!first.server) throw first.error!;
  filled = await fillServer(first.server, 4);
  await first.server.close();
  const second = await tryStart(original);
  if (!second.server) throw second.error!;
  const ex = apiExamples(newHolder().did);
  for (let i = 0; i < 3; i++) {
    const r = await call(second.server.url, "POST", "/v1/credentials", {
      token: filled.issuerToken,
      body: ex.microCredential(),
    });
    filled.credentialIds.push((r.body as { id: string }).id);
  }
  const cp = await call(second.server.url, "GET", "/log/checkpoint");
  filled.checkpoint = cp.text;
  filled.size = Number(cp.text.split("\n")[1]);
  for (const id of filled.credentialIds) {
    truth.set(
      id,
      (
        await call(second.server.url, "GET", `/v1/credentials/${encodeURIComponent(id)}`, {
          token: filled.issuerToken,
        })
      ).text,
    );
  }
  entries = await Promise.all(
    [0, 1, filled.size - 1].map(
      async (i) => (await call(second.server!.url, "GET", `/v1/log/entries/${i}`)).text,
    ),
  );
  await second.server.close();
  const files = await dbFiles(original);
  if (files.ldb.length === 0 || files.log.length === 0)
    throw new Error("the fixture folder lacks a table file or a write-ahead log");
}, 90_000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const cases: [Target, Damage][] = [];
for (const t of ["table", "write-ahead log", "CURRENT", "MANIFEST"] as const)
  for (const d of ["truncate", "zero", "bit-flip", "delete"] as const) cases.push([t, d]);

describe("storage damage on a copy of a real data folder", () => {
  it.each(cases)(
    "%s, %s: refuses with one clear line and no file changed, or serves exactly the signed tree",
    async (target, how) => {
      const dir = await tmp();
      await copyFolder(original, dir);
      const files = await dbFiles(dir);
      const victims =
        target === "table"
          ? files.ldb
          : target === "write-ahead log"
            ? files.log
            : target === "CURRENT"
              ? [files.current]
              : files.manifest;
      expect(victims.length).toBeGreaterThan(0);
      for (const f of victims) await damage(f, how);
      const before = await hashTree(dir);

      const r = await tryStart(dir);
      if (r.server === undefined) {
        // Refused: one line, and the folder exactly as it was (nothing deleted, nothing rewritten).
        expect(r.error!.name).toBe("StartRefused");
        expect(r.error!.message).not.toContain("\n");
        expect(await hashTree(dir)).toEqual(before);
        return;
      }
      const silentlyChanged: string[] = [];
      try {
        const url = r.server.url;
        // The signed tree: never smaller, never different.
        const cp = await call(url, "GET", "/log/checkpoint");
        expect(cp.text).toBe(filled.checkpoint);
        for (const [j, i] of [0, 1, filled.size - 1].entries()) {
          const e = await call(url, "GET", `/v1/log/entries/${i}`);
          if (e.status === 503) expect((e.body as { code: string }).code).toBe("storage.corrupt");
          else expect(e.text).toBe(entries[j]);
        }
        for (const id of filled.credentialIds) {
          const got = await call(url, "GET", `/v1/credentials/${encodeURIComponent(id)}`, {
            token: filled.issuerToken,
          });
          if (got.status === 503) expect((got.body as { code: string }).code).toBe("storage.corrupt");
          else {
            expect(got.status).toBe(200);
            if (got.text !== truth.get(id)) silentlyChanged.push(id);
          }
        }
      } finally {
        await r.server.close();
      }
      // LevelDB (classic-level) reads without verifying block checksums, so a flipped bit in the
      // literal bytes of a table block can be served. It must never reach the signed tree (checked
      // above) and must be found: the changed record breaks its receipt or digest, and fsck names it.
      // (Known limit, docs/SECURITY.md: served until fsck runs.)
      if (silentlyChanged.length > 0) {
        const report = await runFsck(configFromEnv({}, { dataDir: dir }));
        expect(report.code).toBe(1);
        const named = JSON.stringify(report.output);
        for (const id of silentlyChanged) expect(named).toContain(id);
      }
    },
    30_000,
  );
});
