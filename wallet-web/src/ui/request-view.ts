import { h, field } from "./dom.js";
import { canScan, scanButton } from "./scanner.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import { dateTime, STATUS_LABEL } from "./format.js";
import { shareWarning } from "./share-view.js";
import { shareable, type StoredCredential } from "../records.js";
import type { PresentationRequest } from "../sharing.js";

export interface RequestActions {
  open(link: string): Promise<PresentationRequest | undefined>;
  answer(r: PresentationRequest, ids: string[]): Promise<{ verdict: string } | undefined>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

const KIND_WORD: Record<string, string> = {
  MicroCredential: "a micro-credential",
  Attribution: "a contribution (attribution)",
  MPUAuthorship: "authorship of a production unit",
};

function typesOf(c: StoredCredential): string[] {
  try {
    const cred = credentialOfJwt(c.jwt);
    const t = cred.type;
    return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === "string");
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
    h("h2", { id: "request-title" }, "Answer a request"),
    h(
      "p",
      { class: "hint" },
      "An employer or reviewer sent you a request link or QR code. Open it here to see who asks and why before you choose what to send.",
    ),
    field("request-link", "The request link", input),
    canScan()
      ? scanButton(
          "Scan the request's QR code",
          scanArea,
          (text) => (input.value = text),
          (m) => a.say(m, "error"),
        )
      : null,
    scanArea,
    h("button", { type: "submit", class: "primary" }, "Open the request"),
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
      const match = wanted.length === 0 || typesOf(c).some((t) => wanted.includes(t));
      return h(
        "div",
        { class: "check" },
        h("input", {
          type: "checkbox",
          id,
          value: c.id,
          checked: match && wanted.length > 0 && c.status.state === "active",
        }),
        h("label", { for: id }, `${title} — ${STATUS_LABEL[c.status.state].word}`),
      );
    });
    const warnBox = h("div", { class: "warning-box", role: "alert", hidden: true });
    const outcome = h("div", { class: "result" });
    let confirmed = "";
    const form = h(
      "form",
      {
        class: "card",
        "aria-labelledby": "request-who",
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const ids = [...form.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map(
            (b) => b.value,
          );
          if (ids.length === 0) return a.say("Choose at least one credential to send.", "error");
          const warnings = creds
            .filter((c) => ids.includes(c.id))
            .map((c) => shareWarning(c))
            .filter((w): w is string => w !== undefined);
          if (warnings.length && confirmed !== ids.join(",")) {
            confirmed = ids.join(",");
            warnBox.hidden = false;
            warnBox.replaceChildren(
              h("h3", {}, "Before you send"),
              ...warnings.map((w) => h("p", {}, w)),
              h("p", {}, "Press “Send” again to send anyway."),
            );
            return;
          }
          const res = await a.answer(r, ids);
          if (!res) return;
          form.querySelector<HTMLButtonElement>("button[type=submit]")!.disabled = true;
          outcome.replaceChildren(
            h("h3", { id: "answer-sent", tabindex: "-1" }, "Sent"),
            h(
              "p",
              {},
              `${new URL(r.clientId).host} received your answer. Its check says: ${res.verdict === "valid" ? "valid" : res.verdict === "valid-with-warnings" ? "valid, with warnings" : "not valid"}.`,
            ),
          );
          outcome.querySelector<HTMLElement>("#answer-sent")?.focus();
        },
      },
      h("h2", { id: "request-who", tabindex: "-1" }, `Request from ${new URL(r.clientId).host}`),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Why they ask"),
        h("dd", { class: "purpose" }, r.purpose),
        h("dt", {}, "They ask for"),
        h(
          "dd",
          {},
          wanted.length ? wanted.map((t) => KIND_WORD[t] ?? t).join(", ") : "any credential you choose",
        ),
        r.expiresAt ? h("dt", {}, "Open until") : null,
        r.expiresAt ? h("dd", {}, dateTime(r.expiresAt)) : null,
      ),
      h(
        "p",
        { class: "hint" },
        "Only the credentials you choose are sent, signed by your wallet for this request only.",
      ),
      creds.length === 0
        ? h("p", {}, "You have no credentials to send yet.")
        : h("fieldset", {}, h("legend", {}, "Which credentials do you send?"), ...boxes),
      warnBox,
      h("button", { type: "submit", class: "primary" }, "Send"),
    );
    area.replaceChildren(form, outcome);
    form.querySelector<HTMLElement>("#request-who")?.focus();
  }

  if (pending) queueMicrotask(() => showRequest(pending));
  return h("div", { class: "stack" }, opener, area);
}
