// LevelDB layout of the log (one sublevel, passed in by the caller):
//   t/<L>/<N>   hash tile N at tile level L: up to 256 hashes of tree level 8L (C2SP tlog-tiles)
//   m/<L>/<N>   mid row of that tile: up to 16 hashes of tree level 8L+4, so any node costs at
//               most 7 hashes to rebuild (a proof never rehashes a whole 256-hash tile)
//   e/<N>       entry bundle N: up to 256 uint16-length-prefixed entries (C2SP tlog-tiles)
//   state       {size, right edge, signed checkpoint}, written in the same synced batch
//   key/log     the log's Ed25519 seed, sealed with the caller's SecretBox
// Keys are UTF-8 strings and values bytes, each value stored with a CRC-32 header checked on every
// read (value-codec.ts); every operation names these encodings itself, so
// the sublevel may be opened with any default encodings. Partial tiles and bundles are
// overwritten as they grow; a partial tile `.p/W` is the first W hashes of the stored record.
import type { AbstractLevel } from "abstract-level";
import { LedgerError } from "./errors.js";
import { toBase64, tryFromBase64, tryUtf8Decode, utf8 } from "@meritlog/core";
import type { TreeEdge } from "./integrate.js";
import { checkedView } from "./value-codec.js";

/** A LevelDB database or sublevel (e.g. `new Level(dir).sublevel("log")`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any default encodings are fine: every call names its own
export type LedgerDb = AbstractLevel<any, any, any>;

/**
 * Log records by storage key (`t/…`, `m/…`, `e/…`, `state`) from a backend that is not LevelDB
 * (the PostgreSQL log store maps each key to a row of its own tables, store-pg.ts).
 */
export interface RecordSource {
  readRecords(keys: readonly string[]): Promise<(Uint8Array | undefined)[]>;
}

/** Where a stopped or running log can be read: a LevelDB (sub)level or another backend's records. */
export type LogSource = LedgerDb | RecordSource;

export const isRecordSource = (s: LogSource): s is RecordSource =>
  typeof (s as Partial<RecordSource>).readRecords === "function";

/** `src` read as a RecordSource (a LevelDB is read key by key, in order). */
export function asRecordSource(src: LogSource): RecordSource {
  if (isRecordSource(src)) return src;
  return {
    async readRecords(keys) {
      const out: (Uint8Array | undefined)[] = [];
      for (const k of keys) out.push(await getRecord(src, k));
      return out;
    },
  };
}

/** One record of `src` by key, undefined when absent. */
export async function getRecord(src: LogSource, key: string): Promise<Uint8Array | undefined> {
  if (isRecordSource(src)) return (await src.readRecords([key]))[0];
  return (await src.get(key, ENC)) as Uint8Array | undefined;
}

/** Values are checked on every read (value-codec.ts): a value damaged on disk throws, never serves. */
export const ENC = { keyEncoding: "utf8", valueEncoding: checkedView } as const;
/** Write options: classic-level's `sync` fsyncs the write-ahead log before resolving (not in abstract-level's types). */
export const SYNC_WRITE = { ...ENC, sync: true } as typeof ENC;
export const STATE_KEY = "state";
export const LOG_KEY_KEY = "key/log";

/** Tree levels that are stored: every 4th (tiles at multiples of 8, mid rows in between). */
export const STORED_LEVEL_STEP = 4;
/** Hashes per stored record at tree level h: 256 for a tile row, 16 for a mid row. */
export function groupWidth(h: number): number {
  return h % 8 === 0 ? 256 : 16;
}

const pad = (n: number): string => String(n).padStart(13, "0");

/** Storage key of the record holding nodes of tree level h (a multiple of 4), group g. */
export function groupKey(h: number, g: number): string {
  return h % 8 === 0 ? `t/${h / 8}/${pad(g)}` : `m/${(h - 4) / 8}/${pad(g)}`;
}

/** Storage key of entry bundle g. */
export function bundleKey(g: number): string {
  return `e/${pad(g)}`;
}

/** The persisted tree state. */
export interface StoredState {
  edge: TreeEdge;
  checkpoint: string;
  /** The public verifier key that signed `checkpoint` (lets `fsckLog` run without being told it). */
  verifierKey?: string;
}

/** Serialises the tree state (JSON, hashes in base64). */
export function encodeState(s: StoredState): Uint8Array {
  return utf8(
    JSON.stringify({
      v: 1,
      size: s.edge.size,
      edge: s.edge.stack.map(toBase64),
      checkpoint: s.checkpoint,
      verifierKey: s.verifierKey,
    }),
  );
}

/** Parses the stored tree state. @throws LedgerError `log.corrupt` */
export function decodeState(bytes: Uint8Array): StoredState {
  const corrupt = (): never => {
    throw new LedgerError("log.corrupt", "stored log state is unreadable");
  };
  const text = tryUtf8Decode(bytes) ?? corrupt();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    corrupt();
  }
  const o = raw as {
    v?: unknown;
    size?: unknown;
    edge?: unknown;
    checkpoint?: unknown;
    verifierKey?: unknown;
  };
  if (
    o?.v !== 1 ||
    !Number.isSafeInteger(o.size) ||
    (o.size as number) < 0 ||
    !Array.isArray(o.edge) ||
    typeof o.checkpoint !== "string"
  )
    corrupt();
  const stack = (o.edge as unknown[]).map((h) => {
    const b = typeof h === "string" ? tryFromBase64(h) : undefined;
    return b !== undefined && b.length === 32 ? b : corrupt();
  });
  if (stack.length !== popcount(o.size as number)) corrupt();
  const st: StoredState = { edge: { size: o.size as number, stack }, checkpoint: o.checkpoint as string };
  if (typeof o.verifierKey === "string") st.verifierKey = o.verifierKey;
  return st;
}

function popcount(n: number): number {
  let c = 0;
  for (; n > 0; n = Math.floor(n / 2)) c += n % 2;
  return c;
}

/** Encodes an entry bundle: big-endian uint16 length, then the entry (C2SP tlog-tiles "Log entries"). */
export function encodeBundle(entries: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const e of entries) n += 2 + e.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const e of entries) {
    out[o] = e.length >>> 8;
    out[o + 1] = e.length & 255;
    out.set(e, o + 2);
    o += 2 + e.length;
  }
  return out;
}

/** Splits a bundle into its entries (views into `bundle`). @throws LedgerError `log.corrupt` */
export function decodeBundle(bundle: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < bundle.length) {
    if (o + 2 > bundle.length) throw new LedgerError("log.corrupt", "truncated entry bundle");
    const len = (bundle[o]! << 8) | bundle[o + 1]!;
    if (o + 2 + len > bundle.length) throw new LedgerError("log.corrupt", "truncated entry bundle");
    out.push(bundle.subarray(o + 2, o + 2 + len));
    o += 2 + len;
  }
  return out;
}

/** Byte length of the first `count` entries of a bundle (for serving `.p/W` prefixes). */
export function bundlePrefixLength(bundle: Uint8Array, count: number): number | undefined {
  let o = 0;
  for (let i = 0; i < count; i++) {
    if (o + 2 > bundle.length) return undefined;
    o += 2 + ((bundle[o]! << 8) | bundle[o + 1]!);
  }
  return o <= bundle.length ? o : undefined;
}

/** An LRU of immutable records (full tiles, mid rows, full bundles), bounded in bytes. */
export class RecordCache {
  private readonly map = new Map<string, Uint8Array>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): Uint8Array | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: Uint8Array): void {
    if (value.length > this.maxBytes) return;
    const old = this.map.get(key);
    if (old !== undefined) {
      this.bytes -= old.length;
      this.map.delete(key);
    }
    this.map.set(key, value);
    this.bytes += value.length;
    while (this.bytes > this.maxBytes) {
      const [k, v] = this.map.entries().next().value!;
      this.map.delete(k);
      this.bytes -= v.length;
    }
  }
}
