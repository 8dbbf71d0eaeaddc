// Issue 10: the verifier cache keeps what a credential JWT's bytes alone decide (decoding, normal
// form, digest, schema check), by the JWT. The memo must never change a report: every corpus
// credential gives, on first and later calls with one cache, exactly the report of a verifier
// whose cache keeps no credentials; and whatever depends on anything but the bytes (the signature, issuer
// registration, the clock) is decided afresh on every call.
import { describe, expect, it } from "vitest";
import {
  createVerifierCache,
  verifyCredential,
  type Ed25519Verify,
  type VerifyContext,
} from "../src/core/index.js";
import { readFileSync } from "node:fs";
import { createNodeEd25519, nodeSha256 } from "../src/node-ed25519.js";
import { corpus, corpusContext } from "./corpus-context.js";
import { keyFromSeed, signJwt } from "./fixtures.js";

const credentials = corpus.cases.filter((c) => c.kind === "credential");
const valid = credentials.find((c) => c.desc === "valid MicroCredential with receipt")!;

describe("the credential memo never changes a report", () => {
  it("every corpus credential, verified three times with one cache, equals the report without the memo", async () => {
    const cached = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
    for (let round = 0; round < 3; round++)
      for (const c of credentials) {
        // A fresh cache each time, with the memo off: what a first verification reports.
        const fresh = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
        fresh.cache = createVerifierCache(1000, { credentials: 0 });
        const want = await verifyCredential(c.jwt, c.receipt, fresh);
        const got = await verifyCredential(c.jwt, c.receipt, cached);
        expect(JSON.parse(JSON.stringify(got)), `${c.desc}, round ${round}`).toEqual(
          JSON.parse(JSON.stringify(want)),
        );
      }
    expect(cached.cache!.credentials.size).toBeGreaterThan(0);
  });

  it("verifies the signature on every call", async () => {
    const inner = createNodeEd25519();
    let calls = 0;
    const counting: Ed25519Verify = {
      verify: (sig, msg, pk) => {
        calls++;
        return inner.verify(sig, msg, pk);
      },
    };
    const ctx = corpusContext(counting);
    for (let i = 0; i < 3; i++)
      expect((await verifyCredential(valid.jwt, valid.receipt, ctx)).verdict).toBe("valid");
    // With the checkpoint and status list signatures cached, what is left is the credential's own.
    const before = calls;
    await verifyCredential(valid.jwt, valid.receipt, ctx);
    expect(calls - before).toBe(1);
  });

  it("decides issuer registration and the schema kind afresh when the registry changes", async () => {
    const ctx = corpusContext(createNodeEd25519());
    const registered = await verifyCredential(valid.jwt, valid.receipt, ctx);
    const unregisteredCtx: VerifyContext = { ...ctx, trust: { ...ctx.trust, issuers: [] } };
    const unregistered = await verifyCredential(valid.jwt, valid.receipt, unregisteredCtx);
    const fresh = await verifyCredential(valid.jwt, valid.receipt, {
      ...unregisteredCtx,
      cache: createVerifierCache(),
    });
    expect(registered.checks.issuer?.code).toBe("issuer.registered");
    expect(unregistered.checks.issuer?.code).toBe("issuer.unregistered");
    expect(JSON.parse(JSON.stringify(unregistered))).toEqual(JSON.parse(JSON.stringify(fresh)));
    expect((await verifyCredential(valid.jwt, valid.receipt, ctx)).checks.issuer?.code).toBe(
      "issuer.registered",
    );
  });

  it("checks a foreign credential's schema as ours once its issuer is registered, and back", async () => {
    // An Open Badges 3.0 example (no meritlog kind): its schema check depends on registration.
    const example = (
      JSON.parse(
        readFileSync(new URL("../../testdata/verifier/ob3-spec-examples.json", import.meta.url), "utf8"),
      ) as { examples: { credential: Record<string, unknown> }[] }
    ).examples[0]!.credential;
    const key = keyFromSeed("credential-memo-issuer");
    const cred = structuredClone(example) as Record<string, unknown> & { issuer: unknown };
    if (typeof cred.issuer === "string") cred.issuer = key.did;
    else (cred.issuer as Record<string, unknown>).id = key.did;
    const jwt = signJwt({ alg: "EdDSA", kid: key.kid, typ: "JWT" }, { ...cred, iss: key.did }, key);
    const ctx = corpusContext(createNodeEd25519());
    const withTrust = (registered: boolean): VerifyContext => ({
      ...ctx,
      trust: { ...ctx.trust, issuers: registered ? [{ did: key.did, name: "Memo Body" }] : [] },
    });
    const codes: string[] = [];
    for (const registered of [false, true, false, true]) {
      const got = await verifyCredential(jwt, undefined, withTrust(registered));
      const want = await verifyCredential(jwt, undefined, {
        ...withTrust(registered),
        cache: createVerifierCache(1000, { credentials: 0 }),
      });
      expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(want)));
      codes.push(got.checks.schema?.code ?? "");
    }
    expect(codes[0]).toBe("schema.open_badge");
    expect(codes[1]).not.toBe("schema.open_badge");
    expect(codes).toEqual([codes[0], codes[1], codes[0], codes[1]]);
  });

  it("an inclusion proof kept as holding does not vouch for an altered receipt", async () => {
    const ctx = corpusContext(createNodeEd25519());
    const receipt = valid.receipt!;
    expect((await verifyCredential(valid.jwt, receipt, ctx)).checks.anchoring?.code).toBe(
      "anchoring.verified",
    );
    expect(ctx.cache!.inclusions.size).toBe(1);
    const flipped = Buffer.from(receipt.inclusionProof[0]!, "base64");
    flipped[0]! ^= 1;
    const altered = [
      { ...receipt, inclusionProof: [flipped.toString("base64"), ...receipt.inclusionProof.slice(1)] },
      { ...receipt, leafIndex: receipt.leafIndex + 1 },
    ];
    for (const r of altered)
      expect((await verifyCredential(valid.jwt, r, ctx)).checks.anchoring?.code).toBe(
        "anchoring.inclusion_invalid",
      );
    expect((await verifyCredential(valid.jwt, receipt, ctx)).checks.anchoring?.code).toBe(
      "anchoring.verified",
    );
  });

  it("does not keep a JWT longer than 16 KiB", async () => {
    const example = (
      JSON.parse(
        readFileSync(new URL("../../testdata/verifier/ob3-spec-examples.json", import.meta.url), "utf8"),
      ) as { examples: { credential: Record<string, unknown> }[] }
    ).examples[0]!.credential;
    const key = keyFromSeed("credential-memo-large");
    const cred = { ...structuredClone(example), description: "x".repeat(20_000) } as Record<string, unknown>;
    if (typeof cred.issuer === "string") cred.issuer = key.did;
    else (cred.issuer as Record<string, unknown>).id = key.did;
    const jwt = signJwt({ alg: "EdDSA", kid: key.kid, typ: "JWT" }, { ...cred, iss: key.did }, key);
    expect(jwt.length).toBeGreaterThan(16 * 1024);
    const ctx = corpusContext(createNodeEd25519());
    const report = await verifyCredential(jwt, undefined, ctx);
    expect(report.checks.signature.code).toBe("signature.valid");
    expect(ctx.cache!.credentials.size).toBe(0);
    await verifyCredential(valid.jwt, valid.receipt, ctx);
    expect(ctx.cache!.credentials.size).toBe(1);
  });

  it("checks validity against each call's clock", async () => {
    const ctx = corpusContext(createNodeEd25519());
    expect((await verifyCredential(valid.jwt, valid.receipt, ctx)).checks.validity?.ok).toBe(true);
    const later: VerifyContext = { ...ctx, now: new Date("2100-01-01T00:00:00Z") };
    const report = await verifyCredential(valid.jwt, valid.receipt, later);
    expect(report.checks.validity?.ok).toBe(false);
    expect(report.verdict).toBe("invalid");
  });

  it("keeps nothing with credentials: 0, and at most the bound otherwise", async () => {
    const off = corpusContext(createNodeEd25519());
    off.cache = createVerifierCache(1000, { credentials: 0 });
    await verifyCredential(valid.jwt, valid.receipt, off);
    expect(off.cache.credentials.size).toBe(0);
    const small = corpusContext(createNodeEd25519());
    small.cache = createVerifierCache(1000, { credentials: 2 });
    for (const c of credentials) await verifyCredential(c.jwt, c.receipt, small);
    expect(small.cache.credentials.size).toBeLessThanOrEqual(2);
  });

  it("a kept credential cannot be changed through a report", async () => {
    const ctx = corpusContext(createNodeEd25519());
    const first = await verifyCredential(valid.jwt, valid.receipt, ctx);
    expect(() => {
      (first.credential as Record<string, unknown>).name = "changed";
    }).toThrow(TypeError);
    const second = await verifyCredential(valid.jwt, valid.receipt, ctx);
    expect((second.credential as Record<string, unknown>).name).not.toBe("changed");
  });
});
