/* global Node */
// Renders a VerificationReport (docs/API.md "Verification") in plain language, for /verify and
// for share pages (/s/{id}). No framework, no build step; every string from a report is inserted
// with textContent, never as HTML.
//
// Honesty rules (issue 12): the banner leads with the one thing that matters first; the claims of
// a credential whose signature fails are never shown as its claims; the status pill never
// contradicts the verdict.

export const CHECK_TITLES = {
  signature: "Signature",
  holder: "Presented by its holder",
  issuer: "Issuer",
  schema: "Form",
  validity: "Validity period",
  status: "Status",
  anchoring: "Recorded in the public log",
  scope: "Scope",
  noConversion: "No-conversion notice",
  coAuthorship: "Co-authorship",
  endorsements: "Endorsements",
};
const CHECK_ORDER = [
  "signature",
  "holder",
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

const VERDICTS = {
  valid: { symbol: "✓", title: "Valid" },
  "valid-with-warnings": { symbol: "!", title: "Valid, with warnings" },
  invalid: { symbol: "✗", title: "Not valid" },
};

const STATES = {
  active: "Active",
  suspended: "Suspended (temporarily not valid)",
  revoked: "Revoked (withdrawn for good)",
  superseded: "Superseded (replaced by a corrected or renewed credential)",
  archived: "Archived (kept for the record, no current status)",
  unknown: "Unknown (could not be checked)",
};

/** Word, symbol and style class for one check. */
function outcome(check) {
  if (check.ok === false) return { word: "Failed", symbol: "✗", cls: "fail" };
  if (check.ok === "unknown") return { word: "Could not be checked", symbol: "?", cls: "unknown" };
  if (check.warning) return { word: "Passed, with a warning", symbol: "!", cls: "warn" };
  return { word: "Passed", symbol: "✓", cls: "ok" };
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
  return `${d.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })} UTC`;
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
  const h = el("h2", null, "What this credential does not mean");
  box.append(h);
  if (!check || check.code?.endsWith("not_checked")) {
    box.classList.add("absent");
    box.append(
      el(
        "p",
        null,
        "The no-conversion notice could not be read, because the credential itself could not be verified.",
      ),
    );
    return box;
  }
  if (typeof check.notice === "string" && check.notice) {
    box.append(el("blockquote", null, check.notice));
    if (check.ok === true) box.append(el("p", "note", "Shown word for word as the issuer signed it."));
    else {
      box.classList.add("missing");
      box.append(el("p", "note", `Warning: ${check.message}`));
    }
    return box;
  }
  box.classList.add(check.ok === false ? "missing" : "absent");
  box.append(el("p", null, check.message));
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
    return badge("state-neutral unknown", "–", "Not withdrawn by the issuer (but not valid: see above)");
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
  return badge(`state-${state} ${cls}`, sym, STATES[state] || state);
}

function renderSummary(report, container) {
  const c = report.checks;
  const dl = el("dl", "facts");
  fact(dl, "Credential", titleOf(report));
  const issuer = c.issuer || {};
  fact(dl, "Issued by", issuer.name ? `${issuer.name} (${issuer.did})` : issuer.did);
  if (issuer.did) fact(dl, "Issuer registered here", issuer.registered ? "Yes" : "No");
  const subject = report.credential?.credentialSubject;
  fact(dl, "Issued to", Array.isArray(subject) ? subject[0]?.id : subject?.id);
  const v = c.validity || {};
  fact(dl, "Valid from", formatDate(v.validFrom));
  fact(
    dl,
    "Valid until",
    v.validUntil ? formatDate(v.validUntil) : v.ok === true ? "No end date given" : undefined,
  );
  if (c.status) fact(dl, "Status", statusPill(report));
  if (c.status?.checkedAt) fact(dl, "Checked", formatDate(c.status.checkedAt));
  container.append(dl);
}

function renderScope(check, container) {
  if (!check || check.code?.endsWith("not_checked")) return;
  container.append(el("h3", null, "What it covers"));
  if (check.description) container.append(el("p", null, check.description));
  if (Array.isArray(check.covers) && check.covers.length)
    container.append(el("p", null, "Covers:"), list(check.covers));
  else container.append(el("p", null, "The credential does not state what it covers."));
  if (Array.isArray(check.excludes) && check.excludes.length)
    container.append(el("p", null, "Does not cover:"), list(check.excludes));
  const dl = el("dl", "facts");
  fact(dl, "Review level", check.reviewLevel);
  fact(dl, "Assessment", check.assessmentBasis);
  fact(dl, "Criteria", check.criteria);
  fact(dl, "Renewal", check.renewalRequirement);
  fact(dl, "Verification of the work", check.verification);
  fact(
    dl,
    "Licence",
    check.license
      ? `${check.license}${check.licenseTerms?.text ? ` — ${check.licenseTerms.text}` : ""}`
      : undefined,
  );
  if (dl.childNodes.length) container.append(dl);
  if (Array.isArray(check.limitations) && check.limitations.length)
    container.append(el("p", null, "Limitations:"), list(check.limitations));
  if (Array.isArray(check.authors) && check.authors.length)
    container.append(
      el("p", null, "Authors:"),
      list(check.authors, (a) => `${a.id} — ${a.role}`),
    );
  if (Array.isArray(check.evidence) && check.evidence.length) {
    container.append(
      el("p", null, "Evidence:"),
      list(check.evidence, (e) =>
        [e.name, e.id, e.digestSRI || e.digest ? `digest ${e.digestSRI || e.digest}` : ""]
          .filter(Boolean)
          .join(" — "),
      ),
    );
  }
}

function renderChecks(report, container, headingLevel = "h3", title = "Each check") {
  container.append(el(headingLevel, null, title));
  const ul = el("ul", "checks");
  for (const name of CHECK_ORDER) {
    const check = report.checks[name];
    if (!check) continue;
    const o = outcome(check);
    const li = el("li", `check-${o.cls}`);
    const head = el("div", "check-head");
    head.append(el("span", "check-name", CHECK_TITLES[name] || name), badge(o.cls, o.symbol, o.word));
    li.append(head, el("p", null, check.message));
    if (name === "status" && check.state) {
      const extra = [];
      if (check.checkedAt) extra.push(`checked ${formatDate(check.checkedAt)}`);
      for (const l of check.lists || [])
        if (l.fetchedAt)
          extra.push(
            `${l.purpose} list fetched ${formatDate(l.fetchedAt)}${l.validUntil ? `, valid until ${formatDate(l.validUntil)}` : ""}`,
          );
      if (extra.length) li.append(el("p", "code", extra.join("; ")));
      if (Array.isArray(check.history) && check.history.length) {
        li.append(
          el("p", null, "Recorded history:"),
          list(check.history, (h) => `${formatDate(h.at)}: ${h.kind}${h.reason ? ` (${h.reason})` : ""}`),
        );
      }
    }
    if (name === "validity" && check.checkedAt)
      li.append(
        el(
          "p",
          "code",
          `Clock used: ${formatDate(check.checkedAt)}, allowing ${check.skewSeconds} s of clock difference.`,
        ),
      );
    if (name === "anchoring" && typeof check.leafIndex === "number" && typeof check.treeSize === "number") {
      li.append(
        el(
          "p",
          "code",
          `Log entry ${check.leafIndex} in a log of ${check.treeSize} entries${check.origin ? ` (${check.origin})` : ""}.`,
        ),
      );
    }
    li.append(el("p", "code", `code: ${check.code}`));
    ul.append(li);
  }
  container.append(ul);
}

function renderCredential(report, container) {
  if (!signed(report)) {
    // A forged or damaged credential can say anything: its title, holder and scope are not shown.
    const box = el("div", "unsigned");
    box.append(
      el("h3", null, "Its contents are not shown"),
      el(
        "p",
        null,
        "The signature does not hold, so nothing this credential says can be trusted — not its title, its holder or what it covers. Only the checks follow.",
      ),
    );
    container.append(box);
    renderChecks(report, container);
    return;
  }
  renderSummary(report, container);
  container.append(renderNotice(report.checks.noConversion));
  renderScope(report.checks.scope, container);
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
  return name ? `${CHECK_TITLES[name]}: ${report.checks[name].message}` : undefined;
}

/**
 * The one thing that matters first, as the banner's lead sentence.
 * - presentation: the presentation's own failure, else which credential failed and why;
 * - credential shared as a link by its subject: that, with what it does not prove;
 * - bare credential: that it does not prove who holds it.
 */
function leadSentence(report, what) {
  if (report.verdict === "invalid" || report.verdict === "valid-with-warnings") {
    if (report.checks.signature?.code?.startsWith("jwt."))
      return `This does not look like a complete ${what}. Check that you copied all of it, from the first to the last character.`;
    if (what === "presentation") {
      const own = ["signature", "holder", "validity"].find((n) => report.checks[n]?.ok === false);
      if (own) return `${CHECK_TITLES[own]}: ${report.checks[own].message}`;
      const subs = report.credentials || [];
      const i = subs.findIndex((s) => s.verdict === "invalid");
      const j = i >= 0 ? i : subs.findIndex((s) => s.verdict !== "valid");
      if (j >= 0) {
        const s = subs[j];
        const name = titleOf(s);
        return `Credential ${j + 1} of ${subs.length}${name ? ` (“${name}”)` : ""} is ${s.verdict === "invalid" ? "not valid" : "valid only with warnings"}. ${firstReason(s) ?? ""}`.trim();
      }
    }
    return firstReason(report) ?? `Do not rely on this ${what}.`;
  }
  if (what === "presentation")
    return "Genuine, current and recorded in the public log, and presented by the person each credential was issued to, for this request.";
  if (report.checks.holder?.code === "holder.shared_by_subject") {
    return "Genuine, current and recorded in the public log. The person it was issued to made this link with their own key; that does not prove who sent the link to you.";
  }
  return "Genuine, current and recorded in the public log — but a credential on its own does not prove that whoever sent it is the person it was issued to. To know that, ask them to answer a request (“Ask for a credential”).";
}

/** Renders `report` into `live`, announces it in one sentence, and moves focus to `focusTarget`. */
export function renderReport(report, live, announce, focusTarget) {
  live.replaceChildren();
  const what = report.kind === "presentation" ? "presentation" : "credential";
  const v = VERDICTS[report.verdict] || VERDICTS.invalid;
  const banner = el("div", `verdict ${report.verdict}`);
  const sym = el("span", "symbol", v.symbol);
  sym.setAttribute("aria-hidden", "true");
  const body = el("div");
  const heading = `${what === "presentation" ? "Presentation" : "Credential"}: ${v.title}`;
  const lead = leadSentence(report, what);
  body.append(el("h2", null, heading), el("p", "lead-reason", lead));
  // Everything else that failed or could not be confirmed, after the lead.
  const reasons = CHECK_ORDER.filter(
    (n) =>
      report.checks[n] &&
      outcome(report.checks[n]).cls !== "ok" &&
      !report.checks[n].code?.endsWith("not_checked"),
  )
    .map(
      (n) =>
        `${CHECK_TITLES[n]} — ${outcome(report.checks[n]).word.toLowerCase()}: ${report.checks[n].message}`,
    )
    .filter((r) => !lead.endsWith(r.slice(r.indexOf(": ") + 2)));
  (report.credentials || []).forEach((sub, i) => {
    if (sub.verdict !== "valid")
      reasons.push(
        `Credential ${i + 1} is ${VERDICTS[sub.verdict]?.title.toLowerCase() || "not valid"} (details below).`,
      );
  });
  if (reasons.length && report.verdict !== "valid") body.append(list(reasons));
  announce.textContent = `${heading}. ${lead}`;
  banner.append(sym, body);
  live.append(banner);

  if (report.kind === "presentation") {
    // What was presented comes first; how it was presented (holder, nonce, signature) after.
    (report.credentials || []).forEach((sub, i) => {
      const section = el("section", "sub-report");
      const sv = VERDICTS[sub.verdict] || VERDICTS.invalid;
      const h = el("h2");
      const name = titleOf(sub);
      h.append(
        document.createTextNode(
          `Credential ${i + 1} of ${report.credentials.length}${name ? `: ${name}` : ""} `,
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
    renderChecks(report, live, "h2", "How it was presented");
  } else {
    renderCredential(report, live);
  }
  const raw = el("details", "raw no-print");
  const shown = signed(report)
    ? report
    : { ...report, credential: "(not shown: its signature does not hold)" };
  raw.append(
    el("summary", null, "Show the full report (JSON)"),
    el("pre", null, JSON.stringify(shown, null, 2)),
  );
  live.append(raw);
  if (focusTarget) focusTarget.focus();
}

/** An error box in place of a report (the request could not be made, or was refused). */
export function renderError(live, announce, message, title = "Could not verify") {
  live.replaceChildren();
  announce.textContent = `${title}. ${message}`;
  const box = el("div", "error-box");
  box.setAttribute("role", "alert");
  box.append(el("h2", null, title), el("p", null, message));
  live.append(box);
}
