// Checked values (issue 9): classic-level does not verify LevelDB's block checksums on a read, so
// a bit flipped inside a table block is served until `meritlog fsck` runs. Every value the log
// writes (tiles, mid rows, entry bundles, the state record with the signed checkpoint, sealed
// keys) and every credential record is therefore stored as
//
//   MAGIC (4 bytes: C5 4D 4C 01) ‖ CRC-32 of the payload (uint32, big-endian) ‖ payload
//
// and checked on every read. CRC-32 (ISO-HDLC, as zlib and gzip use) detects every error of up to
// three bits and every burst of up to 32 bits in these record sizes, which is the damage a flipped
// or zeroed disk sector leaves; it is a damage check, not an authenticity check (the checkpoint
// signature and the Merkle tree are that). LevelDB's own blocks use CRC-32C the same way.
//
// Values written before this format have no header ("legacy") and are still read, unchecked, so
// existing data folders open; every value written from now on is checked. A legacy value is told
// from a checked one by its first four bytes: MAGIC exactly means checked. Header damage is caught
// too: a value whose first four bytes are within three bits of MAGIC and whose bytes 4..8 are the
// CRC of the rest is a checked value with a damaged header, not a legacy one.
import { crc32 } from "node:zlib";
import { LedgerError } from "./errors.js";

const MAGIC = [0xc5, 0x4d, 0x4c, 0x01] as const;
/** Bytes the header adds to every value. */
const CHECKED_HEADER_BYTES = 8;

/** Wraps `payload` in the checked format (a new buffer). */
function sealValue(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHECKED_HEADER_BYTES + payload.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, crc32(payload) >>> 0, false);
  out.set(payload, CHECKED_HEADER_BYTES);
  return out;
}

/** What a stored value is: checked and intact, legacy (no header), or damaged. */
export type ValueCheck =
  | { kind: "checked"; payload: Uint8Array }
  | { kind: "legacy"; payload: Uint8Array }
  | { kind: "damaged"; message: string };

function magicDistance(v: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < 4; i++) {
    let x = (v[i]! ^ MAGIC[i]!) & 255;
    for (; x !== 0; x &= x - 1) d++;
  }
  return d;
}

function storedCrc(v: Uint8Array): number {
  return new DataView(v.buffer, v.byteOffset, v.byteLength).getUint32(4, false);
}

/** Classifies a stored value without throwing (fsck reports every damaged value, not the first). */
export function checkValue(stored: Uint8Array): ValueCheck {
  if (stored.length < CHECKED_HEADER_BYTES) return { kind: "legacy", payload: stored };
  const d = magicDistance(stored);
  if (d > 3) return { kind: "legacy", payload: stored };
  const payload = stored.subarray(CHECKED_HEADER_BYTES);
  const ok = crc32(payload) >>> 0 === storedCrc(stored);
  if (d === 0)
    return ok
      ? { kind: "checked", payload }
      : { kind: "damaged", message: "stored value fails its CRC-32 check (damaged on disk)" };
  return ok
    ? { kind: "damaged", message: "stored value has a damaged header (damaged on disk)" }
    : { kind: "legacy", payload: stored };
}

/**
 * The payload of a stored value (a view into `stored`).
 * @throws LedgerError `log.corrupt` when the value is damaged.
 */
export function openValue(stored: Uint8Array): Uint8Array {
  const c = checkValue(stored);
  if (c.kind === "damaged") throw new LedgerError("log.corrupt", c.message);
  return c.payload;
}

/**
 * An abstract-level value encoding (format `view`) that seals on write and checks on read. A
 * failed check surfaces from `get`/`getMany`/`getSync`/iterators as abstract-level's
 * `LEVEL_DECODE_ERROR` with the `log.corrupt` error as its cause, which the server answers as
 * 503 `storage.corrupt` and never signs on top of.
 */
export const checkedView = {
  name: "meritlog-checked-view",
  format: "view" as const,
  encode: (v: Uint8Array): Uint8Array => sealValue(v),
  decode: (v: Uint8Array): Uint8Array => openValue(v),
};

/** Writes the header in front of a payload that starts `CHECKED_HEADER_BYTES` into `out` (no copy). */
function sealInPlace(out: Uint8Array): Uint8Array {
  out.set(MAGIC, 0);
  const crc = crc32(out.subarray(CHECKED_HEADER_BYTES)) >>> 0;
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(4, crc, false);
  return out;
}

/**
 * Wraps another `view` encoding (e.g. the credential record encoding) in the checked format.
 * An inner encoding with `encodeAfter(v, reserve)` writes its bytes after `reserve` free bytes
 * of one buffer, where the header then goes: one allocation and no copy of a large value.
 */
export function checkedEncoding<T>(inner: {
  name: string;
  encode(v: T): Uint8Array;
  encodeAfter?(v: T, reserve: number): Uint8Array;
  decode(v: Uint8Array): T;
}): { name: string; format: "view"; encode(v: T): Uint8Array; decode(v: Uint8Array): T } {
  const after = inner.encodeAfter?.bind(inner);
  return {
    name: `checked+${inner.name}`,
    format: "view",
    encode: after ? (v) => sealInPlace(after(v, CHECKED_HEADER_BYTES)) : (v) => sealValue(inner.encode(v)),
    decode: (v) => inner.decode(openValue(v)),
  };
}
