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

async function show(digest, label) {
  const status = $("status");
  const list = $("records");
  const conflicts = $("conflicts");
  list.replaceChildren();
  conflicts.replaceChildren();
  conflicts.hidden = true;
  $("fingerprint").hidden = false;
  $("fingerprint").textContent = `${label} SHA-256 ${digest}`;
  status.textContent = "Looking the fingerprint up in the log…";
  let report;
  try {
    const res = await fetch(`/v1/provenance?digest=${digest}`, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    report = await res.json();
  } catch (e) {
    status.textContent = `The log could not be asked (${e instanceof Error ? e.message : "error"}). Try again later.`;
    return;
  }
  if (report.records.length === 0) {
    status.textContent =
      "Nothing is recorded about this file: no authorship, attribution, anchor or endorsement in this log names it.";
    return;
  }
  const n = report.records.length;
  status.textContent = `${n} record${n === 1 ? "" : "s"} about this file${report.conflicts.length ? `, and ${report.conflicts.length} conflict${report.conflicts.length === 1 ? "" : "s"} between them` : ""}.`;
  if (report.conflicts.length) {
    conflicts.hidden = false;
    conflicts.className = "conflicts";
    conflicts.append(
      el("h3", { textContent: "The records disagree" }),
      el("ul", {}, ...report.conflicts.map((c) => el("li", { textContent: c }))),
    );
  }
  const vkey = await verifierKey();
  for (const r of report.records) {
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
    list.append(
      el("li", { className: "record" }, el("h3", { textContent: KIND_NAMES[r.kind] ?? r.kind }), dl),
    );
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
  }
}

async function fromFile(file) {
  $("status").textContent = `Fingerprinting ${file.name} here in your browser…`;
  const digest = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer())));
  await show(digest, `${file.name}:`);
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
    $("status").textContent =
      "That is not a SHA-256 fingerprint: paste 64 hexadecimal characters, or sha256- followed by base64.";
    $("fingerprint").hidden = true;
    $("records").replaceChildren();
    return;
  }
  void show(hex, "Fingerprint");
});
// A link can carry the digest in the fragment (never sent to a server): /provenance/#<hex>.
const fromHash = hexOf(decodeURIComponent(location.hash.slice(1)));
if (fromHash) {
  $("digest").value = fromHash;
  void show(fromHash, "Fingerprint");
}
