import { h } from "./dom.js";
import { dateTime, day, expiry, STATUS_LABEL } from "./format.js";
import { statusBadge } from "./portfolio-view.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import type { StoredCredential } from "../records.js";

const HISTORY_WORDS: Record<string, string> = {
  issue: "Issued and recorded in the public log",
  received: "Received into this wallet (verified)",
  suspend: "Suspended by the issuer",
  reinstate: "Reinstated by the issuer",
  revoke: "Revoked by the issuer",
  supersede: "Replaced by a corrected record",
  renew: "Renewed: a new record with current evidence replaces it",
  archive: "Archived: kept as a memory, no current status",
};

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
    h("button", { type: "button", onclick: back }, "← Back to my credentials"),
    h(
      "header",
      { class: "card" },
      h("h2", { id: "detail-title" }, v.title),
      statusBadge(rec),
      h("p", {}, `${STATUS_LABEL[rec.status.state].explain} Last checked ${dateTime(rec.status.checkedAt)}.`),
      rec.status.message ? h("p", { class: "muted" }, rec.status.message) : null,
      h("p", {}, v.description),
    ),
    privacySection(rec, setNeverShare),
    h(
      "section",
      { class: "card", "aria-labelledby": "d-facts" },
      h("h3", { id: "d-facts" }, "What it says"),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Issued by"),
        h("dd", {}, `${v.issuerName} (${v.issuerId})`),
        h("dt", {}, "Holder"),
        h("dd", { class: "mono" }, v.subjectId),
        h("dt", {}, "Covers"),
        h("dd", {}, v.covers.join("; ") || "—"),
        h("dt", {}, "Does not cover"),
        h("dd", {}, v.excludes.join("; ") || "—"),
        v.reviewLevel ? [h("dt", {}, "Review level"), h("dd", {}, v.reviewLevel)] : null,
        v.assessmentBasis ? [h("dt", {}, "Assessment basis"), h("dd", {}, v.assessmentBasis)] : null,
        v.limitations.length ? [h("dt", {}, "Limitations"), h("dd", {}, v.limitations.join("; "))] : null,
        ...v.extra.map((x) => [h("dt", {}, x.label), h("dd", {}, x.value)]),
        h("dt", {}, "Valid from"),
        h("dd", {}, day(v.validFrom)),
        h("dt", {}, "Expiry"),
        h("dd", {}, exp.text),
        h("dt", {}, "Renewal"),
        h("dd", {}, v.renewal ?? "Renewal needs current evidence; nothing continues automatically."),
        v.supersedes ? [h("dt", {}, "Corrects"), h("dd", { class: "mono" }, v.supersedes)] : null,
        v.renews ? [h("dt", {}, "Renews"), h("dd", { class: "mono" }, v.renews)] : null,
        h("dt", {}, "Credential id"),
        h("dd", { class: "mono" }, v.id),
      ),
      h(
        "p",
        { class: "notice" },
        h("strong", {}, "What this is not: "),
        v.notice ?? "No no-conversion notice was found in this record.",
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "d-evidence" },
      h("h3", { id: "d-evidence" }, "Evidence"),
      v.evidence.length === 0
        ? h("p", {}, "No evidence is linked.")
        : h(
            "ul",
            {},
            ...v.evidence.map((e) =>
              h(
                "li",
                {},
                safeLink(e.url, e.name ?? e.url),
                h("br"),
                h("span", { class: "mono" }, `Digest: ${e.digest}`),
              ),
            ),
          ),
      h(
        "p",
        { class: "muted" },
        "The digest lets anyone check that the linked file is exactly the one the issuer reviewed.",
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "d-history" },
      h("h3", { id: "d-history" }, "History"),
      h(
        "ol",
        { class: "history" },
        ...history.map((e) =>
          h(
            "li",
            {},
            h("strong", {}, day(e.at)),
            ` — ${HISTORY_WORDS[e.kind] ?? seenWords(e.kind)}`,
            "leafIndex" in e && e.leafIndex !== undefined ? ` (log entry #${e.leafIndex})` : "",
          ),
        ),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "d-anchor" },
      h("h3", { id: "d-anchor" }, "Anchoring in the public log"),
      a
        ? h(
            "dl",
            { class: "facts" },
            h("dt", {}, "Log"),
            h("dd", { class: "mono" }, a.origin),
            h("dt", {}, "Entry number"),
            h("dd", {}, String(a.leafIndex)),
            h("dt", {}, "Log size when recorded"),
            h("dd", {}, a.treeSize !== undefined ? String(a.treeSize) : "—"),
            h("dt", {}, "Proof verified"),
            h(
              "dd",
              { "data-anchoring": a.verified ? "verified" : "not-verified" },
              a.verified ? "✔ Yes" : "✖ No",
              ` — ${a.message}`,
            ),
            h("dt", {}, "Checked"),
            h("dd", {}, dateTime(a.checkedAt)),
          )
        : h("p", {}, "No anchoring information."),
      rec.receipt
        ? h(
            "details",
            {},
            h("summary", {}, "Signed checkpoint"),
            h("pre", { class: "mono" }, rec.receipt.checkpoint),
          )
        : null,
    ),
    h(
      "details",
      { class: "card" },
      h("summary", {}, "The whole credential (as signed)"),
      h("pre", { class: "mono" }, JSON.stringify(cred, null, 2)),
    ),
  );
}

function seenWords(kind: string): string {
  const m = /^seen-(.+)$/.exec(kind);
  return m ? `This wallet saw the status change to ${m[1]}` : kind;
}

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
    h("h3", { id: "d-privacy" }, "Sharing"),
    rec.importedFrom
      ? h(
          "p",
          {},
          `Imported from a record signed by ${rec.importedFrom}. It is bound to that holder's key, so this wallet shows it but never offers it for sharing.`,
        )
      : null,
    h("div", { class: "check" }, box, h("label", { for: "never-share" }, "Never share this credential")),
    h(
      "p",
      { class: "hint", id: "never-share-hint" },
      "When set, it is left out of every link, presentation and request you answer from this wallet.",
    ),
  );
}
