import { h } from "./dom.js";
import { day } from "./format.js";
import { t, type WalletKey } from "../i18n.js";
import type { PathwayProgress, StepState } from "../pathway-progress.js";

/** Step states in words with a symbol, so nothing is told by colour alone. */
const STEP_LABEL: Readonly<Record<StepState, { symbol: string; word: WalletKey }>> = {
  done: { symbol: "✔", word: "pw.done" },
  suspended: { symbol: "‖", word: "pw.suspended" },
  expired: { symbol: "⌛", word: "pw.expired" },
  "review-too-low": { symbol: "△", word: "pw.review_too_low" },
  superseded: { symbol: "↻", word: "pw.superseded" },
  archived: { symbol: "▣", word: "pw.archived" },
  revoked: { symbol: "✖", word: "pw.revoked" },
  left: { symbol: "○", word: "pw.left" },
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
        h("span", { class: "step-state" }, h("span", { "aria-hidden": "true" }, `${l.symbol} `), t(l.word)),
        s.minReviewLevel
          ? h("span", { class: "step-note" }, ` ${t("pw.needs_review", { level: s.minReviewLevel })}`)
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
      t("pw.by", { issuer: p.pathway.issuerName ?? p.pathway.issuer, date: day(p.pathway.publishedAt) }),
      p.pathway.state === "archived" ? ` ${t("pw.archived_note")}` : "",
      ".",
    ),
    p.newer ? h("p", { class: "note" }, t("pw.newer", { date: day(p.newer.publishedAt) })) : null,
    h("p", {}, p.pathway.description),
    h(
      "p",
      { class: "progress-line" },
      h("progress", { max: String(p.total), value: String(p.done), "aria-labelledby": `${titleId}-count` }),
      " ",
      h("span", { id: `${titleId}-count` }, t("pw.count", { done: p.done, total: p.total })),
    ),
    p.pathway.ordered ? h("p", { class: "muted" }, t("pw.ordered")) : null,
    p.next ? h("p", {}, t("pw.next", { step: p.next })) : null,
    list,
    // The no-conversion line every pathway display carries (DOMAIN.md; schemas' PATHWAY_NOTICE).
    h("p", { class: "notice" }, t("pw.notice")),
  );
}

/** The learner's pathways: every pathway a held credential belongs to, with what is done and left. */
export function pathwaysView(state: PathwaysViewState, refresh: () => void): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "pathways-title" },
    h("h2", { id: "pathways-title" }, t("tab.pathways")),
    h("p", {}, t("pw.intro")),
    h(
      "button",
      { type: "button", onclick: refresh, disabled: state.loading ? "" : undefined },
      t("pw.check"),
    ),
    state.loading ? h("p", { role: "status" }, t("pw.loading")) : null,
    ...state.problems.map((m) => h("p", { class: "warn" }, `⚠ ${m}`)),
    !state.loading && state.progress.length === 0 ? h("p", {}, t("pw.none")) : null,
    ...state.progress.map(panel),
  );
}
