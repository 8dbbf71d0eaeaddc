// VC Data Model 2.0 conformance (issue 13): the W3C test suite's inputs
// (testdata/interop/vc-dm2-test-suite.json, source named there), each signed as a VC-JWT by this
// test acting as the issuer, through POST /v1/verify. Every -fail input is invalid with a check
// naming the defect; every -ok input is valid or valid-with-warnings. The suite's presentation
// inputs (testdata/interop/vc-dm2-test-suite-presentations.json) go through the same route as
// VP-JWTs, the test acting as holder (and as issuer of the credentials they hold).
// Inputs whose verdict needs JSON-LD expansion (undefined types, protected-term redefinition,
// contexts that are not processable) are judged by verifier/src/context-expansion.ts.
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
type SuiteFile = { cases: { name: string; wantErr: boolean; input: Json }[] };
const readSuite = (file: string) =>
  JSON.parse(readFileSync(new URL(`../testdata/interop/${file}`, import.meta.url), "utf8")) as SuiteFile;
const suite = readSuite("vc-dm2-test-suite.json");
const presentations = readSuite("vc-dm2-test-suite-presentations.json");

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
  // Judged by JSON-LD expansion against the bundled contexts (context-expansion.ts).
  "credential-redef-type-fail": /redefines a protected term/,
  "credential-redef-type2-fail": /redefines a protected term/,
  "credential-type-unmapped-fail": /type "ExampleTestCredential" is neither a URL nor a term/,
  "credential-type-mapped-nonurl-fail": /maps a term to something that is not an absolute IRI/,
  // §11.1: a language value object has @value, @language, @direction and nothing else.
  "names-and-descriptions/credential-name-extra-prop-en-fail":
    /name must be a string or language value object/,
  "names-and-descriptions/credential-description-extra-prop-en-fail":
    /description must be a string or language value object/,
  "names-and-descriptions/issuer-name-extra-prop-en-fail": /issuer's name must be a string or language value/,
  "names-and-descriptions/issuer-description-extra-prop-en-fail":
    /issuer's description must be a string or language value/,
  "credential-validfrom-invalid-fail": /validFrom must be an XML Schema dateTimeStamp/,
  "credential-validuntil-invalid-fail": /validUntil must be an XML Schema dateTimeStamp/,
  "credential-validUntil-validFrom-fail": /validFrom must not be later than validUntil/,
};

/**
 * Suite inputs this test does not run, each with the reason. Numbered files
 * (`1-credential-ok.json`, `26-credential-type-mapped-nonurl-fail.json`, …) are older copies of
 * the named inputs and are not listed one by one.
 */
const SKIPPED: Record<string, string> = {
  "credential-context-order-fail":
    "its defect is an application rule of the suite's own example server (ExampleOrderTestVerifiableCredential needs test-credential-pre, test-credential, test-credential-post in that order, tests/README: 'Type-specific context order'), not a VC Data Model rule; its contexts are not bundled here, so nothing can judge the order",
  "credential-status-missing-id-fail":
    "superseded by credential-status-missing-id-ok: VC Data Model 2.0 §4.10 makes a status entry's id optional",
  "credential-validuntil-ok":
    "its window (validFrom 2023-02-26T01:19:19Z, validUntil one second later) closed in 2023: the suite's issuer checks the format only, /v1/verify also judges the window as of now and (rightly) says expired; the format rule it tests is run by credential-validuntil-invalid-fail",
  "credential-validuntil-ms-ok": "its window closed in 2023 (see credential-validuntil-ok)",
  "credential-validuntil-tz-ok": "its window closed in 2023 (see credential-validuntil-ok)",
  "credential-ok":
    "not in the copy of the suite's repository available when these inputs were taken (its tests name it)",
  "names-and-descriptions/credential-name-optional-ok": "not in the copy of the suite's repository available",
  "names-and-descriptions/credential-description-optional-ok":
    "not in the copy of the suite's repository available",
  "names-and-descriptions/issuer-name-optional-ok": "not in the copy of the suite's repository available",
  "names-and-descriptions/issuer-description-optional-ok":
    "not in the copy of the suite's repository available",
  "names-and-descriptions/issuer-name-language-en-ok": "not in the copy of the suite's repository available",
  "presentation-context-combo1-ok":
    "not in the copy of the suite's repository available when these inputs were taken (its tests name it)",
  "presentation-vc-as-string-fail":
    "not in the copy of the suite's repository available when these inputs were taken; the same defect (a bare JWT string in verifiableCredential) is tested below with the test's own presentation",
};

/** Inputs whose defect is the missing issuer: the test's issuer is not filled in for them. */
const NO_ISSUER = new Set(["credential-no-issuer-fail"]);

/**
 * An input as the suite runs it: its issuer-object inputs for names and descriptions
 * (`names-and-descriptions/issuer-*`) are issued by the implementation, which gives the issuer
 * object its own id (they test `name` and `description`, not the id); its templates
 * (`credential-validUntil-validFrom-*`) get the dates its `testTemporality` fills in, one year
 * before and after now.
 */
function asSuiteRuns(name: string, input: Json): Json {
  const c = structuredClone(input);
  const issuerObject = c.issuer !== null && typeof c.issuer === "object" ? (c.issuer as Json) : undefined;
  if (name.startsWith("names-and-descriptions/issuer-") && issuerObject && issuerObject.id === undefined)
    c.issuer = { id: issuer.did, ...issuerObject };
  const year = 365 * 24 * 3600 * 1000;
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const k of ["validFrom", "validUntil"]) {
    if (c[k] === "PAST DATE") c[k] = stamp(Date.now() - year);
    if (c[k] === "FUTURE DATE") c[k] = stamp(Date.now() + year);
  }
  return c;
}

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
        body: { credential: sign(asSuiteRuns(c.name, c.input), NO_ISSUER.has(c.name)) },
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

/** What each -fail presentation input breaks, as a check of the report (or of a credential in it) names it. */
const WHY_PRESENTATION: Record<string, RegExp> = {
  "presentation-no-context-fail": /@context is missing/,
  "presentation-missing-base-context-fail":
    /first @context must be https:\/\/www\.w3\.org\/ns\/credentials\/v2/,
  "presentation-no-type-fail": /type lacks "VerifiablePresentation"/,
  "presentation-missing-required-type-fail": /type lacks "VerifiablePresentation"/,
  "presentation-vc-missing-required-type-fail":
    /type must be present|type does not include "VerifiableCredential"/,
  // The enveloped credential lacks its type "EnvelopedVerifiableCredential" (and the credential
  // inside lacks "VerifiableCredential").
  "presentation-enveloped-vc-missing-required-type-fail": /neither a JWT nor an enveloped JWT/,
  // §4.13.4: a self-asserted credential needs the presentation to name its holder, who is its issuer.
  "presentation-self-asserted-vc-no-holder": /names no holder/,
  "presentation-self-asserted-vc-holder-mismatch": /names a holder other than its signer/,
  "presentation-self-asserted-vc-issuer-mismatch": /nothing secures it/,
};

const wellFormedUrl = (v: unknown) => typeof v === "string" && /^[a-z][a-z0-9+.-]*:\S+$/i.test(v);
/** The suite's stand-ins: its prover's (holder's) did:key and its issuer. */
const SUITE_HOLDER = "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj";
const SUITE_ISSUER = "did:example:issuer";

describe("the suite's inputs are all accounted for", () => {
  it("runs no input it lists as skipped, and every -fail input has a reason to look for", () => {
    const run = [...suite.cases, ...presentations.cases].map((c) => c.name);
    expect(run.filter((n) => n in SKIPPED)).toEqual([]);
    expect(new Set(run).size).toBe(run.length);
    for (const c of presentations.cases)
      if (c.wantErr) expect(WHY_PRESENTATION[c.name], c.name).toBeDefined();
    expect(presentations.cases.length).toBeGreaterThanOrEqual(15);
  });
});

describe("W3C VC Data Model 2.0 test suite presentation inputs, as VP-JWTs, through /v1/verify", () => {
  const holder = newHolder();
  /** A credential of the input as the holder's: a well-formed subject id becomes the holder's DID. */
  const asHolders = (c: Json): Json => {
    const s = structuredClone(c);
    const bind = (x: unknown) =>
      x !== null && typeof x === "object" && wellFormedUrl((x as Json).id)
        ? { ...(x as Json), id: holder.did }
        : x;
    s.credentialSubject = Array.isArray(s.credentialSubject)
      ? s.credentialSubject.map(bind)
      : bind(s.credentialSubject);
    return s;
  };
  /**
   * Secures each credential the presentation holds, as the suite's prover would: an embedded
   * credential object of the suite's issuer is signed by the test's issuer as a VC-JWT and enveloped (VC-JOSE-COSE
   * §3.2, `data:application/vc+jwt`); an enveloped credential (a data: URL) keeps its object and
   * media type, its JWT payload re-signed by the test's issuer (the suite's example.edu JWTs carry
   * no verifiable signature), issuer and subject stand-ins replaced as for credentials.
   */
  const secure = (vc: unknown): unknown => {
    if (vc === null || typeof vc !== "object") return vc;
    const o = vc as Json;
    // A credential the suite's holder issued itself is self-asserted: the presentation's
    // signature is all that secures it (§4.13.4), so it stays as it is, the holder's DID in.
    if (o.issuer === SUITE_HOLDER) return { ...o, issuer: holder.did };
    // Any other issuer than the suite's issuer stand-in (did:example:alice) is left as it is:
    // a credential nobody here can secure.
    if (
      o.issuer !== undefined &&
      o.issuer !== SUITE_ISSUER &&
      !(typeof o.id === "string" && o.id.startsWith("data:"))
    )
      return o;
    if (typeof o.id === "string" && o.id.startsWith("data:")) {
      const comma = o.id.indexOf(",");
      const payload = JSON.parse(
        Buffer.from(o.id.slice(comma + 1).split(".")[1]!, "base64").toString("utf8"),
      ) as Json;
      const inner = asHolders({ ...(payload.vc as Json), issuer: issuer.did });
      const claims: Json = { ...payload, vc: inner, iss: issuer.did, sub: holder.did };
      const jwt = issuer.signJwt({ alg: "EdDSA", kid: issuer.kid, typ: "JWT" }, claims);
      return { ...o, id: `${o.id.slice(0, comma + 1)}${jwt}` };
    }
    return {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      id: `data:application/vc+jwt,${sign(asHolders(o))}`,
      type: "EnvelopedVerifiableCredential",
    };
  };
  async function presentInput(input: Json): Promise<Report & { credentials?: Report[] }> {
    const ch = (await call(server.url, "GET", "/v1/challenges")).body as { nonce: string; audience: string };
    const vp = structuredClone(input);
    // The suite's holder key becomes the test's holder; another holder (did:example:alice) stays.
    if (vp.holder === SUITE_HOLDER) vp.holder = holder.did;
    else if (vp.holder !== null && typeof vp.holder === "object" && (vp.holder as Json).id === SUITE_HOLDER)
      vp.holder = { ...(vp.holder as Json), id: holder.did };
    if (Array.isArray(vp.verifiableCredential)) vp.verifiableCredential = vp.verifiableCredential.map(secure);
    const claims: Json = { ...vp, iss: holder.did, aud: ch.audience, nonce: ch.nonce };
    const r = await call(server.url, "POST", "/v1/verify", {
      body: {
        presentation: holder.signJwt({ alg: "EdDSA", kid: holder.kid, typ: "JWT" }, claims),
        nonce: ch.nonce,
        audience: ch.audience,
      },
    });
    expect(r.status, r.text).toBe(200);
    return r.body as Report & { credentials?: Report[] };
  }

  for (const c of presentations.cases) {
    it(c.name, async () => {
      const report = await presentInput(c.input);
      expect(report.checks.signature!.ok, JSON.stringify(report.checks.signature)).toBe(true);
      const named = [report, ...(report.credentials ?? [])].flatMap((r) =>
        Object.values(r.checks)
          .filter((k) => k.ok === false)
          .flatMap((k) => [k.message, ...(k.defects ?? []).map((d) => d.message)]),
      );
      if (c.wantErr) {
        expect(report.verdict).toBe("invalid");
        expect(
          named.some((m) => WHY_PRESENTATION[c.name]!.test(m)),
          JSON.stringify(named),
        ).toBe(true);
      } else {
        expect(named, JSON.stringify(report)).toEqual([]);
        expect(["valid", "valid-with-warnings"]).toContain(report.verdict);
        for (const r of report.credentials ?? []) expect(r.checks.holder?.ok).toBe(true);
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
