import { describe, expect, it } from "vitest";
import { availableParallelism } from "node:os";
import { configFromEnv } from "../src/config.js";
import { defaultIssuanceWorkers } from "../src/cores.js";

describe("default issuance worker threads (docs/ARCHITECTURE.md 'Every core')", () => {
  it("is one per core beyond the event loop's, none on one core, at most 4", () => {
    expect(defaultIssuanceWorkers(1)).toBe(0);
    expect(defaultIssuanceWorkers(2)).toBe(1);
    expect(defaultIssuanceWorkers(3)).toBe(2);
    expect(defaultIssuanceWorkers(64)).toBe(4);
  });

  it("is what the server uses unless MERITLOG_ISSUANCE_WORKERS says otherwise", () => {
    expect(configFromEnv({}).issuanceWorkers).toBe(defaultIssuanceWorkers(availableParallelism()));
    expect(configFromEnv({ MERITLOG_ISSUANCE_WORKERS: "0" }).issuanceWorkers).toBe(0);
    expect(configFromEnv({ MERITLOG_ISSUANCE_WORKERS: "3" }).issuanceWorkers).toBe(3);
    expect(configFromEnv({}, { issuanceWorkers: 0 }).issuanceWorkers).toBe(0);
    expect(() => configFromEnv({ MERITLOG_ISSUANCE_WORKERS: "two" })).toThrow(/MERITLOG_ISSUANCE_WORKERS/);
  });
});
