import { readFile } from "node:fs/promises";
import { describe, expect, expectTypeOf, it } from "vitest";
import { SchemaError, type SchemaErrorCode } from "@meritlog/schemas";
import { LedgerError, type LedgerErrorCode } from "@meritlog/ledger";
import type { IssuerErrorCode } from "@meritlog/issuer";
import type { VerifierErrorCode } from "@meritlog/verifier";
import {
  ERROR_STATUS,
  SERVER_ERROR_STATUS,
  errorToProblem,
  isErrorCode,
  problem,
  type ErrorCode,
  type ServerErrorCode,
} from "../src/problem.js";

const apiDoc = await readFile(new URL("../../docs/API.md", import.meta.url), "utf8");
const documented = new Map(
  [...apiDoc.matchAll(/^\| `([a-z0-9_.]+)` +\| (\d{3}) +\|$/gm)].map((m) => [m[1]!, Number(m[2])] as const),
);

describe("error code table", () => {
  it("documents every code with its status in docs/API.md, and nothing else", () => {
    expect(Object.fromEntries(documented)).toEqual({ ...ERROR_STATUS });
  });

  it("keeps codes stable-looking: dotted, lower case", () => {
    for (const code of Object.keys(ERROR_STATUS)) expect(code).toMatch(/^[a-z0-9_]+\.[a-z0-9_.]+$/);
  });
});

describe("errorToProblem", () => {
  it("keeps a package's code, status and field pointer", () => {
    const p = errorToProblem(
      new SchemaError("claims.certification_implied", "name implies certification", {
        path: "achievement.name",
      }),
    );
    expect(p).toMatchObject({
      status: 422,
      code: "claims.certification_implied",
      path: "achievement.name",
      type: "urn:meritlog:problem:claims.certification_implied",
    });
  });

  it("maps overload to 503", () => {
    expect(errorToProblem(new LedgerError("log.overloaded", "busy")).status).toBe(503);
  });

  it("maps Fastify's parser errors to our codes", () => {
    expect(
      errorToProblem(
        Object.assign(new Error("bad"), { code: "FST_ERR_CTP_INVALID_JSON_BODY", statusCode: 400 }),
      ).code,
    ).toBe("http.bad_json");
    expect(
      errorToProblem(Object.assign(new Error("big"), { code: "FST_ERR_CTP_BODY_TOO_LARGE", statusCode: 413 }))
        .status,
    ).toBe(413);
  });

  it("never leaks the message of an unexpected error", () => {
    const p = errorToProblem(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(p.status).toBe(500);
    expect(p.code).toBe("internal.error");
    expect(JSON.stringify(p)).not.toContain("secret");
  });
});

describe("error code table types (checked by `tsc -p tsconfig.tests.json` in npm test)", () => {
  it("covers exactly the union of every package's code union", () => {
    // Equal key sets: a code missing from the table, or a key no package declares, fails tsc here.
    expectTypeOf<keyof typeof ERROR_STATUS>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<
      SchemaErrorCode | LedgerErrorCode | IssuerErrorCode | VerifierErrorCode | ServerErrorCode
    >().toEqualTypeOf<ErrorCode>();
    // A table that forgets a package's codes does not type as the full table.
    // @ts-expect-error the server's codes alone miss every package code
    const partial: Record<ErrorCode, number> = { ...SERVER_ERROR_STATUS };
    expect(Object.keys(partial).length).toBeLessThan(Object.keys(ERROR_STATUS).length);
  });

  it("lets problem() answer only with a known code", () => {
    const answer = (): unknown =>
      // @ts-expect-error "http.teapot" is no package's code, so it cannot reach a client
      problem("http.teapot", "I'm a teapot");
    expect(typeof answer).toBe("function");
    expect(problem("credential.not_found", "no such credential").status).toBe(404);
    expect(isErrorCode("http.teapot")).toBe(false);
    expect(isErrorCode("claims.financial_field")).toBe(true);
    expect(isErrorCode("toString")).toBe(false); // own keys only, not Object.prototype
  });
});
