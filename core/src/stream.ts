// Bounded reading of byte streams (WHATWG Streams; Node ≥ 18 and browsers): the one reader for
// HTTP bodies, gunzip of status lists and the wallet's share form, so an oversized response or a
// small decompression bomb never sits in memory whole.
import { concatBytes } from "./bytes.js";

/**
 * Reads a byte stream to its end, or cancels it and returns `undefined` as soon as it would
 * exceed `maxBytes` (the caller says what that means).
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
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
  return concatBytes(...chunks);
}

/**
 * Decompresses `data` (Compression Streams API format: "gzip", "deflate" or "deflate-raw") into at
 * most `maxBytes`; `undefined` if the output would be larger. Rejects if the data is corrupt.
 */
export async function decompressBounded(
  data: Uint8Array,
  format: CompressionFormat,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream(format));
  return readBounded(stream, maxBytes);
}
