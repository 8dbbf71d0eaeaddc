import { crc32, deflateSync } from "node:zlib";
import qrcode from "qrcode-generator";

/**
 * A QR code (ISO/IEC 18004) of `text` as an SVG document, error correction M, with the quiet zone
 * of 4 modules the standard requires (§9.1; qrcode-generator's `margin` is in pixels, so 4 cells).
 * @throws Error when the text does not fit in a QR code (version 40).
 */
export function qrSvg(text: string): string {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const cell = 4;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${qr.createSvgTag({ cellSize: cell, margin: 4 * cell, scalable: true })}`;
}

/** Pixels per QR module in {@link qrPng}: 8 px keeps a 41-module link code about 2.6 cm at 300 dpi. */
const PNG_SCALE = 8;
/** Quiet zone around the code in modules (ISO/IEC 18004:2015 §9.1). */
const QUIET_ZONE = 4;

/** One PNG chunk: length, type, data, CRC-32 over type and data (PNG spec, ISO/IEC 15948 §5.3). */
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A QR code (ISO/IEC 18004, error correction M) of `text` as a PNG image (ISO/IEC 15948): 1-bit
 * greyscale, `scale` pixels per module, with the 4-module quiet zone. The module matrix is
 * qrcode-generator's (the same library the console draws with); this only writes the pixels.
 * @throws Error when the text does not fit in a QR code (version 40).
 */
export function qrPng(text: string, scale = PNG_SCALE): Buffer {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const modules = qr.getModuleCount();
  const size = (modules + 2 * QUIET_ZONE) * scale;
  const rowBytes = Math.ceil(size / 8);
  // Each scanline: filter type 0 (None, §9.2), then the pixels packed 8 per byte, 1 = white.
  const raw = Buffer.alloc((rowBytes + 1) * size);
  for (let y = 0; y < size; y++) {
    const my = Math.floor(y / scale) - QUIET_ZONE;
    const off = y * (rowBytes + 1) + 1;
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - QUIET_ZONE;
      const dark = mx >= 0 && my >= 0 && mx < modules && my < modules && qr.isDark(my, mx);
      if (!dark) raw[off + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type 0: greyscale
  // compression 0 (deflate), filter method 0, interlace 0: already zero.
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
