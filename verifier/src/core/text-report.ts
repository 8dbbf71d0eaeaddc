// Plain-text rendering of a report for the CLI (`meritlog verify`): the same facts as the JSON
// and the /verify page, in the same order, with words for every state (no colour needed).
import type { Check, VerificationReport } from "./report.js";

const ORDER = ["signature", "holder", "issuer", "schema", "validity", "status", "anchoring", "scope", "noConversion"] as const;
const TITLE: Record<string, string> = {
  signature: "Signature",
  holder: "Holder",
  issuer: "Issuer",
  schema: "Form",
  validity: "Validity",
  status: "Status",
  anchoring: "Log anchoring",
  scope: "Scope",
  noConversion: "No-conversion",
};
const VERDICT: Record<VerificationReport["verdict"], string> = {
  valid: "VALID",
  "valid-with-warnings": "VALID WITH WARNINGS",
  invalid: "INVALID",
};

function mark(c: Check): string {
  if (c.ok === false) return "[FAIL]";
  if (c.ok === "unknown") return "[ ?  ]";
  return c.warning ? "[WARN]" : "[ OK ]";
}

function renderOne(r: VerificationReport, indent: string, out: string[]): void {
  for (const name of ORDER) {
    const c = r.checks[name as keyof typeof r.checks] as Check | undefined;
    if (!c) continue;
    out.push(`${indent}${mark(c)} ${TITLE[name]}: ${c.message}`);
    if (name === "status" && typeof c.state === "string") out.push(`${indent}       state: ${c.state}${c.checkedAt ? ` (checked ${String(c.checkedAt)})` : ""}`);
    if (name === "noConversion" && typeof c.notice === "string" && c.notice) {
      out.push(`${indent}       "${c.notice}"`);
    }
    if (name === "scope") {
      const ex = Array.isArray(c.excludes) ? (c.excludes as string[]) : [];
      if (typeof c.reviewLevel === "string") out.push(`${indent}       review level: ${c.reviewLevel}`);
      if (ex.length && c.ok !== true) out.push(`${indent}       does not cover: ${ex.join("; ")}`);
    }
  }
}

/** The report as text lines: verdict first, then each check with [ OK ]/[WARN]/[ ?  ]/[FAIL]. */
export function renderReportText(report: VerificationReport): string {
  const out: string[] = [];
  out.push(`${report.kind === "presentation" ? "Presentation" : "Credential"}: ${VERDICT[report.verdict]}  (checked ${report.checkedAt})`);
  renderOne(report, "  ", out);
  (report.credentials ?? []).forEach((c, i) => {
    out.push("", `  Credential ${i + 1} of ${report.credentials!.length}: ${VERDICT[c.verdict]}`);
    renderOne(c, "    ", out);
  });
  return out.join("\n") + "\n";
}
