import encodeQR from "qr";
import { h } from "./dom.js";
import { t } from "../i18n.js";

/**
 * The SVG markup of a QR code (ISO/IEC 18004) for `text`: byte mode, error correction L, and the
 * quiet zone of 4 modules the standard requires (§9.1). One path with a unit square per dark
 * module, in module coordinates, so it scales crisply. The wallet draws with paulmillr's `qr`
 * (the server and the console with qrcode-generator): it is the smaller of the two by about
 * 1.5 KB gzipped, which the wallet's 120 KB budget needs.
 * @throws when the text does not fit in one QR code
 */
export function qrSvg(text: string): string {
  const modules = encodeQR(text, "raw", { ecc: "low", encoding: "byte", border: 4 });
  let d = "";
  modules.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
  const n = modules.length;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}"><rect width="${n}" height="${n}" fill="#fff"/><path d="${d}"/></svg>`;
}

/** A QR code as an inline SVG, or a plain note when the text is too long for one. */
export function qrFigure(text: string, label: string): HTMLElement {
  try {
    const fig = h("figure", { class: "qr", "data-qr-text": text });
    const holder = h("div", { role: "img", "aria-label": label });
    // The SVG is built from the code's modules only, never from user text.
    holder.innerHTML = qrSvg(text);
    fig.append(holder, h("figcaption", {}, label));
    return fig;
  } catch {
    return h("p", { class: "note" }, t("qr.too_long"));
  }
}
