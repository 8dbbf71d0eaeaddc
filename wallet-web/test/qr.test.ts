import { describe, expect, it } from "vitest";
import decodeQR from "qr/decode.js";
import { qrSvg } from "../src/ui/qr.js";

/** Rasterises qrSvg's markup (one unit square per `M x y` of its path) to RGBA at `scale` px/module. */
function raster(svg: string, scale = 4): { width: number; height: number; data: Uint8Array } {
  const n = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const width = n * scale;
  const data = new Uint8Array(width * width * 4).fill(255);
  for (const [, xs, ys] of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    const [x, y] = [Number(xs), Number(ys)];
    for (let dy = 0; dy < scale; dy++)
      for (let dx = 0; dx < scale; dx++) {
        const i = ((y * scale + dy) * width + x * scale + dx) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
  }
  return { width, height: width, data };
}

describe("wallet QR codes", () => {
  it("draw the text so that a QR decoder reads it back, with a 4-module quiet zone", () => {
    for (const text of [
      "https://academy.example/wallet/#offer=openid-credential-offer%3A%2F%2F%3Fcredential_offer_uri%3Dx",
      "https://meritlog.example/wallet/#vpz=" + "A".repeat(1500),
      "Évaluation — près de Tombouctou",
    ]) {
      const svg = qrSvg(text);
      expect(decodeQR(raster(svg))).toBe(text);
      // No dark module in the 4-module border (ISO/IEC 18004 §9.1).
      for (const [, xs, ys] of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
        const n = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
        for (const v of [Number(xs), Number(ys)]) expect(v >= 4 && v < n - 4).toBe(true);
      }
    }
  });

  it("refuses a text too long for one QR code", () => {
    expect(() => qrSvg("x".repeat(3000))).toThrow();
  });
});
