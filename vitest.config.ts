import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Tests run against package sources through the "@meritlog/source" export condition,
// so `vitest run` needs no build; `npm test` still builds first (tsc -b is the type-check).
const RESTART_TEST = "tests/pg-db-restart.test.ts";
/**
 * The system test files the "postgres" project does not run, by reason; tests/backend-selection
 * .test.ts checks each reason against the file's text, so a file that starts using a server or a
 * store cannot stay skipped on PostgreSQL unnoticed.
 */
export const POSTGRES_PROJECT_SKIPS = {
  // Already on PostgreSQL in the "leveldb" project: they make their own schemas (createTestSchema)
  // and PostgreSQL servers whatever the project says.
  alreadyOnPostgres: [
    "tests/pg-migrate-stores.test.ts",
    "tests/pg-migrate.test.ts",
    "tests/pg-pathways-provenance.test.ts",
    "tests/pg-server.test.ts",
    "tests/pg-stores.test.ts",
    "tests/pg-backup.test.ts",
    "tests/pg-frozen-node.test.ts",
    "tests/pg-migrate-every-state.test.ts",
    "tests/pg-mpu-cosign.test.ts",
    "tests/pg-multinode.test.ts",
    "tests/pg-tokens.test.ts",
  ],
  // They damage, copy, back up or crash-test LevelDB files and folders (ldb/log/MANIFEST bytes,
  // value checksums, `meritlog fsck`/`restore` of a data folder, SIGKILL of a LevelDB log): no
  // PostgreSQL code runs in them. PostgreSQL crash and restart durability has its own tests.
  levelDbFiles: [
    "tests/storage-damage.test.ts",
    "tests/storage-integrity.test.ts",
    "tests/storage-fsck-backup.test.ts",
    "tests/value-checksums.test.ts",
    "tests/ledger-durability.test.ts",
  ],
  // They start no server and open no store: verification over fixtures (interop vectors, did:web
  // Data Integrity, the /verify page over the verifier corpus) and the guarded fetcher against
  // local TLS servers.
  noStorage: [
    "tests/foreign-log-consistency.test.ts",
    "tests/foreign-log-large.test.ts",
    "tests/data-integrity-did-web.test.ts",
    "tests/verify-page.test.ts",
    "tests/guarded-fetch.test.ts",
  ],
};

export default defineConfig({
  resolve: { conditions: ["@meritlog/source"] },
  ssr: { resolve: { conditions: ["@meritlog/source"], externalConditions: ["@meritlog/source"] } },
  test: {
    // Issue 10: the whole system suite (tests/*.test.ts) runs against both storage backends. The
    // backend is chosen in one place, tests/helpers/backend.ts, from MERITLOG_TEST_BACKEND; the
    // "postgres" project gives every server a fresh schema of the local test database
    // (127.0.0.1:5432/test, override with MERITLOG_TEST_DATABASE_URL) and fails loudly, never
    // skips, when that database does not answer.
    projects: [
      {
        extends: true,
        test: {
          name: "units",
          include: ["*/test/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "leveldb",
          include: ["tests/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**", RESTART_TEST],
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["tests/**/*.test.ts"],
          exclude: [
            "**/node_modules/**",
            "**/dist/**",
            ...POSTGRES_PROJECT_SKIPS.alreadyOnPostgres,
            ...POSTGRES_PROJECT_SKIPS.levelDbFiles,
            ...POSTGRES_PROJECT_SKIPS.noStorage,
            RESTART_TEST,
          ],
          env: { MERITLOG_TEST_BACKEND: "postgres" },
          setupFiles: ["tests/helpers/pg-setup.ts"],
        },
      },
      // tests/pg-db-restart.test.ts restarts the PostgreSQL cluster every PostgreSQL test uses: it
      // runs in a group of its own after every other file has finished (sequence.groupOrder).
      {
        extends: true,
        test: { name: "database-restart", include: [RESTART_TEST], sequence: { groupOrder: 1 } },
      },
    ],
    // Test files share a worker's modules (`isolate: false`): importing the TypeScript sources
    // anew for each file cost ~2 s of CPU per file (the package tests alone went from 220 to 79 s,
    // the whole suite from ~13 to ~7 minutes). Every file makes its own stores, servers, browsers
    // and caches; the one module mock clears the module cache first (server/test/openapi.test.ts).
    isolate: false,
    // vitest's default is one worker per core but one, i.e. a single worker on this 2-core
    // machine, which left a core idle while a system test waited on fsync, PostgreSQL, chromium
    // or a child process. Two workers overlap those waits, which pays for running the system
    // suite on both backends within npm test's 15-minute budget (issue 10).
    maxWorkers: Math.max(2, availableParallelism() - 1),
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
