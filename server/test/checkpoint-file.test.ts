import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CheckpointFileWriter, readCheckpointFile } from "../src/checkpoint-file.js";
import { writeFileAtomic } from "../src/data-folder.js";

// data/checkpoint in two slots (checkpoint-file.ts): whatever a crash tears, the file still holds a
// checkpoint at least as new as every one whose write had returned.

const note = (size: number) =>
  `example.org/log\n${size}\n${Buffer.alloc(32, size % 251).toString("base64")}\n\n— example.org/log AAAA${"x".repeat(size % 7)}\n`;

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function fresh(): Promise<{ path: string; writer: CheckpointFileWriter; replaced: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), "meritlog-cpfile-"));
  dirs.push(dir);
  const path = join(dir, "checkpoint");
  const replaced: number[] = [];
  const writer = new CheckpointFileWriter(path, async (p, bytes) => {
    replaced.push(bytes.length);
    await writeFileAtomic(p, bytes, 0o644);
  });
  return { path, writer, replaced };
}

/** Byte offset of the note inside the slot starting at `at` (after its header line). */
const bodyOffset = (bytes: Uint8Array, at: number) => bytes.indexOf(0x0a, at) + 1;

describe("checkpoint file", () => {
  it("reads a plain-text file (older versions, `meritlog restore`) as the note itself, and a missing file as undefined", async () => {
    const { path } = await fresh();
    expect(await readCheckpointFile(path)).toBeUndefined();
    await writeFile(path, note(5));
    expect(await readCheckpointFile(path)).toBe(note(5));
  });

  it("lays the file out once by atomic replace, then overwrites the older slot in place; the newest is read", async () => {
    const { path, writer, replaced } = await fresh();
    await writeFile(path, note(1)); // plain text before: turned into slots by the first write
    for (let n = 2; n <= 6; n++) {
      await writer.write(note(n));
      expect(await readCheckpointFile(path)).toBe(note(n));
    }
    expect(replaced).toEqual([8192]);
    expect((await stat(path)).size).toBe(8192);
    await writer.close();
    await expect(writer.write(note(7))).rejects.toThrow(/closed/);
  });

  it("a torn or damaged newest slot leaves the previous checkpoint; both damaged is an error, never a guess", async () => {
    const { path, writer } = await fresh();
    await writer.write(note(10)); // seq 1, slot 0
    await writer.write(note(11)); // seq 2, slot 1
    await writer.close();
    const good = await readFile(path);
    // Torn: the second half of the newest slot's note never reached the disk (old bytes there).
    const torn = Buffer.from(good);
    const at = bodyOffset(torn, 4096);
    torn.fill(0, at + 40, at + note(11).length);
    await writeFile(path, torn);
    expect(await readCheckpointFile(path)).toBe(note(10));
    // A flipped bit in the header's sequence number of the newest slot.
    const flipped = Buffer.from(good);
    flipped[4096 + 20] = flipped[4096 + 20]! ^ 0x01;
    await writeFile(path, flipped);
    expect(await readCheckpointFile(path)).toBe(note(10));
    // Both slots damaged.
    const both = Buffer.from(torn);
    both[bodyOffset(both, 0) + 3] = both[bodyOffset(both, 0) + 3]! ^ 0x40;
    await writeFile(path, both);
    await expect(readCheckpointFile(path)).rejects.toThrow(/neither slot/);
  });

  it("takes the slot with the higher sequence number, whichever position it is in", async () => {
    const { path, writer } = await fresh();
    await writer.write(note(20)); // seq 1, slot 0
    await writer.write(note(21)); // seq 2, slot 1
    await writer.write(note(22)); // seq 3, slot 0
    expect(await readCheckpointFile(path)).toBe(note(22));
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 4096).toString("utf8")).toContain(note(22));
    expect(bytes.subarray(4096).toString("utf8")).toContain(note(21));
    await writer.close();
  });

  it("a note larger than a slot lays the file out again with larger slots; a new writer (a restart) starts afresh", async () => {
    const { path, writer, replaced } = await fresh();
    await writer.write(note(30));
    const big = note(31) + "— witness.example " + "A".repeat(5000) + "\n";
    await writer.write(big);
    expect(await readCheckpointFile(path)).toBe(big);
    expect(replaced).toEqual([8192, 32768]); // slots at least twice the note: room to grow
    await writer.write(note(32));
    expect(await readCheckpointFile(path)).toBe(note(32));
    await writer.close();
    const again = new CheckpointFileWriter(path, (p, bytes) => writeFileAtomic(p, bytes, 0o644));
    await again.write(note(33));
    expect(await readCheckpointFile(path)).toBe(note(33));
    expect((await stat(path)).size).toBe(8192);
    await again.close();
  });
});
