// `meritlog tiles export` (issue 10): the log written as static C2SP tlog-tiles files, served by
// a plain static file server, checked as a client would: the checkpoint verifies under the log
// key, every tile row hashes to the tile above it and to the checkpoint's root, inclusion proofs
// computed from the exported tiles verify, and a second export after more appends leaves every
// full tile byte-identical and adds the new ones.
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTiles, followTiles, httpTileSource } from "@meritlog/server";
import {
  DEFAULT_TREE_HASHER,
  entriesPath,
  inclusionRanges,
  leafHash,
  nodeHash,
  tilePath,
  verifyInclusion,
  verifyNote,
  parseVerifierKey,
} from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiExamples } from "./helpers/api-examples.js";
import { newHolder } from "./helpers/did-key.js";

let server: RunningServer;
let token = "";
let verifierKey = "";
const dirs: string[] = [];

/** Issues `n` credentials in batches (one group commit each). */
async function issue(n: number): Promise<void> {
  const ex = apiExamples(newHolder().did);
  for (let done = 0; done < n;) {
    const k = Math.min(500, n - done);
    const r = await call(server.url, "POST", "/v1/credentials/batch", {
      token,
      body: { items: Array.from({ length: k }, () => ex.microCredential()) },
    });
    expect(r.status).toBe(201);
    done += k;
  }
}

/** A tiny static file server over `root` (what a CDN or nginx would be). */
async function serveStatic(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const srv: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0]!)).replace(/^\/+/, "");
    if (path.startsWith("..")) {
      res.writeHead(400).end();
      return;
    }
    readFile(join(root, path)).then(
      (b) => res.writeHead(200, { "content-type": "application/octet-stream" }).end(b),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const a = srv.address();
  return {
    url: `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`,
    close: () => new Promise((r) => srv.close(() => r())),
  };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Every file below `dir` → its bytes (hex). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out.set(p.slice(dir.length + 1), Buffer.from(await readFile(p)).toString("hex"));
  }
  return out;
}

/**
 * Checks the exported log as a client that trusts only the log key: verifies the checkpoint,
 * reads every level-0 tile and entry bundle, checks each leaf hash, each level-1 hash against
 * the 256 leaves below it, the root, and inclusion proofs built from the tile hashes.
 */
async function checkAsClient(base: string): Promise<number> {
  const note = new TextDecoder().decode(await fetchBytes(`${base}/checkpoint`));
  const v = verifyNote(note, [parseVerifierKey(verifierKey)]);
  expect(v.ok, v.message).toBe(true);
  const { size, rootHash } = v.checkpoint!;
  const leaves: Uint8Array[] = [];
  for (let n = 0; n * 256 < size; n++) {
    const w = Math.min(256, size - n * 256);
    const tile = await fetchBytes(`${base}/${tilePath(0, n, w === 256 ? undefined : w)}`);
    const bundle = await fetchBytes(`${base}/${entriesPath(n, w === 256 ? undefined : w)}`);
    expect(tile.length).toBe(w * 32);
    let o = 0;
    for (let i = 0; i < w; i++) {
      const len = (bundle[o]! << 8) | bundle[o + 1]!;
      const h = leafHash(bundle.subarray(o + 2, o + 2 + len));
      o += 2 + len;
      expect(Buffer.from(tile.subarray(i * 32, i * 32 + 32)).equals(Buffer.from(h))).toBe(true);
      leaves.push(h);
    }
    expect(o).toBe(bundle.length);
  }
  const mth = (a: number, b: number): Uint8Array => {
    if (b - a === 1) return leaves[a]!;
    let k = 1;
    while (k * 2 < b - a) k *= 2;
    return nodeHash(mth(a, a + k), mth(a + k, b));
  };
  // Level-1 tiles: the roots of each full 256-leaf subtree.
  const full = Math.floor(size / 256);
  if (full > 0) {
    const t1 = await fetchBytes(`${base}/${tilePath(1, 0, full === 256 ? undefined : full)}`);
    for (let i = 0; i < full; i++)
      expect(
        Buffer.from(t1.subarray(i * 32, i * 32 + 32)).equals(Buffer.from(mth(i * 256, i * 256 + 256))),
      ).toBe(true);
  }
  expect(Buffer.from(mth(0, size)).equals(Buffer.from(rootHash))).toBe(true);
  for (const m of [0, 1, 255, 256, Math.floor(size / 2), size - 1]) {
    const proof = inclusionRanges(m, size).map(([a, b]) => mth(a, b));
    expect(verifyInclusion(DEFAULT_TREE_HASHER, leaves[m]!, m, size, proof, rootHash), `leaf ${m}`).toBe(
      true,
    );
  }
  return size;
}

beforeAll(async () => {
  server = await startServer();
  const issuer = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Tiles Export Academy" },
  });
  token = (issuer.body as { token: string }).token;
  verifierKey = ((await call(server.url, "GET", "/v1/log/key")).body as { verifierKey: string }).verifierKey;
}, 60_000);

afterAll(async () => {
  await server?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("meritlog tiles export", () => {
  it("writes a folder a static server serves as the log; a second export keeps full tiles and adds new ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meritlog-tiles-"));
    dirs.push(dir);
    await issue(300);
    const first = await exportTiles(httpTileSource(server.url), dir, verifierKey);
    expect(first.changed).toBe(true);
    const stat1 = await stat(join(dir, tilePath(0, 0)));
    const static1 = await serveStatic(dir);
    try {
      expect(await checkAsClient(static1.url)).toBe(first.size);
    } finally {
      await static1.close();
    }
    const before = await snapshot(dir);
    // Nothing new: nothing written, the checkpoint stays.
    expect(await exportTiles(httpTileSource(server.url), dir, verifierKey)).toMatchObject({
      changed: false,
      written: 0,
    });

    await issue(400);
    const second = await exportTiles(httpTileSource(server.url), dir, verifierKey);
    expect(second.size).toBeGreaterThan(first.size + 399);
    expect(second.kept).toBeGreaterThanOrEqual(2); // tile/0/000 and tile/entries/000
    const after = await snapshot(dir);
    // Every full tile and bundle of the first export is byte-identical and was not rewritten.
    const fullBefore = [...before.keys()].filter((k) => k.startsWith("tile/") && !k.includes(".p/"));
    expect(fullBefore.length).toBeGreaterThanOrEqual(2);
    for (const k of fullBefore) expect(after.get(k), k).toBe(before.get(k));
    expect((await stat(join(dir, tilePath(0, 0)))).mtimeMs).toBe(stat1.mtimeMs);
    // New full tiles were added; no temporary file is left.
    expect(after.has(tilePath(0, 1))).toBe(true);
    expect(after.has(entriesPath(1))).toBe(true);
    expect([...after.keys()].some((k) => k.includes(".tmp-"))).toBe(false);
    const static2 = await serveStatic(dir);
    try {
      expect(await checkAsClient(static2.url)).toBe(second.size);
    } finally {
      await static2.close();
    }
  }, 120_000);

  it("refuses a checkpoint under another key and never goes back to a smaller tree", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meritlog-tiles-"));
    dirs.push(dir);
    await issue(3);
    const other = "example.org/log+00000000+AXpBTBC3awIJ6OYD9XW1C7jzbthg3ny7QTpuB+2JaPyw";
    await expect(exportTiles(httpTileSource(server.url), dir, other)).rejects.toThrow();
    const r = await exportTiles(httpTileSource(server.url), dir, verifierKey);
    // A source that offers an older checkpoint (a rolled-back or forked mirror) is refused.
    const src = httpTileSource(server.url);
    const old = await src.checkpoint();
    await issue(2);
    await exportTiles(src, dir, verifierKey);
    const stale = { checkpoint: async () => old, get: src.get };
    await expect(exportTiles(stale, dir, verifierKey)).rejects.toThrow(/already holds a tree/);
    expect(r.size).toBeGreaterThan(0);
  }, 60_000);

  it("--follow exports each new checkpoint until stopped", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meritlog-tiles-"));
    dirs.push(dir);
    const stop = new AbortController();
    const seen: number[] = [];
    const errors: unknown[] = [];
    const running = followTiles(httpTileSource(server.url), dir, verifierKey, {
      intervalMs: 50,
      signal: stop.signal,
      onExport: (r) => seen.push(r.size),
      onError: (e) => errors.push(e),
    });
    const waitFor = async (size: number): Promise<void> => {
      for (let i = 0; i < 600 && !seen.includes(size); i++) await new Promise((r) => setTimeout(r, 50));
    };
    const size0 = Number((await call(server.url, "GET", "/log/checkpoint")).text.split("\n")[1]);
    await waitFor(size0);
    await issue(5);
    const size1 = Number((await call(server.url, "GET", "/log/checkpoint")).text.split("\n")[1]);
    await waitFor(size1);
    stop.abort();
    await running;
    expect(errors).toEqual([]);
    expect(seen).toContain(size0);
    expect(seen).toContain(size1);
    const note = await readFile(join(dir, "checkpoint"), "utf8");
    expect(note.split("\n")[1]).toBe(String(size1));
  }, 60_000);
});
