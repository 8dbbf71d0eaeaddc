import { h, field } from "./dom.js";
import { scanInto } from "./scanner.js";
import { credentialOfJwt } from "../credential-view.js";
import { dateTime } from "./format.js";
import { t, type WalletKey } from "../i18n.js";
import { shareWarning } from "./share-view.js";
import { shareable, type StoredCredential } from "../records.js";
import type { PresentationRequest } from "../sharing.js";
import { revealStep, withheldNote } from "./reveal-view.js";
import { credentialPicker } from "./credential-picker.js";

export interface RequestActions {
  open(link: string): Promise<PresentationRequest | undefined>;
  /** `reveal`: paths to reveal when one SD-JWT credential answers; undefined for a VP-JWT. */
  answer(
    r: PresentationRequest,
    ids: string[],
    reveal?: string[],
    feedback?: string[],
  ): Promise<{ verdict: string; withheld?: string[] } | undefined>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

const KIND_WORD: Record<string, WalletKey> = {
  MicroCredential: "request.kind_micro",
  Attribution: "request.kind_attribution",
  MPUAuthorship: "request.kind_mpu",
};

function typesOf(c: StoredCredential): string[] {
  try {
    const cred = credentialOfJwt(c.jwt);
    const ty = cred.type;
    return (Array.isArray(ty) ? ty : [ty]).filter((x): x is string => typeof x === "string");
  } catch {
    return [];
  }
}

/** "Answer a request": open a verifier's request link, see who asks and why, choose, send. */
export function requestView(
  held: StoredCredential[],
  a: RequestActions,
  pending?: PresentationRequest,
): HTMLElement {
  // "Never share" and imported credentials are not offered (records.ts shareable()).
  const creds = shareable(held);
  const area = h("div", { class: "stack" });
  const input = h("input", {
    type: "text",
    spellcheck: "false",
    autocomplete: "off",
    placeholder: "https://…/wallet/#request_uri=…",
  });
  const opener = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "request-title",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const r = await a.open(input.value);
        if (r) showRequest(r);
      },
    },
    h("h2", { id: "request-title" }, t("request.title")),
    h("p", { class: "hint" }, t("request.hint")),
    field("request-link", t("request.link"), input),
    scanInto(t("request.scan"), input, (m) => a.say(m, "error")),
    h("button", { type: "submit", class: "primary" }, t("request.open")),
  );

  function showRequest(r: PresentationRequest): void {
    const wanted = r.types ?? [];
    const warnBox = h("div", { class: "warning-box", role: "alert", hidden: true });
    const outcome = h("div", { class: "result" });
    // Active credentials of a kind the verifier asks for start ticked.
    const picker = credentialPicker(
      creds,
      "answer",
      t("request.which"),
      t("request.none"),
      (c) => wanted.length > 0 && c.status.state === "active" && typesOf(c).some((ty) => wanted.includes(ty)),
    );
    const reveal = revealStep(creds, picker);
    let confirmed = "";
    const form = h(
      "form",
      {
        class: "card",
        "aria-labelledby": "request-who",
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const ids = picker.chosen();
          if (ids.length === 0) return a.say(t("request.choose"), "error");
          const warnings = creds
            .filter((c) => ids.includes(c.id))
            .map((c) => shareWarning(c))
            .filter((w): w is string => w !== undefined);
          if (warnings.length && confirmed !== ids.join(",")) {
            confirmed = ids.join(",");
            warnBox.hidden = false;
            warnBox.replaceChildren(
              h("h3", {}, t("request.before")),
              ...warnings.map((w) => h("p", {}, w)),
              h("p", {}, t("request.again")),
            );
            return;
          }
          const revealed = reveal.chosen();
          const res = await a.answer(r, ids, revealed, reveal.feedback());
          if (!res) return;
          form.querySelector<HTMLButtonElement>("button[type=submit]")!.disabled = true;
          outcome.replaceChildren(
            h("h3", { id: "answer-sent", tabindex: "-1" }, t("request.sent")),
            h(
              "p",
              {},
              t("request.sent_text", {
                host: new URL(r.clientId).host,
                verdict: t(
                  res.verdict === "valid"
                    ? "verdict.valid"
                    : res.verdict === "valid-with-warnings"
                      ? "verdict.warnings"
                      : "verdict.invalid",
                ),
              }),
            ),
            // What the verifier's own report says was withheld.
            withheldNote(res.withheld),
          );
          outcome.querySelector<HTMLElement>("#answer-sent")?.focus();
        },
      },
      h("h2", { id: "request-who", tabindex: "-1" }, t("request.from", { host: new URL(r.clientId).host })),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, t("request.why")),
        h("dd", { class: "purpose" }, r.purpose),
        h("dt", {}, t("request.asks")),
        h(
          "dd",
          {},
          wanted.length
            ? wanted.map((ty) => (KIND_WORD[ty] ? t(KIND_WORD[ty]) : ty)).join(", ")
            : t("request.any"),
        ),
        r.expiresAt ? h("dt", {}, t("request.until")) : null,
        r.expiresAt ? h("dd", {}, dateTime(r.expiresAt)) : null,
      ),
      h("p", { class: "hint" }, t("request.only_chosen")),
      picker.element,
      reveal.element,
      warnBox,
      h("button", { type: "submit", class: "primary" }, t("request.send")),
    );
    area.replaceChildren(form, outcome);
    form.querySelector<HTMLElement>("#request-who")?.focus();
  }

  if (pending) queueMicrotask(() => showRequest(pending));
  return h("div", { class: "stack" }, opener, area);
}
