// Property: any single-byte change to a valid credential JWT yields "invalid", never an exception.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { verifyCredential } from "../src/core/index.js";
import { createNodeEd25519 } from "../src/node-ed25519.js";
import { corpus, corpusContext } from "./corpus-context.js";

const base = corpus.cases.find((c) => c.desc === "valid MicroCredential with receipt")!;

describe("single-byte changes", () => {
  const ctx = corpusContext(createNodeEd25519());

  it("the unchanged token is valid (the property is not vacuous)", async () => {
    expect((await verifyCredential(base.jwt, base.receipt, ctx)).verdict).toBe("valid");
  });

  it("any one changed character gives invalid", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: base.jwt.length - 1 }), fc.integer({ min: 0, max: 255 }), async (i, code) => {
        fc.pre(base.jwt.charCodeAt(i) !== code);
        const changed = base.jwt.slice(0, i) + String.fromCharCode(code) + base.jwt.slice(i + 1);
        const r = await verifyCredential(changed, base.receipt, ctx);
        expect(r.verdict).toBe("invalid");
        expect(r.checks.signature.ok).toBe(false);
      }),
      { numRuns: 400, seed: 4 },
    );
  });

  it("every position, changed to a neighbouring base64url character, gives invalid", async () => {
    const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < base.jwt.length; i++) {
      const ch = base.jwt[i]!;
      const repl = ch === "." ? "A" : A[(A.indexOf(ch) + 1) % 64]!;
      const r = await verifyCredential(base.jwt.slice(0, i) + repl + base.jwt.slice(i + 1), base.receipt, ctx);
      if (r.verdict !== "invalid") throw new Error(`position ${i} (${ch}→${repl}) gave ${r.verdict}`);
    }
  });
});
