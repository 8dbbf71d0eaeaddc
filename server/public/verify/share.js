// The page of a lasting share (/s/{id}): fetches /v1/shares/{id}, which re-verifies the shared
// credential now, and shows the report with when it was shared and when it was checked.
import { el, formatDate, renderError, renderReport } from "./report-view.js";
import { applyStatic, languageSwitch, t } from "./i18n.js";

const live = document.getElementById("report");
const announce = document.getElementById("announce");
const result = document.getElementById("result");
const meta = document.getElementById("share-meta");
const recheck = document.getElementById("recheck-button");
const id = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");

/** Problem codes of a share that is gone, and the catalogue keys of what to tell the visitor. */
const GONE = ["share.withdrawn", "share.expired", "share.not_found"];

// A language switch re-draws the last answer (no new check is made for it).
let last = null;
applyStatic();
// Last in the document (the keyboard reaches the form first), shown at the top right by CSS.
document.body.append(languageSwitch(() => last && draw(last, false)));

function draw(answer, focus) {
  last = answer;
  const { res, data } = answer;
  if (res?.ok && data?.report) {
    meta.textContent = t("share.meta", {
      shared: formatDate(data.sharedAt),
      until: formatDate(data.expiresAt),
      checked: formatDate(data.checkedAt),
    });
    renderReport(data.report, live, announce, focus ? result : null);
    return;
  }
  meta.textContent = "";
  if (!res) return renderError(live, announce, t("share.unreachable"), t("share.failed"));
  if (GONE.includes(data?.code)) return renderError(live, announce, t(`${data.code}_text`), t(data.code));
  renderError(
    live,
    announce,
    (data && data.detail) || t("net.status", { status: res.status }),
    t("share.failed"),
  );
}

async function load(focus) {
  recheck.disabled = true;
  live.replaceChildren(el("p", null, t("share.checking")));
  try {
    const res = await fetch(`/v1/shares/${encodeURIComponent(id)}`, {
      headers: { accept: "application/json" },
      cache: "no-store",
    });
    const data = await res.json().catch(() => null);
    draw({ res: { ok: res.ok, status: res.status }, data }, focus);
  } catch {
    draw({ res: null, data: null }, focus);
  } finally {
    recheck.disabled = false;
  }
}

recheck.addEventListener("click", () => void load(true));
void load(false);
