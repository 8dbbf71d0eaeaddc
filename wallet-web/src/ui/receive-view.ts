import { h, field } from "./dom.js";
import { scanButton } from "./scanner.js";
import { t } from "../i18n.js";

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
    t("receive.scan"),
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
    h("h2", { id: "receive-title" }, t("receive.title")),
    h("p", {}, t("receive.text")),
    field("offer-input", t("receive.link"), input),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, t("receive.submit")),
      scan,
    ),
    scanArea,
  );
}
