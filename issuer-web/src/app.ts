import { api, ApiError, getToken, setToken } from "./api.js";
import { cohortRows, COHORT_COLUMNS, type CohortRow } from "./cohort.js";
import { field, formatDate, h, select } from "./dom.js";
import { qrFigure } from "./qr.js";
import { TEMPLATES } from "./templates.js";
import { initLanguage, language, setLanguage, t, type ConsoleKey } from "./i18n.js";

/**
 * The issuer console (docs/API.md "Offers that survive real delivery", "What an issuer has
 * issued"): sign in with the issuer token, offers one by one or as a cohort from CSV, links and QR
 * codes, a printable QR sheet, offer and credential lists with filters, a credential's record and
 * history with lifecycle actions, and key rotation. Framework-free; every view is a function that
 * renders into <main>; the hash names the view so the browser's back button works.
 */

interface Issuer {
  id: string;
  did: string;
  name: string;
}
interface OfferItem {
  id: string;
  type: string;
  reference: string | null;
  state: string;
  createdAt: string;
  expiresAt: string;
  txCode: boolean;
  redeemedAt?: string;
  credentialId?: string;
}
interface CreatedOffer {
  id: string;
  walletLink: string;
  offerUri: string;
  expiresAt: string;
  txCode?: string;
  reference?: string;
}
interface CredentialItem {
  id: string;
  type: string;
  name: string;
  subject: string;
  state: string;
  issuedAt: string;
  validUntil: string | null;
  offerId?: string;
}

const VIEWS = ["offers", "new", "cohort", "credentials", "key"] as const;

const REASONS = [
  "issued-in-error",
  "unsupported",
  "unsafe",
  "misclassified",
  "overclaimed",
  "duplicated",
  "superseded",
  "under-review",
  "expired-relevance",
  "other",
] as const;

let issuer: Issuer | null = null;

const OFFER_COLUMNS = [
  "col.reference",
  "col.type",
  "col.state",
  "col.made",
  "col.link_until",
  "col.credential",
  "col.actions",
] as const;
const CRED_COLUMNS = [
  "col.name",
  "col.type",
  "col.state",
  "col.issued",
  "col.valid_until",
  "col.subject",
] as const;

/** A state in words when the catalogue knows it, else the server's own word. */
const stateWord = (key: string, fallback: string): string => {
  const word = t(key as ConsoleKey);
  return word === key ? fallback : word;
};
const root = (): HTMLElement => document.getElementById("app")!;

function say(text: string, kind: "ok" | "error" = "ok"): void {
  const m = document.getElementById("messages");
  if (m) m.replaceChildren(h("p", { class: kind === "error" ? "msg error" : "msg" }, text));
}
function problemText(e: unknown): string {
  return e instanceof ApiError ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e);
}

/** Shows one view in <main>, moves focus to its heading (keyboard and screen-reader users land on it). */
function show(title: string, ...content: Node[]): void {
  const main = document.getElementById("main")!;
  const h2 = h("h2", { tabindex: -1 }, title);
  main.replaceChildren(h2, ...content);
  document.title = t("app.doc_title", { title });
  for (const b of document.querySelectorAll("nav a")) {
    if (b.getAttribute("href") === `#${location.hash.slice(1).split("/")[0] || "offers"}`)
      b.setAttribute("aria-current", "page");
    else b.removeAttribute("aria-current");
  }
  h2.focus();
}

function offerCard(o: CreatedOffer, label: string): HTMLElement {
  return h(
    "article",
    { class: "card offer-card" },
    h("h3", {}, label),
    qrFigure(o.walletLink, t("offer.qr", { label })),
    h("p", { class: "link" }, h("a", { href: o.walletLink }, t("offer.wallet_link"))),
    h("p", { class: "mono small" }, o.walletLink),
    h("p", { class: "scan" }, t("offer.scan")),
    o.txCode ? h("p", { class: "txcode" }, t("offer.txcode"), " ", h("strong", {}, o.txCode)) : null,
    h("p", { class: "small" }, t("offer.valid_until", { date: formatDate(o.expiresAt) })),
  );
}

// ---- sign in ----
function signInView(): void {
  const input = h("input", { type: "password", autocomplete: "off", spellcheck: "false", required: true });
  const form = h(
    "form",
    { class: "card" },
    field("token", t("signin.token"), input, t("signin.hint")),
    h("button", { class: "primary", type: "submit" }, t("signin.submit")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    setToken(input.value.trim());
    void api<Issuer>("GET", "/v1/issuers/me")
      .then((me) => {
        issuer = me;
        frame();
        route();
      })
      .catch((e) => {
        setToken(null);
        say(t("signin.failed", { problem: problemText(e) }), "error");
      });
  });
  document.title = t("app.title");
  root().replaceChildren(
    h("header", { class: "top" }, h("h1", {}, t("app.title"))),
    h("div", { id: "messages", role: "status", "aria-live": "polite" }),
    // The token field stays the first stop for the keyboard; the language switch follows the form.
    h("main", { id: "main" }, h("h2", {}, t("signin.title")), form, h("p", {}, langSwitch(signInView))),
  );
}

/** The language switch: names the other language in that language; `redraw` renders again. */
function langSwitch(redraw: () => void): HTMLElement {
  const other = language() === "fr" ? "en" : "fr";
  return h(
    "button",
    {
      type: "button",
      id: "lang-switch",
      lang: other,
      onclick: () => {
        setLanguage(other);
        redraw();
        document.getElementById("lang-switch")?.focus();
      },
    },
    t("lang.switch"),
  );
}

function frame(): void {
  root().replaceChildren(
    h("a", { class: "skip", href: "#main" }, t("app.skip")),
    h(
      "header",
      { class: "top" },
      h("h1", {}, t("app.title")),
      h(
        "div",
        { class: "who" },
        h("span", { title: issuer?.did ?? "" }, issuer?.name ?? ""),
        h(
          "button",
          {
            type: "button",
            onclick: () => {
              setToken(null);
              issuer = null;
              location.hash = "";
              signInView();
            },
          },
          t("app.sign_out"),
        ),
        langSwitch(() => {
          frame();
          route();
        }),
      ),
    ),
    h(
      "nav",
      { "aria-label": t("nav.label") },
      h(
        "ul",
        {},
        ...VIEWS.map((id) => h("li", {}, h("a", { href: `#${id}` }, t(`view.${id}` as ConsoleKey)))),
      ),
    ),
    h("div", { id: "messages", role: "status", "aria-live": "polite" }),
    h("main", { id: "main", tabindex: -1 }),
  );
}

// ---- offers ----
async function offersView(): Promise<void> {
  const state = select(
    [
      ["", t("offers.any_state")],
      ["pending", t("offer_state.pending")],
      ["redeemed", t("offer_state.redeemed")],
      ["expired", t("offer_state.expired")],
      ["cancelled", t("offer_state.cancelled")],
    ],
    sessionStorage.getItem("offers.state") ?? "",
  );
  const search = h("input", { type: "search", placeholder: t("offers.search_placeholder") });
  const table = h("div", { class: "table-wrap" });
  const load = async () => {
    sessionStorage.setItem("offers.state", state.value);
    const page = await api<{ items: OfferItem[] }>(
      "GET",
      `/v1/offers?limit=1000${state.value ? `&state=${state.value}` : ""}`,
    );
    const q = search.value.trim().toLowerCase();
    const items = page.items.filter((o) => q === "" || (o.reference ?? "").toLowerCase().includes(q));
    table.replaceChildren(
      items.length === 0
        ? h("p", {}, t("offers.none"))
        : h(
            "table",
            {},
            h(
              "caption",
              {},
              t(items.length === 1 ? "offers.count_one" : "offers.count", { n: items.length }),
            ),
            h("thead", {}, h("tr", {}, ...OFFER_COLUMNS.map((k) => h("th", { scope: "col" }, t(k))))),
            h(
              "tbody",
              {},
              ...items.map((o) =>
                h(
                  "tr",
                  { "data-offer": o.id },
                  h("td", { "data-label": t("col.reference") }, o.reference ?? "—"),
                  h("td", { "data-label": t("col.type") }, o.type),
                  h(
                    "td",
                    { "data-label": t("col.state") },
                    h(
                      "span",
                      { class: `badge state-${o.state}` },
                      stateWord(`offer_state.${o.state}`, o.state),
                    ),
                  ),
                  h("td", { "data-label": t("col.made") }, formatDate(o.createdAt)),
                  h("td", { "data-label": t("col.link_until") }, formatDate(o.expiresAt)),
                  h(
                    "td",
                    { "data-label": t("col.credential") },
                    o.credentialId
                      ? h("a", { href: `#credential/${o.credentialId}` }, t("offers.open_record"))
                      : "—",
                  ),
                  h(
                    "td",
                    { class: "actions-cell", "data-label": t("col.actions") },
                    o.state === "pending"
                      ? h(
                          "div",
                          { class: "actions" },
                          h(
                            "button",
                            {
                              type: "button",
                              "aria-label": t("offers.new_link_label", { ref: o.reference ?? o.id }),
                              onclick: () => void reissue(o),
                            },
                            t("offers.new_link"),
                          ),
                          h(
                            "button",
                            {
                              type: "button",
                              class: "danger",
                              "aria-label": t("offers.cancel_label", { ref: o.reference ?? o.id }),
                              onclick: () => void cancel(o),
                            },
                            t("offers.cancel"),
                          ),
                        )
                      : null,
                  ),
                ),
              ),
            ),
          ),
    );
  };
  const reissue = async (o: OfferItem) => {
    try {
      const n = await api<CreatedOffer>("POST", `/v1/offers/${o.id}/reissue`);
      say(t("offers.reissued", { ref: o.reference ?? o.id }));
      table.before(offerCard(n, o.reference ?? o.id));
      await load();
    } catch (e) {
      say(problemText(e), "error");
    }
  };
  const cancel = async (o: OfferItem) => {
    if (!window.confirm(t("offers.cancel_confirm", { ref: o.reference ?? o.id }))) return;
    try {
      await api("DELETE", `/v1/offers/${o.id}`);
      say(t("offers.cancelled", { ref: o.reference ?? o.id }));
      await load();
    } catch (e) {
      say(problemText(e), "error");
    }
  };
  state.addEventListener("change", () => void load());
  search.addEventListener("input", () => void load());
  show(
    t("view.offers"),
    h(
      "div",
      { class: "filters" },
      field("offer-state", t("col.state"), state),
      field("offer-search", t("filter.search"), search),
    ),
    table,
  );
  await load();
}

// ---- one offer ----
function claimsEditor(
  id: string,
  type: string,
): { typeSelect: HTMLSelectElement; text: HTMLTextAreaElement; node: HTMLElement } {
  const typeSelect = select(
    Object.keys(TEMPLATES).map((k) => [k, k] as const),
    type,
  );
  const text = h("textarea", { rows: 14, spellcheck: "false", class: "mono" });
  text.value = JSON.stringify(TEMPLATES[type], null, 2);
  typeSelect.addEventListener("change", () => {
    text.value = JSON.stringify(TEMPLATES[typeSelect.value], null, 2);
  });
  const node = h(
    "div",
    {},
    field(`${id}-type`, t("claims.type"), typeSelect),
    field(`${id}-claims`, t("claims.label"), text, t("claims.hint")),
  );
  return { typeSelect, text, node };
}

function newOfferView(): void {
  const editor = claimsEditor("one", "MicroCredential");
  const reference = h("input", { type: "text", maxlength: 200 });
  const days = h("input", { type: "number", min: 1, max: 365, value: 30 });
  const tx = h("input", { type: "checkbox" });
  const out = h("div", {});
  const form = h(
    "form",
    { class: "card" },
    editor.node,
    field("one-ref", t("new.reference"), reference),
    field("one-days", t("new.days"), days),
    h("div", { class: "check" }, tx, h("label", { for: "one-tx" }, t("new.txcode"))),
    h("button", { class: "primary", type: "submit" }, t("new.submit")),
  );
  tx.id = "one-tx";
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(editor.text.value) as Record<string, unknown>;
    } catch {
      say(t("new.bad_json"), "error");
      return;
    }
    const body = {
      ...claims,
      expiresIn: Number(days.value) * 86_400,
      ...(reference.value.trim() ? { reference: reference.value.trim() } : {}),
      ...(tx.checked ? { txCode: true } : {}),
    };
    void api<CreatedOffer>("POST", "/v1/offers", body)
      .then((o) => {
        say(t("new.made"));
        out.replaceChildren(offerCard(o, reference.value.trim() || t("new.offer")));
      })
      .catch((e) => say(problemText(e), "error"));
  });
  show(t("view.new"), form, out);
}

// ---- cohort ----
function cohortView(): void {
  const editor = claimsEditor("cohort", "MicroCredential");
  const file = h("input", { type: "file", accept: ".csv,text/csv" });
  const preview = h("div", {});
  const results = h("div", {});
  let rows: CohortRow[] = [];
  const render = () => {
    const bad = rows.filter((r) => r.errors.length > 0);
    const make = h(
      "button",
      { type: "button", class: "primary", disabled: rows.length === 0 || bad.length > 0 },
      t("cohort.make", { n: rows.length }),
    );
    make.addEventListener("click", () => void createAll());
    preview.replaceChildren(
      h("h3", {}, t("cohort.preview")),
      h(
        "p",
        {},
        bad.length > 0
          ? t("cohort.problems", { bad: bad.length, n: rows.length })
          : t("cohort.ready", { n: rows.length }),
      ),
      // As the other listings: a table on a wide screen, one labelled card per row on a phone.
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "preview" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...(
                [
                  "col.line",
                  "col.reference",
                  "col.activity_start",
                  "col.activity_end",
                  "col.problems",
                ] as const
              ).map((k) => h("th", { scope: "col" }, t(k))),
            ),
          ),
          h(
            "tbody",
            {},
            ...rows.map((r) =>
              h(
                "tr",
                { class: r.errors.length ? "row-bad" : "row-ok" },
                h("td", { "data-label": t("col.line") }, String(r.line)),
                h("td", { "data-label": t("col.reference") }, r.reference || "—"),
                h("td", { class: "mono", "data-label": t("col.activity_start") }, r.activityStartDate ?? "—"),
                h("td", { class: "mono", "data-label": t("col.activity_end") }, r.activityEndDate ?? "—"),
                h(
                  "td",
                  { "data-label": t("col.problems") },
                  r.errors.length
                    ? h("ul", { class: "row-problems" }, ...r.errors.map((e) => h("li", {}, e)))
                    : t("cohort.row_ready"),
                ),
              ),
            ),
          ),
        ),
      ),
      make,
    );
  };
  const check = async () => {
    const f = file.files?.[0];
    if (!f) return;
    let template: Record<string, unknown>;
    try {
      template = JSON.parse(editor.text.value) as Record<string, unknown>;
    } catch {
      say(t("cohort.bad_json"), "error");
      return;
    }
    const parsed = cohortRows(template, await f.text(), new Date());
    if (parsed.fileErrors.length > 0) {
      rows = [];
      preview.replaceChildren(h("p", { class: "msg error" }, parsed.fileErrors.join(" ")));
      say(t("cohort.bad_file"), "error");
      return;
    }
    rows = parsed.rows;
    render();
    say(t("cohort.checked", { n: rows.length }));
  };
  const createAll = async () => {
    try {
      const res = await api<{
        results: Array<
          (CreatedOffer & { index: number }) | { index: number; error: { code: string; detail: string } }
        >;
      }>("POST", "/v1/offers/batch", { items: rows.map((r) => r.body) });
      const made = res.results.filter((r): r is CreatedOffer & { index: number } => !("error" in r));
      const failed = res.results.filter(
        (r): r is { index: number; error: { code: string; detail: string } } => "error" in r,
      );
      say(
        failed.length
          ? t("cohort.made_refused", { n: made.length, refused: failed.length })
          : t("cohort.made", { n: made.length }),
      );
      const sheet = h(
        "section",
        { class: "qr-sheet", "aria-label": t("cohort.sheet") },
        ...made.map((m) => offerCard(m, rows[m.index]!.reference)),
      );
      results.replaceChildren(
        h("h3", {}, t("cohort.offers")),
        ...(failed.length
          ? [
              h(
                "ul",
                { class: "msg error" },
                ...failed.map((f) =>
                  h(
                    "li",
                    {},
                    t("cohort.line_error", {
                      line: rows[f.index]!.line,
                      detail: f.error.detail,
                      code: f.error.code,
                    }),
                  ),
                ),
              ),
            ]
          : []),
        h(
          "div",
          { class: "toolbar no-print" },
          h("button", { type: "button", class: "primary", onclick: () => window.print() }, t("cohort.print")),
        ),
        sheet,
      );
      preview.replaceChildren();
      rows = [];
    } catch (e) {
      say(problemText(e), "error");
    }
  };
  file.addEventListener("change", () => void check());
  show(
    t("view.cohort"),
    h(
      "div",
      { class: "card no-print" },
      editor.node,
      field(
        "cohort-file",
        t("cohort.file"),
        file,
        t("cohort.file_hint", { columns: COHORT_COLUMNS.join(", ") }),
      ),
    ),
    h("div", { class: "no-print" }, preview),
    results,
  );
}

// ---- credentials ----
async function credentialsView(): Promise<void> {
  const type = select([["", t("creds.any_type")], ...Object.keys(TEMPLATES).map((k) => [k, k] as const)]);
  const state = select([
    ["", t("offers.any_state")],
    ...(["active", "suspended", "revoked", "superseded", "archived"] as const).map(
      (s) => [s, t(`cred_state.${s}`)] as const,
    ),
  ]);
  const search = h("input", { type: "search", placeholder: t("creds.search_placeholder") });
  const table = h("div", { class: "table-wrap" });
  const load = async () => {
    const qs = new URLSearchParams({
      limit: "1000",
      ...(type.value ? { type: type.value } : {}),
      ...(state.value ? { state: state.value } : {}),
    });
    const page = await api<{ items: CredentialItem[] }>("GET", `/v1/credentials?${qs}`);
    const q = search.value.trim().toLowerCase();
    const items = page.items.filter(
      (c) => q === "" || c.name.toLowerCase().includes(q) || c.subject.toLowerCase().includes(q),
    );
    table.replaceChildren(
      items.length === 0
        ? h("p", {}, t("creds.none"))
        : h(
            "table",
            {},
            h("caption", {}, t(items.length === 1 ? "creds.count_one" : "creds.count", { n: items.length })),
            h("thead", {}, h("tr", {}, ...CRED_COLUMNS.map((k) => h("th", { scope: "col" }, t(k))))),
            h(
              "tbody",
              {},
              ...items.map((c) =>
                h(
                  "tr",
                  {},
                  h(
                    "td",
                    { "data-label": t("col.name") },
                    h("a", { href: `#credential/${c.id}` }, c.name || c.id),
                  ),
                  h("td", { "data-label": t("col.type") }, c.type),
                  h(
                    "td",
                    { "data-label": t("col.state") },
                    h(
                      "span",
                      { class: `badge state-${c.state}` },
                      stateWord(`cred_state.${c.state}`, c.state),
                    ),
                  ),
                  h("td", { "data-label": t("col.issued") }, formatDate(c.issuedAt)),
                  h("td", { "data-label": t("col.valid_until") }, formatDate(c.validUntil)),
                  h(
                    "td",
                    { class: "mono small", "data-label": t("col.subject"), title: c.subject },
                    `${c.subject.slice(0, 20)}…`,
                  ),
                ),
              ),
            ),
          ),
    );
  };
  for (const c of [type, state]) c.addEventListener("change", () => void load());
  search.addEventListener("input", () => void load());
  const csv = h(
    "button",
    {
      type: "button",
      onclick: () =>
        void api<string>("GET", "/v1/credentials?limit=1000", undefined, "text/csv").then((text) => {
          const a = h("a", {
            href: URL.createObjectURL(new Blob([text], { type: "text/csv" })),
            download: "credentials.csv",
          });
          a.click();
        }),
    },
    t("creds.csv"),
  );
  show(
    t("view.credentials"),
    h(
      "div",
      { class: "filters" },
      field("cred-type", t("col.type"), type),
      field("cred-state", t("col.state"), state),
      field("cred-search", t("filter.search"), search),
    ),
    h("div", { class: "toolbar" }, csv),
    table,
  );
  await load();
}

interface RecordView {
  id: string;
  type: string;
  state: string;
  name?: string;
  subject?: string;
  offerId?: string;
  createdAt: string;
  validUntil?: string;
  history: Array<{
    kind: string;
    state: string;
    at: string;
    reason?: string;
    note?: string;
    receipt: { leafIndex: number };
  }>;
}

async function credentialView(id: string): Promise<void> {
  const rec = await api<RecordView>("GET", `/v1/credentials/${encodeURIComponent(id)}`);
  const reason = select(
    REASONS.map((r) => [r, `${t(`reason.${r}` as ConsoleKey)} (${r})`] as const),
    "under-review",
  );
  const note = h("input", { type: "text", maxlength: 500 });
  const act = (action: string) => async () => {
    try {
      await api("POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
        action,
        reason: reason.value,
        ...(note.value.trim() ? { note: note.value.trim() } : {}),
      });
      say(t(`record.done_${action}` as ConsoleKey, { reason: reason.value }));
      await credentialView(id);
    } catch (e) {
      say(problemText(e), "error");
    }
  };
  const editor = claimsEditor("replace", rec.type);
  const replace = (how: "supersede" | "renew") => async () => {
    try {
      const body = {
        ...(JSON.parse(editor.text.value) as Record<string, unknown>),
        subject: { id: rec.subject },
      };
      const r = await api<{ id: string }>("POST", `/v1/credentials/${encodeURIComponent(id)}/${how}`, body);
      say(t(how === "renew" ? "record.renewed" : "record.superseded"));
      location.hash = `#credential/${r.id}`;
    } catch (e) {
      say(problemText(e), "error");
    }
  };
  show(
    rec.name || rec.id,
    h(
      "dl",
      { class: "facts card" },
      h("dt", {}, t("col.state")),
      h(
        "dd",
        {},
        h("span", { class: `badge state-${rec.state}` }, stateWord(`cred_state.${rec.state}`, rec.state)),
      ),
      h("dt", {}, t("col.type")),
      h("dd", {}, rec.type),
      h("dt", {}, t("record.id")),
      h("dd", { class: "mono" }, rec.id),
      h("dt", {}, t("col.subject")),
      h("dd", { class: "mono" }, rec.subject ?? "—"),
      h("dt", {}, t("col.issued")),
      h("dd", {}, formatDate(rec.createdAt)),
      h("dt", {}, t("col.valid_until")),
      h("dd", {}, formatDate(rec.validUntil)),
      h("dt", {}, t("record.offer")),
      h("dd", { class: "mono" }, rec.offerId ?? "—"),
    ),
    h("h3", {}, t("record.history")),
    h(
      "ol",
      { class: "history" },
      ...rec.history.map((e) =>
        h(
          "li",
          {},
          t("record.event", {
            at: formatDate(e.at),
            kind: e.kind,
            state: stateWord(`cred_state.${e.state}`, e.state),
            reason: e.reason ? ` (${e.reason}${e.note ? `: ${e.note}` : ""})` : "",
            entry: e.receipt.leafIndex,
          }),
        ),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "status-h" },
      h("h3", { id: "status-h" }, t("record.change")),
      field("status-reason", t("record.reason"), reason),
      field("status-note", t("record.note"), note),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: act("suspend") }, t("record.suspend")),
        h("button", { type: "button", onclick: act("reinstate") }, t("record.reinstate")),
        h("button", { type: "button", class: "danger", onclick: act("revoke") }, t("record.revoke")),
        h("button", { type: "button", onclick: act("archive") }, t("record.archive")),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "replace-h" },
      h("h3", { id: "replace-h" }, t("record.replace")),
      h("p", { class: "hint" }, t("record.replace_hint")),
      editor.node,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: replace("supersede") }, t("record.supersede")),
        h("button", { type: "button", onclick: replace("renew") }, t("record.renew")),
      ),
    ),
  );
}

// ---- key ----
function keyView(): void {
  const rotate = h("button", { type: "button", class: "danger" }, t("key.rotate"));
  rotate.addEventListener("click", () => {
    if (!issuer || !window.confirm(t("key.confirm"))) return;
    void api<{ did: string }>("POST", `/v1/issuers/${issuer.id}/keys/rotate`)
      .then((r) => {
        if (issuer) issuer.did = r.did;
        say(t("key.new", { did: r.did }));
        keyView();
      })
      .catch((e) => say(problemText(e), "error"));
  });
  show(
    t("view.key"),
    h(
      "dl",
      { class: "facts card" },
      h("dt", {}, t("key.issuer")),
      h("dd", {}, issuer?.name ?? ""),
      h("dt", {}, t("key.did")),
      h("dd", { class: "mono" }, issuer?.did ?? ""),
    ),
    rotate,
  );
}

function route(): void {
  const [view, arg] = location.hash.slice(1).split("/");
  // A message belongs to the view that made it, except the one announcing where a redirect led.
  if (!view?.startsWith("credential")) document.getElementById("messages")?.replaceChildren();
  const run = async () => {
    if (view === "new") newOfferView();
    else if (view === "cohort") cohortView();
    else if (view === "credentials") await credentialsView();
    else if (view === "credential" && arg) await credentialView(decodeURIComponent(arg));
    else if (view === "key") keyView();
    else await offersView();
  };
  run().catch((e) => say(problemText(e), "error"));
}

export async function start(): Promise<void> {
  initLanguage();
  window.addEventListener("hashchange", () => {
    if (issuer) route();
  });
  if (getToken()) {
    try {
      issuer = await api<Issuer>("GET", "/v1/issuers/me");
      frame();
      route();
      return;
    } catch {
      setToken(null);
    }
  }
  signInView();
}
