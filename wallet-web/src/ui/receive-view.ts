import { h, field } from "./dom.js";

export interface ReceiveActions {
  receive(input: string): Promise<void>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

/** Paste or open an offer link, or scan its QR code where the browser can. */
export function receiveView(a: ReceiveActions, prefill = ""): HTMLElement {
  const input = h("textarea", { rows: 3, spellcheck: "false", autocomplete: "off" }) as HTMLTextAreaElement;
  input.value = prefill;
  const scanArea = h("div", { class: "scan" });
  const Barcode = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  const scanButton = Barcode && typeof navigator.mediaDevices?.getUserMedia === "function"
    ? h("button", { type: "button", onclick: () => void scan(new Barcode({ formats: ["qr_code"] })) }, "Scan a QR code")
    : h("p", { class: "muted" }, "QR scanning is not available in this browser; paste the link instead.");

  async function scan(detector: Detector): Promise<void> {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch {
      return a.say("The camera could not be opened. Paste the offer link instead.", "error");
    }
    const video = h("video", { playsinline: true, muted: true, "aria-label": "Camera preview for QR scanning" }) as HTMLVideoElement;
    video.srcObject = stream;
    const stop = () => {
      stream.getTracks().forEach((t) => t.stop());
      scanArea.replaceChildren();
    };
    scanArea.replaceChildren(video, h("button", { type: "button", onclick: stop }, "Stop scanning"));
    await video.play();
    const started = Date.now();
    while (scanArea.contains(video) && Date.now() - started < 60_000) {
      const codes = await detector.detect(video).catch(() => []);
      const hit = codes[0]?.rawValue;
      if (hit) {
        stop();
        input.value = hit;
        return a.receive(hit);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    stop();
  }

  return h(
    "form",
    {
      class: "card",
      "aria-labelledby": "receive-title",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void a.receive(input.value);
      },
    },
    h("h2", { id: "receive-title" }, "Receive a credential"),
    h("p", {}, "Paste the offer link the issuer gave you (it may start with openid-credential-offer:// or https://). The wallet checks the credential and its public log record before keeping it."),
    field("offer-input", "Offer link", input),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Receive"), scanButton),
    scanArea,
  );
}
