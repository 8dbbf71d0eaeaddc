// Plain-text rendering of a report for the CLI (`meritlog verify`): the same facts as the JSON
// and the /verify page, in the page's order and with its titles (server/public/verify/report-view.js
// `CHECK_ORDER`, `CHECK_TITLES`; verifier/test/units.test.ts keeps the two equal), with words for
// every state (no colour needed).
import type { Check, VerificationReport } from "./report.js";

/** The order the /verify page lists checks in: what decides validity first, what it means after. */
export const CHECK_ORDER = [
  "signature",
  "holder",
  "disclosure",
  "issuer",
  "validity",
  "status",
  "anchoring",
  "schema",
  "scope",
  "noConversion",
  "coAuthorship",
  "endorsements",
] as const;
/** The /verify page's title of each check. */
export const CHECK_TITLES: Readonly<Record<(typeof CHECK_ORDER)[number], string>> = {
  signature: "Signature",
  holder: "Presented by its holder",
  disclosure: "What the holder chose to show",
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
  for (const name of CHECK_ORDER) {
    const c = r.checks[name as keyof typeof r.checks] as Check | undefined;
    if (!c) continue;
    out.push(`${indent}${mark(c)} ${CHECK_TITLES[name]}: ${c.message}`);
    if (name === "status" && typeof c.state === "string")
      out.push(`${indent}       state: ${c.state}${c.checkedAt ? ` (checked ${String(c.checkedAt)})` : ""}`);
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
  out.push(
    `${report.kind === "presentation" ? "Presentation" : "Credential"}: ${VERDICT[report.verdict]}  (checked ${report.checkedAt})`,
  );
  if (report.kind !== "presentation") {
    renderOne(report, "  ", out);
    return out.join("\n") + "\n";
  }
  // As on the page: what was presented comes first; how it was presented (holder, nonce, signature) after.
  (report.credentials ?? []).forEach((c, i) => {
    out.push("", `  Credential ${i + 1} of ${report.credentials!.length}: ${VERDICT[c.verdict]}`);
    renderOne(c, "    ", out);
  });
  out.push("", "  How it was presented:");
  renderOne(report, "    ", out);
  return out.join("\n") + "\n";
}
