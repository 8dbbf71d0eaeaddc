import { h } from "./dom.js";
import { t, type WalletKey } from "../i18n.js";
import { disclosableFields } from "../selective-disclosure.js";
import type { StoredCredential } from "../records.js";
import type { CredentialPicker } from "./credential-picker.js";

/** Plain-language names of the fields a learner may withhold (SD_JWT_DISCLOSABLE_PATHS). */
const FIELD_LABEL: Record<string, WalletKey> = {
  "credentialSubject.achievement.description": "reveal.description",
  "credentialSubject.achievement.criteria.narrative": "reveal.narrative",
  "credentialSubject.result": "reveal.result",
  "credentialSubject.contribution.description": "reveal.contribution",
  evidence: "reveal.evidence",
  description: "reveal.description",
};

/**
 * The fields grouped by value: one choice per piece of text, so withholding it withholds every
 * copy (a credential's description repeats its achievement's; an attribution's achievement
 * description repeats the contribution's). Named after the most specific copy.
 */
function choices(sdJwt: string): { paths: string[]; label: string; value: unknown }[] {
  const groups = new Map<string, { paths: string[]; label: string; value: unknown }>();
  for (const f of disclosableFields(sdJwt)) {
    const key = JSON.stringify(f.value);
    const g = groups.get(key) ?? { paths: [], label: fieldLabel(f.path), value: f.value };
    if (f.path !== "description") g.label = fieldLabel(f.path);
    g.paths.push(f.path);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The plain-language name of a disclosable field (its path when unknown). */
const fieldLabel = (path: string): string => (FIELD_LABEL[path] ? t(FIELD_LABEL[path]) : path);

/** A short preview of a field's value, so the learner sees what they reveal. */
function preview(v: unknown): string {
  const text = Array.isArray(v)
    ? v
        .map((x) => {
          const o = (typeof x === "object" && x !== null ? x : {}) as Record<string, unknown>;
          return String(o.name ?? o.description ?? o.narrative ?? o.id ?? x);
        })
        .join(", ")
    : String(v);
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

/**
 * The "choose what to reveal" step (issue 15) for the credentials ticked in `picker`: one
 * credential with an SD-JWT form lists its disclosable fields, each ticked to be revealed (as a
 * whole credential always was); the learner unticks what to keep. Several credentials, or one
 * without that form, are shown whole, and the step says so. `chosen()` is the list of paths to
 * reveal when something is withheld (an SD-JWT presentation), else undefined (a VP-JWT).
 */
/** Each reveal step gets its own element ids (the share and one-time forms are on one screen). */
let steps = 0;

export function revealStep(
  held: StoredCredential[],
  picker: CredentialPicker,
  /** Whether mentor feedback may be added (a presentation: yes; a one-credential share link: no). */
  withFeedback = true,
): { element: HTMLElement; chosen(): string[] | undefined; feedback(): string[] } {
  const area = h("div", { class: "reveal", "aria-live": "polite" });
  const step = ++steps;
  let selective = false;
  const render = (): void => {
    const ids = picker.chosen();
    const picked = held.filter((c) => ids.includes(c.id));
    const one = picked.length === 1 ? picked[0] : undefined;
    const fields = one?.sdJwt ? choices(one.sdJwt) : [];
    selective = fields.length > 0;
    if (picked.length === 0) return area.replaceChildren();
    // Mentor feedback on the chosen credentials: never sent unless the learner ticks it.
    const notes = withFeedback ? picked.flatMap((c) => c.feedback ?? []) : [];
    const feedbackBox = notes.length
      ? h(
          "fieldset",
          {},
          h("legend", {}, t("reveal.feedback")),
          h("p", { class: "hint" }, t("reveal.feedback_hint")),
          ...notes.map((f, i) =>
            h(
              "div",
              { class: "check" },
              h("input", { type: "checkbox", id: `add-fb-${step}-${i}`, name: "feedback", value: f.id }),
              h(
                "label",
                { for: `add-fb-${step}-${i}` },
                t("reveal.feedback_from", { who: f.issuerName ?? f.issuer }),
                h("span", { class: "muted" }, ` — “${preview(f.comment)}”`),
              ),
            ),
          ),
        )
      : "";
    if (!selective)
      return area.replaceChildren(
        h("p", { class: "hint" }, t(picked.length > 1 ? "reveal.several" : "reveal.whole")),
        feedbackBox,
      );
    area.replaceChildren(
      h(
        "fieldset",
        {},
        h("legend", {}, t("reveal.title")),
        h("p", { class: "hint" }, t("reveal.hint")),
        ...fields.map((f, i) => {
          const id = `reveal-${step}-${i}`;
          return h(
            "div",
            { class: "check" },
            h("input", { type: "checkbox", id, name: "reveal", value: f.paths.join(" "), checked: true }),
            h(
              "label",
              { for: id },
              h("strong", {}, f.label),
              h("span", { class: "muted" }, ` — ${preview(f.value)}`),
            ),
          );
        }),
      ),
      feedbackBox,
    );
  };
  picker.element.addEventListener("change", (ev) => {
    const name = (ev.target as HTMLInputElement).name;
    if (name !== "reveal" && name !== "feedback") render();
  });
  queueMicrotask(render);
  return {
    element: area,
    // Everything ticked: the VP-JWT as before (it can carry several credentials and feedback).
    chosen: () =>
      selective && area.querySelector("input[name=reveal]:not(:checked)")
        ? [...area.querySelectorAll<HTMLInputElement>("input[name=reveal]:checked")].flatMap((b) =>
            b.value.split(" "),
          )
        : undefined,
    feedback: () =>
      [...area.querySelectorAll<HTMLInputElement>("input[name=feedback]:checked")].map((b) => b.value),
  };
}

/** The disclosable paths of `held` that `revealed` leaves out (undefined for a VP-JWT). */
export function withheldPaths(
  held: StoredCredential | undefined,
  revealed: string[] | undefined,
): string[] | undefined {
  if (!held?.sdJwt || revealed === undefined) return undefined;
  return disclosableFields(held.sdJwt)
    .map((f) => f.path)
    .filter((p) => !revealed.includes(p));
}

/** "You kept back: …" for a result, or "" when the presentation could not withhold anything. */
export function withheldNote(withheld: string[] | undefined): HTMLElement | string {
  if (withheld === undefined) return "";
  return h(
    "p",
    { class: "withheld" },
    withheld.length
      ? t("reveal.kept", { fields: [...new Set(withheld.map(fieldLabel))].join(", ") })
      : t("reveal.none_kept"),
  );
}
