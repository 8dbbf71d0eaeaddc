import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { SchemaError } from "@meritlog/schemas";
import { LedgerError } from "@meritlog/ledger";
import { ERROR_STATUS, errorToProblem } from "../src/problem.js";

const apiDoc = await readFile(new URL("../../docs/API.md", import.meta.url), "utf8");
const documented = new Map(
  [...apiDoc.matchAll(/^\| `([a-z0-9_.]+)` \| (\d{3}) \|$/gm)].map((m) => [m[1]!, Number(m[2])] as const),
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
    const p = errorToProblem(new SchemaError("claims.certification_implied", "name implies certification", { path: "achievement.name" }));
    expect(p).toMatchObject({ status: 422, code: "claims.certification_implied", path: "achievement.name", type: "urn:meritlog:problem:claims.certification_implied" });
  });

  it("maps overload to 503", () => {
    expect(errorToProblem(new LedgerError("log.overloaded", "busy")).status).toBe(503);
  });

  it("maps Fastify's parser errors to our codes", () => {
    expect(errorToProblem(Object.assign(new Error("bad"), { code: "FST_ERR_CTP_INVALID_JSON_BODY", statusCode: 400 })).code).toBe("http.bad_json");
    expect(errorToProblem(Object.assign(new Error("big"), { code: "FST_ERR_CTP_BODY_TOO_LARGE", statusCode: 413 })).status).toBe(413);
  });

  it("never leaks the message of an unexpected error", () => {
    const p = errorToProblem(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(p.status).toBe(500);
    expect(p.code).toBe("internal.error");
    expect(JSON.stringify(p)).not.toContain("secret");
  });
});
