import { base64 } from "@scure/base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bytesEqual,
  concatBytes,
  toBase64,
  toBase64Url,
  toHex,
  tryFromBase64,
  tryFromBase64Url,
  tryFromHex,
  tryUtf8Decode,
  utf8,
} from "@meritlog/core";

// RFC 4648 §10 test vectors.
const RFC4648: [string, string][] = [
  ["", ""],
  ["f", "Zg=="],
  ["fo", "Zm8="],
  ["foo", "Zm9v"],
  ["foob", "Zm9vYg=="],
  ["fooba", "Zm9vYmE="],
  ["foobar", "Zm9vYmFy"],
];

describe("base64 (RFC 4648 §4)", () => {
  it.each(RFC4648)("%j ↔ %j", (plain, b64) => {
    expect(toBase64(utf8(plain))).toBe(b64);
    expect(tryFromBase64(b64)).toEqual(utf8(plain));
  });
  it.each(["Zg", "Zh==", "Zm9=", "Zm9v\n", " Zm9v", "Zm-v", "Zm9vY===", "=Zm9"])(
    "rejects non-canonical %j",
    (s) => {
      expect(tryFromBase64(s)).toBeUndefined();
    },
  );
  it("rejects non-canonical long input on the native path too", () => {
    const good = toBase64(new Uint8Array(400).fill(7));
    expect(tryFromBase64(good)).toEqual(new Uint8Array(400).fill(7));
    expect(tryFromBase64(good.slice(0, 100) + "*" + good.slice(101))).toBeUndefined();
    expect(tryFromBase64(good.replace(/=+$/, ""))).toBeUndefined();
  });
  it("accepts exactly what the portable codec accepts (Node takes the native path)", () => {
    const portable = (t: string) => {
      try {
        return base64.decode(t);
      } catch {
        return undefined;
      }
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.nat(),
        fc.constantFrom("+", "/", "=", " ", "A", "-", "_", ""),
        (b, at, ch) => {
          const good = toBase64(b);
          const i = good.length === 0 ? 0 : at % good.length;
          const t = good.slice(0, i) + ch + good.slice(i + 1);
          const p = portable(t);
          const n = tryFromBase64(t);
          expect(n === undefined, t).toBe(p === undefined);
          if (n && p) expect(n).toEqual(p);
        },
      ),
      { seed: 11, numRuns: 2000 },
    );
  });
  it("round-trips any bytes, short and long", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (b) => bytesEqual(tryFromBase64(toBase64(b))!, b)),
    );
  });
});

describe("base64url (RFC 4648 §5, unpadded as RFC 7515 §2)", () => {
  it.each(RFC4648)("%j", (plain, b64) => {
    const u = b64.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    expect(toBase64Url(utf8(plain))).toBe(u);
    expect(tryFromBase64Url(u)).toEqual(utf8(plain));
  });
  it.each(["Zg==", "Zh", "Zm+v", "Zm/v", "Z", "Zm9v Yg"])("rejects %j", (s) => {
    expect(tryFromBase64Url(s)).toBeUndefined();
  });
  it("round-trips and rejects a changed character, on both paths", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 700 }), (b) => {
        const s = toBase64Url(b);
        expect(tryFromBase64Url(s)).toEqual(b);
        expect(tryFromBase64Url(s + "=")).toBeUndefined();
      }),
    );
  });
});

describe("hex, UTF-8, bytes", () => {
  it("hex is lower-case only", () => {
    expect(toHex(Uint8Array.of(0, 171, 255))).toBe("00abff");
    expect(tryFromHex("00abff")).toEqual(Uint8Array.of(0, 171, 255));
    for (const s of ["00ABFF", "0", "zz", " 00"]) expect(tryFromHex(s)).toBeUndefined();
  });
  it("UTF-8 decoding is fatal", () => {
    expect(tryUtf8Decode(utf8("héllo"))).toBe("héllo");
    expect(tryUtf8Decode(Uint8Array.of(0xc3))).toBeUndefined();
  });
  it("bytesEqual and concatBytes", () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    );
  });
});
