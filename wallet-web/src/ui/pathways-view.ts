import { h } from "./dom.js";
import { day } from "./format.js";
import type { PathwayProgress, StepState } from "../pathway-progress.js";

/** The no-conversion line every pathway display carries (DOMAIN.md; schemas' PATHWAY_NOTICE). */
const PATHWAY_NOTICE = "Completing a pathway does not create a certification.";

/** Step states in words with a symbol, so nothing is told by colour alone. */
const STEP_LABEL: Readonly<Record<StepState, { symbol: string; word: string }>> = {
  done: { symbol: "✔", word: "Done" },
  suspended: { symbol: "‖", word: "Held, but suspended by the issuer" },
  expired: { symbol: "⌛", word: "Held, but expired: renew it with new evidence" },
  "review-too-low": { symbol: "△", word: "Held, but reviewed below the level this step asks for" },
  superseded: { symbol: "↻", word: "Held, but replaced by a corrected record" },
  archived: { symbol: "▣", word: "Held, but archived" },
  revoked: { symbol: "✖", word: "Held, but revoked by the issuer" },
  left: { symbol: "○", word: "Not yet" },
};

export interface PathwaysViewState {
  loading: boolean;
  progress: PathwayProgress[];
  /** Servers that could not be asked, in plain words. */
  problems: string[];
}

function panel(p: PathwayProgress, i: number): HTMLElement {
  const titleId = `pw-${i}`;
  const list = h(
    p.pathway.ordered ? "ol" : "ul",
    { class: "steps" },
    ...p.steps.map((s) => {
      const l = STEP_LABEL[s.state];
      return h(
        "li",
        { class: `step step-${s.state}`, "data-step-state": s.state },
        h("span", { class: "step-name" }, s.name),
        " ",
        h("span", { class: "step-state" }, h("span", { "aria-hidden": "true" }, `${l.symbol} `), l.word),
        s.minReviewLevel
          ? h("span", { class: "step-note" }, ` (needs ${s.minReviewLevel} review or higher)`)
          : null,
      );
    }),
  );
  return h(
    "section",
    { class: "card pathway", "aria-labelledby": titleId, "data-pathway-id": p.pathway.id },
    h("h2", { id: titleId }, p.pathway.name),
    h(
      "p",
      { class: "muted" },
      `By ${p.pathway.issuerName ?? p.pathway.issuer}. Version published ${day(p.pathway.publishedAt)}`,
      p.pathway.state === "archived" ? " (archived by the issuer)" : "",
      ".",
    ),
    p.newer
      ? h(
          "p",
          { class: "note" },
          `Your credentials were issued under this version. The issuer published a corrected version on ${day(p.newer.publishedAt)}; your progress on this one stays as it was.`,
        )
      : null,
    h("p", {}, p.pathway.description),
    h(
      "p",
      { class: "progress-line" },
      h("progress", { max: String(p.total), value: String(p.done), "aria-labelledby": `${titleId}-count` }),
      " ",
      h("span", { id: `${titleId}-count` }, `${p.done} of ${p.total} steps done`),
    ),
    p.pathway.ordered ? h("p", { class: "muted" }, "The steps are meant to be taken in this order.") : null,
    p.next ? h("p", {}, `Next step: ${p.next}.`) : null,
    list,
    h("p", { class: "notice" }, PATHWAY_NOTICE),
  );
}

/** The learner's pathways: every pathway a held credential belongs to, with what is done and left. */
export function pathwaysView(state: PathwaysViewState, refresh: () => void): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "pathways-title" },
    h("h2", { id: "pathways-title" }, "Pathways"),
    h(
      "p",
      {},
      "Issuers group micro-credentials into pathways. Here is how far your credentials go on each pathway they belong to.",
    ),
    h(
      "button",
      { type: "button", onclick: refresh, disabled: state.loading ? "" : undefined },
      "Check again",
    ),
    state.loading ? h("p", { role: "status" }, "Asking the issuers for their pathways…") : null,
    ...state.problems.map((m) => h("p", { class: "warn" }, `⚠ ${m}`)),
    !state.loading && state.progress.length === 0
      ? h("p", {}, "None of your credentials belongs to a published pathway yet.")
      : null,
    ...state.progress.map(panel),
  );
}
