// Strict base64url (RFC 4648 §5, unpadded as RFC 7515 §2): the portable codec (@scure/base) and
// Node's native fast path for long strings must accept exactly the canonical encodings.
import { base64urlnopad } from "@scure/base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toBase64Url as base64urlEncode, tryFromBase64Url as base64urlDecode } from "@meritlog/core";

/** The portable decoder core uses below the native threshold, applied to any length. */
const base64urlDecodePortable = (s: string): Uint8Array | undefined => {
  try {
    return base64urlnopad.decode(s);
  } catch {
    return undefined;
  }
};

describe("strict base64url", () => {
  it("round-trips every length", () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const s = base64urlEncode(b);
      expect(s).toBe(Buffer.from(b).toString("base64url"));
      expect(base64urlDecode(s)).toEqual(b);
    }
  });
  it("rejects padding, the standard alphabet, whitespace, impossible lengths and non-zero unused bits", () => {
    for (const bad of ["AA==", "A+", "A/", "AA AA", "A", "AAAAA", "AB", "AAB", "é"])
      expect(base64urlDecode(bad), bad).toBeUndefined();
    expect(base64urlDecode("AA")).toEqual(new Uint8Array([0]));
    expect(base64urlDecode("AAA")).toEqual(new Uint8Array([0, 0]));
  });
});

describe("strict base64url, property", () => {
  it("accepts exactly the canonical unpadded encodings, and decodes them as Node does", () => {
    const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=. ";
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 40 }), (arr) => {
        const s = arr.join("");
        const canonical =
          /^[A-Za-z0-9_-]*$/.test(s) &&
          s.length % 4 !== 1 &&
          Buffer.from(s, "base64url").toString("base64url") === s;
        const got = base64urlDecode(s);
        expect(got !== undefined).toBe(canonical);
        if (got) expect(Buffer.from(got)).toEqual(Buffer.from(s, "base64url"));
      }),
      { numRuns: 2000, seed: 7 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        const s = base64urlEncode(b);
        expect(base64urlDecode(s)).toEqual(new Uint8Array(b));
        expect(base64urlDecodePortable(s)).toEqual(b);
      }),
      { seed: 8 },
    );
    // Long strings take Node's native path: it must refuse exactly what the portable one refuses.
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 200, maxLength: 400 }),
        fc.nat(),
        fc.constantFrom("+", "/", "=", " ", "A", "B", "."),
        (b, at, ch) => {
          const good = base64urlEncode(b);
          const i = at % good.length;
          const s = good.slice(0, i) + ch + good.slice(i + 1);
          const portable = base64urlDecodePortable(s);
          const native = base64urlDecode(s);
          expect(native === undefined).toBe(portable === undefined);
          if (native && portable) expect(new Uint8Array(native)).toEqual(portable);
        },
      ),
      { seed: 9, numRuns: 500 },
    );
  });
});
