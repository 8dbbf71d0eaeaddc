/* global Node */
// Renders a VerificationReport (docs/API.md "Verification") in plain language, for /verify and
// for share pages (/s/{id}). No framework, no build step; every string from a report is inserted
// with textContent, never as HTML.
//
// Honesty rules (issue 12): the banner leads with the one thing that matters first; the claims of
// a credential whose signature fails are never shown as its claims; the status pill never
// contradicts the verdict.

import { hasText, language, locale, t } from "./i18n.js";
import { MESSAGES } from "./messages.js";
import { sayCheck } from "./report-said.js";

/** The plain name of a check, in the page's language. */
const checkTitle = (name) => t(`check.${name}`);
const CHECK_ORDER = [
  "signature",
  "holder",
  "disclosure",
  "issuer",
  "validity",
  "status",
  "anchoring",
  "schema",
  "scope",
  "noConversion",
  "coAuthorship",
  "endorsements",
];

const SYMBOLS = { valid: "✓", "valid-with-warnings": "!", invalid: "✗" };
/** Symbol and title of a verdict; anything unknown reads as "not valid". */
function verdictOf(verdict) {
  const v = Object.hasOwn(SYMBOLS, verdict) ? verdict : "invalid";
  return { symbol: SYMBOLS[v], title: t(`verdict.${v}`) };
}
const STATES = ["active", "suspended", "revoked", "superseded", "archived", "unknown"];

/** Word, symbol and style class for one check. */
function outcome(check) {
  if (check.ok === false) return { word: t("outcome.fail"), symbol: "✗", cls: "fail" };
  if (check.ok === "unknown") return { word: t("outcome.unknown"), symbol: "?", cls: "unknown" };
  if (check.warning) return { word: t("outcome.warn"), symbol: "!", cls: "warn" };
  return { word: t("outcome.ok"), symbol: "✓", cls: "ok" };
}

/** Parameters of a report sentence as shown: `what` (credential, presentation, …) in the page's language. */
function sentenceParams(params) {
  const out = { ...(params && typeof params === "object" ? params : {}) };
  if (typeof out.what === "string" && hasText(`report.what.${out.what}`))
    out.what = t(`report.what.${out.what}`);
  // Dates as the page writes them elsewhere (the API's sentences keep ISO 8601).
  for (const [k, v] of Object.entries(out))
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(v))
      out[k] = formatDate(v);
  return out;
}

/**
 * A check's message in the page's language: its coded sentences (`sentences`, verifier
 * report-messages.ts) and the details they quote (`details`, verifier report-details.ts) through
 * the catalogue when every sentence is there (report-said.js), else the verifier's English
 * `message`. `english` says which, so English is marked `lang="en"` on a French page.
 */
function said(check) {
  const text = language() === "en" ? undefined : sayCheck(check, MESSAGES[language()], sentenceParams);
  if (text !== undefined) return { text, english: false };
  return { text: String(check?.message ?? ""), english: language() !== "en" };
}

/**
 * A sentence of the verifier's report in the page's language; one the catalogue cannot say
 * (a message made without codes) stays English and is marked `lang="en"` for screen readers and
 * browsers' translators.
 */
function verifierText(tag, cls, check) {
  const s = said(check);
  const e = el(tag, cls, s.text);
  if (s.english) e.lang = "en";
  return e;
}

/** Creates an element with optional class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function badge(cls, symbol, word) {
  const b = el("span", `badge ${cls}`);
  const s = el("span", null, `${symbol} `);
  s.setAttribute("aria-hidden", "true");
  b.append(s, document.createTextNode(word));
  return b;
}

function fact(dl, term, value) {
  if (value === undefined || value === null || value === "") return;
  dl.append(el("dt", null, term));
  const dd = el("dd");
  if (value instanceof Node) dd.append(value);
  else dd.textContent = String(value);
  dl.append(dd);
}

function list(items, render = (x) => String(x)) {
  const ul = el("ul", "plain");
  for (const item of items) ul.append(el("li", null, render(item)));
  return ul;
}

export function formatDate(iso) {
  if (typeof iso !== "string") return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return t("date.utc", {
    date: d.toLocaleString(locale(), { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }),
  });
}

/** True when the credential's own signature holds, so what it says is what its issuer signed. */
function signed(report) {
  return report.checks?.signature?.ok === true;
}

function titleOf(report) {
  if (!signed(report)) return undefined;
  return report.checks.scope?.title || report.credential?.name;
}

/** The no-conversion notice, shown prominently right under the verdict. */
function renderNotice(check) {
  const box = el("section", "notice");
  const h = el("h2", null, t("notice.h2"));
  box.append(h);
  if (!check || check.code?.endsWith("not_checked")) {
    box.classList.add("absent");
    box.append(el("p", null, t("notice.unreadable")));
    return box;
  }
  if (typeof check.notice === "string" && check.notice) {
    // The signed text, as signed (English); a translation only of the exact published wording.
    const quote = el("blockquote", null, check.notice);
    quote.lang = "en";
    box.append(quote);
    if (check.ok === true) {
      box.append(el("p", "note", t("notice.verbatim")));
      if (language() !== "en" && check.notice === t("notice.v1_source")) {
        const tr = el("p", "translation");
        tr.append(el("em", null, t("notice.translation_label")), ` ${t("notice.v1_translation")}`);
        box.append(tr);
      }
    } else {
      box.classList.add("missing");
      const s = said(check);
      const warning = el("p", "note", t("notice.warning", { message: s.text }));
      if (s.english) warning.lang = "en";
      box.append(warning);
    }
    return box;
  }
  box.classList.add(check.ok === false ? "missing" : "absent");
  box.append(verifierText("p", null, check));
  return box;
}

/**
 * The status pill. "Active" (green) only when the credential as a whole is valid: an expired or
 * otherwise invalid credential that its issuer has not withdrawn reads "Not withdrawn by the
 * issuer", in neutral colours, so the pill never says the opposite of the banner.
 */
function statusPill(report) {
  const state = report.checks.status?.state || "unknown";
  if (state === "active" && report.verdict === "invalid")
    return badge("state-neutral unknown", "–", t("state.not_withdrawn"));
  const cls =
    {
      active: "ok",
      suspended: "fail",
      revoked: "fail",
      superseded: "warn",
      archived: "warn",
      unknown: "unknown",
    }[state] || "unknown";
  const sym = { ok: "✓", fail: "✗", warn: "!", unknown: "?" }[cls];
  return badge(`state-${state} ${cls}`, sym, STATES.includes(state) ? t(`state.${state}`) : state);
}

// Open Badges 3.0 Image (§B.1.16) as meritlog issues it: a raster data: URI of at most 64 KB is
// shown through <img> (img-src 'self' data:; never SVG, which can carry script); an https image is
// named with its digest but not fetched, so the page's CSP keeps connect-src and img-src to itself.
const IMAGE_DATA_URI = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/** The achievement's image of a signed credential, as an element, or undefined. */
function badgeImage(report) {
  const subject = report.credential?.credentialSubject;
  const image = (Array.isArray(subject) ? subject[0] : subject)?.achievement?.image;
  const src = typeof image === "string" ? image : image?.id;
  if (typeof src !== "string") return undefined;
  const caption = typeof image?.caption === "string" ? image.caption.slice(0, 200) : "";
  if (src.startsWith("data:")) {
    if (src.length > 64 * 1024 || !IMAGE_DATA_URI.test(src)) return undefined;
    const img = el("img", "badge-image");
    img.src = src;
    img.alt = caption || t("image.alt", { title: titleOf(report) || "" });
    return img;
  }
  if (!src.startsWith("https://")) return undefined;
  const related = Array.isArray(report.credential?.relatedResource) ? report.credential.relatedResource : [];
  const digest = related.find((r) => r?.id === src)?.digestSRI;
  return el(
    "p",
    "hint badge-image-remote",
    t("image.remote", { url: src.slice(0, 300), digest: String(digest ?? "—") }),
  );
}

function renderSummary(report, container) {
  const c = report.checks;
  const image = badgeImage(report);
  if (image) container.append(image);
  const dl = el("dl", "facts");
  fact(dl, t("fact.credential"), titleOf(report));
  const issuer = c.issuer || {};
  fact(dl, t("fact.issuer"), issuer.name ? `${issuer.name} (${issuer.did})` : issuer.did);
  if (issuer.did) fact(dl, t("fact.registered"), issuer.registered ? t("fact.yes") : t("fact.no"));
  const subject = report.credential?.credentialSubject;
  fact(dl, t("fact.subject"), Array.isArray(subject) ? subject[0]?.id : subject?.id);
  const v = c.validity || {};
  fact(dl, t("fact.valid_from"), formatDate(v.validFrom));
  fact(
    dl,
    t("fact.valid_until"),
    v.validUntil ? formatDate(v.validUntil) : v.ok === true ? t("fact.no_end") : undefined,
  );
  if (c.status) fact(dl, t("fact.status"), statusPill(report));
  if (c.status?.checkedAt) fact(dl, t("fact.checked"), formatDate(c.status.checkedAt));
  container.append(dl);
}

function renderScope(check, container, withheld = []) {
  if (!check || check.code?.endsWith("not_checked")) return;
  container.append(el("h3", null, t("scope.h3")));
  if (check.description) container.append(el("p", null, check.description));
  if (Array.isArray(check.covers) && check.covers.length)
    container.append(el("p", null, t("scope.covers")), list(check.covers));
  else container.append(el("p", null, t("scope.no_covers")));
  if (Array.isArray(check.excludes) && check.excludes.length)
    container.append(el("p", null, t("scope.excludes")), list(check.excludes));
  const dl = el("dl", "facts");
  fact(dl, t("scope.review"), check.reviewLevel);
  fact(dl, t("scope.assessment"), check.assessmentBasis);
  fact(dl, t("scope.criteria"), check.criteria);
  fact(dl, t("scope.renewal"), check.renewalRequirement);
  fact(dl, t("scope.verification"), check.verification);
  fact(
    dl,
    t("scope.licence"),
    check.license
      ? `${check.license}${check.licenseTerms?.text ? ` — ${check.licenseTerms.text}` : ""}`
      : undefined,
  );
  if (dl.childNodes.length) container.append(dl);
  if (Array.isArray(check.limitations) && check.limitations.length)
    container.append(el("p", null, t("scope.limitations")), list(check.limitations));
  if (Array.isArray(check.authors) && check.authors.length)
    container.append(
      el("p", null, t("scope.authors")),
      list(check.authors, (a) => `${a.id} — ${a.role}`),
    );
  // Evidence an SD-JWT's holder withheld is named by the disclosure check, not listed as evidence.
  if (Array.isArray(check.evidence) && check.evidence.length && !withheld.includes("evidence")) {
    container.append(
      el("p", null, t("scope.evidence")),
      list(check.evidence, (e) =>
        [e.name, e.id, e.digestSRI || e.digest ? t("scope.digest", { digest: e.digestSRI || e.digest }) : ""]
          .filter(Boolean)
          .join(" — "),
      ),
    );
  }
}

function renderChecks(report, container, headingLevel = "h3", title = t("checks.h")) {
  container.append(el(headingLevel, null, title));
  // Said only when some check of this report has no coded sentence the page can translate.
  const untranslated = CHECK_ORDER.some((n) => report.checks[n] && said(report.checks[n]).english);
  if (untranslated && t("checks.english_note")) container.append(el("p", "hint", t("checks.english_note")));
  const ul = el("ul", "checks");
  for (const name of CHECK_ORDER) {
    const check = report.checks[name];
    if (!check) continue;
    const o = outcome(check);
    const li = el("li", `check-${o.cls}`);
    const head = el("div", "check-head");
    head.append(el("span", "check-name", checkTitle(name)), badge(o.cls, o.symbol, o.word));
    li.append(head, verifierText("p", null, check));
    if (name === "status" && check.state) {
      const extra = [];
      if (check.checkedAt) extra.push(t("checks.checked", { date: formatDate(check.checkedAt) }));
      for (const l of check.lists || [])
        if (l.fetchedAt)
          extra.push(
            l.validUntil
              ? t("checks.list_until", {
                  purpose: l.purpose,
                  date: formatDate(l.fetchedAt),
                  until: formatDate(l.validUntil),
                })
              : t("checks.list", { purpose: l.purpose, date: formatDate(l.fetchedAt) }),
          );
      if (extra.length) li.append(el("p", "code", extra.join("; ")));
      if (Array.isArray(check.history) && check.history.length) {
        li.append(
          el("p", null, t("checks.history")),
          list(check.history, (h) => `${formatDate(h.at)}: ${h.kind}${h.reason ? ` (${h.reason})` : ""}`),
        );
      }
    }
    if (name === "validity" && check.checkedAt)
      li.append(
        el("p", "code", t("checks.clock", { date: formatDate(check.checkedAt), skew: check.skewSeconds })),
      );
    if (name === "anchoring" && typeof check.leafIndex === "number" && typeof check.treeSize === "number") {
      li.append(
        el(
          "p",
          "code",
          t(check.origin ? "checks.entry_origin" : "checks.entry", {
            index: check.leafIndex,
            size: check.treeSize,
            origin: check.origin,
          }),
        ),
      );
    }
    // SD-JWT presentations: the fields the holder chose not to show, in plain words.
    if (name === "disclosure" && Array.isArray(check.withheld) && check.withheld.length)
      li.append(
        el(
          "p",
          "withheld",
          t("checks.withheld", {
            fields: [...new Set(check.withheld.map((p) => t(`field.${p}`)))].join(", "),
          }),
        ),
      );
    li.append(el("p", "code", t("checks.code", { code: check.code })));
    ul.append(li);
  }
  container.append(ul);
}

function renderCredential(report, container) {
  if (!signed(report)) {
    // A forged or damaged credential can say anything: its title, holder and scope are not shown.
    const box = el("div", "unsigned");
    box.append(el("h3", null, t("unsigned.h3")), el("p", null, t("unsigned.text")));
    container.append(box);
    renderChecks(report, container);
    return;
  }
  renderSummary(report, container);
  container.append(renderNotice(report.checks.noConversion));
  renderScope(report.checks.scope, container, report.checks.disclosure?.withheld || []);
  renderChecks(report, container);
}

/** The first failing (then doubtful) check of a report, as one sentence. */
function firstReason(report) {
  const failed = CHECK_ORDER.find((n) => report.checks[n]?.ok === false);
  const name =
    failed ??
    CHECK_ORDER.find(
      (n) =>
        report.checks[n] &&
        outcome(report.checks[n]).cls !== "ok" &&
        !report.checks[n].code?.endsWith("not_checked"),
    );
  return name
    ? t("reason.lead", { check: checkTitle(name), message: said(report.checks[name]).text })
    : undefined;
}

/**
 * The one thing that matters first, as the banner's lead sentence.
 * - presentation: the presentation's own failure, else which credential failed and why;
 * - credential shared as a link by its subject: that, with what it does not prove;
 * - bare credential: that it does not prove who holds it.
 */
function leadSentence(report, what) {
  if (report.verdict === "invalid" || report.verdict === "valid-with-warnings") {
    if (report.checks.signature?.code?.startsWith("jwt.")) return t(`lead.incomplete_${what}`);
    if (what === "presentation") {
      const own = ["signature", "holder", "validity"].find((n) => report.checks[n]?.ok === false);
      if (own) return t("reason.lead", { check: checkTitle(own), message: said(report.checks[own]).text });
      const subs = report.credentials || [];
      const i = subs.findIndex((s) => s.verdict === "invalid");
      const j = i >= 0 ? i : subs.findIndex((s) => s.verdict !== "valid");
      if (j >= 0) {
        const s = subs[j];
        const name = titleOf(s);
        const key = `lead.sub_${s.verdict === "invalid" ? "invalid" : "warn"}${name ? "_named" : ""}`;
        return `${t(key, { i: j + 1, n: subs.length, name })} ${firstReason(s) ?? ""}`.trim();
      }
    }
    return firstReason(report) ?? t(`lead.dont_rely_${what}`);
  }
  if (what === "presentation") return t("lead.presentation_ok");
  if (report.checks.holder?.code === "holder.shared_by_subject") return t("lead.shared_by_subject");
  // An SD-JWT presentation: one credential, bound to this check by its holder's key.
  if (report.checks.holder?.code === "holder.key_binding_valid") return t("lead.key_bound");
  return t("lead.bare");
}

/** Renders `report` into `live`, announces it in one sentence, and moves focus to `focusTarget`. */
export function renderReport(report, live, announce, focusTarget) {
  live.replaceChildren();
  const what = report.kind === "presentation" ? "presentation" : "credential";
  const v = verdictOf(report.verdict);
  const banner = el("div", `verdict ${report.verdict}`);
  const sym = el("span", "symbol", v.symbol);
  sym.setAttribute("aria-hidden", "true");
  const body = el("div");
  const heading = t(`heading.${what}`, { verdict: v.title });
  const lead = leadSentence(report, what);
  body.append(el("h2", null, heading), el("p", "lead-reason", lead));
  // Everything else that failed or could not be confirmed, after the lead.
  const reasons = CHECK_ORDER.filter(
    (n) =>
      report.checks[n] &&
      outcome(report.checks[n]).cls !== "ok" &&
      !report.checks[n].code?.endsWith("not_checked"),
  )
    .filter((n) => !lead.endsWith(said(report.checks[n]).text))
    .map((n) =>
      t("reason.line", {
        check: checkTitle(n),
        outcome: outcome(report.checks[n]).word.toLowerCase(),
        message: said(report.checks[n]).text,
      }),
    );
  (report.credentials || []).forEach((sub, i) => {
    if (sub.verdict !== "valid")
      reasons.push(t("reason.sub", { i: i + 1, verdict: verdictOf(sub.verdict).title.toLowerCase() }));
  });
  if (reasons.length && report.verdict !== "valid") body.append(list(reasons));
  announce.textContent = `${heading}. ${lead}`;
  banner.append(sym, body);
  live.append(banner);

  if (report.kind === "presentation") {
    // What was presented comes first; how it was presented (holder, nonce, signature) after.
    (report.credentials || []).forEach((sub, i) => {
      const section = el("section", "sub-report");
      const sv = verdictOf(sub.verdict);
      const h = el("h2");
      const name = titleOf(sub);
      h.append(
        document.createTextNode(
          `${t(name ? "sub.h2_named" : "sub.h2", { i: i + 1, n: report.credentials.length, name })} `,
        ),
        badge(
          { valid: "ok", "valid-with-warnings": "warn", invalid: "fail" }[sub.verdict] || "fail",
          sv.symbol,
          sv.title,
        ),
      );
      section.append(h);
      renderCredential(sub, section);
      live.append(section);
    });
    renderChecks(report, live, "h2", t("presented.h2"));
  } else {
    renderCredential(report, live);
  }
  const raw = el("details", "raw no-print");
  const shown = signed(report) ? report : { ...report, credential: t("raw.hidden") };
  raw.append(el("summary", null, t("raw.summary")), el("pre", null, JSON.stringify(shown, null, 2)));
  live.append(raw);
  if (focusTarget) focusTarget.focus();
}

/** An error box in place of a report (the request could not be made, or was refused). */
export function renderError(live, announce, message, title = t("error.title")) {
  live.replaceChildren();
  announce.textContent = `${title}. ${message}`;
  const box = el("div", "error-box");
  box.setAttribute("role", "alert");
  box.append(el("h2", null, title), el("p", null, message));
  live.append(box);
}
