// VC Data Model 2.0 conformance (issue 13): the W3C test suite's inputs
// (testdata/interop/vc-dm2-test-suite.json, source named there), each signed as a VC-JWT by this
// test acting as the issuer, through POST /v1/verify. Every -fail input is invalid with a check
// naming the defect; every -ok input is valid or valid-with-warnings.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";

type Json = Record<string, unknown>;
type Check = {
  ok: unknown;
  code: string;
  message: string;
  defects?: { rule: string; path: string; message: string }[];
};
type Report = { verdict: string; checks: Record<string, Check> };
const suite = JSON.parse(
  readFileSync(new URL("../testdata/interop/vc-dm2-test-suite.json", import.meta.url), "utf8"),
) as { cases: { name: string; wantErr: boolean; input: Json }[] };

/**
 * What each -fail input breaks, as the schema check must name it (a word of its message or of one
 * of its `defects`). Every -fail input of the data file needs an entry: a new input without one
 * fails the test rather than passing unexplained.
 */
const WHY: Record<string, RegExp> = {
  "credential-not-url-id-fail": /id must be a single URL/,
  "credential-status-missing-type-fail": /credentialStatus entry must have a type/,
  "credential-subject-no-claims-fail": /at least one claim/,
  "credential-evidence-missing-type-fail": /evidence entry must have a type/,
  "credential-no-context-fail": /@context/,
  "credential-issuer-nonurl-fail": /issuer must be a URL/,
  "credential-status-nonurl-id-fail": /credentialStatus entry's id must be a URL/,
  "credential-missing-base-context-fail": /@context/,
  "credential-missing-required-type-fail": /VerifiableCredential/,
  "credential-issuer-object-no-id-fail": /issuer object must have an id/,
  "credential-termsofuse-no-type-fail": /termsOfUse entry must have a type/,
  "credential-context-combo3-fail": /further @context must be a URL/,
  "credential-context-combo4-fail": /further @context must be a URL/,
  "credential-id-nonidentifier-fail": /id must be a single URL/,
  "credential-id-nonsingle-fail": /id must be a single URL/,
  "credential-multi-id-fail": /id must be a single URL/,
  "credential-id-subject-multi-fail": /credential subject's id must be a URL/,
  "credential-issuer-no-url-fail": /issuer must be a URL/,
  "credential-issuer-null-fail": /issuer must be a URL/,
  "credential-issuer-object-id-not-url-fail": /issuer object must have an id that is a URL/,
  "credential-issuer-object-id-null-fail": /issuer object must have an id that is a URL/,
  "credential-no-issuer-fail": /issuer must be present|names no issuer/,
  "credential-no-subject-fail": /credentialSubject must be present|has no credentialSubject/,
  "credential-no-type-fail": /type must be present|type does not include "VerifiableCredential"/,
  "credential-proof-missing-type-fail": /proof entry must have a type/,
  "credential-refresh-no-id-fail": /refreshService entry's id must be a URL/,
  "credential-refresh-no-type-fail": /refreshService entry must have a type/,
  "credential-refresh-non-url-id-fail": /refreshService entry's id must be a URL/,
  "credential-schema-no-id-fail": /credentialSchema entry's id must be a URL/,
  "credential-schema-no-type-fail": /credentialSchema entry must have a type/,
  "credential-schema-non-url-id-fail": /credentialSchema entry's id must be a URL/,
  "credential-status-multiple-id-fail": /credentialStatus entry's id must be a URL/,
  "credential-subject-multiple-empty-fail": /at least one claim/,
  "credential-context-combo5-fail": /further @context must be a URL/,
  "credential-issuer-object-id-no-url-fail": /issuer object must have an id that is a URL/,
  "credential-nonsingle-id-fail": /id must be a single URL/,
  "credential-status-type-nonurl-fail": /credentialStatus entry must have a type/,
  "credential-termsofuse-missing-type-fail": /termsOfUse entry must have a type/,
};

/** Inputs whose defect is the missing issuer: the test's issuer is not filled in for them. */
const NO_ISSUER = new Set(["credential-no-issuer-fail"]);

const issuer = newHolder();
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/**
 * Signs an input as the test suite's issuer would: it becomes the issuer (its DID replaces a
 * well-formed issuer URL, or fills a missing one); a malformed issuer is left as it is, since it
 * is the defect under test. VC-JWT per VC-JOSE-COSE / OB 3.0 §8.2.4.1: the payload is the
 * credential plus iss (and jti when the credential has an id).
 */
function sign(input: Json, keepMissingIssuer = false): string {
  const c = structuredClone(input);
  const wellFormed = (v: unknown) => typeof v === "string" && /^[a-z][a-z0-9+.-]*:\S+$/i.test(v);
  if ((c.issuer === undefined && !keepMissingIssuer) || wellFormed(c.issuer)) c.issuer = issuer.did;
  else if (typeof c.issuer === "object" && c.issuer !== null && wellFormed((c.issuer as Json).id))
    c.issuer = { ...(c.issuer as Json), id: issuer.did };
  const claims: Json = { ...c, iss: issuer.did };
  if (typeof c.id === "string") claims.jti = c.id;
  return issuer.signJwt({ alg: "EdDSA", kid: issuer.kid, typ: "JWT" }, claims);
}

describe("W3C VC Data Model 2.0 test suite inputs, signed as VC-JWTs, through /v1/verify", () => {
  expect(suite.cases.length).toBeGreaterThanOrEqual(60);
  for (const c of suite.cases) {
    it(c.name, async () => {
      const r = await call(server.url, "POST", "/v1/verify", {
        body: { credential: sign(c.input, NO_ISSUER.has(c.name)) },
      });
      expect(r.status, r.text).toBe(200);
      const report = r.body as Report;
      expect(report.checks.signature!.ok, JSON.stringify(report.checks.signature)).toBe(true);
      if (c.wantErr) {
        expect(report.verdict).toBe("invalid");
        const why = WHY[c.name];
        expect(why, `no expected reason for ${c.name}`).toBeDefined();
        expect(report.checks.schema!.ok).toBe(false);
        const named = [
          report.checks.schema!.message,
          ...(report.checks.schema!.defects ?? []).map((d) => d.message),
        ];
        expect(
          named.some((m) => why!.test(m)),
          JSON.stringify(named),
        ).toBe(true);
      } else {
        expect(["valid", "valid-with-warnings"], JSON.stringify(report.checks)).toContain(report.verdict);
        expect(report.checks.schema!.ok).toBe(true);
      }
    });
  }
});

describe("VC Data Model 2.0 presentations", () => {
  const holder = newHolder();
  async function present(verifiableCredential: unknown[]): Promise<Report> {
    const ch = (await call(server.url, "GET", "/v1/challenges")).body as { nonce: string; audience: string };
    const vp = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      holder: holder.did,
      verifiableCredential,
      iss: holder.did,
      aud: ch.audience,
      nonce: ch.nonce,
    };
    const r = await call(server.url, "POST", "/v1/verify", {
      body: {
        presentation: holder.signJwt({ alg: "EdDSA", kid: holder.kid, typ: "JWT" }, vp),
        nonce: ch.nonce,
        audience: ch.audience,
      },
    });
    expect(r.status, r.text).toBe(200);
    return r.body as Report;
  }
  const credential = () =>
    sign({
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiableCredential"],
      validFrom: "2026-01-01T00:00:00Z",
      credentialSubject: { id: holder.did, skill: "repair" },
    });

  it("refuses a bare JWT string where an EnvelopedVerifiableCredential belongs, naming it", async () => {
    const report = await present([credential()]);
    expect(report.verdict).toBe("invalid");
    expect(report.checks.schema).toMatchObject({ ok: false, code: "schema.data_model" });
    expect(report.checks.schema!.message).toMatch(/EnvelopedVerifiableCredential/);
  });

  it("accepts the credential enveloped as VC-JOSE-COSE defines it (data:application/vc+jwt)", async () => {
    const report = await present([
      {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        id: `data:application/vc+jwt,${credential()}`,
        type: "EnvelopedVerifiableCredential",
      },
    ]);
    expect(report.checks.schema).toBeUndefined();
    expect(report.checks.holder?.ok ?? true, JSON.stringify(report.checks)).not.toBe(false);
    expect(["valid", "valid-with-warnings"]).toContain(report.verdict);
  });
});
