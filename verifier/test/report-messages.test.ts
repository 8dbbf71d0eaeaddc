// The report's sentences have stable codes (report-messages.ts) and the API's English did not
// change when they got them (issue 12): every check of every corpus case carries the same English
// `message` as the verifier made before the codes existed (testdata/verifier/report-messages-en.txt,
// written by that earlier verifier), and a check's `sentences`, said in English from the templates,
// are exactly its `message`.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import {
  verifyCredential,
  verifyPresentation,
  type Check,
  type VerificationReport,
} from "../src/core/index.js";
import { REPORT_SENTENCES, type ReportSentenceCode } from "../src/report-sentences.js";
import { createNodeEd25519, nodeSha256 } from "../src/node-ed25519.js";
import { corpus, corpusContext } from "./corpus-context.js";

const GOLDEN = readFileSync(
  new URL("../../testdata/verifier/report-messages-en.txt", import.meta.url),
  "utf8",
);

const english = (code: ReportSentenceCode, params: Record<string, string | number> = {}): string =>
  REPORT_SENTENCES[code].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));

function walk(r: VerificationReport, out: string[], checks: Check[], prefix: string): void {
  for (const [k, c] of Object.entries(r.checks)) {
    out.push(`${prefix}${k}: ${(c as Check).message}`);
    checks.push(c as Check);
  }
  r.credentials?.forEach((x, i) => walk(x, out, checks, `${prefix}[${i}].`));
}

it("keeps the English of every corpus report as it was, and its sentences say exactly that", async () => {
  const ctx = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
  const lines: string[] = [];
  const checks: Check[] = [];
  for (const c of corpus.cases) {
    const r =
      c.kind === "credential"
        ? await verifyCredential(c.jwt, c.receipt, ctx)
        : await verifyPresentation(c.jwt, c.expect!, ctx);
    lines.push(`## ${c.desc}`);
    walk(r, lines, checks, "");
  }
  expect(lines.join("\n")).toBe(GOLDEN);
  const coded = checks.filter((c) => c.sentences !== undefined);
  // Most checks are coded; the rest are token-level problems (malformed JWTs, headers) said in English only.
  expect(coded.length / checks.length).toBeGreaterThan(0.9);
  for (const c of coded)
    expect(c.sentences!.map((s) => english(s.code, s.params)).join(" "), c.code).toBe(c.message);
}, 120_000);

it("codes every check of every corpus report, token-level problems included", async () => {
  const ctx = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
  const uncoded = new Set<string>();
  for (const c of corpus.cases) {
    const r =
      c.kind === "credential"
        ? await verifyCredential(c.jwt, c.receipt, ctx)
        : await verifyPresentation(c.jwt, c.expect!, ctx);
    const checks: Check[] = [];
    walk(r, [], checks, "");
    for (const k of checks) {
      if (k.sentences === undefined) uncoded.add(k.code);
      else expect(k.sentences.map((s) => english(s.code, s.params)).join(" "), k.code).toBe(k.message);
    }
  }
  expect([...uncoded]).toEqual([]);
}, 120_000);
