// /register: renders GET /v1/register/stats as four tables. Text is inserted with textContent only.
const TABLES = [
  ["byIssuer", "By issuer", "Issuer"],
  ["byType", "By type", "Type"],
  ["byState", "By current state", "State"],
  ["byMonth", "By month of issue", "Month"],
];
const TYPE_NAMES = {
  MicroCredential: "Micro-credential",
  Attribution: "Contribution attribution",
  MPUAuthorship: "MPU authorship",
};
const el = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) e[k] = v;
  for (const kid of kids) e.append(kid);
  return e;
};
const fmt = new Intl.NumberFormat("en");
const monthName = (m) =>
  /^\d{4}-\d{2}$/.test(m)
    ? new Date(`${m}-01T00:00:00Z`).toLocaleDateString("en", {
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      })
    : m;
const STATE_NAMES = {
  active: "Active",
  suspended: "Suspended",
  revoked: "Revoked",
  superseded: "Superseded",
  archived: "Archived",
};
const name = (key, cell) =>
  key === "byIssuer"
    ? (cell.label ?? cell.key)
    : key === "byType"
      ? (TYPE_NAMES[cell.key] ?? cell.key)
      : key === "byMonth"
        ? monthName(cell.key)
        : (STATE_NAMES[cell.key] ?? cell.key);

async function main() {
  const summary = document.getElementById("summary");
  const out = document.getElementById("tables");
  let stats;
  try {
    const res = await fetch("/v1/register/stats", { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    stats = await res.json();
  } catch (e) {
    summary.textContent = `The counts could not be loaded (${e instanceof Error ? e.message : "error"}). Try again later.`;
    return;
  }
  document.getElementById("min-cell").textContent = String(stats.minCell);
  summary.textContent =
    stats.total === null
      ? `Fewer than ${stats.minCell} credentials are recorded so far, so no counts are shown yet.`
      : `${fmt.format(stats.total)} credentials recorded, as of ${new Date(stats.generatedAt).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" })}.`;
  if (stats.total === null) return;
  for (const [key, title, col] of TABLES) {
    const cells = [...(stats[key] ?? [])].sort((a, b) =>
      key === "byMonth" ? 0 : name(key, a).localeCompare(name(key, b)),
    );
    const id = `h-${key}`;
    const body = el("tbody");
    for (const c of cells) {
      // "hidden", not "fewer than 5": a second cell may be hidden only so the first cannot be worked out.
      const count =
        c.count === null
          ? el("td", { className: "num hidden-count", textContent: "hidden" })
          : el("td", { className: "num", textContent: fmt.format(c.count) });
      body.append(el("tr", {}, el("th", { scope: "row", textContent: name(key, c) }), count));
    }
    const hidden = cells.filter((x) => x.count === null).length;
    const caption = el("caption", {
      textContent:
        hidden > 0
          ? `${hidden} ${hidden === 1 ? "count is" : "counts are"} hidden to protect privacy: counts below ${stats.minCell}, and another where one alone could be worked out from the total.`
          : "All counts shown.",
    });
    const table = el(
      "table",
      {},
      caption,
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col", textContent: col }),
          el("th", { scope: "col", className: "num", textContent: "Credentials" }),
        ),
      ),
      body,
    );
    table.setAttribute("aria-labelledby", id);
    out.append(
      el("section", {}, el("h2", { id, textContent: title }), el("div", { className: "table-wrap" }, table)),
    );
  }
}
void main();
