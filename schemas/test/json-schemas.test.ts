// JSON Schema export for OpenAPI: every schema compiles under a draft 2020-12 validator (ajv 8,
// strict mode), and the exported schemas agree with the zod schemas on the fixture corpus.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { REQUEST_SCHEMAS, jsonSchemas } from "@meritlog/schemas";
import { apiExamples, newDidKey, testdata } from "./fixtures.js";

const schemas = jsonSchemas();
// Formats (date-time, uri, …) are annotations here; zod enforces them.
const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });

describe("jsonSchemas()", () => {
  it("exports every request type by name, including the two the OpenAPI document uses", () => {
    expect(Object.keys(schemas).sort()).toEqual(Object.keys(REQUEST_SCHEMAS).sort());
    expect(schemas).toHaveProperty("IssueRequest");
    expect(schemas).toHaveProperty("OfferRequest");
  });

  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name} is a valid draft 2020-12 schema`, () => {
      expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
      expect(() => ajv.compile(schema)).not.toThrow();
    });
  }

  it("returns fresh copies", () => {
    (jsonSchemas().IssueRequest as Record<string, unknown>).mutated = true;
    expect(jsonSchemas().IssueRequest).not.toHaveProperty("mutated");
  });

  it("IssueRequest accepts the API.md examples and refuses unknown keys, like zod", () => {
    const validate = ajv.compile(schemas.IssueRequest!);
    const ex = apiExamples(newDidKey());
    for (const body of [ex.microCredential(), ex.attribution, ex.mpuAuthorship]) {
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ ...body, unknown: 1 })).toBe(false);
    }
    expect(validate({ ...ex.attribution, type: "Diploma" })).toBe(false);
  });

  it("agrees with zod on every schema.invalid fixture that JSON Schema can express", () => {
    const issue = ajv.compile(schemas.IssueRequest!);
    const offer = ajv.compile(schemas.OfferRequest!);
    const { cases } = testdata<{
      cases: { desc: string; kind: string; input: unknown; wantErr: string | null }[];
    }>("requests.json");
    // Refinements JSON Schema cannot state: blank or bidi text, window order, duplicate authors, did:key multibase,
    // exactly one "holder" author, activity date order.
    const zodOnly =
      /blank|right-to-left|before validFrom|listed twice|base58btc|javascript|"holder" author|activityEndDate before/;
    for (const c of cases) {
      const v = c.kind === "issue" ? issue : offer;
      const ok = v(c.input);
      if (c.wantErr === null || c.wantErr.startsWith("claims.")) {
        // Claims rules are not JSON Schema; field-rule cases have extra keys and fail there.
        if (c.wantErr === null) expect(ok, `${c.desc}: ${JSON.stringify(v.errors)}`).toBe(true);
      } else if (c.wantErr === "schema.image_refused") {
        // The image rules (type by magic bytes, https with a digest, 64 KB) run after the schema (image.ts).
        expect(ok, `${c.desc}: ${JSON.stringify(v.errors)}`).toBe(true);
      } else if (!zodOnly.test(c.desc)) {
        expect(ok, c.desc).toBe(false);
      }
    }
  });
});
