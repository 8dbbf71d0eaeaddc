// buildCredential skips re-checking what a build context shares with the last one that passed
// (credential.ts `likeLastGoodCtx`). Oracle: every context gets the outcome (built, or the same
// schema.invalid error) after a context it may be compared with as after one it cannot be (a
// different issuer name, so the full schema runs).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCredential, parseIssueRequest, type BuildContext } from "@meritlog/schemas";
import { apiExamples, newDidKey } from "./fixtures.js";

const holder = newDidKey();
const req = parseIssueRequest(apiExamples(holder).microCredential());
const url = "https://issuer.example/v1/status/iss_1/message";

const base = (i: number): BuildContext => ({
  id: `urn:uuid:0192f0e0-0000-7000-8000-${String(i).padStart(12, "0")}`,
  issuer: { id: holder, name: "Bench Academy", url: "https://academy.example" },
  validFrom: "2026-12-01T03:00:00Z",
  credentialStatus: [
    {
      id: `${url}#${i}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "message",
      statusListIndex: String(i),
      statusListCredential: url,
      statusSize: 2,
      statusMessage: [
        { status: "0x0", message: "valid" },
        { status: "0x1", message: "revoked" },
      ],
    },
  ],
});

/** `buildCredential`'s outcome: the credential, or the error's code, path and message. */
function outcome(ctx: unknown): unknown {
  try {
    return buildCredential(req, ctx as BuildContext);
  } catch (e) {
    const err = e as { code?: string; path?: string; message?: string };
    return { code: err.code, path: err.path, message: err.message };
  }
}

function outcomeAfter(previous: BuildContext, ctx: unknown): unknown {
  expect(outcome(previous)).toHaveProperty("id", previous.id);
  return outcome(ctx);
}

// Values put in place of one member: valid and invalid ones of every kind the schema checks.
const VALUES: unknown[] = [
  undefined,
  null,
  0,
  -1,
  2,
  9,
  1.5,
  "",
  " ",
  "x",
  "urn:uuid:0192f0e0-0000-7000-8000-00000000abcd",
  "urn:uuid:0192F0E0-0000-7000-8000-00000000ABCD",
  "https://other.example/list#7",
  "javascript:alert(1)",
  "has space",
  "07",
  "12345678901",
  "42",
  "0x1",
  "0xZ",
  "did:key:zQ3s",
  "did:web:example.org",
  "2026-12-01T03:00:01Z",
  "2026-12-01",
  "message",
  "revocation",
  "other",
  "Bench\u202eAcademy",
  "a".repeat(3000),
  [],
  [{}],
  {},
  { status: "0x2", message: "suspended" },
  { status: "0x2", message: "suspended", extra: 1 },
];

/** Every path to a member of a context (objects and arrays), and one past the end of each array. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== "object" || v === null) return [at];
  const keys: (string | number)[] = Array.isArray(v) ? [...v.keys(), v.length] : [...Object.keys(v), "extra"];
  return [at, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...at, k]))];
}

/** A copy of `v` with `value` at `path` (the root itself for the empty path). */
function withValue(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path.at(-1)!] = value;
  return copy;
}

describe("buildCredential's build-context check", () => {
  it("builds a context that differs from the last good one only in its ids", () => {
    const a = buildCredential(req, base(1));
    const b = buildCredential(req, base(2));
    expect(b.id).toBe(base(2).id);
    expect(JSON.stringify(b)).toBe(
      JSON.stringify(a)
        .replaceAll("8000-000000000001", "8000-000000000002")
        .replaceAll(`${url}#1"`, `${url}#2"`)
        .replaceAll('"statusListIndex":"1"', '"statusListIndex":"2"'),
    );
  });

  it("gives every changed context the outcome the full schema gives it", () => {
    const all = paths(base(7));
    const other = { ...base(3), issuer: { ...base(3).issuer, name: "Another Academy" } };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.constantFrom(...VALUES),
        fc.integer({ min: 0, max: 99 }),
        (p, value, i) => {
          const ctx = withValue(base(i + 10), all[p]!, value);
          expect(outcomeAfter(base(i), ctx)).toEqual(outcomeAfter(other, ctx));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("keeps one issuer's context apart from another's", () => {
    const did = newDidKey();
    const second = (i: number): BuildContext => ({ ...base(i), issuer: { id: did, name: "Second Academy" } });
    const other = { ...base(3), issuer: { ...base(3).issuer, name: "Another Academy" } };
    const bad = { ...second(9), validFrom: "yesterday" };
    // The second issuer's last good context is compared with, the first issuer's is not.
    expect(outcomeAfter(second(8), bad)).toEqual(outcomeAfter(other, bad));
    expect(outcome(bad)).toMatchObject({ code: "schema.invalid", path: "ctx.validFrom" });
    // Both issuers' contexts are remembered: each one's next credential builds (from its own copy).
    expect(outcome(base(11))).toHaveProperty("id", base(11).id);
    expect(outcome(second(10))).toHaveProperty("id", second(10).id);
  });

  it("checks a context again after the object that passed was changed", () => {
    const ctx = base(5);
    buildCredential(req, ctx);
    ctx.issuer.name = "";
    expect(() => buildCredential(req, ctx)).toThrow(/ctx\.issuer\.name/);
  });
});
