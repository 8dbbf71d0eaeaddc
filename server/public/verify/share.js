// The page of a lasting share (/s/{id}): fetches /v1/shares/{id}, which re-verifies the shared
// credential now, and shows the report with when it was shared and when it was checked.
import { el, formatDate, renderError, renderReport } from "./report-view.js";

const live = document.getElementById("report");
const announce = document.getElementById("announce");
const result = document.getElementById("result");
const meta = document.getElementById("share-meta");
const recheck = document.getElementById("recheck-button");
const id = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");

const GONE = {
  "share.withdrawn": [
    "This share was withdrawn",
    "The person who shared this credential has withdrawn the link. Ask them for a new one if you still need it.",
  ],
  "share.expired": [
    "This share has expired",
    "The link was valid for a limited time, which has passed. Ask the person who shared it for a new one.",
  ],
  "share.not_found": [
    "No such share",
    "This link does not lead to a shared credential. Check that you copied all of it.",
  ],
};

async function load(focus) {
  recheck.disabled = true;
  live.replaceChildren(el("p", null, "Checking…"));
  try {
    const res = await fetch(`/v1/shares/${encodeURIComponent(id)}`, {
      headers: { accept: "application/json" },
      cache: "no-store",
    });
    const data = await res.json().catch(() => null);
    if (res.ok && data?.report) {
      meta.textContent = `Shared on ${formatDate(data.sharedAt)}; the link works until ${formatDate(data.expiresAt)}. Checked just now: ${formatDate(data.checkedAt)}.`;
      renderReport(data.report, live, announce, focus ? result : null);
      return;
    }
    meta.textContent = "";
    const [title, text] = GONE[data?.code] || [
      "Could not open this share",
      (data && data.detail) || `The server answered ${res.status}.`,
    ];
    renderError(live, announce, text, title);
  } catch {
    renderError(
      live,
      announce,
      "The service could not be reached. Check your connection and try again.",
      "Could not open this share",
    );
  } finally {
    recheck.disabled = false;
  }
}

recheck.addEventListener("click", () => void load(true));
void load(false);
