// gunzip of status lists through the platform's DecompressionStream (Compression Streams API),
// bounded by core's readBounded so a small "zip bomb" cannot exhaust memory.
import { decompressBounded } from "@meritlog/core";

/** Decompresses gzip `data`; rejects if the output would exceed `maxBytes` or the data is corrupt. */
export async function gunzip(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const out = await decompressBounded(data, "gzip", maxBytes);
  if (out === undefined) throw new Error(`decompressed list exceeds ${maxBytes} bytes`);
  return out;
}
