import { api, ApiError, getToken, setToken } from "./api.js";
import { cohortRows, COHORT_COLUMNS, type CohortRow } from "./cohort.js";
import { field, formatDate, h, select } from "./dom.js";
import { qrFigure } from "./qr.js";
import { TEMPLATES } from "./templates.js";

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

const VIEWS = [
  ["offers", "Offers"],
  ["new", "New offer"],
  ["cohort", "Cohort from CSV"],
  ["credentials", "Credentials"],
  ["key", "Signing key"],
] as const;

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
  document.title = `${title} · meritlog issuer console`;
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
    qrFigure(o.walletLink, `QR code: wallet link for ${label}`),
    h("p", { class: "link" }, h("a", { href: o.walletLink }, "Wallet link")),
    h("p", { class: "mono small" }, o.walletLink),
    h(
      "p",
      { class: "scan" },
      "Scan with your phone's camera to receive your credential in the meritlog wallet.",
    ),
    o.txCode ? h("p", { class: "txcode" }, "Code to give separately: ", h("strong", {}, o.txCode)) : null,
    h("p", { class: "small" }, `Link valid until ${formatDate(o.expiresAt)}`),
  );
}

// ---- sign in ----
function signInView(): void {
  const input = h("input", { type: "password", autocomplete: "off", spellcheck: "false", required: true });
  const form = h(
    "form",
    { class: "card" },
    field(
      "token",
      "Issuer token",
      input,
      "The mlt_… token you received when your issuer was created. It is kept only in this browser tab and forgotten when the tab closes.",
    ),
    h("button", { class: "primary", type: "submit" }, "Sign in"),
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
        say(`Sign-in failed: ${problemText(e)}`, "error");
      });
  });
  root().replaceChildren(
    h("header", { class: "top" }, h("h1", {}, "meritlog issuer console")),
    h("div", { id: "messages", role: "status", "aria-live": "polite" }),
    h("main", { id: "main" }, h("h2", {}, "Sign in"), form),
  );
}

function frame(): void {
  root().replaceChildren(
    h("a", { class: "skip", href: "#main" }, "Skip to content"),
    h(
      "header",
      { class: "top" },
      h("h1", {}, "meritlog issuer console"),
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
          "Sign out",
        ),
      ),
    ),
    h(
      "nav",
      { "aria-label": "Console" },
      h("ul", {}, ...VIEWS.map(([id, label]) => h("li", {}, h("a", { href: `#${id}` }, label)))),
    ),
    h("div", { id: "messages", role: "status", "aria-live": "polite" }),
    h("main", { id: "main", tabindex: -1 }),
  );
}

// ---- offers ----
async function offersView(): Promise<void> {
  const state = select(
    [
      ["", "Any state"],
      ["pending", "Pending"],
      ["redeemed", "Redeemed"],
      ["expired", "Expired"],
      ["cancelled", "Cancelled"],
    ],
    sessionStorage.getItem("offers.state") ?? "",
  );
  const search = h("input", { type: "search", placeholder: "Reference contains…" });
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
        ? h("p", {}, "No offers match.")
        : h(
            "table",
            {},
            h("caption", {}, `${items.length} offer${items.length === 1 ? "" : "s"}`),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ...["Reference", "Type", "State", "Made", "Link valid until", "Credential", "Actions"].map(
                  (t) => h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h(
              "tbody",
              {},
              ...items.map((o) =>
                h(
                  "tr",
                  { "data-offer": o.id },
                  h("td", { "data-label": "Reference" }, o.reference ?? "—"),
                  h("td", { "data-label": "Type" }, o.type),
                  h("td", { "data-label": "State" }, h("span", { class: `badge state-${o.state}` }, o.state)),
                  h("td", { "data-label": "Made" }, formatDate(o.createdAt)),
                  h("td", { "data-label": "Link valid until" }, formatDate(o.expiresAt)),
                  h(
                    "td",
                    { "data-label": "Credential" },
                    o.credentialId ? h("a", { href: `#credential/${o.credentialId}` }, "Open record") : "—",
                  ),
                  h(
                    "td",
                    { class: "actions-cell", "data-label": "Actions" },
                    o.state === "pending"
                      ? h(
                          "div",
                          { class: "actions" },
                          h(
                            "button",
                            {
                              type: "button",
                              "aria-label": `Send a new link for ${o.reference ?? o.id}`,
                              onclick: () => void reissue(o),
                            },
                            "New link",
                          ),
                          h(
                            "button",
                            {
                              type: "button",
                              class: "danger",
                              "aria-label": `Cancel the offer for ${o.reference ?? o.id}`,
                              onclick: () => void cancel(o),
                            },
                            "Cancel",
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
      say(`New link made for ${o.reference ?? o.id}; the old link no longer works.`);
      table.before(offerCard(n, o.reference ?? o.id));
      await load();
    } catch (e) {
      say(problemText(e), "error");
    }
  };
  const cancel = async (o: OfferItem) => {
    if (!window.confirm(`Cancel the offer for ${o.reference ?? o.id}? Its link stops working.`)) return;
    try {
      await api("DELETE", `/v1/offers/${o.id}`);
      say(`Offer for ${o.reference ?? o.id} cancelled.`);
      await load();
    } catch (e) {
      say(problemText(e), "error");
    }
  };
  state.addEventListener("change", () => void load());
  search.addEventListener("input", () => void load());
  show(
    "Offers",
    h(
      "div",
      { class: "filters" },
      field("offer-state", "State", state),
      field("offer-search", "Search", search),
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
    field(`${id}-type`, "Credential type", typeSelect),
    field(
      `${id}-claims`,
      "Claims (JSON)",
      text,
      "What the credential will say. No subject: the learner's wallet becomes the subject when it opens the link.",
    ),
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
    field("one-ref", "Reference (your own label, never in the credential)", reference),
    field("one-days", "Link valid for (days)", days),
    h(
      "div",
      { class: "check" },
      tx,
      h(
        "label",
        { for: "one-tx" },
        "Protect the link with a 6-digit code (send the code by another channel)",
      ),
    ),
    h("button", { class: "primary", type: "submit" }, "Make offer"),
  );
  tx.id = "one-tx";
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(editor.text.value) as Record<string, unknown>;
    } catch {
      say("The claims are not valid JSON.", "error");
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
        say("Offer made. Send the link (or show the QR code) to the learner.");
        out.replaceChildren(offerCard(o, reference.value.trim() || "Offer"));
      })
      .catch((e) => say(problemText(e), "error"));
  });
  show("New offer", form, out);
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
      `Make ${rows.length} offers`,
    );
    make.addEventListener("click", () => void createAll());
    preview.replaceChildren(
      h("h3", {}, "Preview"),
      h(
        "p",
        {},
        bad.length > 0
          ? `${bad.length} of ${rows.length} rows have problems. Fix the file and choose it again; nothing has been issued.`
          : `${rows.length} rows ready. Nothing is issued until you make the offers.`,
      ),
      h(
        "table",
        { class: "preview" },
        h(
          "thead",
          {},
          h("tr", {}, ...["Line", "Reference", "Problems"].map((t) => h("th", { scope: "col" }, t))),
        ),
        h(
          "tbody",
          {},
          ...rows.map((r) =>
            h(
              "tr",
              { class: r.errors.length ? "row-bad" : "row-ok" },
              h("td", {}, String(r.line)),
              h("td", {}, r.reference || "—"),
              h("td", {}, r.errors.length ? r.errors.join("; ") : "ready"),
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
      say("The claims template is not valid JSON.", "error");
      return;
    }
    const parsed = cohortRows(template, await f.text(), new Date());
    if (parsed.fileErrors.length > 0) {
      rows = [];
      preview.replaceChildren(h("p", { class: "msg error" }, parsed.fileErrors.join(" ")));
      say("The file cannot be used.", "error");
      return;
    }
    rows = parsed.rows;
    render();
    say(`Checked ${rows.length} rows.`);
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
      say(`${made.length} offers made${failed.length ? `, ${failed.length} refused` : ""}.`);
      const sheet = h(
        "section",
        { class: "qr-sheet", "aria-label": "QR sheet" },
        ...made.map((m) => offerCard(m, rows[m.index]!.reference)),
      );
      results.replaceChildren(
        h("h3", {}, "Offers for this cohort"),
        ...(failed.length
          ? [
              h(
                "ul",
                { class: "msg error" },
                ...failed.map((f) =>
                  h("li", {}, `Line ${rows[f.index]!.line}: ${f.error.detail} (${f.error.code})`),
                ),
              ),
            ]
          : []),
        h(
          "div",
          { class: "toolbar no-print" },
          h("button", { type: "button", class: "primary", onclick: () => window.print() }, "Print QR sheet"),
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
    "Cohort from CSV",
    h(
      "div",
      { class: "card no-print" },
      editor.node,
      field(
        "cohort-file",
        "CSV file",
        file,
        `One learner per row. Columns: ${COHORT_COLUMNS.join(", ")} (only reference is required).`,
      ),
    ),
    h("div", { class: "no-print" }, preview),
    results,
  );
}

// ---- credentials ----
async function credentialsView(): Promise<void> {
  const type = select([["", "Any type"], ...Object.keys(TEMPLATES).map((k) => [k, k] as const)]);
  const state = select([
    ["", "Any state"],
    ["active", "Active"],
    ["suspended", "Suspended"],
    ["revoked", "Revoked"],
    ["superseded", "Superseded"],
    ["archived", "Archived"],
  ]);
  const search = h("input", { type: "search", placeholder: "Name or subject contains…" });
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
        ? h("p", {}, "No credentials match.")
        : h(
            "table",
            {},
            h("caption", {}, `${items.length} credential${items.length === 1 ? "" : "s"}`),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ...["Name", "Type", "State", "Issued", "Valid until", "Subject"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h(
              "tbody",
              {},
              ...items.map((c) =>
                h(
                  "tr",
                  {},
                  h("td", { "data-label": "Name" }, h("a", { href: `#credential/${c.id}` }, c.name || c.id)),
                  h("td", { "data-label": "Type" }, c.type),
                  h("td", { "data-label": "State" }, h("span", { class: `badge state-${c.state}` }, c.state)),
                  h("td", { "data-label": "Issued" }, formatDate(c.issuedAt)),
                  h("td", { "data-label": "Valid until" }, formatDate(c.validUntil)),
                  h(
                    "td",
                    { class: "mono small", "data-label": "Subject", title: c.subject },
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
    "Download CSV",
  );
  show(
    "Credentials",
    h(
      "div",
      { class: "filters" },
      field("cred-type", "Type", type),
      field("cred-state", "State", state),
      field("cred-search", "Search", search),
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
    REASONS.map((r) => [r, r] as const),
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
      say(
        `Credential ${action === "reinstate" ? "reinstated" : `${action}${action.endsWith("e") ? "d" : "ed"}`} (reason: ${reason.value}).`,
      );
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
      say(`New credential issued (${how}); this one is now superseded.`);
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
      h("dt", {}, "State"),
      h("dd", {}, h("span", { class: `badge state-${rec.state}` }, rec.state)),
      h("dt", {}, "Type"),
      h("dd", {}, rec.type),
      h("dt", {}, "Id"),
      h("dd", { class: "mono" }, rec.id),
      h("dt", {}, "Subject"),
      h("dd", { class: "mono" }, rec.subject ?? "—"),
      h("dt", {}, "Issued"),
      h("dd", {}, formatDate(rec.createdAt)),
      h("dt", {}, "Valid until"),
      h("dd", {}, formatDate(rec.validUntil)),
      h("dt", {}, "From offer"),
      h("dd", { class: "mono" }, rec.offerId ?? "—"),
    ),
    h("h3", {}, "History (each event anchored in the log)"),
    h(
      "ol",
      { class: "history" },
      ...rec.history.map((e) =>
        h(
          "li",
          {},
          `${formatDate(e.at)}: ${e.kind} → ${e.state}${e.reason ? ` (${e.reason}${e.note ? `: ${e.note}` : ""})` : ""}, log entry ${e.receipt.leafIndex}`,
        ),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "status-h" },
      h("h3", { id: "status-h" }, "Change status"),
      field("status-reason", "Reason", reason),
      field("status-note", "Note (required for reason other; kept in your record, never in the log)", note),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: act("suspend") }, "Suspend"),
        h("button", { type: "button", onclick: act("reinstate") }, "Reinstate"),
        h("button", { type: "button", class: "danger", onclick: act("revoke") }, "Revoke"),
        h("button", { type: "button", onclick: act("archive") }, "Archive"),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "replace-h" },
      h("h3", { id: "replace-h" }, "Correct or renew"),
      h(
        "p",
        { class: "hint" },
        "Both issue a new credential to the same subject that names this one; renewal needs fresh evidence.",
      ),
      editor.node,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: replace("supersede") }, "Supersede (correction)"),
        h("button", { type: "button", onclick: replace("renew") }, "Renew"),
      ),
    ),
  );
}

// ---- key ----
function keyView(): void {
  const rotate = h("button", { type: "button", class: "danger" }, "Rotate the signing key");
  rotate.addEventListener("click", () => {
    if (
      !issuer ||
      !window.confirm(
        "Make a new signing key? Credentials already issued stay valid; new ones are signed with the new key.",
      )
    )
      return;
    void api<{ did: string }>("POST", `/v1/issuers/${issuer.id}/keys/rotate`)
      .then((r) => {
        if (issuer) issuer.did = r.did;
        say(`New key: ${r.did}`);
        keyView();
      })
      .catch((e) => say(problemText(e), "error"));
  });
  show(
    "Signing key",
    h(
      "dl",
      { class: "facts card" },
      h("dt", {}, "Issuer"),
      h("dd", {}, issuer?.name ?? ""),
      h("dt", {}, "Current DID"),
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
