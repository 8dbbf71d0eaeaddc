import { h } from "./dom.js";
import { dateTime, day, expiry, statusLabel, reasonWords } from "./format.js";
import { credentialOfJwt, describe, KIND_GROUPS, type CredentialView } from "../credential-view.js";
import { credentialImage, fetchImage } from "../credential-image.js";
import { NO_CONVERSION_NOTICES } from "@meritlog/schemas";
import { language, t, type WalletKey } from "../i18n.js";
import type { LogView, StoredCredential } from "../records.js";

export interface PortfolioActions {
  open(id: string): void;
  remove(id: string): Promise<void>;
  refresh(): Promise<void>;
  receive(): void;
  /** The holder has read the change note of this credential. */
  seen(id: string): Promise<void>;
}

/** Search, filter and sort of the list; kept by the app so a re-render keeps them. */
export interface PortfolioFilter {
  q: string;
  state: "all" | "current" | "suspended" | "revoked" | "expired" | "other";
  kind: "all" | (typeof KIND_GROUPS)[number]["kind"];
  sort: "newest" | "oldest" | "issuer" | "name";
}
export const DEFAULT_FILTER: PortfolioFilter = { q: "", state: "all", kind: "all", sort: "newest" };

export function statusBadge(rec: StoredCredential): HTMLElement {
  const s = statusLabel(rec.status.state);
  return h(
    "span",
    { class: `badge status-${rec.status.state}`, "data-status": rec.status.state },
    h("span", { "aria-hidden": "true" }, `${s.symbol} `),
    t("status.prefix", { word: s.word }),
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
    h("h2", { id: "split-title" }, t("split.title")),
    ...bad.map((l) =>
      h(
        "p",
        {},
        t("split.line", { message: l.warning!.message, origin: l.origin, at: dateTime(l.warning!.at) }),
      ),
    ),
    h("p", {}, t("split.advice")),
  );
}

/** https images fetched once per page load (blob: URLs), keyed by URL. */
const fetched = new Map<string, Promise<string | undefined>>();

/** The achievement image with alt text; https images load after the card is shown. */
export function imageOf(v: CredentialView, cls: string): HTMLElement | null {
  const img = credentialImage(v.credential);
  if (!img) return null;
  const el = h("img", {
    class: cls,
    alt: img.caption ?? t("image.alt", { title: v.title }),
    width: 56,
    height: 56,
    decoding: "async",
  });
  if (img.kind === "data") {
    el.src = img.src;
    return el;
  }
  el.hidden = true;
  if (!fetched.has(img.src)) fetched.set(img.src, fetchImage(img));
  void fetched.get(img.src)!.then((url) => {
    if (!url) return;
    el.src = url;
    el.hidden = false;
  });
  return el;
}

/** "Suspended since 30 Nov 2026 — reason …": the change this wallet noticed, until seen. */
function changeNote(rec: StoredCredential, title: string, a: PortfolioActions): HTMLElement | null {
  const c = rec.change;
  if (!c) return null;
  const to = statusLabel(c.to).word;
  return h(
    "div",
    { class: `change-note status-${c.to}`, "data-change": c.to },
    h(
      "p",
      {},
      h("strong", {}, t("change.title")),
      " ",
      c.since ? t("change.since", { state: to, date: day(c.since) }) : t("change.now", { state: to }),
      " ",
      t("change.from", { state: statusLabel(c.from).word }),
    ),
    c.reason ? h("p", {}, reasonLine(c.reason)) : null,
    h(
      "button",
      {
        type: "button",
        "aria-label": t("change.seen_label", { title }),
        onclick: () => void a.seen(rec.id),
      },
      t("change.seen"),
    ),
  );
}

function reasonLine(reason: string): string {
  const r = reasonWords(reason);
  return `${t("reason.label")} ${r.words}. ${r.todo}`;
}

function card(rec: StoredCredential, a: PortfolioActions, now: Date): HTMLElement {
  const v = view(rec);
  if (!v) return h("article", { class: "cred" }, h("h3", {}, t("card.unreadable")), h("p", {}, rec.id));
  const exp = expiry(v.validUntil, now);
  const s = statusLabel(rec.status.state);
  const titleId = `t-${rec.id.replace(/[^a-zA-Z0-9]/g, "")}`;
  const kindWord = KIND_GROUPS.find((g) => g.kind === v.kind);
  return h(
    "article",
    { class: `cred cred-${rec.status.state}`, "aria-labelledby": titleId, "data-credential-id": rec.id },
    h("header", {}, imageOf(v, "thumb"), h("h3", { id: titleId }, v.title), statusBadge(rec)),
    changeNote(rec, v.title, a),
    h(
      "p",
      { class: "meta" },
      [
        v.issuerName,
        kindWord ? t(`kind.${kindWord.kind}` as WalletKey) : null,
        t("card.issued", { date: day(v.validFrom) }),
      ]
        .filter(Boolean)
        .join(" · "),
    ),
    h("p", { class: exp.expired ? "expired" : "meta" }, exp.expired ? "⚠ " : "", exp.text),
    rec.status.state !== "active"
      ? h(
          "p",
          { class: "status-line" },
          s.explain,
          // The change note already gives the reason; after "Got it" it stays here.
          rec.status.reason && !rec.change ? ` ${reasonLine(rec.status.reason)}` : "",
        )
      : null,
    h("p", { class: "status-line" }, t("card.checked", { at: dateTime(rec.status.checkedAt) })),
    h(
      "details",
      { class: "notice" },
      h("summary", {}, t("notice.summary")),
      v.notice ? h("p", { lang: "en" }, v.notice) : h("p", {}, t("notice.missing")),
      v.notice ? noticeTranslation(v.notice) : null,
    ),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          onclick: () => a.open(rec.id),
          "aria-label": t("card.details_label", { title: v.title }),
        },
        t("card.details"),
      ),
      h(
        "button",
        {
          type: "button",
          class: "danger",
          "aria-label": t("card.delete_label", { title: v.title }),
          onclick: () => {
            if (window.confirm(t("card.delete_confirm", { title: v.title }))) void a.remove(rec.id);
          },
        },
        t("card.delete"),
      ),
    ),
  );
}

/**
 * The signed notice is shown verbatim in the language it was signed in (English); in another
 * language an unsigned translation follows, labelled as such, only for a published text it
 * translates word for word (DOMAIN.md "The no-conversion rule": every record says what it is not).
 */
export function noticeTranslation(notice: string): HTMLElement | null {
  if (language() === "en" || notice !== NO_CONVERSION_NOTICES["1"]?.text) return null;
  return h(
    "p",
    { class: "translation" },
    h("em", {}, t("notice.translation_label")),
    " ",
    t("notice.v1_translation"),
  );
}

interface Row {
  rec: StoredCredential;
  v: CredentialView | undefined;
}

function matches(r: Row, f: PortfolioFilter, now: Date): boolean {
  const st = r.rec.status.state;
  const expired = !!r.v?.validUntil && Date.parse(r.v.validUntil) <= now.getTime();
  if (f.kind !== "all" && r.v?.kind !== f.kind) return false;
  if (f.state === "current" && (st !== "active" || expired)) return false;
  if (f.state === "suspended" && st !== "suspended") return false;
  if (f.state === "revoked" && st !== "revoked") return false;
  if (f.state === "expired" && !expired) return false;
  if (f.state === "other" && !["superseded", "archived", "unknown"].includes(st)) return false;
  const q = f.q.trim().toLocaleLowerCase();
  if (!q) return true;
  const text = r.v
    ? [r.v.title, r.v.issuerName, r.v.description, ...r.v.covers, ...r.v.extra.map((x) => x.value)]
    : [r.rec.id];
  return text.join(" ").toLocaleLowerCase().includes(q);
}

function sorter(f: PortfolioFilter): (a: Row, b: Row) => number {
  const when = (r: Row) => Date.parse(r.v?.validFrom ?? r.rec.addedAt) || 0;
  const coll = new Intl.Collator(document.documentElement.lang || "en");
  switch (f.sort) {
    case "oldest":
      return (a, b) => when(a) - when(b);
    case "issuer":
      return (a, b) => coll.compare(a.v?.issuerName ?? "", b.v?.issuerName ?? "") || when(b) - when(a);
    case "name":
      return (a, b) => coll.compare(a.v?.title ?? "", b.v?.title ?? "");
    default:
      return (a, b) => when(b) - when(a);
  }
}

function select<T extends string>(
  id: string,
  label: string,
  value: T,
  options: [T, string][],
  onChange: (v: T) => void,
): HTMLElement {
  const sel = h(
    "select",
    { id, onchange: (ev: Event) => onChange((ev.target as HTMLSelectElement).value as T) },
    ...options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
  );
  return h("div", { class: "field inline" }, h("label", { for: id }, label), sel);
}

/** All credentials: search, filter and sort, then compact cards grouped by kind. */
export function portfolioView(
  creds: StoredCredential[],
  logs: LogView[],
  a: PortfolioActions,
  filter: PortfolioFilter = { ...DEFAULT_FILTER },
  now = new Date(),
): HTMLElement {
  const rows: Row[] = creds.map((rec) => ({ rec, v: view(rec) }));
  const lastCheck = creds
    .map((c) => c.status.checkedAt)
    .sort()
    .pop();
  const list = h("div", { id: "cred-list" });
  const count = h("p", { class: "muted", id: "cred-count", "aria-live": "polite" });
  const draw = () => {
    const shown = rows.filter((r) => matches(r, filter, now)).sort(sorter(filter));
    count.textContent = t("list.count", { shown: shown.length, total: rows.length });
    const groups = [...KIND_GROUPS.map((g) => g.kind), "Other"].map((kind) => ({
      kind,
      items: shown.filter((r) => (r.v?.kind ?? "Other") === kind),
    }));
    list.replaceChildren(
      ...groups
        .filter((g) => g.items.length > 0)
        .map((g) =>
          h(
            "section",
            { "aria-labelledby": `g-${g.kind}` },
            h("h2", { id: `g-${g.kind}` }, `${t(`group.${g.kind}` as WalletKey)} (${g.items.length})`),
            ...g.items.map((r) => card(r.rec, a, now)),
          ),
        ),
      shown.length === 0 && rows.length > 0 ? h("p", {}, t("list.none_match")) : "",
    );
  };
  const search = h("input", {
    type: "search",
    id: "cred-search",
    value: filter.q,
    autocomplete: "off",
    oninput: (ev: Event) => {
      filter.q = (ev.target as HTMLInputElement).value;
      draw();
    },
  });
  const tools =
    rows.length > 1
      ? h(
          "div",
          { class: "filters", role: "search", "aria-label": t("list.tools_label") },
          h(
            "div",
            { class: "field inline grow" },
            h("label", { for: "cred-search" }, t("list.search")),
            search,
          ),
          select(
            "cred-state",
            t("list.state"),
            filter.state,
            [
              ["all", t("list.state_all")],
              ["current", t("list.state_current")],
              ["suspended", t("list.state_suspended")],
              ["revoked", t("list.state_revoked")],
              ["expired", t("list.state_expired")],
              ["other", t("list.state_other")],
            ],
            (v) => {
              filter.state = v;
              draw();
            },
          ),
          select(
            "cred-kind",
            t("list.kind"),
            filter.kind,
            [
              ["all", t("list.kind_all")],
              ...KIND_GROUPS.map((g): [PortfolioFilter["kind"], string] => [
                g.kind,
                t(`group.${g.kind}` as WalletKey),
              ]),
            ],
            (v) => {
              filter.kind = v;
              draw();
            },
          ),
          select(
            "cred-sort",
            t("list.sort"),
            filter.sort,
            [
              ["newest", t("list.sort_newest")],
              ["oldest", t("list.sort_oldest")],
              ["issuer", t("list.sort_issuer")],
              ["name", t("list.sort_name")],
            ],
            (v) => {
              filter.sort = v;
              draw();
            },
          ),
          count,
        )
      : null;
  draw();
  return h(
    "div",
    { class: "stack" },
    splitViewBanner(logs),
    h(
      "div",
      { class: "toolbar" },
      h("button", { type: "button", onclick: () => void a.refresh() }, t("list.refresh")),
      h("span", { class: "muted" }, lastCheck ? t("list.last_check", { at: dateTime(lastCheck) }) : ""),
    ),
    creds.length === 0
      ? h(
          "section",
          { class: "card" },
          h("h2", {}, t("empty.title")),
          h("p", {}, t("empty.text")),
          h("button", { type: "button", class: "primary", onclick: a.receive }, t("empty.receive")),
        )
      : null,
    tools,
    list,
  );
}
