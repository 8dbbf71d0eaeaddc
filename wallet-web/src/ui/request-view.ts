import { h, field } from "./dom.js";
import { canScan, scanButton } from "./scanner.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import { dateTime, statusLabel } from "./format.js";
import { t, type WalletKey } from "../i18n.js";
import { shareWarning } from "./share-view.js";
import { shareable, type StoredCredential } from "../records.js";
import type { PresentationRequest } from "../sharing.js";
import { revealStep, withheldNote } from "./reveal-view.js";

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
  const scanArea = h("div", { class: "scan" });
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
    canScan()
      ? scanButton(
          t("request.scan"),
          scanArea,
          (text) => (input.value = text),
          (m) => a.say(m, "error"),
        )
      : null,
    scanArea,
    h("button", { type: "submit", class: "primary" }, t("request.open")),
  );

  function showRequest(r: PresentationRequest): void {
    const wanted = r.types ?? [];
    const boxes = creds.map((c) => {
      const id = `answer-${c.id.replace(/[^a-zA-Z0-9]/g, "")}`;
      let title = c.id;
      try {
        title = describe(credentialOfJwt(c.jwt)).title;
      } catch {
        /* keep the id */
      }
      const match = wanted.length === 0 || typesOf(c).some((ty) => wanted.includes(ty));
      return h(
        "div",
        { class: "check" },
        h("input", {
          type: "checkbox",
          id,
          value: c.id,
          checked: match && wanted.length > 0 && c.status.state === "active",
        }),
        h("label", { for: id }, `${title} — ${statusLabel(c.status.state).word}`),
      );
    });
    const warnBox = h("div", { class: "warning-box", role: "alert", hidden: true });
    const outcome = h("div", { class: "result" });
    const picker = h(
      "div",
      {},
      creds.length === 0
        ? h("p", {}, t("request.none"))
        : h("fieldset", {}, h("legend", {}, t("request.which")), ...boxes),
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
          const ids = [...picker.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map(
            (b) => b.value,
          );
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
      picker,
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
