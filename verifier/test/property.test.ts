// Property: any single-byte change to a valid credential JWT yields "invalid", never an exception.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { verifyCredential, verifyPresentation } from "../src/core/index.js";
import { keyFromSeed, signJwt } from "./fixtures.js";
import { createNodeEd25519 } from "../src/node-ed25519.js";
import { corpus, corpusContext, corpusFetcher } from "./corpus-context.js";

const base = corpus.cases.find((c) => c.desc === "valid MicroCredential with receipt")!;

describe("single-byte changes", () => {
  const ctx = corpusContext(createNodeEd25519());

  it("the unchanged token is valid (the property is not vacuous)", async () => {
    expect((await verifyCredential(base.jwt, base.receipt, ctx)).verdict).toBe("valid");
  });

  it("any one changed character gives invalid", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: base.jwt.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        async (i, code) => {
          fc.pre(base.jwt.charCodeAt(i) !== code);
          const changed = base.jwt.slice(0, i) + String.fromCharCode(code) + base.jwt.slice(i + 1);
          const r = await verifyCredential(changed, base.receipt, ctx);
          expect(r.verdict).toBe("invalid");
          expect(r.checks.signature.ok).toBe(false);
        },
      ),
      { numRuns: 400, seed: 4 },
    );
  });

  it("every position, changed to a neighbouring base64url character, gives invalid", async () => {
    const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < base.jwt.length; i++) {
      const ch = base.jwt[i]!;
      const repl = ch === "." ? "A" : A[(A.indexOf(ch) + 1) % 64]!;
      const r = await verifyCredential(
        base.jwt.slice(0, i) + repl + base.jwt.slice(i + 1),
        base.receipt,
        ctx,
      );
      if (r.verdict !== "invalid") throw new Error(`position ${i} (${ch}→${repl}) gave ${r.verdict}`);
    }
  });
});

describe("signed but strange payloads", () => {
  const key = keyFromSeed("fuzz-issuer");
  const ctx = corpusContext(createNodeEd25519());
  const base = JSON.parse(Buffer.from(corpus.cases[0]!.jwt.split(".")[1]!, "base64url").toString()) as Record<
    string,
    unknown
  >;

  it("any JSON in any member of a validly signed credential gives a report, never an exception", async () => {
    const members = [
      ...Object.keys(base),
      "vc",
      "credentialStatus",
      "termsOfUse",
      "evidence",
      "issuer",
      "credentialSubject",
      "validFrom",
      "validUntil",
      "nbf",
      "exp",
      "iss",
      "sub",
      "jti",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...members),
        fc.jsonValue({ maxDepth: 3 }),
        fc.boolean(),
        async (member, value, asVc) => {
          const payload: Record<string, unknown> = asVc
            ? { iss: key.did, vc: { ...base, [member]: value } }
            : { ...base, iss: key.did, issuer: key.did, [member]: value };
          const jwt = signJwt({ alg: "EdDSA", kid: key.kid }, payload, key);
          const r = await verifyCredential(jwt, undefined, ctx);
          expect(["valid", "valid-with-warnings", "invalid"]).toContain(r.verdict);
          JSON.stringify(r); // serialisable
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it("any JSON as a presentation's credential list gives a report, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const jwt = signJwt(
          { alg: "EdDSA", kid: key.kid },
          {
            iss: key.did,
            aud: "a",
            nonce: "n",
            vp: { type: ["VerifiablePresentation"], verifiableCredential: value },
          },
          key,
        );
        const r = await verifyPresentation(jwt, { nonce: "n", audience: "a", challenge: "valid" }, ctx);
        // An empty list is a presentation without credentials: well formed, binding nothing.
        if (Array.isArray(value) && value.length === 0)
          expect(r.checks.holder).toMatchObject({ ok: "unknown", code: "holder.no_credentials" });
        else expect(r.verdict).toBe("invalid");
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});

describe("credential objects in a presentation (VC Data Model 2.0 §4.13.4)", () => {
  const key = keyFromSeed("fuzz-holder");
  const ctx = corpusContext(createNodeEd25519());
  /** A VP-JWT signed by `key` holding `credential`; `holder` "none" leaves the member out. */
  const present = (credential: Record<string, unknown>, holder: unknown) =>
    signJwt(
      { alg: "EdDSA", kid: key.kid },
      {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiablePresentation"],
        ...(holder === "none" ? {} : { holder }),
        verifiableCredential: [credential],
        iss: key.did,
        aud: "a",
        nonce: "n",
      },
      key,
    );
  const credential = (issuer: unknown, subject: Record<string, unknown>) => ({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiableCredential"],
    issuer,
    credentialSubject: subject,
  });
  const claims = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
    minKeys: 1,
    maxKeys: 4,
  });

  it("an object issued by anyone but the presentation's signer is never valid, whatever it claims", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.webUrl(),
          fc.constantFrom("did:example:alice", `${key.did}x`),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        claims,
        async (issuer, subject) => {
          fc.pre(issuer !== key.did);
          const r = await verifyPresentation(
            present(credential(issuer, subject), key.did),
            { nonce: "n", audience: "a" },
            ctx,
          );
          expect(r.verdict).toBe("invalid");
          expect(r.credentials?.[0]?.checks.signature).toMatchObject({
            ok: false,
            code: "signature.unsecured",
          });
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });

  it("a self-asserted object is secured by the presentation only when the presentation names its holder", async () => {
    await fc.assert(
      fc.asyncProperty(
        claims,
        fc.constantFrom("none", "did:example:alice", { id: key.did }, key.did),
        async (subject, holder) => {
          const r = await verifyPresentation(
            present(credential(key.did, subject), holder),
            { nonce: "n", audience: "a" },
            ctx,
          );
          const child = r.credentials![0]!;
          expect(child.checks.signature).toMatchObject({ ok: true, code: "signature.presentation" });
          const named = holder === key.did || (typeof holder === "object" && holder !== null);
          expect(child.checks.holder!.ok).toBe(named);
          if (!named) expect(r.verdict).toBe("invalid");
        },
      ),
      { numRuns: 100, seed: 14 },
    );
  });
});

describe("strange receipts and status lists", () => {
  const valid = corpus.cases.find((c) => c.desc === "valid MicroCredential with receipt")!;

  it("any JSON as a receipt gives a report, never an exception", async () => {
    const ctx = corpusContext(createNodeEd25519());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.record({
            origin: fc.string(),
            leafIndex: fc.integer(),
            entry: fc.string(),
            inclusionProof: fc.array(fc.string()),
            checkpoint: fc.string(),
          }),
        ),
        async (receipt) => {
          const r = await verifyCredential(valid.jwt, receipt as never, ctx);
          expect(r.checks.signature.code).toBe("signature.valid");
          expect(r.checks.anchoring?.ok).not.toBe(true);
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });

  it("any JSON in a member of the issuer's signed status list: never 'active' unless the list is well-formed", async () => {
    const academy = keyFromSeed("academy");
    const url = "https://meritlog.test/v1/status/rev-1";
    const original = JSON.parse(
      Buffer.from(corpus.fetcher.statusLists[url]!.split(".")[1]!, "base64url").toString(),
    ) as Record<string, unknown>;
    const subject = original.credentialSubject as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("encodedList", "statusPurpose", "type", "ttl"),
        fc.jsonValue({ maxDepth: 2 }),
        async (member, value) => {
          const list = signJwt(
            { alg: "EdDSA", kid: academy.kid },
            { ...original, credentialSubject: { ...subject, [member]: value } },
            academy,
          );
          const fetcher = corpusFetcher({
            ...corpus,
            fetcher: { ...corpus.fetcher, statusLists: { ...corpus.fetcher.statusLists, [url]: list } },
          });
          const r = await verifyCredential(
            valid.jwt,
            valid.receipt,
            corpusContext(createNodeEd25519(), { fetcher }),
          );
          if (r.checks.status?.state === "active")
            expect(JSON.stringify(value) === JSON.stringify(subject[member]) || member === "ttl").toBe(true);
        },
      ),
      { numRuns: 150, seed: 14 },
    );
  });
});
