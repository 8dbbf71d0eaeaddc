// The meritlog JSON-LD context, the no-conversion notice and the error-code table.
import { describe, expect, it } from "vitest";
import {
  MERITLOG_CONTEXT_PATH,
  MERITLOG_CONTEXT_URL,
  NO_CONVERSION,
  NO_CONVERSION_NOTICES,
  SCHEMA_ERROR_CODES,
  SCHEMA_ERROR_STATUS,
  SchemaError,
  buildCredential,
  isNoConversionNotice,
  isSchemaError,
  meritlogContext,
  parseIssueRequest,
  type IssueRequest,
} from "@meritlog/schemas";
import { apiExamples, newDidKey, testdata } from "./fixtures.js";

// Terms defined by the VC 2.0 and Open Badges 3.0 contexts that our credentials use.
const VC_OB3_TERMS = new Set([
  "@context",
  "id",
  "type",
  "issuer",
  "validFrom",
  "validUntil",
  "name",
  "description",
  "credentialSubject",
  "evidence",
  "credentialStatus",
  "termsOfUse",
  "digestSRI",
  "statusPurpose",
  "statusListIndex",
  "statusListCredential",
  "url",
  "achievement",
  "achievementType",
  "criteria",
  "narrative",
  "activityStartDate",
  "activityEndDate",
  // OB 3.0 Achievement.image / Image.caption; VC 2.0 §5.3 relatedResource.
  "image",
  "caption",
  "relatedResource",
]);

describe("meritlog context", () => {
  it("is versioned in its URL and served at its path", () => {
    expect(MERITLOG_CONTEXT_URL).toMatch(/\/v\d+$/);
    expect(new URL(MERITLOG_CONTEXT_URL).pathname).toBe(MERITLOG_CONTEXT_PATH);
  });

  it("is JSON-LD 1.1 and is plain JSON (servable as is)", () => {
    expect(meritlogContext["@context"]["@version"]).toBe(1.1);
    expect(JSON.parse(JSON.stringify(meritlogContext))).toEqual(meritlogContext);
  });

  it("defines NoConversionNotice with its text and version", () => {
    const def = meritlogContext["@context"].NoConversionNotice;
    expect(def["@id"]).toBe(`${MERITLOG_CONTEXT_URL}#NoConversionNotice`);
    expect(Object.keys(def["@context"])).toEqual(expect.arrayContaining(["text", "version"]));
  });

  it("defines every member name our credentials use beyond VC 2.0 and Open Badges 3.0", () => {
    // Collect every member name in credentials built from every accepted fixture.
    const { cases } = testdata<{ cases: { kind: string; input: unknown; wantErr: string | null }[] }>(
      "requests.json",
    );
    const reqs = cases
      .filter((c) => c.kind === "issue" && c.wantErr === null)
      .map((c) => parseIssueRequest(c.input) as IssueRequest);
    const defined = new Set<string>(VC_OB3_TERMS);
    const collectDefs = (ctx: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(ctx)) {
        defined.add(k);
        if (v && typeof v === "object" && "@context" in v)
          collectDefs((v as { "@context": Record<string, unknown> })["@context"]);
      }
    };
    collectDefs(meritlogContext["@context"]);
    const used = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          used.add(k);
          walk(x);
        }
      }
    };
    for (const r of reqs) {
      walk(
        buildCredential(r, {
          id: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b",
          issuer: { id: newDidKey(), name: "A", url: "https://a.example" },
          validFrom: "2026-01-01T00:00:00Z",
          supersedes: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6c",
          renews: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6d",
          credentialStatus: [
            {
              id: "https://a.example/s#1",
              type: "BitstringStatusListEntry",
              statusPurpose: "revocation",
              statusListIndex: "1",
              statusListCredential: "https://a.example/s",
            },
          ],
        }),
      );
    }
    expect([...used].filter((k) => !defined.has(k))).toEqual([]);
    for (const t of ["MicroCredential", "Attribution", "MPUAuthorship"]) expect(defined.has(t)).toBe(true);
  });

  it("does not redefine the protected VC 2.0 core terms", () => {
    for (const k of ["id", "type", "name", "description", "digestSRI", "mediaType", "digestMultibase"]) {
      expect(meritlogContext["@context"]).not.toHaveProperty(k);
    }
  });
});

describe("no-conversion notice", () => {
  it("has the shape the verifier shows verbatim", () => {
    expect(NO_CONVERSION).toMatchObject({ type: "NoConversionNotice", version: "1" });
    expect(NO_CONVERSION.id).toMatch(/^https:\/\//);
    expect(NO_CONVERSION_NOTICES[NO_CONVERSION.version]).toBe(NO_CONVERSION);
    expect(Object.isFrozen(NO_CONVERSION)).toBe(true);
  });

  it("states every status the domain says a record never creates (DOMAIN.md 'The no-conversion rule')", () => {
    for (const word of [
      "certification",
      "accreditation",
      "licence",
      "degree",
      "employment",
      "compensation",
      "procurement",
      "supplier",
      "financeability",
      "insurability",
      "investment",
      "approval",
      "consent",
      "deployment",
      "execution",
      "transferred",
      "traded",
    ]) {
      expect(NO_CONVERSION.text, word).toContain(word);
    }
  });

  it("is plain, readable English: sentences of moderate length, no markup", () => {
    expect(NO_CONVERSION.text).not.toMatch(/[<>{}*_#]/);
    for (const sentence of NO_CONVERSION.text.split(". "))
      expect(sentence.split(" ").length).toBeLessThan(60);
  });

  it("recognises only published notices word for word", () => {
    expect(isNoConversionNotice({ ...NO_CONVERSION })).toBe(true);
    expect(isNoConversionNotice({ ...NO_CONVERSION, text: NO_CONVERSION.text + " " })).toBe(false);
    expect(isNoConversionNotice({ ...NO_CONVERSION, version: "0" })).toBe(false);
    expect(isNoConversionNotice({ ...NO_CONVERSION, version: "__proto__" })).toBe(false);
    expect(isNoConversionNotice({ ...NO_CONVERSION, type: "TermsOfUse" })).toBe(false);
    expect(isNoConversionNotice(null)).toBe(false);
  });

  it("is the notice in every built credential", () => {
    const ex = apiExamples(newDidKey());
    const c = buildCredential(parseIssueRequest(ex.attribution), {
      id: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b",
      issuer: { id: newDidKey(), name: "A" },
      validFrom: "2026-01-01T00:00:00Z",
    });
    expect(c.termsOfUse.some(isNoConversionNotice)).toBe(true);
  });
});

describe("error codes", () => {
  it("maps every code to a status: 400 for schema.invalid, 422 for claims.*", () => {
    expect(Object.keys(SCHEMA_ERROR_STATUS).sort()).toEqual([...SCHEMA_ERROR_CODES].sort());
    for (const c of SCHEMA_ERROR_CODES)
      expect(SCHEMA_ERROR_STATUS[c]).toBe(c.startsWith("schema.") ? 400 : 422);
  });
  it("every claims rule code is a declared code", () => {
    expect(SCHEMA_ERROR_CODES).toEqual(
      expect.arrayContaining([
        "claims.certification_implied",
        "claims.licensure_implied",
        "claims.approval_implied",
        "claims.accreditation_implied",
        "claims.procurement_implied",
        "claims.financial_field",
        "claims.transfer_field",
      ]),
    );
  });
  it("SchemaError carries code, status, path, issues and cause", () => {
    const cause = new Error("inner");
    const e = new SchemaError("claims.pii_field", "msg", {
      path: "subject.email",
      issues: [{ path: "subject.email", message: "m" }],
      cause,
      rule: "key:email",
    });
    expect(e).toMatchObject({
      name: "SchemaError",
      code: "claims.pii_field",
      status: 422,
      path: "subject.email",
      rule: "key:email",
      message: "msg",
    });
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(Error);
    expect(isSchemaError(e)).toBe(true);
    expect(isSchemaError(Object.assign(new Error("x"), { code: "schema.invalid" }))).toBe(false);
  });
});
