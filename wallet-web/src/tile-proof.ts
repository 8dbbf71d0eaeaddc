import {
  HASH_SIZE as HASH,
  TILE_WIDTH as WIDTH,
  inclusionRanges,
  nodeHash,
  tilePath,
} from "@meritlog/ledger/verify";

/**
 * Inclusion proofs computed from the log's public hash tiles (C2SP tlog-tiles), as a monitor
 * does, instead of asking the log for a proof of one particular entry: the requests then reveal
 * only which region of the tree is read, never which entry matters to this wallet.
 * RFC 9162 §2.1.3.1 defines the proof as the hashes of leaf ranges; each range is either a
 * perfect subtree (read from a tile row and hashed up at most 7 levels) or the right edge
 * (split at the largest power of two, as MTH is defined in §2.1.1).
 */
export interface TileSource {
  /** The bytes of the tile at `path` (`tile/<L>/<N>[.p/<W>]`), 32 bytes per hash. */
  tile(path: string): Promise<Uint8Array>;
}

const pow2 = (k: number) => 2 ** k;
const largestPow2Below = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** Reads hashes of a tree of `size` leaves from its tiles; tiles are fetched once per instance. */
export function tileHasher(source: TileSource, size: number) {
  const rows = new Map<string, Promise<Uint8Array>>();

  function row(tileLevel: number, tileIndex: number): Promise<Uint8Array> {
    // Complete nodes at level 8·tileLevel; the last tile of a level may be partial.
    const count = Math.floor(size / pow2(8 * tileLevel));
    const full = Math.floor(count / WIDTH);
    const width = tileIndex < full ? WIDTH : count - full * WIDTH;
    if (width <= 0) return Promise.reject(new Error("tile beyond the tree"));
    const path = tilePath(tileLevel, tileIndex, width === WIDTH ? undefined : width);
    let p = rows.get(path);
    if (!p) {
      p = source.tile(path).then((bytes) => {
        if (bytes.length !== width * HASH)
          throw new Error(`tile ${path} has ${bytes.length} bytes, expected ${width * HASH}`);
        return bytes;
      });
      rows.set(path, p);
    }
    return p;
  }

  /** Hash of the perfect subtree at `level` (2^level leaves), `index`-th from the left. */
  async function perfect(level: number, index: number): Promise<Uint8Array> {
    const tileLevel = Math.floor(level / 8);
    const up = level % 8;
    const first = index * pow2(up);
    const tileIndex = Math.floor(first / WIDTH);
    const bytes = await row(tileLevel, tileIndex);
    const offset = first - tileIndex * WIDTH;
    let hashes: Uint8Array[] = [];
    for (let i = 0; i < pow2(up); i++)
      hashes.push(bytes.subarray((offset + i) * HASH, (offset + i + 1) * HASH));
    while (hashes.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i < hashes.length; i += 2) next.push(nodeHash(hashes[i]!, hashes[i + 1]!));
      hashes = next;
    }
    return hashes[0]!;
  }

  /** MTH(D[a:b]) (RFC 9162 §2.1.1). */
  async function mth(a: number, b: number): Promise<Uint8Array> {
    const n = b - a;
    const level = Math.log2(n);
    if (Number.isInteger(level) && a % n === 0) return perfect(level, a / n);
    const k = largestPow2Below(n);
    return nodeHash(await mth(a, a + k), await mth(a + k, b));
  }

  return {
    /** The inclusion proof of leaf `m` in the tree of `size` leaves. */
    inclusionProof: (m: number): Promise<Uint8Array[]> =>
      Promise.all(inclusionRanges(m, size).map(([a, b]) => mth(a, b))),
  };
}
