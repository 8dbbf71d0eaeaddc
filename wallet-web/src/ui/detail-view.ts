import { h } from "./dom.js";
import { dateTime, day, expiry, reasonWords, statusLabel } from "./format.js";
import { imageOf, noticeTranslation, statusBadge } from "./portfolio-view.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import { t, type WalletKey } from "../i18n.js";
import type { StoredCredential } from "../records.js";
import { reportText } from "../report-text.js";

const HISTORY_KINDS = [
  "issue",
  "received",
  "suspend",
  "reinstate",
  "revoke",
  "supersede",
  "renew",
  "archive",
];

/** Everything about one credential: its content, evidence, history and anchoring. */
export function detailView(
  rec: StoredCredential,
  back: () => void,
  setNeverShare?: (on: boolean) => void,
): HTMLElement {
  const cred = credentialOfJwt(rec.jwt);
  const v = describe(cred);
  const exp = expiry(v.validUntil);
  const logged = (rec.history ?? []).filter((e) => !e.kind.startsWith("seen-"));
  const history = [
    ...(rec.receipt && !logged.some((e) => e.leafIndex === rec.receipt!.leafIndex)
      ? [
          {
            kind: "issue",
            at: entryTime(rec.receipt.entry) ?? v.validFrom ?? rec.addedAt,
            leafIndex: rec.receipt.leafIndex,
          },
        ]
      : []),
    { kind: "received", at: rec.addedAt },
    ...logged,
  ].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  const a = rec.anchoring;
  return h(
    "article",
    { class: "stack detail", "aria-labelledby": "detail-title" },
    h(
      "header",
      { class: "card" },
      h(
        "div",
        { class: "detail-head" },
        imageOf(v, "badge-image"),
        h("h2", { id: "detail-title", tabindex: "-1" }, v.title),
      ),
      statusBadge(rec),
      h(
        "p",
        {},
        `${statusLabel(rec.status.state).explain} ${t("card.checked", { at: dateTime(rec.status.checkedAt) })}`,
      ),
      rec.status.reason
        ? h(
            "p",
            { class: "reason" },
            `${t("reason.label")} ${reasonWords(rec.status.reason).words}${rec.status.since ? ` (${t("reason.since", { date: day(rec.status.since) })})` : ""}. ${reasonWords(rec.status.reason).todo}`,
          )
        : null,
      // The verifier's sentences in the holder's language where coded; the wallet's own stay English.
      rec.status.message
        ? h("p", { class: "muted" }, reportText(rec.status.message, rec.status.sentences))
        : null,
      h("p", {}, v.description),
      h("button", { type: "button", onclick: back }, t("detail.back")),
    ),
    privacySection(rec, setNeverShare),
    h(
      "section",
      { class: "card", "aria-labelledby": "d-facts" },
      h("h3", { id: "d-facts" }, t("detail.facts")),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, t("fact.issuer")),
        h("dd", {}, `${v.issuerName} (${v.issuerId})`),
        h("dt", {}, t("fact.holder")),
        h("dd", { class: "mono" }, v.subjectId),
        h("dt", {}, t("fact.covers")),
        h("dd", {}, v.covers.join("; ") || "—"),
        h("dt", {}, t("fact.excludes")),
        h("dd", {}, v.excludes.join("; ") || "—"),
        v.reviewLevel ? [h("dt", {}, t("fact.review")), h("dd", {}, v.reviewLevel)] : null,
        v.assessmentBasis ? [h("dt", {}, t("fact.assessment")), h("dd", {}, v.assessmentBasis)] : null,
        v.limitations.length
          ? [h("dt", {}, t("fact.limitations")), h("dd", {}, v.limitations.join("; "))]
          : null,
        ...v.extra.map((x) => [h("dt", {}, extraLabel(x.label)), h("dd", {}, x.value)]),
        h("dt", {}, t("fact.valid_from")),
        h("dd", {}, day(v.validFrom)),
        h("dt", {}, t("fact.expiry")),
        h("dd", {}, exp.text),
        h("dt", {}, t("fact.renewal")),
        h("dd", {}, v.renewal ?? t("fact.renewal_default")),
        v.supersedes ? [h("dt", {}, t("fact.corrects")), h("dd", { class: "mono" }, v.supersedes)] : null,
        v.renews ? [h("dt", {}, t("fact.renews")), h("dd", { class: "mono" }, v.renews)] : null,
        h("dt", {}, t("fact.id")),
        h("dd", { class: "mono" }, v.id),
      ),
      h(
        "div",
        { class: "notice" },
        h(
          "p",
          {},
          h("strong", {}, t("notice.label")),
          " ",
          v.notice ? h("span", { lang: "en" }, v.notice) : t("notice.missing"),
        ),
        v.notice ? noticeTranslation(v.notice) : null,
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "d-evidence" },
      h("h3", { id: "d-evidence" }, t("detail.evidence")),
      v.evidence.length === 0
        ? h("p", {}, t("detail.no_evidence"))
        : h(
            "ul",
            {},
            ...v.evidence.map((e) =>
              h(
                "li",
                {},
                safeLink(e.url, e.name ?? e.url),
                h("br"),
                h("span", { class: "mono" }, t("detail.digest", { digest: e.digest })),
              ),
            ),
          ),
      h("p", { class: "muted" }, t("detail.digest_explain")),
    ),
    rec.feedback?.length ? feedbackSection(rec) : null,
    h(
      "section",
      { class: "card", "aria-labelledby": "d-history" },
      h("h3", { id: "d-history" }, t("detail.history")),
      h(
        "ol",
        { class: "history" },
        ...history.map((e) =>
          h(
            "li",
            {},
            h("strong", {}, day(e.at)),
            ` — ${HISTORY_KINDS.includes(e.kind) ? t(`history.${e.kind}` as WalletKey) : seenWords(e.kind)}`,
            "leafIndex" in e && e.leafIndex !== undefined ? ` ${t("history.entry", { n: e.leafIndex })}` : "",
          ),
        ),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "d-anchor" },
      h("h3", { id: "d-anchor" }, t("detail.anchor")),
      a
        ? h(
            "dl",
            { class: "facts" },
            h("dt", {}, t("anchor.log")),
            h("dd", { class: "mono" }, a.origin),
            h("dt", {}, t("anchor.entry")),
            h("dd", {}, String(a.leafIndex)),
            h("dt", {}, t("anchor.size")),
            h("dd", {}, a.treeSize !== undefined ? String(a.treeSize) : "—"),
            h("dt", {}, t("anchor.verified")),
            h(
              "dd",
              { "data-anchoring": a.verified ? "verified" : "not-verified" },
              a.verified ? t("anchor.yes") : t("anchor.no"),
              " — ",
              reportText(a.message, a.sentences),
            ),
            h("dt", {}, t("anchor.checked")),
            h("dd", {}, dateTime(a.checkedAt)),
          )
        : h("p", {}, t("anchor.none")),
      rec.receipt
        ? h(
            "details",
            {},
            h("summary", {}, t("anchor.checkpoint")),
            h("pre", { class: "mono" }, rec.receipt.checkpoint),
          )
        : null,
    ),
    h(
      "details",
      { class: "card" },
      h("summary", {}, t("detail.whole")),
      h("pre", { class: "mono" }, JSON.stringify(cred, null, 2)),
    ),
  );
}

function seenWords(kind: string): string {
  const m = /^seen-(.+)$/.exec(kind);
  return m ? t("history.seen", { state: m[1]! }) : kind;
}

/** Labels of the kind-specific facts (credential-view.ts) in the wallet's language. */
const EXTRA_KEYS: Record<string, WalletKey> = {
  Contribution: "extra.contribution",
  "What was done": "extra.done",
  "Contributed to": "extra.to",
  MPU: "extra.mpu",
  Category: "extra.category",
  Licence: "extra.licence",
  Stage: "extra.stage",
  Verification: "extra.verification",
  Authors: "extra.authors",
  "MPU digest": "extra.mpu_digest",
  Pathway: "extra.pathway",
};
const extraLabel = (label: string): string => (EXTRA_KEYS[label] ? t(EXTRA_KEYS[label]) : label);

function entryTime(entry: string): string | undefined {
  try {
    const at = (JSON.parse(entry) as { at?: unknown }).at;
    return typeof at === "string" ? at : undefined;
  } catch {
    return undefined;
  }
}

/** Only http(s) links are clickable; anything else is shown as text. */
function safeLink(url: string, text: string): HTMLElement {
  return /^https?:\/\//i.test(url)
    ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, text)
    : h("span", {}, text);
}

/** Mentor feedback on this credential (feedback.ts): the reviewer's words as signed, for the learner's eyes. */
function feedbackSection(rec: StoredCredential): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "d-feedback" },
    h("h3", { id: "d-feedback" }, t("feedback.title")),
    h("p", { class: "hint" }, t("feedback.private")),
    h(
      "ul",
      { class: "feedback" },
      ...(rec.feedback ?? []).map((f) =>
        h(
          "li",
          {},
          h("blockquote", {}, f.comment),
          h(
            "p",
            { class: "muted" },
            t("feedback.by", { who: f.issuerName ?? f.issuer, date: day(f.at) }),
            f.reviewLevel ? ` ${t("feedback.level", { level: f.reviewLevel })}` : "",
          ),
        ),
      ),
    ),
  );
}

/** The "never share" setting (records.ts shareable()), and why an imported credential is not offered. */
function privacySection(rec: StoredCredential, set?: (on: boolean) => void): HTMLElement {
  const box = h("input", {
    type: "checkbox",
    id: "never-share",
    checked: rec.neverShare === true,
    "aria-describedby": "never-share-hint",
    onchange: (ev: Event) => set?.((ev.target as HTMLInputElement).checked),
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "d-privacy" },
    h("h3", { id: "d-privacy" }, t("privacy.title")),
    rec.importedFrom ? h("p", {}, t("privacy.imported", { from: rec.importedFrom })) : null,
    h("div", { class: "check" }, box, h("label", { for: "never-share" }, t("privacy.never"))),
    h("p", { class: "hint", id: "never-share-hint" }, t("privacy.never_hint")),
  );
}
