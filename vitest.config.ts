import { defineConfig } from "vitest/config";

// Tests run against package sources through the "@meritlog/source" export condition,
// so `vitest run` needs no build; `npm test` still builds first (tsc -b is the type-check).
const RESTART_TEST = "tests/pg-db-restart.test.ts";

export default defineConfig({
  resolve: { conditions: ["@meritlog/source"] },
  ssr: { resolve: { conditions: ["@meritlog/source"], externalConditions: ["@meritlog/source"] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./scripts/summary-reporter.ts"],
    // tests/pg-db-restart.test.ts restarts the PostgreSQL cluster every PostgreSQL test uses: it runs
    // in a group of its own after every other file has finished (sequence.groupOrder).
    // Each project names its files (a project's include is added to the root's, not put in its place).
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["*/test/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**", RESTART_TEST],
        },
      },
      {
        extends: true,
        test: { name: "database-restart", include: [RESTART_TEST], sequence: { groupOrder: 1 } },
      },
    ],
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
