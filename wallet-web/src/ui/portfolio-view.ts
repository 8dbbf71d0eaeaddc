import { h } from "./dom.js";
import { dateTime, day, expiry, STATUS_LABEL } from "./format.js";
import { credentialOfJwt, describe, KIND_GROUPS, type CredentialView } from "../credential-view.js";
import type { LogView, StoredCredential } from "../records.js";

export interface PortfolioActions {
  open(id: string): void;
  remove(id: string): Promise<void>;
  refresh(): Promise<void>;
  receive(): void;
}

export function statusBadge(rec: StoredCredential): HTMLElement {
  const s = STATUS_LABEL[rec.status.state];
  return h(
    "span",
    { class: `badge status-${rec.status.state}`, "data-status": rec.status.state },
    h("span", { "aria-hidden": "true" }, `${s.symbol} `),
    `Status: ${s.word}`,
  );
}

function view(rec: StoredCredential): CredentialView | undefined {
  try {
    return describe(credentialOfJwt(rec.jwt));
  } catch {
    return undefined;
  }
}

/** A loud, persistent warning when a log showed this wallet an inconsistent history. */
function splitViewBanner(logs: LogView[]): HTMLElement | null {
  const bad = logs.filter((l) => l.warning);
  if (bad.length === 0) return null;
  return h(
    "section",
    { class: "alert", role: "alert", "aria-labelledby": "split-title" },
    h("h2", { id: "split-title" }, "⚠ Warning: the public log may have been tampered with"),
    ...bad.map((l) =>
      h("p", {}, `${l.warning!.message} (log ${l.origin}, noticed ${dateTime(l.warning!.at)}).`),
    ),
    h(
      "p",
      {},
      "The records anchored in this log cannot be trusted to be the same ones others see. Do not rely on status shown here until this is explained; tell the issuer and keep your backup.",
    ),
  );
}

function card(rec: StoredCredential, a: PortfolioActions, now = new Date()): HTMLElement {
  const v = view(rec);
  if (!v) return h("article", { class: "cred" }, h("h3", {}, "Unreadable record"), h("p", {}, rec.id));
  const exp = expiry(v.validUntil, now);
  const s = STATUS_LABEL[rec.status.state];
  const titleId = `t-${rec.id.replace(/[^a-zA-Z0-9]/g, "")}`;
  return h(
    "article",
    { class: `cred cred-${rec.status.state}`, "aria-labelledby": titleId, "data-credential-id": rec.id },
    h("header", {}, h("h3", { id: titleId }, v.title), statusBadge(rec)),
    h("p", { class: "status-line" }, `${s.explain} Last checked: ${dateTime(rec.status.checkedAt)}.`),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Issued by"),
      h("dd", {}, v.issuerName),
      h("dt", {}, "Covers"),
      h("dd", {}, v.covers.join("; ") || "—"),
      v.excludes.length ? [h("dt", {}, "Does not cover"), h("dd", {}, v.excludes.join("; "))] : null,
      v.reviewLevel ? [h("dt", {}, "Review level"), h("dd", {}, v.reviewLevel)] : null,
      h("dt", {}, "Issued on"),
      h("dd", {}, day(v.validFrom)),
      h("dt", {}, "Expiry"),
      h("dd", { class: exp.expired ? "expired" : "" }, exp.expired ? "⚠ " : "", exp.text),
      h("dt", {}, "Renewal"),
      h(
        "dd",
        {},
        v.renewal ??
          (v.validUntil
            ? "Needs new evidence to renew; nothing continues automatically."
            : "No renewal set."),
      ),
    ),
    h(
      "p",
      { class: "notice" },
      h("strong", {}, "What this is not: "),
      v.notice ?? "No no-conversion notice was found in this record.",
    ),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        { type: "button", onclick: () => a.open(rec.id), "aria-label": `Details of ${v.title}` },
        "Details",
      ),
      h(
        "button",
        {
          type: "button",
          class: "danger",
          "aria-label": `Delete ${v.title} from this wallet`,
          onclick: () => {
            if (window.confirm(`Delete "${v.title}" from this wallet? The issuer's records are not changed.`))
              void a.remove(rec.id);
          },
        },
        "Delete",
      ),
    ),
  );
}

/** All credentials, grouped by kind. */
export function portfolioView(creds: StoredCredential[], logs: LogView[], a: PortfolioActions): HTMLElement {
  const groups = KIND_GROUPS.map((g) => ({ ...g, items: creds.filter((c) => view(c)?.kind === g.kind) }));
  const other = creds.filter((c) => !KIND_GROUPS.some((g) => g.kind === view(c)?.kind));
  const lastCheck = creds
    .map((c) => c.status.checkedAt)
    .sort()
    .pop();
  return h(
    "div",
    { class: "stack" },
    splitViewBanner(logs),
    h(
      "div",
      { class: "toolbar" },
      h("button", { type: "button", onclick: () => void a.refresh() }, "↻ Refresh status"),
      h("span", { class: "muted" }, lastCheck ? `Last status check: ${dateTime(lastCheck)}` : ""),
    ),
    creds.length === 0
      ? h(
          "section",
          { class: "card" },
          h("h2", {}, "No credentials yet"),
          h(
            "p",
            {},
            "When an issuer gives you an offer link or QR code, open it here to receive the credential.",
          ),
          h("button", { type: "button", class: "primary", onclick: a.receive }, "Receive a credential"),
        )
      : null,
    ...groups
      .filter((g) => g.items.length > 0)
      .map((g) =>
        h(
          "section",
          { "aria-labelledby": `g-${g.kind}` },
          h("h2", { id: `g-${g.kind}` }, `${g.title} (${g.items.length})`),
          ...g.items.map((c) => card(c, a)),
        ),
      ),
    other.length ? h("section", {}, h("h2", {}, "Other records"), ...other.map((c) => card(c, a))) : null,
  );
}
