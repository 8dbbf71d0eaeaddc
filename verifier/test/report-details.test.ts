// Every English detail template is read back by codeDetail from a text it says, whatever the
// parameter values (fast-check), and a text no template says is left uncoded.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { codeDetail, REPORT_DETAILS } from "../src/report-details.js";
import type { Detail } from "../src/core/index.js";

const say = (template: string, params: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? `{${n}}`);

/** The English a coded detail says, its nested details said in turn. */
function sayDetail(d: Detail): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.params ?? {})) params[k] = String(v);
  for (const [k, v] of Object.entries(d.details ?? {})) params[k] = sayDetail(v);
  return say((REPORT_DETAILS as Record<string, string>)[d.code] ?? "", params);
}

describe("report details", () => {
  it("reads back every template's text, for any parameter values", () => {
    const value = fc.string({ minLength: 1, maxLength: 40 });
    for (const [code, template] of Object.entries(REPORT_DETAILS)) {
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      fc.assert(
        fc.property(fc.array(value, { minLength: names.length, maxLength: names.length }), (values) => {
          const text = say(template, Object.fromEntries(names.map((n, i) => [n, values[i]!])));
          const d = codeDetail(text);
          // Another, more specific template may say the same text; it must say exactly it.
          expect(d, `${code}: ${text}`).toBeDefined();
          if (d!.code.startsWith("detail.")) expect(sayDetail(d!), code).toBe(text);
        }),
        { numRuns: 30 },
      );
    }
  });

  it("leaves a text no template says uncoded", () => {
    expect(codeDetail("Something no part of the verifier ever says.")).toBeUndefined();
    expect(codeDetail("x".repeat(5000))).toBeUndefined();
  });
});
