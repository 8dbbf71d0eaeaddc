import { describe as suite, expect, it } from "vitest";
import { buildCredential, NO_CONVERSION, parseInput, issueRequestSchema } from "@meritlog/schemas";
import { readFileSync } from "node:fs";
import { credentialOfJwt, describe } from "../src/credential-view.js";

interface KnownCredential {
  desc: string;
  kind: string;
  request: { subject: { id: string } };
  credential: Record<string, unknown> & { name: string; validFrom: string };
}
const known = JSON.parse(
  readFileSync(new URL("../../testdata/schemas/credentials.json", import.meta.url), "utf8"),
) as { valid: KnownCredential[] };

// The display model is read from credentials built by @meritlog/schemas, the same builder the
// issuer uses, so a change in the credential shape shows up here.
const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const ctx = {
  id: "urn:uuid:8f0c2a4e-1b2c-4d5e-8f90-123456789abc",
  issuer: { id: "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", name: "Kaduna Repair Academy" },
  validFrom: "2026-11-21T10:00:00Z",
};
const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

suite("credential view", () => {
  it("shows what a micro-credential says, including the verbatim no-conversion notice", () => {
    const req = parseInput(issueRequestSchema, {
      type: "MicroCredential",
      subject: { id: HOLDER },
      achievement: {
        name: "Hand-Pump Repair Guide Writing",
        description: "Wrote a guide.",
        criteria: { narrative: "A second learner followed it." },
      },
      scope: {
        covers: ["writing repair documentation for hand pumps"],
        excludes: ["regulated plumbing work"],
      },
      reviewLevel: "peer",
      evidence: [
        {
          id: "https://example.org/mpu/42/guide.pdf",
          digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        },
      ],
      validUntil: "2028-01-01T00:00:00Z",
    });
    const cred = buildCredential(req, ctx) as unknown as Record<string, unknown>;
    const jwt = `${b64u({ alg: "EdDSA" })}.${b64u({ ...cred, iss: ctx.issuer.id, sub: HOLDER, jti: ctx.id })}.c2ln`;
    const v = describe(credentialOfJwt(jwt));
    expect(v).toMatchObject({
      id: ctx.id,
      kind: "MicroCredential",
      title: "Hand-Pump Repair Guide Writing",
      issuerName: "Kaduna Repair Academy",
      subjectId: HOLDER,
      covers: ["writing repair documentation for hand pumps"],
      reviewLevel: "peer",
      validFrom: "2026-11-21T10:00:00Z",
      validUntil: "2028-01-01T00:00:00Z",
      notice: NO_CONVERSION.text,
    });
    expect(v.excludes).toContain("regulated plumbing work");
    expect(v.evidence).toEqual([
      {
        url: "https://example.org/mpu/42/guide.pdf",
        digest: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      },
    ]);
  });

  it("groups attributions and MPU authorship by kind and lists their particulars", () => {
    const att = buildCredential(
      parseInput(issueRequestSchema, {
        type: "Attribution",
        subject: { id: HOLDER },
        contribution: {
          kind: "translation",
          role: "translator",
          description: "Translated the guide into Hausa.",
        },
        object: {
          id: "urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
          name: "Hand-pump repair guide",
          digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        },
      }),
      ctx,
    ) as unknown as Record<string, unknown>;
    const a = describe(att);
    expect(a.kind).toBe("Attribution");
    expect(a.extra.map((x) => x.label)).toContain("Contribution");
    const mpu = buildCredential(
      parseInput(issueRequestSchema, {
        type: "MPUAuthorship",
        subject: { id: HOLDER },
        mpu: {
          id: "urn:uuid:7d0b6a52-3c1e-4f0a-9e55-1b2c3d4e5f60",
          title: "Rainfall log, Kaduna North, 2026 wet season",
          category: "Data",
          digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
          license: "CC-BY-4.0",
          stage: "verification",
          verification: "peer-review",
          authors: [{ id: HOLDER, role: "lead author" }],
        },
      }),
      ctx,
    ) as unknown as Record<string, unknown>;
    const m = describe(mpu);
    expect(m.kind).toBe("MPUAuthorship");
    expect(m.extra).toContainEqual({ label: "Licence", value: "CC-BY-4.0" });
  });

  it("reads every known-answer credential of testdata/schemas (the shapes the issuer signs)", () => {
    expect(known.valid.length).toBeGreaterThanOrEqual(3);
    for (const k of known.valid) {
      const v = describe(k.credential);
      expect(v.kind, k.desc).toBe(k.kind);
      expect(v.subjectId, k.desc).toBe(k.request.subject.id);
      expect(v.issuerName, k.desc).toBe("Kaduna Repair Academy");
      expect(v.validFrom, k.desc).toBe(k.credential.validFrom);
      expect(v.notice, k.desc).toBe(NO_CONVERSION.text);
      expect(v.covers.length, k.desc).toBeGreaterThan(0);
      expect(v.title.length, k.desc).toBeGreaterThan(0);
    }
  });

  it("reads the VC 1.1 `vc` form and degrades unknown shapes instead of throwing", () => {
    const jwt = `${b64u({ alg: "EdDSA" })}.${b64u({ jti: "urn:uuid:x", vc: { type: ["VerifiableCredential"], credentialSubject: {} } })}.c2ln`;
    const v = describe(credentialOfJwt(jwt));
    expect(v).toMatchObject({
      id: "urn:uuid:x",
      kind: "Other",
      title: "Untitled record",
      issuerName: "Unknown issuer",
    });
    expect(() => credentialOfJwt("garbage")).toThrow(expect.objectContaining({ code: "encoding.malformed" }));
  });
});
