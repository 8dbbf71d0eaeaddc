// The JSON-LD rules of context-expansion.ts on their own: which documents are expanded at all,
// what expansion finds (VC Data Model 2.0 §4.3, §4.5, §5.2), and what a report shows for it.
import { describe, expect, it } from "vitest";
import { contextDefects, withContextRules } from "../src/context-expansion.js";
import type { Check, VerificationReport } from "../src/index.js";
import { expectSaidInEnglish } from "./said-in-english.js";

const V2 = "https://www.w3.org/ns/credentials/v2";
const OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
type Json = Record<string, unknown>;

const credential = (over: Json = {}): Json => ({
  "@context": [V2],
  type: ["VerifiableCredential"],
  issuer: "did:example:issuer",
  credentialSubject: { id: "did:example:subject", skill: "welding" },
  ...over,
});

function report(c: Json, schema: Partial<Check> = {}): VerificationReport {
  return {
    verdict: "valid-with-warnings",
    kind: "credential",
    checks: {
      signature: { ok: true, code: "signature.valid", message: "" },
      schema: { ok: true, code: "schema.foreign", message: "", ...schema },
      issuer: { ok: true, code: "issuer.unregistered", message: "", warning: true },
    },
    credential: c,
    checkedAt: "2026-01-01T00:00:00Z",
  };
}

describe("which documents are expanded", () => {
  it("leaves a document whose contexts are all bundled URLs alone (no expansion, nothing to find)", async () => {
    expect(await contextDefects(credential())).toBeUndefined();
    expect(await contextDefects(credential({ "@context": [V2, OB3] }))).toBeUndefined();
    // An undefined type there is not looked for: only a context of the document's own brings expansion.
    expect(await contextDefects(credential({ type: ["VerifiableCredential", "Unmapped"] }))).toBeUndefined();
  });

  it("does not expand a document that also names a context it does not bundle, and says why", async () => {
    const out = await contextDefects(
      credential({ "@context": [V2, "https://example.org/ctx", { X: "https://example.org/#X" }] }),
    );
    expect(out).toEqual({ expanded: false, reason: expect.stringContaining("https://example.org/ctx") });
  });

  it("does not expand an inline context beyond the size limit", async () => {
    const big: Json = {};
    for (let i = 0; i < 2000; i++) big[`term${i}`] = `https://example.org/terms#t${i}`;
    expect(await contextDefects(credential({ "@context": [V2, big] }))).toEqual({
      expanded: false,
      reason: expect.stringMatching(/too large/),
    });
  });
});

describe("what expansion finds", () => {
  it("passes well-defined inline contexts, types mapped by them, by bundled contexts or written as URLs", async () => {
    const out = await contextDefects(
      credential({
        "@context": [V2, OB3, { Extra: "https://example.org/#Extra" }],
        type: ["VerifiableCredential", "OpenBadgeCredential", "Extra", "https://example.org/#Url"],
        credentialSubject: {
          id: "did:example:subject",
          type: ["AchievementSubject"],
          achievement: { id: "urn:uuid:1", type: ["Achievement"], name: "A", criteria: { narrative: "n" } },
        },
      }),
    );
    expect(out).toEqual({ expanded: true, defects: [] });
  });

  it("names a protected term redefined, at the top or in a nested context (§5.2)", async () => {
    const top = await contextDefects(
      credential({ "@context": [V2, { VerifiableCredential: "https://example.org/#Bad" }] }),
    );
    expect(top).toMatchObject({ expanded: true, defects: [{ rule: "contexts" }] });
    expect((top as { defects: { message: string }[] }).defects[0]!.message).toMatch(/protected term/);
    const nested = await contextDefects(
      credential({
        credentialSubject: {
          // `name` is a protected term of the base context, in force in every node below it.
          "@context": { name: "https://example.org/#name" },
          id: "did:example:s",
          name: "n",
        },
      }),
    );
    expect(nested).toMatchObject({
      expanded: true,
      defects: [{ message: expect.stringMatching(/protected term/) }],
    });
  });

  it("names a type no context defines once a context of the document's own is there (§4.5)", async () => {
    const out = await contextDefects(
      credential({ "@context": [V2, { "@vocab": null }], type: ["VerifiableCredential", "Nowhere"] }),
    );
    expect(out).toEqual({
      expanded: true,
      defects: [{ path: "type", rule: "types", message: expect.stringContaining('"Nowhere"') }],
    });
  });

  it("names a term mapped to something that is not an IRI (§4.3)", async () => {
    const out = await contextDefects(credential({ "@context": [V2, { T: "//not-a-url#T" }], type: ["T"] }));
    expect(out).toMatchObject({
      expanded: true,
      defects: [{ message: expect.stringMatching(/absolute IRI/) }],
    });
  });
});

describe("what the report shows", () => {
  it("fails the schema check and the verdict when expansion finds a defect", async () => {
    const r = await withContextRules(
      report(credential({ "@context": [V2, { VerifiableCredential: "https://example.org/#Bad" }] })),
    );
    expect(r.verdict).toBe("invalid");
    expect(r.checks.schema).toMatchObject({
      ok: false,
      code: "schema.data_model",
      jsonLd: { expanded: true },
    });
    expectSaidInEnglish(r.checks.schema);
  });

  it("notes a document it could not expand, without changing the verdict", async () => {
    const r = await withContextRules(
      report(credential({ "@context": [V2, "https://example.org/ctx", { X: "https://example.org/#X" }] })),
    );
    expect(r.verdict).toBe("valid-with-warnings");
    expect(r.checks.schema).toMatchObject({ ok: true, jsonLd: { expanded: false } });
  });

  it("leaves reports alone whose signature or schema already failed", async () => {
    const bad = credential({ "@context": [V2, { VerifiableCredential: "https://example.org/#Bad" }] });
    const r = report(bad, { ok: false, code: "schema.data_model", message: "x" });
    r.verdict = "invalid";
    const before = structuredClone(r);
    expect(await withContextRules(r)).toEqual(before);
  });

  it("judges each credential of a presentation and the presentation itself", async () => {
    const child = report(
      credential({ "@context": [V2, { VerifiableCredential: "https://example.org/#Bad" }] }),
    );
    const vp: VerificationReport = {
      verdict: "valid-with-warnings",
      kind: "presentation",
      checks: {
        signature: { ok: true, code: "signature.valid", message: "" },
        holder: { ok: true, code: "holder.bound", message: "" },
      },
      presentation: { "@context": [V2], type: ["VerifiablePresentation"], iss: "did:example:h" },
      credentials: [child],
      checkedAt: "2026-01-01T00:00:00Z",
    };
    const r = await withContextRules(vp);
    expect(r.credentials![0]!.verdict).toBe("invalid");
    expect(r.verdict).toBe("invalid");
  });
});
