/* global URLSearchParams */
// The /verify page: paste, open or drop a credential or presentation, POST it to /v1/verify on
// this origin and show the report; or ask a learner for a credential (a presentation request with
// a link and QR code) and show the answer when it arrives. No framework and no build step.
// Credentials travel only in the fragment or in POST bodies, never in a query string (issue 12).
import { el, renderError, renderReport } from "./report-view.js";

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

function showFieldError(message) {
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
    showFieldError("Paste a credential or presentation first.");
    tokenInput.focus();
    return;
  }
  const payload = jwtPayload(token);
  let body;
  if (isPresentation(payload)) {
    const aud = Array.isArray(payload.aud) ? payload.aud.find((a) => typeof a === "string") : payload.aud;
    if (typeof payload.nonce !== "string" || typeof aud !== "string") {
      live.replaceChildren();
      showFieldError(
        "This presentation was not made for a verification request (it has no nonce or audience), so it cannot be checked here. Ask the holder for a new one.",
      );
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
        renderError(live, announce, "The log receipt is not valid JSON. Remove it or paste it again.");
        return;
      }
    }
  }
  button.disabled = true;
  button.textContent = "Verifying…";
  live.replaceChildren(el("p", null, "Verifying…"));
  announce.textContent = "Verifying…";
  try {
    const res = await fetch("/v1/verify", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => null);
    if (mine !== run) return;
    if (res.ok && data && data.verdict) renderReport(data, live, announce, result);
    else
      renderError(
        live,
        announce,
        (data && (data.detail || data.title)) || `The server answered ${res.status}.`,
      );
  } catch {
    if (mine === run)
      renderError(
        live,
        announce,
        "The verification service could not be reached. Check your connection and try again.",
      );
  } finally {
    if (mine === run) {
      button.disabled = false;
      button.textContent = "Verify";
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
    showFieldError("This file is too large to be a credential.");
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
    showFieldError("This file holds no credential or presentation that this page can read.");
    return;
  }
  tokenInput.value = token;
  void verify();
}

// --- Ask for a credential (presentation request, docs/API.md "Sharing that survives email") ---

let watching = 0;

function showRequest(created) {
  askOut.replaceChildren();
  askOut.hidden = false;
  askOut.append(el("h3", null, "Send this link to the learner"));
  const p = el("p", "request-link");
  const a = el("a", null, created.walletLink);
  a.href = created.walletLink;
  a.rel = "noreferrer";
  p.append(a);
  const copy = el("button", "secondary", "Copy the link");
  copy.type = "button";
  copy.addEventListener("click", () => {
    void navigator.clipboard?.writeText(created.walletLink).then(
      () => (askStatus.textContent = "Link copied."),
      () => (askStatus.textContent = "Copying failed; select the link and copy it."),
    );
  });
  const qr = el("img", "qr");
  qr.src = `/v1/presentation-requests/${encodeURIComponent(created.id)}/qr.svg`;
  qr.alt = "QR code of the request link, for the learner to scan with their wallet";
  qr.width = 240;
  qr.height = 240;
  askOut.append(
    p,
    copy,
    qr,
    el(
      "p",
      "hint",
      `The request is open until ${new Date(created.expiresAt).toLocaleString()}. Keep this page open, or bookmark it: the answer appears here.`,
    ),
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
  askStatus.textContent = "Waiting for the learner's answer…";
  for (let delay = 2000; mine === watching; delay = Math.min(delay * 1.25, 10000)) {
    let data = null;
    try {
      const res = await fetch(`/v1/presentation-requests/${encodeURIComponent(r.id)}`, {
        headers: { authorization: `Bearer ${r.manageToken}`, accept: "application/json" },
      });
      data = await res.json().catch(() => null);
      if (!res.ok) {
        askStatus.textContent = (data && data.detail) || `The server answered ${res.status}.`;
        return;
      }
    } catch {
      askStatus.textContent = "The service could not be reached; trying again…";
    }
    if (mine !== watching) return;
    if (data?.state === "answered" && data.report) {
      askStatus.textContent = `Answered${data.answeredAt ? ` on ${new Date(data.answeredAt).toLocaleString()}` : ""}. The report below was checked just now.`;
      run++;
      renderReport(data.report, live, announce, result);
      return;
    }
    if (data?.state === "expired") {
      askStatus.textContent = "This request expired without an answer. Make a new one.";
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
  err.textContent = purpose ? "" : "Say why you ask: the learner sees it before answering.";
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
      askStatus.textContent = (data && data.detail) || `The server answered ${res.status}.`;
      return;
    }
    showRequest(data);
    void watchRequest(data);
  } catch {
    askStatus.textContent = "The service could not be reached. Check your connection and try again.";
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
