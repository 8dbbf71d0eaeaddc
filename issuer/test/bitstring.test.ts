import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Bitstring, MIN_STATUS_LIST_BITS } from "../src/bitstring.js";

describe("Bitstring (W3C Bitstring Status List v1.0)", () => {
  it("index 0 is the left-most bit of the first byte", () => {
    const b = new Bitstring(MIN_STATUS_LIST_BITS);
    b.set(0, true);
    b.set(9, true);
    expect(b.bytes[0]).toBe(0x80);
    expect(b.bytes[1]).toBe(0x40);
  });

  it("encodes as multibase base64url (u) of GZIP, 16 KB uncompressed", () => {
    const b = new Bitstring(MIN_STATUS_LIST_BITS);
    b.set(94567, true);
    const enc = b.encode();
    expect(enc.startsWith("u")).toBe(true);
    expect(enc).not.toMatch(/[+/=]/);
    const raw = gunzipSync(Buffer.from(enc.slice(1), "base64url"));
    expect(raw.length).toBe(16384);
    expect(raw[94567 >> 3]).toBe(0x80 >> (94567 & 7));
  });

  it("decodes the spec example of an empty 16 KB list", () => {
    // The example encodedList of Bitstring Status List v1.0 §2.2 is a gzip of 16 KB zeros.
    const ex = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";
    const b = Bitstring.decode(ex);
    expect(b.length).toBe(MIN_STATUS_LIST_BITS);
    expect(b.bytes.every((x) => x === 0)).toBe(true);
  });

  it("round-trips any set of indexes", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: MIN_STATUS_LIST_BITS - 1 }), { maxLength: 50 }),
        (idx) => {
          const b = new Bitstring(MIN_STATUS_LIST_BITS);
          for (const i of idx) b.set(i, true);
          const d = Bitstring.decode(b.encode());
          for (const i of idx) expect(d.get(i)).toBe(true);
          expect(d.bytes.reduce((n, x) => n + x.toString(2).split("1").length - 1, 0)).toBe(idx.length);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("rejects out-of-range indexes and non-multibase input", () => {
    const b = new Bitstring(MIN_STATUS_LIST_BITS);
    expect(() => b.set(MIN_STATUS_LIST_BITS, true)).toThrow(RangeError);
    expect(() => b.get(-1)).toThrow(RangeError);
    expect(() => Bitstring.decode("zabc")).toThrow();
  });
});
