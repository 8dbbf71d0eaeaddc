import qrcode from "qrcode-generator";
import { h } from "./dom.js";
import { t } from "../i18n.js";

/** A QR code (ISO/IEC 18004) as an inline SVG, or a plain note when the text is too long for one. */
export function qrFigure(text: string, label: string): HTMLElement {
  try {
    const qr = qrcode(0, "L");
    qr.addData(text, "Byte");
    qr.make();
    const fig = h("figure", { class: "qr", "data-qr-text": text });
    const holder = h("div", { role: "img", "aria-label": label });
    // The SVG comes from the QR library's own markup (modules as rects), never from user text.
    // The quiet zone is 4 modules wide (ISO/IEC 18004 §9.1); `margin` is in pixels, so 4 cells.
    holder.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 16, scalable: true });
    fig.append(holder, h("figcaption", {}, label));
    return fig;
  } catch {
    return h("p", { class: "note" }, t("qr.too_long"));
  }
}
