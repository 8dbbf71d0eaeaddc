// Prints the plain closing line "N passed, N failed, N skipped" after vitest's own summary and
// after the coverage summary (hence at process exit), so CI logs end with one line that any
// reader (or tool) can count.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failedHere += 1;
        else skipped += 1;
      }
      // A file that failed without a failed test: it did not load, or a hook (beforeAll, afterAll) failed.
      failed += mod.state() === "failed" && failedHere === 0 ? 1 : failedHere;
    }
    const line = `\n${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.once("exit", () => console.log(line));
  }
}
