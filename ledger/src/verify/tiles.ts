// C2SP tlog-tiles resource paths: tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>].
import { LedgerError } from "../errors.js";

/** Tile height 8: a full tile holds 256 hashes (c2sp.org/tlog-tiles "Merkle Tree"). */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const MAX_TILE_LEVEL = 63;

const badPath = (why: string): never => {
  throw new LedgerError("log.bad_tile_path", `bad tile path: ${why}`);
};

/** `<N>` as zero-padded 3-digit path elements, all but the last prefixed with `x` (1234067 → x001/x234/067). */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) badPath("index must be a non-negative integer");
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, "0"));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

function widthSuffix(width: number | undefined): string {
  if (width === undefined || width === TILE_WIDTH) return "";
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) badPath("width must be 1..256");
  return `.p/${width}`;
}

/** Path of a hash tile, e.g. `tilePath(0, 1234, 5)` → `tile/0/x001/234.p/5`; width 256 or none is a full tile. */
export function tilePath(level: number, index: number, width?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) badPath("level must be 0..63");
  return `tile/${level}/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

/** Path of an entry bundle, e.g. `entriesPath(1234067)` → `tile/entries/x001/x234/067`. */
export function entriesPath(index: number, width?: number): string {
  return `tile/entries/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

/** A parsed tile path; `width` is 256 for a full tile. */
export interface TileRef {
  kind: "hash" | "entries";
  level: number;
  index: number;
  width: number;
}

/**
 * Parses a tile or entry-bundle path (with or without the leading `tile/`), accepting only the
 * canonical encoding, so each resource has one name.
 * @throws LedgerError `log.bad_tile_path`
 */
export function parseTilePath(path: string): TileRef {
  if (typeof path !== "string") badPath("not a string");
  const rest = path.startsWith("tile/") ? path.slice(5) : path;
  const m = /^(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(rest);
  if (m === null) badPath(path);
  const [, lvl, idx, w] = m as unknown as [string, string, string, string | undefined];
  const kind = lvl === "entries" ? "entries" : "hash";
  const level = kind === "entries" ? 0 : Number(lvl);
  if (level > MAX_TILE_LEVEL) badPath("level must be 0..63");
  const index = Number(idx.replaceAll("x", "").replaceAll("/", ""));
  if (!Number.isSafeInteger(index) || encodeTileIndex(index) !== idx) badPath("non-canonical index");
  const width = w === undefined ? TILE_WIDTH : Number(w);
  if (w !== undefined && width > 255) badPath("partial width must be 1..255");
  return { kind, level, index, width };
}

/**
 * Width of the partial tile at `level` for a tree of `size`: floor(size / 256^level) mod 256
 * (c2sp.org/tlog-tiles "Partial Tiles"); 0 means no partial tile.
 */
export function partialTileWidth(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** level) % TILE_WIDTH;
}
