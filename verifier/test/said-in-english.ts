// A check's coded sentences said in English from the templates (report-sentences.ts) must be
// exactly its `message` (issue 12): a page that translates the codes says what the API says.
import { expect } from "vitest";
import { format } from "@meritlog/core";
import type { Check } from "../src/core/index.js";
import { REPORT_SENTENCES } from "../src/report-sentences.js";

/** Fails unless `c` carries sentences and they, said from the English templates, are its message. */
export function expectSaidInEnglish(c: Check | undefined): void {
  expect(c?.sentences, `${c?.code} has no sentences`).toBeDefined();
  expect(c!.sentences!.map((s) => format(REPORT_SENTENCES[s.code], s.params)).join(" "), c!.code).toBe(
    c!.message,
  );
}
