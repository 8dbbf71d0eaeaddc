/* global Node, URLSearchParams */
// The /verify page: paste or open a credential or presentation, POST it to /v1/verify on this
// origin, and show the report in plain language. No framework and no build step. Every string
// from the report is inserted with textContent, never as HTML.

const form = document.getElementById("verify-form");
const tokenInput = document.getElementById("token");
const receiptInput = document.getElementById("receipt");
const receiptBox = document.getElementById("receipt-box");
const tokenError = document.getElementById("token-error");
const button = document.getElementById("verify-button");
const clearButton = document.getElementById("clear-button");
const result = document.getElementById("result");
const live = document.getElementById("report");
const announce = document.getElementById("announce");

const CHECK_TITLES = {
  signature: "Signature",
  holder: "Presented by its holder",
  issuer: "Issuer",
  schema: "Form",
  validity: "Validity period",
  status: "Status",
  anchoring: "Recorded in the public log",
  scope: "Scope",
  noConversion: "No-conversion notice",
};
const CHECK_ORDER = ["signature", "holder", "issuer", "validity", "status", "anchoring", "schema", "scope", "noConversion"];

const VERDICTS = {
  valid: { symbol: "✓", title: "Valid", text: (what) => `This ${what} is genuine, current and recorded in the public log.` },
  "valid-with-warnings": {
    symbol: "!",
    title: "Valid, with warnings",
    text: (what) => `The ${what}'s signature holds, but some things could not be confirmed. Read these before relying on it:`,
  },
  invalid: { symbol: "✗", title: "Not valid", text: (what) => `Do not rely on this ${what}. Why:` },
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
function el(tag, cls, text) {
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

function formatDate(iso) {
  if (typeof iso !== "string") return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

/** The base64url-decoded JSON payload of a JWT, or null. */
function jwtPayload(jwt) {
  const part = jwt.split(".")[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder().decode(bytes));
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

function isPresentation(payload) {
  if (!payload) return false;
  const vp = payload.vp && typeof payload.vp === "object" ? payload.vp : payload;
  const types = Array.isArray(vp.type) ? vp.type : [vp.type];
  return types.includes("VerifiablePresentation");
}

/** The no-conversion notice, shown prominently right under the verdict. */
function renderNotice(check) {
  const box = el("section", "notice");
  box.setAttribute("aria-labelledby", "notice-heading");
  const h = el("h2", null, "What this credential does not mean");
  h.id = "notice-heading";
  box.append(h);
  if (!check || check.code?.endsWith("not_checked")) {
    box.classList.add("absent");
    box.append(el("p", null, "The no-conversion notice could not be read, because the credential itself could not be verified."));
    return box;
  }
  if (typeof check.notice === "string" && check.notice) {
    const q = el("blockquote", null, check.notice);
    box.append(q);
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

function renderSummary(report, container) {
  const c = report.checks;
  const scope = c.scope || {};
  const dl = el("dl", "facts");
  fact(dl, "Credential", scope.title || report.credential?.name);
  const issuer = c.issuer || {};
  fact(dl, "Issued by", issuer.name ? `${issuer.name} (${issuer.did})` : issuer.did);
  if (issuer.did) fact(dl, "Issuer registered here", issuer.registered ? "Yes" : "No");
  const subject = report.credential?.credentialSubject;
  fact(dl, "Holder", Array.isArray(subject) ? subject[0]?.id : subject?.id);
  const v = c.validity || {};
  fact(dl, "Valid from", formatDate(v.validFrom));
  fact(dl, "Valid until", v.validUntil ? formatDate(v.validUntil) : v.ok === true ? "No end date given" : undefined);
  if (c.status) {
    const state = c.status.state || "unknown";
    const cls = { active: "ok", suspended: "fail", revoked: "fail", superseded: "warn", archived: "warn", unknown: "unknown" }[state] || "unknown";
    const sym = { ok: "✓", fail: "✗", warn: "!", unknown: "?" }[cls];
    fact(dl, "Status", badge(`state-${state} ${cls}`, sym, STATES[state] || state));
  }
  container.append(dl);
}

function renderScope(check, container) {
  if (!check || check.code?.endsWith("not_checked")) return;
  container.append(el("h3", null, "What it covers"));
  if (check.description) container.append(el("p", null, check.description));
  if (Array.isArray(check.covers) && check.covers.length) container.append(el("p", null, "Covers:"), list(check.covers));
  else container.append(el("p", null, "The credential does not state what it covers."));
  if (Array.isArray(check.excludes) && check.excludes.length) container.append(el("p", null, "Does not cover:"), list(check.excludes));
  const dl = el("dl", "facts");
  fact(dl, "Review level", check.reviewLevel);
  fact(dl, "Assessment", check.assessmentBasis);
  fact(dl, "Criteria", check.criteria);
  fact(dl, "Renewal", check.renewalRequirement);
  fact(dl, "Verification of the work", check.verification);
  fact(dl, "Licence", check.license ? `${check.license}${check.licenseTerms?.text ? ` — ${check.licenseTerms.text}` : ""}` : undefined);
  if (dl.childNodes.length) container.append(dl);
  if (Array.isArray(check.limitations) && check.limitations.length) container.append(el("p", null, "Limitations:"), list(check.limitations));
  if (Array.isArray(check.authors) && check.authors.length) container.append(el("p", null, "Authors:"), list(check.authors, (a) => `${a.id} — ${a.role}`));
  if (Array.isArray(check.evidence) && check.evidence.length) {
    container.append(
      el("p", null, "Evidence:"),
      list(check.evidence, (e) => [e.name, e.id, e.digestSRI || e.digest ? `digest ${e.digestSRI || e.digest}` : ""].filter(Boolean).join(" — ")),
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
    const li = el("li");
    const head = el("div", "check-head");
    head.append(el("span", "check-name", CHECK_TITLES[name] || name), badge(o.cls, o.symbol, o.word));
    li.append(head, el("p", null, check.message));
    if (name === "status" && check.state) {
      const extra = [];
      if (check.checkedAt) extra.push(`checked ${formatDate(check.checkedAt)}`);
      for (const l of check.lists || []) if (l.fetchedAt) extra.push(`${l.purpose} list fetched ${formatDate(l.fetchedAt)}${l.validUntil ? `, valid until ${formatDate(l.validUntil)}` : ""}`);
      if (extra.length) li.append(el("p", "code", extra.join("; ")));
      if (Array.isArray(check.history) && check.history.length) {
        li.append(el("p", null, "Recorded history:"), list(check.history, (h) => `${formatDate(h.at)}: ${h.kind}${h.reason ? ` (${h.reason})` : ""}`));
      }
    }
    if (name === "validity" && check.checkedAt) li.append(el("p", "code", `Clock used: ${formatDate(check.checkedAt)}, allowing ${check.skewSeconds} s of clock difference.`));
    if (name === "anchoring" && typeof check.leafIndex === "number" && typeof check.treeSize === "number") {
      li.append(el("p", "code", `Log entry ${check.leafIndex} in a log of ${check.treeSize} entries${check.origin ? ` (${check.origin})` : ""}.`));
    }
    li.append(el("p", "code", `code: ${check.code}`));
    ul.append(li);
  }
  container.append(ul);
}

function renderCredential(report, container) {
  renderSummary(report, container);
  container.append(renderNotice(report.checks.noConversion));
  renderScope(report.checks.scope, container);
  renderChecks(report, container);
}

function render(report) {
  live.replaceChildren();
  const what = report.kind === "presentation" ? "presentation" : "credential";
  const v = VERDICTS[report.verdict] || VERDICTS.invalid;
  const banner = el("div", `verdict ${report.verdict}`);
  const sym = el("span", "symbol", v.symbol);
  sym.setAttribute("aria-hidden", "true");
  const body = el("div");
  const heading = `${what === "presentation" ? "Presentation" : "Credential"}: ${v.title}`;
  body.append(el("h2", null, heading), el("p", null, v.text(what)));
  // The reasons, in one place: what failed, then what could not be confirmed.
  const failed = CHECK_ORDER.filter((n) => report.checks[n]?.ok === false);
  const doubtful = CHECK_ORDER.filter((n) => report.checks[n] && report.checks[n].ok !== false && outcome(report.checks[n]).cls !== "ok" && !report.checks[n].code?.endsWith("not_checked"));
  if (report.checks.signature?.code?.startsWith("jwt.")) {
    body.append(el("p", "what", `This does not look like a complete ${what}. Check that you copied all of it, from the first to the last character.`));
  }
  const reasons = [...failed, ...doubtful].map((n) => `${CHECK_TITLES[n]} — ${outcome(report.checks[n]).word.toLowerCase()}: ${report.checks[n].message}`);
  for (const sub of report.credentials || []) if (sub.verdict !== "valid") reasons.push(`A presented credential is ${VERDICTS[sub.verdict]?.title.toLowerCase() || "not valid"} (details below).`);
  if (reasons.length && report.verdict !== "valid") body.append(list(reasons));
  announce.textContent = `${heading}. ${report.verdict === "valid" ? v.text(what) : reasons.join(" ")}`;
  banner.append(sym, body);
  live.append(banner);

  if (report.kind === "presentation") {
    // What was presented comes first; how it was presented (holder, nonce, signature) after.
    (report.credentials || []).forEach((sub, i) => {
      const section = el("section", "sub-report");
      const sv = VERDICTS[sub.verdict] || VERDICTS.invalid;
      const h = el("h2");
      h.append(document.createTextNode(`Credential ${i + 1} of ${report.credentials.length}: `), badge({ valid: "ok", "valid-with-warnings": "warn", invalid: "fail" }[sub.verdict] || "fail", sv.symbol, sv.title));
      section.append(h);
      renderCredential(sub, section);
      live.append(section);
    });
    renderChecks(report, live, "h2", "How it was presented");
  } else {
    renderCredential(report, live);
  }
  const raw = el("details", "raw");
  raw.append(el("summary", null, "Show the full report (JSON)"), el("pre", null, JSON.stringify(report, null, 2)));
  live.append(raw);
  result.focus();
}

function renderError(message) {
  live.replaceChildren();
  announce.textContent = `Could not verify. ${message}`;
  const box = el("div", "error-box");
  box.setAttribute("role", "alert");
  box.append(el("h2", null, "Could not verify"), el("p", null, message));
  live.append(box);
}

function showFieldError(message) {
  tokenError.textContent = message;
  tokenError.hidden = !message;
  tokenInput.setAttribute("aria-invalid", message ? "true" : "false");
}

async function verify() {
  const token = tokenInput.value.replace(/\s+/g, "");
  showFieldError("");
  if (!token) {
    showFieldError("Paste a credential or presentation first.");
    tokenInput.focus();
    return;
  }
  const payload = jwtPayload(token);
  let body;
  if (isPresentation(payload)) {
    const aud = Array.isArray(payload.aud) ? payload.aud.find((a) => typeof a === "string") : payload.aud;
    if (typeof payload.nonce !== "string" || typeof aud !== "string") {
      showFieldError("This presentation was not made for a verification request (it has no nonce or audience), so it cannot be checked here. Ask the holder for a new one.");
      return;
    }
    body = { presentation: token, nonce: payload.nonce, audience: aud };
  } else {
    body = { credential: token };
    const r = receiptInput.value.trim();
    if (r) {
      try {
        body.receipt = JSON.parse(r);
      } catch {
        receiptBox.open = true;
        renderError("The log receipt is not valid JSON. Remove it or paste it again.");
        return;
      }
    }
  }
  button.disabled = true;
  button.textContent = "Verifying…";
  live.replaceChildren(el("p", null, "Verifying…"));
  announce.textContent = "Verifying…";
  try {
    const res = await fetch("/v1/verify", { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => null);
    if (res.ok && data && data.verdict) render(data);
    else renderError((data && (data.detail || data.title)) || `The server answered ${res.status}.`);
  } catch {
    renderError("The verification service could not be reached. Check your connection and try again.");
  } finally {
    button.disabled = false;
    button.textContent = "Verify";
  }
}

/** Share links: /verify#vp=…, /verify#credential=…, /verify?credential=… (optional receipt=<json>). */
function readShareLink() {
  const params = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const token = params.get("vp") || params.get("presentation") || params.get("credential") || params.get("vc") || query.get("vp") || query.get("presentation") || query.get("credential") || query.get("vc");
  const receipt = params.get("receipt") || query.get("receipt");
  if (!token) return false;
  tokenInput.value = token;
  if (receipt) {
    receiptInput.value = receipt;
    receiptBox.open = true;
  }
  return true;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  void verify();
});
clearButton.addEventListener("click", () => {
  form.reset();
  showFieldError("");
  live.replaceChildren();
  announce.textContent = "";
  tokenInput.focus();
});
if (readShareLink()) void verify();
