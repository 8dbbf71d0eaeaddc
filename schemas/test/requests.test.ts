// Issuance and offer requests: the API.md examples, the fixture corpus, strictness and bounds.
import { describe, expect, it } from "vitest";
import {
  SchemaError,
  issueRequestSchema,
  offerRequestSchema,
  offerToIssueRequest,
  parseInput,
  parseIssueRequest,
  parseOfferRequest,
  assertDates,
  statusChangeRequestSchema,
  anchorRequestSchema,
  createIssuerRequestSchema,
} from "@meritlog/schemas";
import { apiExamples, newDidKey, testdata } from "./fixtures.js";

interface RequestCase {
  desc: string;
  kind: "issue" | "offer";
  input: unknown;
  wantErr: string | null;
  wantPath?: string;
}

function attempt(kind: "issue" | "offer", input: unknown): { err?: SchemaError; value?: unknown } {
  try {
    return { value: kind === "issue" ? parseIssueRequest(input) : parseOfferRequest(input) };
  } catch (e) {
    if (e instanceof SchemaError) return { err: e };
    throw e;
  }
}

describe("docs/API.md example bodies", () => {
  // Any Ed25519 did:key as subject: several fresh ones.
  for (const holder of [newDidKey(), newDidKey(), newDidKey()]) {
    const ex = apiExamples(holder);
    for (const [label, body] of [
      ["MicroCredential", ex.microCredential()],
      ["Attribution", ex.attribution],
      ["MPUAuthorship", ex.mpuAuthorship],
    ] as const) {
      it(`accepts the ${label} example exactly as written (${holder.slice(0, 20)}…)`, () => {
        const parsed = parseIssueRequest(structuredClone(body));
        // Parsing neither drops nor adds anything: the body round-trips unchanged.
        expect(parsed).toEqual(body);
      });
    }
    it("refuses the MicroCredential named 'Certified Hand-Pump Technician' with 422 claims.*", () => {
      const { err } = attempt("issue", ex.microCredential("Certified Hand-Pump Technician"));
      expect(err?.code).toMatch(/^claims\./);
      expect(err?.status).toBe(422);
      expect(err?.path).toBe("achievement.name");
    });
  }
});

describe("request fixtures (testdata/schemas/requests.json)", () => {
  const { cases } = testdata<{ cases: RequestCase[] }>("requests.json");
  it("has accepted and refused cases for every type", () => {
    for (const t of ["MicroCredential", "Attribution", "MPUAuthorship"]) {
      const ofType = cases.filter((c) => (c.input as { type?: string }).type === t);
      expect(ofType.some((c) => c.wantErr === null)).toBe(true);
      expect(ofType.some((c) => c.wantErr === "schema.invalid")).toBe(true);
      expect(ofType.some((c) => c.wantErr?.startsWith("claims."))).toBe(true);
    }
  });
  for (const c of cases) {
    it(`${c.wantErr ?? "accepts"}: ${c.desc}`, () => {
      const { err, value } = attempt(c.kind, c.input);
      if (c.wantErr === null) {
        expect(err, err?.message).toBeUndefined();
        expect(value).toEqual(c.input);
      } else {
        expect(err?.code, `accepted: ${JSON.stringify(c.input).slice(0, 200)}`).toBe(c.wantErr);
        expect(err?.status).toBe(c.wantErr.startsWith("schema.") ? 400 : 422);
        if (c.wantPath !== undefined) expect(err?.path).toBe(c.wantPath);
        expect(err?.message.length).toBeGreaterThan(10);
      }
    });
  }
});

describe("schema details", () => {
  const holder = newDidKey();
  const ex = apiExamples(holder);

  it("issueRequestSchema discriminates on type and reports the union member's own issues", () => {
    const r = issueRequestSchema.safeParse({
      ...ex.attribution,
      contribution: { ...ex.attribution.contribution, role: "" },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["contribution", "role"]);
  });

  it('offerRequestSchema refuses a subject and offerToIssueRequest binds the holder, also as the "holder" MPU author', () => {
    const { subject: _s, ...offer } = ex.mpuAuthorship;
    expect(offerRequestSchema.safeParse(ex.mpuAuthorship).success).toBe(false);
    const coAuthor = newDidKey();
    const mpu = {
      ...(offer.mpu as Record<string, unknown>),
      authors: [
        { id: "holder", role: "lead author" },
        { id: coAuthor, role: "co-author" },
      ],
    };
    const parsed = parseInput(offerRequestSchema, { ...offer, mpu });
    const other = newDidKey();
    const req = offerToIssueRequest(parsed, other);
    expect(req.subject.id).toBe(other);
    expect(req.type === "MPUAuthorship" && req.mpu.authors).toEqual([
      { id: other, role: "lead author" },
      { id: coAuthor, role: "co-author" },
    ]);
    expect(parseIssueRequest(req)).toEqual(req);
  });

  it("assertDates: validFrom more than 300 s back is claims.backdated, validUntil not after now is claims.already_expired", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const code = (input: unknown, o?: { backdated?: boolean }) => {
      try {
        assertDates(input, now, o);
        return undefined;
      } catch (e) {
        expect((e as SchemaError).status).toBe(422);
        return (e as SchemaError).code;
      }
    };
    expect(code({ validFrom: "2026-11-30T11:55:00Z" })).toBeUndefined(); // exactly 300 s: clock skew allowed
    expect(code({ validFrom: "2026-11-30T11:54:59Z" })).toBe("claims.backdated");
    expect(code({ validFrom: "2026-11-30T11:54:59Z" }, { backdated: false })).toBeUndefined();
    expect(code({ validFrom: "2027-01-01T00:00:00Z" })).toBeUndefined();
    expect(code({ validUntil: "2026-11-30T12:00:00Z" })).toBe("claims.already_expired");
    expect(code({ validUntil: "2026-11-30T12:00:01Z" })).toBeUndefined();
    expect(code({ validUntil: "not a date" })).toBeUndefined(); // left to the schema (400)
  });

  it("parseInput reports every issue with a dotted path, capped", () => {
    try {
      parseInput(issueRequestSchema, {
        type: "MicroCredential",
        subject: { id: "x" },
        evidence: Array.from({ length: 60 }, () => ({})),
      });
      expect.unreachable();
    } catch (e) {
      const err = e as SchemaError;
      expect(err.code).toBe("schema.invalid");
      expect(err.status).toBe(400);
      expect(err.issues!.length).toBeLessThanOrEqual(20);
      expect(err.issues!.map((i) => i.path)).toContain("subject.id");
    }
  });

  it("parseInput never throws anything but SchemaError for any JSON value", () => {
    for (const v of [null, 0, "x", [], true, { type: null }, { type: "MicroCredential", achievement: "x" }]) {
      expect(() => parseInput(issueRequestSchema, v)).toThrow(SchemaError);
    }
  });

  it("bounds string lengths: 2000-character description accepted, 2001 refused", () => {
    const ok = ex.microCredential();
    ok.achievement.description = "a".repeat(2000);
    expect(issueRequestSchema.safeParse(ok).success).toBe(true);
    ok.achievement.description = "a".repeat(2001);
    expect(issueRequestSchema.safeParse(ok).success).toBe(false);
  });

  it("refuses names made only of invisible characters", () => {
    const body = ex.microCredential("\u200B\u200D \u3164");
    expect(issueRequestSchema.safeParse(body).success).toBe(false);
  });

  it("accepts tab, LF and CRLF line breaks in descriptions; refuses other control characters", () => {
    const body = ex.microCredential();
    for (const d of ["Line one\r\nLine two", "Line one\nLine two", "Step\tone"]) {
      body.achievement.description = d;
      expect(issueRequestSchema.safeParse(body).success, JSON.stringify(d)).toBe(true);
    }
    for (const d of ["bell\u0007", "escape\u001b[31m", "nul\u0000", "next line\u0085"]) {
      body.achievement.description = d;
      expect(issueRequestSchema.safeParse(body).success, JSON.stringify(d)).toBe(false);
    }
  });

  it("accepts DIDs of other methods and refuses malformed ones", () => {
    for (const id of [
      "did:web:example.org",
      "did:web:example.org:users:amina",
      "did:example:123456789abcdefghi",
    ]) {
      expect(issueRequestSchema.safeParse({ ...ex.attribution, subject: { id } }).success, id).toBe(true);
    }
    for (const id of [
      "did:",
      "did:web:",
      "DID:web:example.org",
      "did:key:z0OIl",
      "did:web:exa mple.org",
      "https://example.org",
    ]) {
      expect(issueRequestSchema.safeParse({ ...ex.attribution, subject: { id } }).success, id).toBe(false);
    }
  });
});

describe("lifecycle, issuer and anchor requests", () => {
  it("status change: reason list, `other` needs a note", () => {
    expect(statusChangeRequestSchema.safeParse({ action: "suspend", reason: "under-review" }).success).toBe(
      true,
    );
    expect(
      statusChangeRequestSchema.safeParse({ action: "reinstate", reason: "other", note: "review passed" })
        .success,
    ).toBe(true);
    expect(statusChangeRequestSchema.safeParse({ action: "reinstate", reason: "other" }).success).toBe(false);
    expect(statusChangeRequestSchema.safeParse({ action: "delete", reason: "unsafe" }).success).toBe(false);
    expect(statusChangeRequestSchema.safeParse({ action: "revoke", reason: "because" }).success).toBe(false);
    expect(
      statusChangeRequestSchema.safeParse({ action: "revoke", reason: "unsafe", extra: 1 }).success,
    ).toBe(false);
  });
  it("issuer creation: name and optional http(s) url", () => {
    expect(
      createIssuerRequestSchema.safeParse({ name: "Kaduna Repair Academy", url: "https://academy.example" })
        .success,
    ).toBe(true);
    expect(createIssuerRequestSchema.safeParse({ name: "x", url: "javascript:alert(1)" }).success).toBe(
      false,
    );
    expect(createIssuerRequestSchema.safeParse({ name: "" }).success).toBe(false);
  });
  it("anchor: lowercase hex SHA-256, media type, short note", () => {
    const digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    expect(
      anchorRequestSchema.safeParse({ digest, mediaType: "application/pdf", note: "guide v2" }).success,
    ).toBe(true);
    expect(anchorRequestSchema.safeParse({ digest: digest.toUpperCase() }).success).toBe(false);
    expect(anchorRequestSchema.safeParse({ digest, mediaType: "pdf" }).success).toBe(false);
    expect(anchorRequestSchema.safeParse({ digest, note: "x".repeat(281) }).success).toBe(false);
  });
  it("anchor: the public note carries no email address, phone number or DID", () => {
    const digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    for (const note of ["guide v2, 2026 wet season", "photos 1-12 of pump 42", "MPU 7d0b6a52 revision 3"]) {
      expect(anchorRequestSchema.safeParse({ digest, note }).success, note).toBe(true);
    }
    for (const note of [
      "ask amina@example.org",
      "call +234 803 555 0101",
      "for did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    ]) {
      expect(anchorRequestSchema.safeParse({ digest, note }).success, note).toBe(false);
    }
  });
});

describe("linear time on hostile strings in requests (no catastrophic backtracking)", () => {
  const within = (ms: number, fn: () => unknown) => {
    const t = performance.now();
    fn();
    expect(performance.now() - t).toBeLessThan(ms);
  };
  const digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  for (const [label, s] of [
    ["letters", "a".repeat(100_000)],
    ["at-signs", "a@".repeat(50_000)],
    ["digits and dashes", "1-".repeat(50_000)],
    ["spaces", " ".repeat(100_000)],
  ] as const) {
    it(`anchor note, DID, URI and names of 100,000 ${label}`, () => {
      within(500, () => anchorRequestSchema.safeParse({ digest, note: s }));
      within(500, () =>
        issueRequestSchema.safeParse({ type: "Attribution", subject: { id: `did:web:${s}!` } }),
      );
      within(500, () =>
        issueRequestSchema.safeParse({
          type: "Attribution",
          subject: { id: "did:web:x" },
          object: { id: `https://${s} `, name: s, digestSRI: s },
        }),
      );
      within(500, () =>
        expect(() =>
          parseIssueRequest({
            type: "MicroCredential",
            achievement: { name: s, description: s, criteria: { narrative: s } },
          }),
        ).toThrow(SchemaError),
      );
    });
  }
});
