import { h, field } from "./dom.js";
import { scanButton } from "./scanner.js";

export interface ReceiveActions {
  receive(input: string): Promise<void>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

/** Paste or open an offer link, or scan its QR code where the browser can. */
export function receiveView(a: ReceiveActions, prefill = ""): HTMLElement {
  const input = h("textarea", { rows: 3, spellcheck: "false", autocomplete: "off" }) as HTMLTextAreaElement;
  input.value = prefill;
  const scanArea = h("div", { class: "scan" });
  const scan = scanButton(
    "Scan a QR code",
    scanArea,
    (text) => {
      input.value = text;
      void a.receive(text);
    },
    (m) => a.say(m, "error"),
  );
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
    h(
      "p",
      {},
      "Paste the offer link the issuer gave you (it may start with openid-credential-offer:// or https://). The wallet checks the credential and its public log record before keeping it.",
    ),
    field("offer-input", "Offer link", input),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Receive"), scan),
    scanArea,
  );
}
