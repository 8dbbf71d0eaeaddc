import { h, field } from "./dom.js";
import { t } from "../i18n.js";
import type { MpuProgress } from "../cosign.js";

export interface CosignActions {
  sign(): void;
  decline(reason: string): void;
  refresh(): void;
}

// The labels the credential's detail view uses for the same MPU fields.
const FACTS = [
  ["title", "extra.mpu"],
  ["category", "extra.category"],
  ["digestSRI", "extra.mpu_digest"],
  ["license", "extra.licence"],
  ["stage", "extra.stage"],
] as const;

/**
 * The co-signing screen: the whole statement the author signs (every field of the MPU, every
 * author and role, the issuer), who has signed, then what this author can do now.
 */
export function cosignView(p: MpuProgress, me: string, a: CosignActions): HTMLElement {
  const mpu = p.statement.mpu;
  const signed = new Set(p.signatures.map((s) => s.author));
  const reason = h("textarea", { required: true, maxlength: 500 }) as HTMLTextAreaElement;
  let next: HTMLElement | HTMLElement[];
  if (p.state === "declined") next = h("p", {}, t("cosign.declined", { reason: p.declined?.reason ?? "" }));
  // The offer's wallet link: opening it runs the wallet's claim flow (hashchange → receive).
  else if (p.offer) next = h("a", { href: p.offer.walletLink, class: "button primary" }, t("cosign.receive"));
  else if (p.state === "issued") next = [];
  else if (signed.has(me))
    next = [
      h("p", {}, t("cosign.waiting")),
      h("button", { type: "button", onclick: () => a.refresh() }, t("list.refresh")),
    ];
  else
    next = [
      h("button", { type: "button", class: "primary", onclick: () => a.sign() }, t("cosign.sign")),
      h(
        "details",
        {},
        h("summary", {}, t("cosign.decline")),
        h(
          "form",
          {
            onsubmit: (ev: Event) => {
              ev.preventDefault();
              a.decline(reason.value.trim());
            },
          },
          field("cosign-reason", t("cosign.reason"), reason),
          h("button", { type: "submit" }, t("cosign.decline")),
        ),
      ),
    ];
  return h(
    "section",
    { class: "card", "aria-labelledby": "cosign-title" },
    h("h2", { id: "cosign-title" }, t("cosign.title")),
    h(
      "dl",
      { class: "facts" },
      ...FACTS.filter(([k]) => typeof mpu[k] === "string").flatMap(([k, label]) => [
        h("dt", {}, t(label)),
        h("dd", k === "digestSRI" ? { class: "mono" } : {}, String(mpu[k])),
      ]),
      h("dt", {}, t("fact.issuer")),
      h("dd", { class: "mono" }, p.statement.issuer),
    ),
    h("h3", {}, t("cosign.authors", { signed: p.signed, of: p.of })),
    h(
      "ul",
      {},
      ...mpu.authors.map((x) =>
        h(
          "li",
          {},
          // ✔ signed, ○ not yet (the heading above says how many).
          `${signed.has(x.id) ? "✔" : "○"} ${x.role}: `,
          // This wallet's own DID in bold: the line it signs for.
          h(x.id === me ? "strong" : "span", { class: "mono" }, x.id),
        ),
      ),
    ),
    ...[next].flat(),
  );
}
