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
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed += 1; // a file that failed to load
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
    }
    const line = `\n${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.once("exit", () => console.log(line));
  }
}
