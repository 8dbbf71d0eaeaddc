import qrcode from "qrcode-generator";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** Quiet zone around a QR code: 4 modules (ISO/IEC 18004:2015 §9.1). */
const QUIET_ZONE_MODULES = 4;
const CELL = 4;

/**
 * A QR code (ISO/IEC 18004) as an inline SVG with a 4-module quiet zone, or a plain note when the
 * text is too long. qrcode-generator's `margin` is in pixels, so it is 4 × the cell size.
 */
export function qrFigure(text: string, label: string): HTMLElement {
  try {
    const qr = qrcode(0, "M");
    qr.addData(text, "Byte");
    qr.make();
    const fig = h("figure", { class: "qr", "data-qr-text": text, "data-modules": qr.getModuleCount() });
    const holder = h("div", { role: "img", "aria-label": label });
    // The SVG is the QR library's own markup (modules as rects), never user text.
    holder.innerHTML = qr.createSvgTag({ cellSize: CELL, margin: CELL * QUIET_ZONE_MODULES, scalable: true });
    fig.append(holder, h("figcaption", {}, label));
    return fig;
  } catch {
    return h("p", { class: "note" }, t("qr.too_long"));
  }
}
