// The file `data/checkpoint`: the newest signed checkpoint, kept outside the database (data-folder.ts
// says why). It is written after every group commit of the log, before any append of it is
// answered, so its cost is paid once per commit (issue 10: an atomic replace, that is temp file,
// write, fsync, rename, fsync of the folder, cost ~0.6–1.4 ms CPU per commit on this machine, most
// of it in the kernel, +13–19% CPU per credential).
//
// Layout: two slots of equal size, each `meritlog-checkpoint <seq> <length> <crc32>\n` then the
// note's bytes (zero padding after). A commit overwrites the older slot in place with one
// O_DSYNC write into blocks the file already has: no new inode, no rename, no directory entry,
// so nothing but the slot's own bytes has to reach the disk (~0.1–0.25 ms CPU). A crash during the
// write can tear only that slot; its checksum then fails and the other slot, written completely
// before, holds the previous checkpoint, which every acknowledged append is covered by (the next
// one is not acknowledged until its write returns). The reader takes the valid slot with the higher
// sequence number. The first write of a process lays the file out afresh with an atomic replace
// (which also turns a plain-text file, as older versions and `meritlog restore` write it, into
// slots); a plain-text file is read as the note itself.
import { constants } from "node:fs";
import { open, readFile, type FileHandle } from "node:fs/promises";
import { crc32 } from "node:zlib";

const MAGIC = "meritlog-checkpoint ";
/** Smallest slot: a checkpoint note (origin, size, root, one signature line) is a few hundred bytes. */
const MIN_SLOT = 4096;
const utf8 = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** CRC-32 (hex) over the sequence number, the length and the note, so a flipped bit in any of them shows. */
function slotCrc(seq: number, length: number, body: Uint8Array): string {
  return (crc32(body, crc32(`${seq} ${length}`)) >>> 0).toString(16);
}

/** One slot's bytes: header line, then the note. */
function encodeSlot(seq: number, note: string): Uint8Array {
  const body = utf8.encode(note);
  const header = utf8.encode(`${MAGIC}${seq} ${body.length} ${slotCrc(seq, body.length, body)}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** The slot's sequence number and note, or undefined when it is empty, torn or damaged. */
function decodeSlot(slot: Uint8Array): { seq: number; note: string } | undefined {
  const nl = slot.indexOf(0x0a);
  if (nl < 0) return undefined;
  const m = /^meritlog-checkpoint (\d{1,15}) (\d{1,9}) ([0-9a-f]{1,8})$/.exec(
    Buffer.from(slot.subarray(0, nl)).toString("latin1"),
  );
  if (m === null) return undefined;
  const len = Number(m[2]);
  if (nl + 1 + len > slot.length) return undefined;
  const body = slot.subarray(nl + 1, nl + 1 + len);
  if (slotCrc(Number(m[1]), len, body) !== m[3]) return undefined;
  try {
    return { seq: Number(m[1]), note: decoder.decode(body) };
  } catch {
    return undefined;
  }
}

/**
 * The note a checkpoint file holds: the newest valid slot, or the whole text of a plain-text file.
 * @throws Error when the file is in slot form and no slot is valid.
 */
function parseCheckpointFile(bytes: Uint8Array): string {
  const half = Math.floor(bytes.length / 2);
  // A torn write damages one slot only, so one of the two starts with the header. A plain note
  // never does: its first line is an origin, which has no spaces.
  const magic = Buffer.from(MAGIC);
  const startsSlot = (at: number) => Buffer.from(bytes.subarray(at, at + magic.length)).equals(magic);
  if (bytes.length % 2 !== 0 || (!startsSlot(0) && !startsSlot(half)))
    return Buffer.from(bytes).toString("utf8");
  const slots = [decodeSlot(bytes.subarray(0, half)), decodeSlot(bytes.subarray(half))].filter(
    (s) => s !== undefined,
  );
  if (slots.length === 0) throw new Error("neither slot of the checkpoint file is intact");
  return slots.reduce((a, b) => (b.seq > a.seq ? b : a)).note;
}

/**
 * The newest checkpoint kept in the file at `path`, or undefined when there is no file.
 * @throws Error when the file cannot be read or no slot is intact.
 */
export async function readCheckpointFile(path: string): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return parseCheckpointFile(bytes);
}

/**
 * Writes checkpoints to one file, each durable when `write` resolves. Calls must not overlap
 * (data-folder.ts keeps one writer in call order).
 */
export class CheckpointFileWriter {
  private fh: FileHandle | undefined;
  private slotSize = 0;
  private seq = 0;
  private closed = false;

  /** `replace(path, bytes)`: the atomic replace used to lay the file out (temp, fsync, rename, fsync dir). */
  constructor(
    private readonly path: string,
    private readonly replace: (path: string, bytes: Uint8Array) => Promise<void>,
  ) {}

  /** Makes `note` the file's newest checkpoint; resolves once it is on disk. */
  async write(note: string): Promise<void> {
    if (this.closed) throw new Error("the checkpoint file is closed");
    const slot = encodeSlot(this.seq + 1, note);
    if (this.fh === undefined || slot.length > this.slotSize) return await this.layOut(note);
    // Sequence number n goes to slot (n - 1) % 2; the other slot keeps the previous checkpoint.
    const at = (this.seq % 2) * this.slotSize;
    await this.fh.write(slot, 0, slot.length, at);
    if (constants.O_DSYNC === undefined) await this.fh.datasync();
    this.seq++;
  }

  /** A fresh file with `note` in slot 0 (slot 1 empty), by atomic replace; then opened for in-place writes. */
  private async layOut(note: string): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
    const slot = encodeSlot(1, note);
    let size = MIN_SLOT;
    while (size < 2 * slot.length) size *= 2;
    const file = new Uint8Array(2 * size);
    file.set(slot, 0);
    await this.replace(this.path, file);
    // The slot bytes exist on disk now (written and fsynced above), so later writes only overwrite them.
    this.fh = await open(this.path, constants.O_RDWR | (constants.O_DSYNC ?? 0));
    this.slotSize = size;
    this.seq = 1;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.fh?.close();
    this.fh = undefined;
  }
}
