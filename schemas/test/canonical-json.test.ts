// RFC 8785 JSON Canonicalization Scheme: the RFC's own examples and Appendix B number table
// (testdata/schemas/jcs.json), values outside the JSON model, and property tests.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SchemaError, canonicalJson, canonicalJsonBytes, isCanonicalJson } from "@meritlog/schemas";
import { testdata } from "./fixtures.js";

interface Vectors {
  documents: { desc: string; input: string; want: string; wantHex?: string | null }[];
  numbers: { desc: string; ieee: string; want: string | null; wantErr: string | null }[];
}
const vectors = testdata<Vectors>("jcs.json");

describe("RFC 8785 documents", () => {
  for (const v of vectors.documents) {
    it(v.desc, () => {
      const out = canonicalJson(JSON.parse(v.input));
      expect(out).toBe(v.want);
      expect(isCanonicalJson(out)).toBe(true);
      if (v.wantHex)
        expect(Buffer.from(canonicalJsonBytes(JSON.parse(v.input))).toString("hex")).toBe(v.wantHex);
    });
  }
});

describe("RFC 8785 Appendix B numbers", () => {
  for (const v of vectors.numbers) {
    it(v.desc, () => {
      const n = Buffer.from(v.ieee.padStart(16, "0"), "hex").readDoubleBE(0);
      if (v.wantErr) {
        expect(() => canonicalJson(n)).toThrow(SchemaError);
        expect(() => canonicalJson([n])).toThrow(/not canonicalizable/);
      } else {
        expect(canonicalJson(n)).toBe(v.want);
        expect(canonicalJson({ n })).toBe(`{"n":${v.want}}`);
      }
    });
  }
});

describe("values outside the JSON data model are refused with SchemaError", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [string, unknown][] = [
    ["undefined", undefined],
    ["undefined in an array", [1, undefined]],
    ["bigint", 1n],
    ["function", () => 1],
    ["symbol", Symbol("x")],
    ["Date instance", new Date(0)],
    ["Map instance", new Map()],
    ["Uint8Array", new Uint8Array(2)],
    ["a cycle", cyclic],
    ["a lone high surrogate in a string", "a\ud800b"],
    ["a lone low surrogate in a property name", { "\udc00": 1 }],
  ];
  for (const [desc, value] of cases) {
    it(desc, () => {
      expect(() => canonicalJson(value)).toThrow(SchemaError);
    });
  }
  it("omits undefined members, as JSON.stringify does", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
  it("keeps a __proto__ member that JSON.parse made an own property", () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":2}}'))).toBe('{"__proto__":{"x":2},"b":1}');
  });
  it("accepts objects without a prototype and a shared (non-cyclic) sub-object twice", () => {
    const shared = { x: 1 };
    const o = Object.assign(Object.create(null) as object, { b: shared, a: shared });
    expect(canonicalJson(o)).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
  it("isCanonicalJson is false for non-canonical and invalid text", () => {
    expect(isCanonicalJson('{"b":1,"a":2}')).toBe(false);
    expect(isCanonicalJson('{"a": 2}')).toBe(false);
    expect(isCanonicalJson("1.0")).toBe(false);
    expect(isCanonicalJson("{not json")).toBe(false);
    expect(isCanonicalJson('"\\u00e9"')).toBe(false);
    expect(isCanonicalJson('"é"')).toBe(true);
  });
});

describe("properties", () => {
  // An independent oracle: recursively sort keys, then JSON.stringify (RFC 8785 §3.2.3 is a
  // sort by UTF-16 code units; §3.2.2 defers to ECMAScript JSON.stringify for primitives).
  const sortDeep = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortDeep);
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      // defineProperty, so that a "__proto__" member stays an own member as JSON.parse made it.
      for (const k of Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        Object.defineProperty(out, k, {
          value: sortDeep(o[k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  // JSON values as JSON.parse would produce them (no -0, no lone surrogates; "__proto__" as an own member).
  const json = fc.jsonValue({ stringUnit: "binary" }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

  it("is idempotent and round-trips through JSON.parse", () => {
    fc.assert(
      fc.property(json, (v) => {
        const c = canonicalJson(v);
        expect(canonicalJson(JSON.parse(c))).toBe(c);
        expect(JSON.parse(c)).toEqual(v);
        expect(isCanonicalJson(c)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("equals the sorted-keys JSON.stringify oracle (object key order never matters)", () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(canonicalJson(v)).toBe(JSON.stringify(sortDeep(v)));
      }),
      { numRuns: 300 },
    );
  });

  it("serialises every finite double as ECMAScript does, and parses back to the same double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const s = canonicalJson(d);
        expect(s).toBe(JSON.stringify(d));
        expect(Object.is(Number(s), d) || (d === 0 && Number(s) === 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("bytes are the UTF-8 of the text", () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(new TextDecoder().decode(canonicalJsonBytes(v))).toBe(canonicalJson(v));
      }),
      { numRuns: 100 },
    );
  });
});
