import { h } from "./dom.js";
import { t } from "../i18n.js";

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (o: { formats: string[] }) => Detector;

/** Whether this browser can scan QR codes with the camera (Shape Detection API + getUserMedia). */
function canScan(): boolean {
  return (
    typeof (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector === "function" &&
    typeof navigator.mediaDevices?.getUserMedia === "function"
  );
}

/**
 * What a form whose text field `input` a QR code can fill shows: the scan button where this
 * browser can scan (nothing where it cannot: pasting always works) and the area the camera opens in.
 */
export function scanInto(
  label: string,
  input: HTMLInputElement,
  onError: (message: string) => void,
): (HTMLElement | null)[] {
  const area = h("div", { class: "scan" });
  return [canScan() ? scanButton(label, area, (text) => (input.value = text), onError) : null, area];
}

/**
 * A "scan" button that opens the camera in `area` and hands the first QR code's text to
 * `onCode`. Where scanning is impossible, a sentence saying so (pasting always works).
 */
export function scanButton(
  label: string,
  area: HTMLElement,
  onCode: (text: string) => void,
  onError: (message: string) => void,
): HTMLElement {
  const Barcode = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Barcode || !canScan()) return h("p", { class: "muted" }, t("scan.unavailable"));
  return h(
    "button",
    { type: "button", onclick: () => void scan(new Barcode({ formats: ["qr_code"] })) },
    label,
  );

  async function scan(detector: Detector): Promise<void> {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch {
      return onError(t("scan.no_camera"));
    }
    const video = h("video", {
      playsinline: true,
      muted: true,
      "aria-label": t("scan.preview"),
    }) as HTMLVideoElement;
    video.srcObject = stream;
    const stop = () => {
      stream.getTracks().forEach((t) => t.stop());
      area.replaceChildren();
    };
    area.replaceChildren(video, h("button", { type: "button", onclick: stop }, t("scan.stop")));
    await video.play();
    const started = Date.now();
    while (area.contains(video) && Date.now() - started < 60_000) {
      const codes = await detector.detect(video).catch(() => []);
      const hit = codes[0]?.rawValue;
      if (hit) {
        stop();
        return onCode(hit);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    stop();
  }
}
