import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { resultsJson } from "../src/batch-reply.js";

// The batch answer must be byte for byte what `JSON.stringify({ results })` encoded as UTF-8 gives
// (docs/API.md "What an issuer has issued": clients see the same bytes as before).
const expected = (results: object[]) => Buffer.from(JSON.stringify({ results }), "utf8");

describe("resultsJson (batch answers)", () => {
  it("gives the bytes of JSON.stringify for receipts with U+2014, astral and lone surrogates", () => {
    const receipt = {
      origin: "example.org/log",
      leafIndex: 7,
      inclusionProof: ["q1w2e3=", "r4t5y6="],
      checkpoint: "example.org/log\n8\nabc=\n\n\u2014 example.org/log AAAA\n",
    };
    const results = [
      { index: 0, id: "urn:uuid:1", jwt: "a.b.c", receipt },
      { index: 1, error: { code: "schema.invalid", detail: 'bad \ud83d\ude00 \ud800 "quoted"' } },
      { index: 2, id: "urn:uuid:3", jwt: "d.e.f", receipt, status: { state: "active" } },
    ];
    expect(resultsJson(results).equals(expected(results))).toBe(true);
    expect(resultsJson([]).equals(expected([]))).toBe(true);
  });

  it("grows past its first estimate (results larger than ~6 KB each)", () => {
    const big = [
      { index: 0, text: "\u2014".repeat(20_000) },
      { index: 1, text: "x".repeat(50_000) },
    ];
    expect(resultsJson(big).equals(expected(big))).toBe(true);
  });

  it("matches JSON.stringify for any JSON-like results", () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string({ unit: "binary" }), fc.jsonValue())), (results) => {
        expect(resultsJson(results).equals(expected(results))).toBe(true);
      }),
    );
  });
});
