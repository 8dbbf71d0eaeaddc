// Interoperability: VC Data Model 1.1 JWTs made by did-jwt-vc (as Veramo-based issuers make
// them), and Open Badges 3.0 credentials from the specification's examples re-signed with a
// test key, verify; meritlog-specific checks are reported as not applicable, not as failures.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createVerifiableCredentialJwt, createVerifiablePresentationJwt } from "did-jwt-vc";
import { EdDSASigner } from "did-jwt";
import { verifyCredential, verifyPresentation, nobleEd25519, type VerifyContext } from "../src/core/index.js";
import { createNodeEd25519 } from "../src/node-ed25519.js";
import { keyFromSeed, secretKeyBytes, signJwt } from "./fixtures.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const veramoIssuer = keyFromSeed("veramo-issuer");
const holder = keyFromSeed("learner");
const signer = { did: veramoIssuer.did, signer: EdDSASigner(secretKeyBytes(veramoIssuer)), alg: "EdDSA" };
const holderSigner = { did: holder.did, signer: EdDSASigner(secretKeyBytes(holder)), alg: "EdDSA" };

function ctx(over: Partial<VerifyContext> = {}): VerifyContext {
  return { now: NOW, ed25519: createNodeEd25519(), trust: { issuers: [], logKeys: [] }, ...over };
}

const vc11 = {
  sub: holder.did,
  nbf: Math.floor(Date.parse("2026-01-01T00:00:00Z") / 1000),
  exp: Math.floor(Date.parse("2027-01-01T00:00:00Z") / 1000),
  vc: {
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    credentialSubject: {
      type: "AchievementSubject",
      achievement: {
        id: "https://veramo.test/achievements/1",
        type: "Achievement",
        name: "Community mapping",
        description: "Mapped hazards with the community.",
        criteria: { narrative: "Took part in two mapping walks." },
      },
    },
  },
};

describe("VC Data Model 1.1 JWTs from did-jwt-vc", () => {
  it("verifies, with meritlog-only checks reported as warnings, not failures", async () => {
    const jwt = await createVerifiableCredentialJwt(vc11, signer);
    for (const ed of [createNodeEd25519(), nobleEd25519]) {
      const r = await verifyCredential(jwt, undefined, ctx({ ed25519: ed }));
      expect(r.verdict).toBe("valid-with-warnings");
      expect(r.checks.signature.code).toBe("signature.valid");
      expect(r.checks.issuer?.code).toBe("issuer.unregistered");
      expect(r.checks.schema).toMatchObject({ ok: true, code: "schema.open_badge", form: "vc1.1" });
      expect(r.checks.validity).toMatchObject({
        ok: true,
        validFrom: "2026-01-01T00:00:00Z",
        validUntil: "2027-01-01T00:00:00Z",
      });
      expect(r.checks.status).toMatchObject({ ok: "unknown", state: "unknown", code: "status.no_list" });
      expect(r.checks.anchoring?.ok).toBe("unknown");
      expect(r.checks.noConversion).toMatchObject({
        ok: "unknown",
        code: "noConversion.absent",
        warning: true,
      });
      expect(r.checks.scope?.title).toBe("Community mapping");
      // The JWT claims were applied to the credential (VC 1.1 §6.3.1).
      expect(r.credential).toMatchObject({ issuer: veramoIssuer.did, credentialSubject: { id: holder.did } });
    }
  });

  it("registered issuer: issuer check has no warning", async () => {
    const jwt = await createVerifiableCredentialJwt(vc11, signer);
    const r = await verifyCredential(
      jwt,
      undefined,
      ctx({ trust: { issuers: [{ did: veramoIssuer.did, name: "Veramo Academy" }], logKeys: [] } }),
    );
    expect(r.checks.issuer).toMatchObject({ ok: true, code: "issuer.registered", registered: true });
  });

  it("an expired did-jwt-vc credential is invalid", async () => {
    const jwt = await createVerifiableCredentialJwt(
      { ...vc11, exp: Math.floor(Date.parse("2026-03-01T00:00:00Z") / 1000) },
      signer,
    );
    const r = await verifyCredential(jwt, undefined, ctx());
    expect(r.verdict).toBe("invalid");
    expect(r.checks.validity?.code).toBe("validity.expired");
  });

  it("a did-jwt-vc presentation with nonce and audience verifies, holder bound", async () => {
    const cred = await createVerifiableCredentialJwt(vc11, signer);
    const vp = await createVerifiablePresentationJwt(
      {
        vp: {
          "@context": ["https://www.w3.org/2018/credentials/v1"],
          type: ["VerifiablePresentation"],
          verifiableCredential: [cred],
        },
        aud: "https://verifier.test",
        nonce: "n-123",
      },
      holderSigner,
    );
    const r = await verifyPresentation(
      vp,
      { nonce: "n-123", audience: "https://verifier.test", challenge: "valid" },
      ctx(),
    );
    expect(r.checks.signature.code).toBe("signature.valid");
    expect(r.checks.holder?.code).toBe("holder.bound");
    expect(r.credentials?.[0]?.checks.holder?.code).toBe("holder.bound");
    expect(r.verdict).toBe("valid-with-warnings");
  });
});

describe("Open Badges 3.0 specification examples, re-signed", () => {
  const examples = (
    JSON.parse(
      readFileSync(new URL("../../testdata/verifier/ob3-spec-examples.json", import.meta.url), "utf8"),
    ) as { examples: { desc: string; credential: Record<string, unknown> }[] }
  ).examples;
  const key = keyFromSeed("ob3-example-issuer");

  it.each(examples.map((e) => [e.desc, e] as const))("%s", async (_d, e) => {
    const cred = structuredClone(e.credential) as Record<string, unknown> & {
      issuer: Record<string, unknown> | string;
      credentialSubject: { id: string };
    };
    if (typeof cred.issuer === "string") cred.issuer = key.did;
    else cred.issuer.id = key.did;
    // OB 3.0 §8.2.4.1: the registered claims represent the credential's own members.
    const claims = {
      iss: key.did,
      sub: cred.credentialSubject.id,
      jti: cred.id,
      nbf: Math.floor(Date.parse(String(cred.validFrom)) / 1000),
    };
    const jwt = signJwt({ alg: "EdDSA", kid: key.kid, typ: "JWT" }, { ...cred, ...claims }, key);
    const r = await verifyCredential(jwt, undefined, ctx());
    expect(r.verdict).toBe("valid-with-warnings");
    expect(r.checks.signature.code).toBe("signature.valid");
    expect(r.checks.schema).toMatchObject({ ok: true, code: "schema.open_badge", form: "vc2" });
    expect(r.checks.validity).toMatchObject({
      ok: true,
      code: "validity.no_expiry",
      validFrom: "2010-01-01T00:00:00Z",
    });
    expect(r.checks.scope).toMatchObject({ title: "Teamwork" });
    expect(r.checks.noConversion?.code).toBe("noConversion.absent");
    // Nothing failed; only what cannot be checked is unknown.
    expect(Object.values(r.checks).filter((c) => c.ok === false)).toEqual([]);
  });

  it("the same example with the spec's original issuer (an https URL, not a DID) is invalid", async () => {
    const cred = structuredClone(examples[0]!.credential) as Record<string, unknown>;
    const jwt = signJwt(
      { alg: "EdDSA", typ: "JWT" },
      { ...cred, iss: "https://example.com/issuers/876543" },
      key,
    );
    const r = await verifyCredential(jwt, undefined, ctx());
    expect(r.verdict).toBe("invalid");
    expect(r.checks.signature.code).toBe("signature.not_a_did");
  });
});
