// `meritlog tiles export DIR [--follow]` (issue 10): writes the log as static files in the C2SP
// tlog-tiles layout (c2sp.org/tlog-tiles) — `checkpoint`, `tile/<L>/<N>[.p/<W>]` and
// `tile/entries/<N>[.p/<W>]` — so any static web server or CDN can serve reads without the
// database. The bytes come from the running server's `/log/` routes, which serve them from the
// log's own tile and entry-bundle readers (ledger/src/log.ts, tree-reader.ts).
//
// Rules from the spec, and why:
// - Full tiles and bundles are immutable ("MUST NOT change"): one that exists is never rewritten.
// - Partial tiles are written to a temporary name and renamed, so a reader sees the old or the new
//   file, never half of one.
// - The checkpoint is written last (also temp + rename), after every tile it needs is durable
//   (each file fsynced, then the folders): a client that reads the checkpoint finds its tiles.
// - The checkpoint must verify under the log key, and an export never goes back to a smaller
//   tree than the one already exported (a mirror must not roll back).
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  entriesPath,
  parseVerifierKey,
  tilePath,
  TILE_WIDTH,
  verifyNote,
  type Checkpoint,
} from "@meritlog/ledger/verify";

/** Where the bytes come from: a `checkpoint` and tlog-tiles paths (`tile/0/000`, `tile/entries/x001/234.p/7`). */
export interface TileSource {
  checkpoint(): Promise<string>;
  get(path: string): Promise<Uint8Array>;
}

/** A source that reads a meritlog server's `/log/checkpoint` and `/log/tile/…`. */
export function httpTileSource(baseUrl: string): TileSource {
  const base = baseUrl.replace(/\/+$/, "");
  const fetchOk = async (url: string): Promise<Response> => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text().catch(() => "")}`.trim());
    return res;
  };
  return {
    checkpoint: async () => await (await fetchOk(`${base}/log/checkpoint`)).text(),
    get: async (path) => new Uint8Array(await (await fetchOk(`${base}/log/${path}`)).arrayBuffer()),
  };
}

/** What one export wrote. */
export interface ExportResult {
  size: number;
  /** Files written this time (full tiles, bundles, partials); existing full ones are not counted. */
  written: number;
  /** Full tiles and bundles already there, left as they were. */
  kept: number;
  /** Whether the checkpoint changed (false: the folder already held this checkpoint). */
  changed: boolean;
}

const HASH = 32;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes `data` to a temporary name beside `path`, fsyncs it, and renames it into place. */
async function writeAtomic(path: string, data: Uint8Array | string, dirs: Set<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${randomBytes(6).toString("hex")}`;
  const fh = await open(tmp, "wx", 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  dirs.add(dirname(path));
}

/** fsync of a folder, so the renames in it are durable (POSIX: a rename is an entry of the folder). */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The checkpoint's tree, verified under `verifierKey`. @throws Error naming what failed */
function checkedCheckpoint(note: string, verifierKey: string): Checkpoint {
  const v = verifyNote(note, [parseVerifierKey(verifierKey)]);
  if (!v.ok || v.checkpoint === undefined) throw new Error(`the checkpoint does not verify: ${v.message}`);
  return v.checkpoint;
}

/**
 * Exports the log's checkpoint, hash tiles and entry bundles into `dir` (c2sp.org/tlog-tiles).
 * Resolves after the checkpoint, written last, is durable.
 * @throws Error when the checkpoint does not verify under `verifierKey`, when the tree is smaller
 * than the one `dir` already holds, or when a tile has the wrong length
 */
export async function exportTiles(
  source: TileSource,
  dir: string,
  verifierKey: string,
): Promise<ExportResult> {
  const note = await source.checkpoint();
  const cp = checkedCheckpoint(note, verifierKey);
  const cpFile = join(dir, "checkpoint");
  const old = await readFile(cpFile, "utf8").catch(() => undefined);
  let oldSize = 0;
  if (old !== undefined) {
    if (old === note) return { size: cp.size, written: 0, kept: 0, changed: false };
    const prev = checkedCheckpoint(old, verifierKey);
    if (prev.origin !== cp.origin) throw new Error(`${dir} holds another log (${prev.origin})`);
    if (prev.size > cp.size)
      throw new Error(`${dir} already holds a tree of ${prev.size} entries; the log offers only ${cp.size}`);
    oldSize = prev.size;
  }
  const dirs = new Set<string>();
  let written = 0;
  let kept = 0;
  const one = async (path: string, expectLength?: number): Promise<void> => {
    const data = await source.get(path);
    if (expectLength !== undefined && data.length !== expectLength)
      throw new Error(`${path}: ${data.length} bytes, expected ${expectLength}`);
    await writeAtomic(join(dir, path), data, dirs);
    written++;
  };
  for (let level = 0; ; level++) {
    // Hashes at tree level 8·L: floor(size / 256^L); the last tile of a level may be partial.
    const count = Math.floor(cp.size / TILE_WIDTH ** level);
    if (count === 0) break;
    const oldCount = Math.floor(oldSize / TILE_WIDTH ** level);
    const full = Math.floor(count / TILE_WIDTH);
    const partial = count % TILE_WIDTH;
    for (let n = 0; n < full; n++) {
      const paths = [tilePath(level, n), ...(level === 0 ? [entriesPath(n)] : [])];
      for (const path of paths) {
        // Full tiles below the exported checkpoint were written before it; others may exist from
        // an export that stopped before its checkpoint. Either way: immutable, never rewritten.
        if (n < Math.floor(oldCount / TILE_WIDTH) || (await exists(join(dir, path)))) {
          kept++;
          continue;
        }
        await one(path, path.startsWith("tile/entries/") ? undefined : TILE_WIDTH * HASH);
      }
    }
    if (partial > 0) {
      await one(tilePath(level, full, partial), partial * HASH);
      if (level === 0) await one(entriesPath(full, partial));
    }
  }
  for (const d of dirs) await syncDir(d);
  await writeAtomic(cpFile, note, new Set());
  await syncDir(dir);
  return { size: cp.size, written, kept, changed: true };
}

/**
 * `--follow`: exports whenever the log's checkpoint changes, every `intervalMs`, until `signal`
 * aborts. A failed round is reported through `onError` and retried at the next interval.
 */
export async function followTiles(
  source: TileSource,
  dir: string,
  verifierKey: string,
  o: {
    intervalMs: number;
    signal: AbortSignal;
    onExport: (r: ExportResult) => void;
    onError: (e: unknown) => void;
  },
): Promise<void> {
  while (!o.signal.aborted) {
    try {
      const r = await exportTiles(source, dir, verifierKey);
      if (r.changed) o.onExport(r);
    } catch (e) {
      o.onError(e);
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, o.intervalMs);
      o.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  }
}
