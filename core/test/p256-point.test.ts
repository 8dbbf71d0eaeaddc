import { describe, expect, it } from "vitest";
import { p256 } from "@noble/curves/nist";
import fc from "fast-check";
import { decompressP256 } from "../src/p256-point.js";

describe("P-256 point decompression (SEC 1 §2.3.4)", () => {
  it("gives the point @noble/curves gives, for random keys of both parities", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        let sk: Uint8Array;
        try {
          sk = p256.utils.normPrivateKeyToScalar(seed) ? seed : p256.utils.randomPrivateKey();
        } catch {
          sk = p256.utils.randomPrivateKey();
        }
        const compressed = p256.getPublicKey(sk, true);
        expect(Array.from(decompressP256(compressed))).toEqual(Array.from(p256.getPublicKey(sk, false)));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses what is not a compressed point on the curve", () => {
    const good = p256.getPublicKey(p256.utils.randomPrivateKey(), true);
    expect(() => decompressP256(good.subarray(1))).toThrow();
    expect(() => decompressP256(Uint8Array.from([0x04, ...good.subarray(1)]))).toThrow();
    expect(() => decompressP256(Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]))).toThrow();
    // x = 5 has no y on P-256 (x³ − 3x + b is not a square): checked, not trusted.
    let offCurve = 0;
    for (let x = 1; x < 40; x++) {
      const bytes = new Uint8Array(33);
      bytes[0] = 0x02;
      bytes[32] = x;
      let ok = true;
      try {
        p256.ProjectivePoint.fromHex(bytes);
      } catch {
        ok = false;
      }
      if (!ok) {
        offCurve++;
        expect(() => decompressP256(bytes)).toThrow();
      } else expect(decompressP256(bytes)).toEqual(p256.ProjectivePoint.fromHex(bytes).toRawBytes(false));
    }
    expect(offCurve).toBeGreaterThan(5);
  });
});
