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
