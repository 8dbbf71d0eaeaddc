import { h, field } from "./dom.js";
import { qrFigure } from "./qr.js";
import { canScan, scanButton } from "./scanner.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import { STATUS_LABEL } from "./format.js";
import { shareable, type StoredCredential } from "../records.js";

export interface PresentActions {
  present(
    ids: string[],
    challengeInput: string,
  ): Promise<{ link: string; vp: string; qrLink?: string } | undefined>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

/** Choose credentials, bind them to the verifier's challenge, and share the result. */
export function presentView(held: StoredCredential[], a: PresentActions): HTMLElement {
  // "Never share" and imported credentials are not offered (records.ts shareable()).
  const creds = shareable(held);
  const result = h("div", { class: "result", "aria-live": "polite" });
  const scanArea = h("div", { class: "scan" });
  const challenge = h("input", {
    type: "text",
    spellcheck: "false",
    autocomplete: "off",
    placeholder: "https://…/verify#nonce=…&audience=…",
  });
  const boxes = creds.map((c) => {
    let title = c.id;
    try {
      title = describe(credentialOfJwt(c.jwt)).title;
    } catch {
      /* keep the id */
    }
    const id = `pick-${c.id.replace(/[^a-zA-Z0-9]/g, "")}`;
    const box = h("input", { type: "checkbox", id, value: c.id });
    return h(
      "div",
      { class: "check" },
      box,
      h("label", { for: id }, `${title} — ${STATUS_LABEL[c.status.state].word}`),
    );
  });
  const form = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "present-title",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const ids = [...form.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map(
          (b) => b.value,
        );
        if (ids.length === 0) return a.say("Choose at least one credential to share.", "error");
        const out = await a.present(ids, challenge.value);
        if (!out) return;
        const linkBox = h("textarea", {
          readonly: true,
          rows: 3,
          id: "share-link",
          class: "mono",
        }) as HTMLTextAreaElement;
        linkBox.value = out.link;
        result.replaceChildren(
          h("h3", {}, "Ready to share"),
          h(
            "p",
            {},
            "Only the credentials you chose are in this presentation. It is signed by your wallet for this verifier and expires in 10 minutes.",
          ),
          h("div", { class: "field" }, h("label", { for: "share-link" }, "Link for the verifier"), linkBox),
          h(
            "div",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                onclick: async () => {
                  try {
                    await navigator.clipboard.writeText(out.link);
                    a.say("Link copied.", "ok");
                  } catch {
                    linkBox.select();
                    a.say("Select the text and copy it.", "info");
                  }
                },
              },
              "Copy link",
            ),
            h(
              "a",
              { href: out.link, target: "_blank", rel: "noopener", class: "button", id: "open-verify" },
              "Open the verify page",
            ),
          ),
          out.qrLink
            ? qrFigure(out.qrLink, "QR code of the presentation: scanning it opens the verify page with it")
            : qrFigure(out.link, "QR code of the presentation link"),
        );
        linkBox.focus();
      },
    },
    h("h2", { id: "present-title" }, "Share credentials with a verifier"),
    creds.length === 0
      ? h("p", {}, "You have no credentials to share yet.")
      : h("fieldset", {}, h("legend", {}, "Which credentials do you want to share?"), ...boxes),
    field(
      "challenge-input",
      "The verifier's link or challenge (optional)",
      challenge,
      "Leave empty to get a challenge from this service's /verify page.",
    ),
    canScan()
      ? scanButton(
          "Scan the verifier's QR code",
          scanArea,
          (text) => (challenge.value = text),
          (m) => a.say(m, "error"),
        )
      : null,
    scanArea,
    h("button", { type: "submit", class: "primary" }, "Create presentation"),
  );
  return h("div", { class: "stack" }, form, result);
}
