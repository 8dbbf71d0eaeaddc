import { h, field } from "./dom.js";
import { qrFigure } from "./qr.js";
import { scanInto } from "./scanner.js";
import { t } from "../i18n.js";
import { shareable, type StoredCredential } from "../records.js";
import { revealStep, withheldNote, withheldPaths } from "./reveal-view.js";
import { credentialPicker } from "./credential-picker.js";

export interface PresentActions {
  present(
    ids: string[],
    challengeInput: string,
    /** Paths to reveal when one SD-JWT credential is presented; undefined for a VP-JWT. */
    reveal?: string[],
    /** Ids of the mentor feedback the learner adds (feedback.ts). */
    feedback?: string[],
  ): Promise<{ link: string; vp: string; qrLink?: string } | undefined>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

/** Choose credentials, bind them to the verifier's challenge, and share the result. */
export function presentView(held: StoredCredential[], a: PresentActions): HTMLElement {
  // "Never share" and imported credentials are not offered (records.ts shareable()).
  const creds = shareable(held);
  const result = h("div", { class: "result", "aria-live": "polite" });
  const challenge = h("input", {
    type: "text",
    spellcheck: "false",
    autocomplete: "off",
    placeholder: "https://…/verify#nonce=…&audience=…",
  });
  const picker = credentialPicker(creds, "pick", t("present.which"), t("share.none"));
  const reveal = revealStep(creds, picker);
  const form = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "present-title",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const ids = picker.chosen();
        if (ids.length === 0) return a.say(t("share.choose"), "error");
        const revealed = reveal.chosen();
        const out = await a.present(ids, challenge.value, revealed, reveal.feedback());
        if (!out) return;
        const linkBox = h("textarea", {
          readonly: true,
          rows: 3,
          id: "share-link",
          class: "mono",
        }) as HTMLTextAreaElement;
        linkBox.value = out.link;
        result.replaceChildren(
          h("h3", {}, t("present.ready")),
          h("p", {}, t("present.ready_text")),
          withheldNote(
            withheldPaths(
              creds.find((c) => c.id === ids[0]),
              revealed,
            ),
          ),
          h("div", { class: "field" }, h("label", { for: "share-link" }, t("present.link")), linkBox),
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
                    a.say(t("share.copied"), "ok");
                  } catch {
                    linkBox.select();
                    a.say(t("share.copy_manually"), "info");
                  }
                },
              },
              t("share.copy"),
            ),
            h(
              "a",
              { href: out.link, target: "_blank", rel: "noopener", class: "button", id: "open-verify" },
              t("present.open"),
            ),
          ),
          out.qrLink ? qrFigure(out.qrLink, t("present.qr_packed")) : qrFigure(out.link, t("present.qr")),
        );
        linkBox.focus();
      },
    },
    h("h2", { id: "present-title" }, t("present.title")),
    picker.element,
    reveal.element,
    field("challenge-input", t("present.challenge"), challenge, t("present.challenge_hint")),
    scanInto(t("present.scan"), challenge, (m) => a.say(m, "error")),
    h("button", { type: "submit", class: "primary" }, t("present.create")),
  );
  return h("div", { class: "stack" }, form, result);
}
