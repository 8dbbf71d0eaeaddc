/* global URLSearchParams */
// The /verify page: paste, open or drop a credential or presentation, POST it to /v1/verify on
// this origin and show the report; or ask a learner for a credential (a presentation request with
// a link and QR code) and show the answer when it arrives. No framework and no build step.
// Credentials travel only in the fragment or in POST bodies, never in a query string (issue 12).
import { el, renderError, renderReport } from "./report-view.js";
import { applyStatic, languageSwitch, locale, t } from "./i18n.js";

const form = document.getElementById("verify-form");
const tokenInput = document.getElementById("token");
const receiptInput = document.getElementById("receipt");
const receiptBox = document.getElementById("receipt-box");
const tokenError = document.getElementById("token-error");
const button = document.getElementById("verify-button");
const clearButton = document.getElementById("clear-button");
const fileInput = document.getElementById("file");
const dropZone = document.getElementById("drop-zone");
const result = document.getElementById("result");
const live = document.getElementById("report");
const announce = document.getElementById("announce");
const askForm = document.getElementById("ask-form");
const askButton = document.getElementById("ask-button");
const askOut = document.getElementById("ask-result");
const askStatus = document.getElementById("ask-status");

// What the page drew from data, so a language switch can draw it again in the other language.
let lastReport = null;
let lastError = null;
let lastRequest = null;
let lastStatus = null;

function show(report) {
  lastReport = report;
  lastError = null;
  renderReport(report, live, announce, result);
}
function showError(message, title) {
  lastReport = null;
  lastError = [message, title];
  renderError(live, announce, message, title);
}
/** The request status line, kept as a key and values so it can be re-said in another language. */
function status(key, values) {
  lastStatus = key ? [key, values] : null;
  askStatus.textContent = key ? t(key, values) : "";
}
function statusText(text) {
  lastStatus = null;
  askStatus.textContent = text;
}

applyStatic();
// Last in the document (the keyboard reaches the form first), shown at the top right by CSS.
document.body.append(
  languageSwitch(() => {
    button.textContent = button.disabled ? t("form.verifying") : t("form.verify");
    if (lastRequest) showRequest(lastRequest);
    if (lastStatus) status(...lastStatus);
    if (lastReport) renderReport(lastReport, live, announce, null);
    else if (lastError && lastError[1] === undefined) renderError(live, announce, lastError[0]);
    if (!tokenError.hidden && tokenError.dataset.key)
      showFieldError(t(tokenError.dataset.key), tokenError.dataset.key);
  }),
);

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

function showFieldError(message, key = "") {
  tokenError.dataset.key = key;
  tokenError.textContent = message;
  tokenError.hidden = !message;
  tokenInput.setAttribute("aria-invalid", message ? "true" : "false");
}

// Each run gets a number; an answer that arrives after a newer run started is dropped, so a
// second link pasted into an open tab never shows the previous person's report.
let run = 0;

async function verify() {
  const mine = ++run;
  const token = tokenInput.value.replace(/\s+/g, "");
  showFieldError("");
  if (!token) {
    live.replaceChildren();
    showFieldError(t("form.empty"), "form.empty");
    tokenInput.focus();
    return;
  }
  const payload = jwtPayload(token);
  let body;
  // An SD-JWT presentation (RFC 9901 §4: `~`-separated): the nonce and audience are in its
  // key-binding JWT, the last part.
  const kb = token.includes("~") ? jwtPayload(token.slice(token.lastIndexOf("~") + 1)) : null;
  if (token.includes("~")) {
    if (typeof kb?.nonce !== "string" || typeof kb?.aud !== "string") {
      live.replaceChildren();
      showFieldError(t("form.no_nonce"), "form.no_nonce");
      return;
    }
    body = { presentation: token, nonce: kb.nonce, audience: kb.aud };
  } else if (isPresentation(payload)) {
    const aud = Array.isArray(payload.aud) ? payload.aud.find((a) => typeof a === "string") : payload.aud;
    if (typeof payload.nonce !== "string" || typeof aud !== "string") {
      live.replaceChildren();
      showFieldError(t("form.no_nonce"), "form.no_nonce");
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
        showError(t("form.bad_receipt"));
        return;
      }
    }
  }
  button.disabled = true;
  button.textContent = t("form.verifying");
  lastReport = null;
  live.replaceChildren(el("p", null, t("form.verifying")));
  announce.textContent = t("form.verifying");
  try {
    const res = await fetch("/v1/verify", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => null);
    if (mine !== run) return;
    if (res.ok && data && data.verdict) show(data);
    else showError((data && (data.detail || data.title)) || t("net.status", { status: res.status }));
  } catch {
    if (mine === run) showError(t("net.unreachable"));
  } finally {
    if (mine === run) {
      button.disabled = false;
      button.textContent = t("form.verify");
    }
  }
}

/** Links: /verify/#vp=…, #credential=… (optional receipt=<json>); #request=…&manage=… resumes a request. */
function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const request = params.get("request");
  const manage = params.get("manage");
  if (request && manage) {
    void watchRequest({ id: request, manageToken: manage });
    return false;
  }
  const token =
    params.get("vp") || params.get("presentation") || params.get("credential") || params.get("vc");
  if (!token) return false;
  tokenInput.value = token;
  const receipt = params.get("receipt");
  receiptInput.value = receipt || "";
  receiptBox.open = Boolean(receipt);
  return true;
}

/** A dropped or opened file: a bare JWT, or JSON holding one (`jwt`, `credential`, `presentation`). */
async function readFile(file) {
  if (!file) return;
  if (file.size > 2 * 1024 * 1024) {
    showFieldError(t("form.too_large"), "form.too_large");
    return;
  }
  const text = (await file.text()).trim();
  let token = text;
  if (text.startsWith("{")) {
    try {
      const j = JSON.parse(text);
      token = j.jwt || j.credential || j.presentation || j.vp || "";
      if (j.receipt && typeof j.receipt === "object") {
        receiptInput.value = JSON.stringify(j.receipt);
        receiptBox.open = true;
      }
    } catch {
      token = "";
    }
  }
  if (typeof token !== "string" || !token) {
    showFieldError(t("form.unreadable_file"), "form.unreadable_file");
    return;
  }
  tokenInput.value = token;
  void verify();
}

// --- Ask for a credential (presentation request, docs/API.md "Sharing that survives email") ---

let watching = 0;

function showRequest(created) {
  lastRequest = created;
  askOut.replaceChildren();
  askOut.hidden = false;
  askOut.append(el("h3", null, t("ask.send_link")));
  const p = el("p", "request-link");
  const a = el("a", null, created.walletLink);
  a.href = created.walletLink;
  a.rel = "noreferrer";
  p.append(a);
  const copy = el("button", "secondary", t("ask.copy"));
  copy.type = "button";
  copy.addEventListener("click", () => {
    void navigator.clipboard?.writeText(created.walletLink).then(
      () => status("ask.copied"),
      () => status("ask.copy_failed"),
    );
  });
  const qr = el("img", "qr");
  qr.src = `/v1/presentation-requests/${encodeURIComponent(created.id)}/qr.svg`;
  qr.alt = t("ask.qr_alt");
  qr.width = 240;
  qr.height = 240;
  askOut.append(
    p,
    copy,
    qr,
    el("p", "hint", t("ask.open_until", { date: new Date(created.expiresAt).toLocaleString(locale()) })),
  );
}

async function watchRequest(r) {
  const mine = ++watching;
  // The manage token stays in the fragment (never sent to a server), so a reload or bookmark resumes.
  history.replaceState(
    null,
    "",
    `#request=${encodeURIComponent(r.id)}&manage=${encodeURIComponent(r.manageToken)}`,
  );
  status("ask.waiting");
  for (let delay = 2000; mine === watching; delay = Math.min(delay * 1.25, 10000)) {
    let data = null;
    try {
      const res = await fetch(`/v1/presentation-requests/${encodeURIComponent(r.id)}`, {
        headers: { authorization: `Bearer ${r.manageToken}`, accept: "application/json" },
      });
      data = await res.json().catch(() => null);
      if (!res.ok) {
        if (data && data.detail) statusText(data.detail);
        else status("net.status", { status: res.status });
        return;
      }
    } catch {
      status("ask.retrying");
    }
    if (mine !== watching) return;
    if (data?.state === "answered" && data.report) {
      if (data.answeredAt)
        status("ask.answered_on", { date: new Date(data.answeredAt).toLocaleString(locale()) });
      else status("ask.answered");
      run++;
      show(data.report);
      return;
    }
    if (data?.state === "expired") {
      status("ask.expired");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

askForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const purpose = askForm.elements.purpose.value.trim();
  const type = askForm.elements.type.value;
  const err = document.getElementById("purpose-error");
  err.hidden = Boolean(purpose);
  err.textContent = purpose ? "" : t("ask.purpose_missing");
  if (!purpose) {
    askForm.elements.purpose.focus();
    return;
  }
  askButton.disabled = true;
  try {
    const res = await fetch("/v1/presentation-requests", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ purpose, ...(type ? { types: [type] } : {}) }),
    });
    const data = await res.json().catch(() => null);
    if (res.status !== 201 || !data) {
      if (data && data.detail) statusText(data.detail);
      else status("net.status", { status: res.status });
      return;
    }
    showRequest(data);
    void watchRequest(data);
  } catch {
    status("net.unreachable");
  } finally {
    askButton.disabled = false;
  }
});

form.addEventListener("submit", (e) => {
  e.preventDefault();
  void verify();
});
clearButton.addEventListener("click", () => {
  run++;
  form.reset();
  showFieldError("");
  live.replaceChildren();
  lastReport = null;
  lastError = null;
  announce.textContent = "";
  if (location.hash) history.replaceState(null, "", location.pathname);
  tokenInput.focus();
});
fileInput.addEventListener("change", () => void readFile(fileInput.files?.[0]));
for (const type of ["dragenter", "dragover"]) {
  dropZone.addEventListener(type, (e) => {
    e.preventDefault();
    dropZone.classList.add("dragging");
  });
}
for (const type of ["dragleave", "drop"])
  dropZone.addEventListener(type, () => dropZone.classList.remove("dragging"));
dropZone.addEventListener("drop", (e) => {
  e.preventDefault();
  void readFile(e.dataTransfer?.files?.[0]);
});
// A second link opened in this tab changes only the fragment: read it and check again.
window.addEventListener("hashchange", () => {
  if (readFragment()) void verify();
});
if (readFragment()) void verify();
