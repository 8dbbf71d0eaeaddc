// /provenance: fingerprint a file in the browser (never uploaded) or take a pasted digest, ask
// GET /v1/provenance, and check every receipt here against the log key (receipt-check.js).
// Text is inserted with textContent only.
import { checkReceipt, fromBase64, toHex } from "./receipt-check.js";

const KIND_NAMES = {
  authorship: "MPU authorship",
  attribution: "Contribution attribution",
  anchor: "Anchored fingerprint",
  endorsement: "Endorsement",
};
const STATE_NAMES = {
  active: "Active",
  suspended: "Suspended",
  revoked: "Revoked",
  superseded: "Superseded",
  archived: "Archived (no current status)",
  anchored: "Anchored",
};

const el = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) e[k] = v;
  for (const kid of kids) e.append(kid);
  return e;
};
const $ = (id) => document.getElementById(id);
const when = (iso) =>
  iso ? new Date(iso).toLocaleDateString("en", { year: "numeric", month: "long", day: "numeric" }) : "";

let logKey;
async function verifierKey() {
  if (logKey === undefined) {
    const res = await fetch("/v1/log/key", { headers: { accept: "application/json" } });
    logKey = res.ok ? (await res.json()).verifierKey : "";
  }
  return logKey;
}

/** Hex SHA-256 of a digest typed as hex or `sha256-<base64>`; undefined otherwise. */
function hexOf(text) {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return t.toLowerCase();
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(t);
  const bytes = m ? fromBase64(m[1]) : undefined;
  return bytes && bytes.length === 32 ? toHex(bytes) : undefined;
}

const NOT_A_DIGEST =
  "That is not a SHA-256 fingerprint: paste 64 hexadecimal characters, or sha256- followed by base64.";

// Each input (a chosen file, a submitted digest, the fragment on load or when it changes) starts a
// new lookup and ends every earlier one: a lookup draws only while it is still the latest, so two
// lookups under way at once (a fragment change, or "Look up" pressed, before the first answered)
// never both draw, and the previous input's records are never shown under the next one's
// fingerprint.
let latest = 0;
/** Starts a lookup; the returned function says whether it is still the latest one. */
function begin() {
  const run = ++latest;
  return () => run === latest;
}

/** Empties the result and says `message`: the state before any record is drawn. */
function clear(message) {
  $("status").textContent = message;
  $("fingerprint").hidden = true;
  $("conflicts").replaceChildren();
  $("conflicts").hidden = true;
  $("records").replaceChildren();
}

/** One record as a list item; its receipt is checked here and the verdict filled in later. */
function recordItem(r, vkey, digest) {
  const check = el("dd", { textContent: "Checking the receipt…" });
  const rows = [
    ["Recorded by", r.issuerName ? `${r.issuerName} (${r.issuer})` : r.issuer],
    ["On", when(r.at)],
    ["Status", STATE_NAMES[r.state] ?? r.state],
    ["Log entry", `#${r.leafIndex}`],
  ];
  if (r.credentialId) rows.push(["Record id", r.credentialId]);
  const dl = el("dl");
  for (const [k, v] of rows) {
    const dd = el("dd", { textContent: v });
    if (k === "Status") dd.className = `state-${r.state}`;
    if (k === "Record id") dd.className = "mono";
    dl.append(el("dt", { textContent: k }), dd);
  }
  dl.append(el("dt", { textContent: "Receipt" }), check);
  checkReceipt(r.receipt, vkey, digest).then(
    (res) => {
      check.textContent = res.ok === true ? `Verified. ${res.message}` : res.message;
      check.className = res.ok === true ? "check-ok" : res.ok === false ? "check-bad" : "check-unknown";
    },
    () => {
      check.textContent = "The receipt could not be checked in this browser.";
      check.className = "check-unknown";
    },
  );
  return el("li", { className: "record" }, el("h3", { textContent: KIND_NAMES[r.kind] ?? r.kind }), dl);
}

/**
 * Looks `digest` up and draws the answer, status line, conflicts and records in one step (the
 * status never counts records that are not yet under it), unless a later input has begun.
 */
async function show(digest, label, current = begin()) {
  clear("Looking the fingerprint up in the log…");
  $("fingerprint").hidden = false;
  $("fingerprint").textContent = `${label} SHA-256 ${digest}`;
  let report;
  let vkey;
  try {
    const res = await fetch(`/v1/provenance?digest=${digest}`, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    report = await res.json();
    if (report.records.length) vkey = await verifierKey();
  } catch (e) {
    if (current())
      $("status").textContent =
        `The log could not be asked (${e instanceof Error ? e.message : "error"}). Try again later.`;
    return;
  }
  if (!current()) return;
  if (report.records.length === 0) {
    $("status").textContent =
      "Nothing is recorded about this file: no authorship, attribution, anchor or endorsement in this log names it.";
    return;
  }
  const n = report.records.length;
  const conflicts = $("conflicts");
  if (report.conflicts.length) {
    conflicts.hidden = false;
    conflicts.className = "conflicts";
    conflicts.append(
      el("h3", { textContent: "The records disagree" }),
      el("ul", {}, ...report.conflicts.map((c) => el("li", { textContent: c }))),
    );
  }
  $("records").replaceChildren(...report.records.map((r) => recordItem(r, vkey, digest)));
  $("status").textContent =
    `${n} record${n === 1 ? "" : "s"} about this file${report.conflicts.length ? `, and ${report.conflicts.length} conflict${report.conflicts.length === 1 ? "" : "s"} between them` : ""}.`;
}

async function fromFile(file) {
  const current = begin();
  clear(`Fingerprinting ${file.name} here in your browser…`);
  const digest = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer())));
  if (current()) await show(digest, `${file.name}:`, current);
}

$("file").addEventListener("change", (e) => {
  const f = e.target.files?.[0];
  if (f) void fromFile(f);
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const f = e.dataTransfer?.files?.[0];
  if (f) void fromFile(f);
});
$("digest-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const hex = hexOf($("digest").value);
  if (!hex) {
    begin();
    clear(NOT_A_DIGEST);
    return;
  }
  void show(hex, "Fingerprint");
});
// A link can carry the digest in the fragment (never sent to a server): /provenance/#<hex>. The
// fragment is read on load and again whenever it changes (a link followed from this page, an
// edited address), and each reading replaces what the previous one drew.
function fromFragment() {
  let text = location.hash.slice(1);
  try {
    text = decodeURIComponent(text);
  } catch {
    // A stray "%" is not a digest either: hexOf refuses the raw text below.
  }
  const hex = hexOf(text);
  if (hex) {
    $("digest").value = hex;
    void show(hex, "Fingerprint");
  } else if (text.trim()) {
    begin();
    clear(NOT_A_DIGEST);
  }
}
window.addEventListener("hashchange", fromFragment);
fromFragment();
