// Issue 9, defect 4: a read that meets damaged storage is 503 `storage.corrupt` (never 500, never
// the bytes or a stack), logged once per distinct damage with what broke.
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { LedgerError } from "@meritlog/ledger";
import { errorToProblem, sendProblem, storageDamage } from "../src/problem.js";

/** What classic-level / abstract-level throw (ModuleError with a code, the LevelDB status as cause). */
const levelError = (code: string, message: string, cause?: Error): Error =>
  Object.assign(new Error(message, cause ? { cause } : undefined), { code });

describe("storage damage", () => {
  it("maps LevelDB corruption, undecodable records and log.corrupt (also as a cause) to 503 storage.corrupt", () => {
    const cases = [
      levelError("LEVEL_CORRUPTION", "Corruption: block checksum mismatch"),
      levelError("LEVEL_DECODE_ERROR", "Could not decode value", new SyntaxError("Unexpected token")),
      new LedgerError("log.corrupt", "entry bundle 3 is missing"),
      new Error("reading the record failed", {
        cause: levelError("LEVEL_CORRUPTION", "Corruption: bad block"),
      }),
    ];
    for (const err of cases) {
      const p = errorToProblem(err);
      expect(p).toMatchObject({ status: 503, code: "storage.corrupt" });
      expect(p.detail).not.toMatch(/checksum|Unexpected token|bundle/);
      expect(storageDamage(err)).toBeDefined();
    }
    expect(storageDamage(new Error("boom"))).toBeUndefined();
    expect(errorToProblem(new Error("boom")).code).toBe("internal.error");
  });

  it("answers problem+json with Retry-After and logs each damage once", async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: "error", stream: { write: (l: string) => lines.push(l) } } });
    app.setErrorHandler((err, req, reply) => sendProblem(err, req, reply));
    app.get("/x", async () => {
      throw levelError("LEVEL_CORRUPTION", "Corruption: block checksum mismatch in 000005.ldb");
    });
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({ method: "GET", url: "/x" });
      expect(r.statusCode).toBe(503);
      expect(r.headers["content-type"]).toContain("application/problem+json");
      expect(r.headers["retry-after"]).toBeDefined();
      expect(r.json()).toMatchObject({ code: "storage.corrupt", status: 503 });
    }
    const logged = lines.filter((l) => l.includes("000005.ldb"));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("storageDamage");
    await app.close();
  });
});
