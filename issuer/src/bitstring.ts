import { gunzipSync, gzipSync } from "node:zlib";

/**
 * W3C Bitstring Status List v1.0 minimum length: 131,072 entries (16 KB uncompressed, "Bitstring
 * Generation Algorithm"), so that fetching a list does not reveal which credential a verifier is
 * checking (Privacy Considerations, "herd privacy").
 */
export const MIN_STATUS_LIST_BITS = 131_072;

/**
 * A fixed-length bitstring with the bit order of Bitstring Status List v1.0 ("Bitstring Expansion
 * Algorithm", "Validate Algorithm"): index 0 is the left-most (most significant) bit of the first byte.
 */
export class Bitstring {
  readonly bytes: Uint8Array;
  constructor(
    readonly length: number,
    bytes?: Uint8Array,
  ) {
    if (length % 8 !== 0) throw new Error("bitstring length must be a multiple of 8");
    this.bytes = bytes ?? new Uint8Array(length / 8);
    if (this.bytes.length * 8 !== length) throw new Error("bitstring length mismatch");
  }
  get(i: number): boolean {
    this.check(i);
    return ((this.bytes[i >> 3]! >> (7 - (i & 7))) & 1) === 1;
  }
  set(i: number, value: boolean): void {
    this.check(i);
    const mask = 0x80 >> (i & 7);
    if (value) this.bytes[i >> 3]! |= mask;
    else this.bytes[i >> 3]! &= ~mask;
  }
  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new RangeError(`bit index ${i} out of range`);
  }
  /** "Bitstring Generation Algorithm": GZIP (RFC 1952), then multibase base64url without padding (`u` prefix). */
  encode(): string {
    return "u" + gzipSync(this.bytes).toString("base64url");
  }
  /** Inverse of {@link encode}. @throws Error on a malformed value. */
  static decode(encoded: string): Bitstring {
    if (!encoded.startsWith("u")) throw new Error("encodedList is not multibase base64url (u prefix)");
    const bytes = new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), "base64url")));
    return new Bitstring(bytes.length * 8, bytes);
  }
}
