// axe-core (WCAG 2 A/AA rules) run inside a playwright page; returns the violations, each with
// the selectors of the offending nodes, so a failing test says where.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol, so a page's Content-Security-Policy does not block it;
  // once per document (a single-page app is checked view after view in the same one): parsing
  // the 0.5 MB script took about a third of each check.
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(axeSource);
  return await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: Document,
            o: unknown,
          ): Promise<{
            violations: Array<{
              id: string;
              impact: string | null;
              help: string;
              nodes: Array<{ target: string[] }>;
            }>;
          }>;
        };
      }
    ).axe;
    // resultTypes: every violation and every offending node is still reported; passes, incomplete
    // and inapplicable results (never read here) are built for one node each instead of all.
    const r = await axe.run(document, {
      resultTypes: ["violations"],
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
}
