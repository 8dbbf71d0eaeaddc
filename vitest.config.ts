import { defineConfig } from "vitest/config";

// Tests run against package sources through the "@meritlog/source" export condition,
// so `vitest run` needs no build; `npm test` still builds first (tsc -b is the type-check).
export default defineConfig({
  resolve: { conditions: ["@meritlog/source"] },
  ssr: { resolve: { conditions: ["@meritlog/source"], externalConditions: ["@meritlog/source"] } },
  test: {
    include: ["*/test/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./scripts/summary-reporter.ts"],
    // `npm test` runs with --coverage: the floor below is what the suite meets today, so a
    // change that drops coverage fails CI. Child processes (system tests over a real port)
    // are not counted; the in-process tests cover the same code.
    coverage: {
      provider: "v8",
      include: ["*/src/**/*.ts"],
      exclude: ["**/*.d.ts"],
      reporter: ["text-summary"],
      thresholds: { statements: 75, branches: 70, functions: 70, lines: 76 },
    },
  },
});
