// A report check said in French quotes no English detail (issue 12 "Two languages"): every
// `detail` / `why` its sentences quote is coded (verifier report-details.ts), the code said in
// English is exactly the quoted text, and the check said in French as the pages say it
// (server/public/verify/report-said.js) holds none of those English texts.
import { expect } from "vitest";
import { REPORT_DETAILS, REPORT_SENTENCES, type Check, type Detail, type Sentence } from "@meritlog/verifier";
// @ts-expect-error -- a plain ES module served to browsers as is (no types, no build step)
import { MESSAGES } from "../../server/public/verify/messages.js";
// @ts-expect-error -- a plain ES module served to browsers as is (no types, no build step)
import { sayCheck, saySentence } from "../../server/public/verify/report-said.js";

type Catalogue = Record<string, string>;
type Shown = (p: Record<string, unknown>) => Record<string, unknown>;
const FR = (MESSAGES as Record<"en" | "fr", Catalogue>).fr;
const say = saySentence as (s: Sentence | Detail, m: Catalogue, shown?: Shown) => string | undefined;
const sayAll = sayCheck as (c: Check, m: Catalogue, shown?: Shown) => string | undefined;
const TEMPLATES: Record<string, string> = { ...REPORT_SENTENCES, ...REPORT_DETAILS };
/** Parameters that are details themselves (report-details.ts). */
const NESTED = ["detail", "why", "first", "rest"];

/** `what` in French, as the pages show it (report-view.js sentenceParams). */
const frenchWhat: Shown = (p) =>
  typeof p.what === "string" && FR[`report.what.${p.what}`] ? { ...p, what: FR[`report.what.${p.what}`] } : p;

/** A coded sentence or detail said from the English templates (as the API says it). */
function english(s: Sentence | Detail): string {
  const params: Record<string, string | number> = { ...s.params };
  for (const [k, d] of Object.entries(s.details ?? {})) params[k] = english(d);
  return TEMPLATES[s.code]!.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** Every detail under `s`, nested ones included. */
function detailsOf(s: Sentence | Detail): Detail[] {
  return Object.values(s.details ?? {}).flatMap((d) => [d, ...detailsOf(d)]);
}

/**
 * Fails unless every detail `c` quotes is coded, says exactly its English, and `c` said in French
 * holds no English detail. Returns the codes of the details seen.
 */
export function expectSaidInFrench(c: Check, where = c.code): string[] {
  expect(c.sentences, `${where} has no sentences`).toBeDefined();
  const codes: string[] = [];
  for (const s of c.sentences!) {
    for (const p of ["detail", "why"]) {
      const text = s.params?.[p];
      if (typeof text !== "string") continue;
      expect(s.details?.[p], `${where}: uncoded ${p} "${text}"`).toBeDefined();
      expect(english(s.details![p]!), where).toBe(text);
    }
    for (const d of detailsOf(s)) {
      codes.push(d.code);
      for (const p of NESTED)
        if (typeof d.params?.[p] === "string")
          expect(d.details?.[p], `${where}: uncoded nested ${p} "${d.params[p]}"`).toBeDefined();
    }
  }
  const fr = sayAll(c, FR, frenchWhat);
  expect(fr, where).toBeDefined();
  expect(fr, where).not.toMatch(/\{(detail|why|first|rest)\}/);
  // Each detail said in English is absent from the French, unless it is only values (an HTTP
  // status, a list of algorithms), the same in both languages.
  for (const s of c.sentences!)
    for (const d of detailsOf(s)) {
      const en = english(d);
      if (say(d, FR, frenchWhat) === en) continue;
      expect(fr, `${where}: English "${en}" in "${fr}"`).not.toContain(en);
    }
  return codes;
}
