import { describe, expect, it } from "vitest";
import { buildCredential, parseIssueRequest, type IssueRequest } from "@meritlog/schemas";
import { checkSchema } from "../src/core/schema-check.js";
import { verdictOf } from "../src/core/report.js";
import { apiExamples } from "../../tests/helpers/api-examples.js";
import { keyFromSeed } from "./fixtures.js";

// Issue 11: an MPU authorship credential whose subject is not among the MPU's authors claims an
// authorship the MPU does not record. The verifier fails the schema check (verdict invalid).

const author = keyFromSeed("author").did;
const stranger = keyFromSeed("stranger").did;
const issuer = keyFromSeed("issuer").did;

function mpuCredential(subject: string): Record<string, unknown> {
  const req = parseIssueRequest(apiExamples(author).mpuAuthorship) as IssueRequest;
  // Built without the issuance check (claims.subject_not_author), as a careless or older issuer could.
  const wrong = { ...req, subject: { id: subject } } as IssueRequest;
  return buildCredential(wrong, {
    id: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b",
    issuer: { id: issuer, name: "A" },
    validFrom: "2026-01-01T00:00:00Z",
  }) as unknown as Record<string, unknown>;
}

describe("MPU authorship: the subject must be an author", () => {
  it("passes when the subject is an author", () => {
    const c = checkSchema(mpuCredential(author), true);
    expect(c).toMatchObject({ ok: true, code: "schema.valid" });
  });

  it("fails schema.subject_not_author, and the verdict is invalid, when the subject is not an author", () => {
    const c = checkSchema(mpuCredential(stranger), true);
    expect(c).toMatchObject({ ok: false, code: "schema.subject_not_author" });
    expect(verdictOf({ schema: c })).toBe("invalid");
  });
});
