// gunzip through the platform's DecompressionStream (Compression Streams API; Node ≥ 18 and
// browsers), with a bound on the output so a small "zip bomb" cannot exhaust memory.

/**
 * Reads a byte stream to its end, or stops and returns `undefined` as soon as it would exceed
 * `maxBytes` (the caller says what that means), so an oversized or decompression-bomb input never
 * sits in memory whole.
 */
export async function readBounded(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Decompresses gzip `data`; rejects if the output would exceed `maxBytes` or the data is corrupt. */
export async function gunzip(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const out = await readBounded(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip")), maxBytes);
  if (out === undefined) throw new Error(`decompressed list exceeds ${maxBytes} bytes`);
  return out;
}
