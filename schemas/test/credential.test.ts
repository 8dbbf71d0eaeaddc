// The Open Badges 3.0 / VC Data Model 2.0 credential: build → parse round trips for each type,
// the shapes the specs require, the parser's refusals, the display summary and the JWT claims.
import { describe, expect, it } from "vitest";
import {
  CREDENTIAL_CONTEXTS,
  MERITLOG_CONTEXT_URL,
  NO_CONVERSION,
  OB3_CONTEXT_URL,
  SchemaError,
  VC2_CONTEXT_URL,
  buildCredential,
  credentialJwtClaims,
  credentialKind,
  credentialSchema,
  describeCredential,
  parseIssueRequest,
  type BuildContext,
  type Credential,
  type IssueRequest,
  type AttributionCredential,
  type MpuAuthorshipCredential,
  type StatusEntry,
} from "@meritlog/schemas";
import { SRI, apiExamples, newDidKey, testdata } from "./fixtures.js";

const holder = newDidKey();
const issuerDid = newDidKey();
const ex = apiExamples(holder);
const status: StatusEntry[] = [
  {
    id: "https://meritlog.example/v1/status/r1#94567",
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: "94567",
    statusListCredential: "https://meritlog.example/v1/status/r1",
  },
  {
    id: "https://meritlog.example/v1/status/s1#23452",
    type: "BitstringStatusListEntry",
    statusPurpose: "suspension",
    statusListIndex: "23452",
    statusListCredential: "https://meritlog.example/v1/status/s1",
  },
];
const ctx: BuildContext = {
  id: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b",
  issuer: { id: issuerDid, name: "Kaduna Repair Academy", url: "https://academy.example" },
  validFrom: "2026-11-21T10:00:00Z",
  credentialStatus: status,
};

const requests: [string, IssueRequest][] = [
  ["MicroCredential", parseIssueRequest(ex.microCredential())],
  ["Attribution", parseIssueRequest(ex.attribution)],
  ["MPUAuthorship", parseIssueRequest(ex.mpuAuthorship)],
];
// Every accepted request fixture, too: optional fields must survive the round trip.
const fixtureRequests = testdata<{
  cases: { desc: string; kind: string; input: unknown; wantErr: string | null }[];
}>("requests.json")
  .cases.filter((c) => c.kind === "issue" && c.wantErr === null)
  .map((c) => [c.desc, parseIssueRequest(c.input)] as [string, IssueRequest]);

/** As a verifier sees it: JSON through a JWT payload with the registered claims added. */
const asDecoded = (c: Credential) => ({
  ...(JSON.parse(JSON.stringify(c)) as object),
  ...credentialJwtClaims(c),
});

describe("buildCredential → credentialSchema round trip", () => {
  for (const [label, req] of [...requests, ...fixtureRequests]) {
    it(`${label}`, () => {
      const cred = buildCredential(req, ctx);
      const parsed = credentialSchema.parse(asDecoded(cred));
      expect(parsed).toMatchObject(JSON.parse(JSON.stringify(cred)) as object);
      expect(credentialKind(parsed)).toBe(req.type);
    });
  }
});

describe("Open Badges 3.0 / VC 2.0 shape", () => {
  for (const [label, req] of requests) {
    describe(label, () => {
      const cred = buildCredential(req, ctx);

      it("has the three contexts in order (VC 2.0 §4.3: the VC context first)", () => {
        expect(cred["@context"]).toEqual([VC2_CONTEXT_URL, OB3_CONTEXT_URL, MERITLOG_CONTEXT_URL]);
        expect(CREDENTIAL_CONTEXTS).toEqual(cred["@context"]);
      });
      it("is typed VerifiableCredential, OpenBadgeCredential and its kind", () => {
        expect(cred.type).toEqual(["VerifiableCredential", "OpenBadgeCredential", label]);
      });
      it("has a urn:uuid id, a Profile issuer, validFrom and a name", () => {
        expect(cred.id).toBe(ctx.id);
        expect(cred.issuer).toEqual({
          id: issuerDid,
          type: ["Profile"],
          name: "Kaduna Repair Academy",
          url: "https://academy.example",
        });
        expect(cred.validFrom).toBe(ctx.validFrom);
        expect(typeof cred.name).toBe("string");
      });
      it("has an AchievementSubject bound to the holder's DID with a full Achievement (OB 3.0 §B.1.1)", () => {
        const s = cred.credentialSubject;
        expect(s.id).toBe(holder);
        expect(s.type).toEqual(["AchievementSubject"]);
        expect(s.achievement).toMatchObject({ id: `${ctx.id}#achievement`, type: ["Achievement"] });
        for (const k of ["name", "description", "achievementType"] as const)
          expect(typeof s.achievement[k]).toBe("string");
        expect(typeof s.achievement.criteria.narrative).toBe("string");
        expect(s.achievement.achievementType).toMatch(/^(MicroCredential|ext:[A-Za-z0-9._-]+)$/);
        expect(s.scope.covers.length).toBeGreaterThan(0);
        expect(s.scope.excludes.length).toBeGreaterThan(0);
      });
      it("links evidence with SHA-256 SRI digests (OB 3.0 Evidence, VC 2.0 §5.3)", () => {
        expect(cred.evidence?.length).toBeGreaterThan(0);
        for (const e of cred.evidence ?? []) {
          expect(e.type).toEqual(["Evidence"]);
          expect(e.digestSRI).toBe(SRI);
        }
      });
      it("carries the Bitstring Status List entries as given", () => {
        expect(cred.credentialStatus).toEqual(status);
      });
      it("carries the no-conversion notice in termsOfUse", () => {
        expect(cred.termsOfUse).toEqual([NO_CONVERSION]);
      });
      it("names the holder only as the subject (and as an author, where the holder is one)", () => {
        const text = JSON.stringify({
          ...cred,
          credentialSubject: { ...cred.credentialSubject, id: "-", mpu: undefined },
        });
        expect(text).not.toContain(holder);
      });
      it("writes no transfer, price or value fields", () => {
        expect(JSON.stringify(cred)).not.toMatch(/"(price|amount|currency|value|token|transferable)"/i);
      });
    });
  }

  it("Attribution carries contribution and object; MPU carries the MPU with authors and licence", () => {
    const a = buildCredential(requests[1]![1], ctx) as AttributionCredential;
    expect(a.credentialSubject.contribution).toEqual(ex.attribution.contribution);
    expect(a.credentialSubject.contributionObject).toEqual(ex.attribution.object);
    expect(a.credentialSubject.achievement.name).toBe("Translation: Hand-pump repair guide");
    const m = buildCredential(requests[2]![1], ctx) as MpuAuthorshipCredential;
    expect(m.credentialSubject.mpu).toEqual(ex.mpuAuthorship.mpu);
    expect(m.credentialSubject.achievement.name).toBe(
      "MPU authorship: Rainfall log, Kaduna North, 2026 wet season",
    );
  });

  it("request validity overrides the issuance time; validUntil is kept", () => {
    const req = parseIssueRequest({ ...ex.microCredential(), validFrom: "2027-01-01T00:00:00Z" });
    const c = buildCredential(req, ctx);
    expect(c.validFrom).toBe("2027-01-01T00:00:00Z");
    expect(c.validUntil).toBe("2028-01-01T00:00:00Z");
  });

  it("names the credential it supersedes or renews", () => {
    const c = buildCredential(requests[0]![1], {
      ...ctx,
      supersedes: "urn:uuid:11111111-2222-4333-8444-555555555555",
      renews: "urn:uuid:11111111-2222-4333-8444-666666666666",
    });
    expect(c.supersedes).toBe("urn:uuid:11111111-2222-4333-8444-555555555555");
    expect(c.renews).toBe("urn:uuid:11111111-2222-4333-8444-666666666666");
    expect(credentialSchema.safeParse(asDecoded(c)).success).toBe(true);
  });

  it("omits credentialStatus when none is given", () => {
    const { credentialStatus: _c, ...noStatus } = ctx;
    expect("credentialStatus" in buildCredential(requests[0]![1], noStatus)).toBe(false);
  });

  it("refuses a malformed context or an empty validity window with SchemaError", () => {
    const bad: [Partial<BuildContext>, string][] = [
      [{ id: "123" }, "ctx.id"],
      [{ issuer: { id: "not-a-did", name: "x" } }, "ctx.issuer.id"],
      [{ validFrom: "yesterday" }, "ctx.validFrom"],
      [
        { credentialStatus: [{ ...status[0]!, statusListIndex: "-1" }] },
        "ctx.credentialStatus[0].statusListIndex",
      ],
      [{ supersedes: "https://x" }, "ctx.supersedes"],
      [{ validFrom: "2029-01-01T00:00:00Z" }, "validUntil"],
    ];
    for (const [patch, path] of bad) {
      try {
        buildCredential(requests[0]![1], { ...ctx, ...patch } as BuildContext);
        expect.unreachable(path);
      } catch (e) {
        expect(e).toBeInstanceOf(SchemaError);
        expect((e as SchemaError).code).toBe("schema.invalid");
        expect((e as SchemaError).path).toBe(path);
      }
    }
  });
});

describe("credentialSchema refuses what is not a meritlog credential", () => {
  const good = () => asDecoded(buildCredential(requests[0]![1], ctx)) as Record<string, unknown>;
  /** A deep copy of the good credential with one member (by path) replaced; undefined deletes it. */
  function mutate(path: (string | number)[], value: unknown): unknown {
    const c = structuredClone(good()) as Record<string | number, unknown>;
    let o = c;
    for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (value === undefined) delete o[last];
    else o[last] = value;
    return c;
  }
  const cases: [string, unknown, string][] = [
    ["not an object", "eyJ...", ""],
    ["VC 1.1 context first", mutate(["@context", 0], "https://www.w3.org/2018/credentials/v1"), "@context"],
    ["no OB3 context", mutate(["@context", 1], "https://example.org/x"), "@context"],
    ["no meritlog context", mutate(["@context", 2], "https://example.org/x"), "@context"],
    ["no kind in type", mutate(["type"], ["VerifiableCredential", "OpenBadgeCredential"]), "type"],
    [
      "two kinds in type",
      mutate(["type"], ["VerifiableCredential", "OpenBadgeCredential", "MicroCredential", "Attribution"]),
      "type",
    ],
    ["not a VerifiableCredential", mutate(["type"], ["OpenBadgeCredential", "MicroCredential"]), "type"],
    ["issuer as a string", mutate(["issuer"], issuerDid), "issuer"],
    ["issuer not a DID", mutate(["issuer", "id"], "https://academy.example"), "issuer.id"],
    ["validFrom without time zone", mutate(["validFrom"], "2026-11-21T10:00:00"), "validFrom"],
    ["subject without DID", mutate(["credentialSubject", "id"], undefined), "credentialSubject.id"],
    [
      "subject without review level",
      mutate(["credentialSubject", "reviewLevel"], undefined),
      "credentialSubject.reviewLevel",
    ],
    ["subject without scope", mutate(["credentialSubject", "scope"], undefined), "credentialSubject.scope"],
    [
      "achievement without criteria",
      mutate(["credentialSubject", "achievement", "criteria"], undefined),
      "credentialSubject.achievement.criteria",
    ],
    [
      "evidence digest malformed",
      mutate(["evidence", 0, "digestSRI"], "sha256-abc"),
      "evidence[0].digestSRI",
    ],
    [
      "status index not a decimal string",
      mutate(["credentialStatus", 0, "statusListIndex"], 94567),
      "credentialStatus",
    ],
  ];
  for (const [desc, input, path] of cases) {
    it(desc, () => {
      const r = credentialSchema.safeParse(input);
      expect(r.success).toBe(false);
      const paths = r.error!.issues.map((i) =>
        i.path
          .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
          .join("")
          .replace(/^\./, ""),
      );
      if (path)
        expect(
          paths.some((p) => p.startsWith(path)),
          paths.join(", "),
        ).toBe(true);
    });
  }
  it("accepts AchievementCredential as the OB3 type and unknown extra members", () => {
    const c = good();
    expect(
      credentialSchema.safeParse({
        ...c,
        type: ["VerifiableCredential", "AchievementCredential", "MicroCredential"],
        image: { id: "https://x.example/i.png", type: "Image" },
      }).success,
    ).toBe(true);
  });
  it("credentialKind reads the kind and nothing else", () => {
    expect(credentialKind(good())).toBe("MicroCredential");
    expect(credentialKind({ type: "MicroCredential" })).toBeUndefined();
    expect(credentialKind({ type: ["VerifiableCredential"] })).toBeUndefined();
    expect(credentialKind(null)).toBeUndefined();
    expect(credentialKind({ type: ["MPUAuthorship", "Attribution"] })).toBeUndefined();
  });
});

describe("describeCredential", () => {
  it("summarises a MicroCredential with everything DOMAIN.md 'Display' requires", () => {
    const full = fixtureRequests.find(([d]) => d === "MicroCredential with every optional field")![1];
    const s = describeCredential(buildCredential(full, ctx));
    expect(s).toMatchObject({
      id: ctx.id,
      kind: "MicroCredential",
      title: "Hand-Pump Repair Guide Writing",
      issuer: { id: issuerDid, name: "Kaduna Repair Academy", url: "https://academy.example" },
      holder: full.subject.id,
      covers: ["writing repair documentation for hand pumps"],
      excludes: ["regulated plumbing work", "product safety approval"],
      reviewLevel: "peer",
      pathway: "Community water systems",
      productionClass: "hand-pump maintenance",
      assessmentBasis: "A second learner followed the guide; a peer observed the repair.",
      limitations: ["covers one pump model (India Mark II)"],
      renewalRequirement: "Renewal needs a new guide or a revision reviewed within the last two years.",
      validFrom: "2026-01-01T00:00:00Z",
      validUntil: "2028-01-01T00:00:00Z",
      notice: {
        text: NO_CONVERSION.text,
        version: NO_CONVERSION.version,
        id: NO_CONVERSION.id,
        verbatim: true,
      },
    });
    expect(s.evidence).toEqual([
      { id: "https://example.org/mpu/42/guide.pdf", digestSRI: SRI },
      {
        id: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        digestSRI: SRI,
        name: "Photos of the repair",
        description: "Six photos taken during the repair.",
      },
    ]);
    expect(s.status.map((x) => x.purpose)).toEqual(["revocation", "suspension"]);
  });

  it("summarises an Attribution and an MPU authorship", () => {
    const a = describeCredential(buildCredential(requests[1]![1], ctx));
    expect(a).toMatchObject({
      kind: "Attribution",
      contribution: ex.attribution.contribution,
      object: ex.attribution.object,
      authors: [],
    });
    expect(a.excludes).toContain("employment");
    const mpuReq = fixtureRequests.find(([d]) => d.startsWith("MPUAuthorship, collaborative"))![1];
    const m = describeCredential(buildCredential(mpuReq, ctx));
    expect(m).toMatchObject({
      kind: "MPUAuthorship",
      license: "custom",
      licenseTerms: { name: "Village data terms" },
      verification: "peer-review",
    });
    expect(m.authors.map((x) => x.role)).toEqual(["lead author", "field recorder"]);
    expect(m.mpu?.linkedDomains).toHaveLength(2);
  });

  it("flags a notice that is not word for word a published version", () => {
    const c = buildCredential(requests[0]![1], ctx);
    const tampered = {
      ...c,
      termsOfUse: [{ ...NO_CONVERSION, text: NO_CONVERSION.text.replace("certification, ", "") }],
    };
    expect(describeCredential(tampered as Credential).notice?.verbatim).toBe(false);
    const none = { ...c, termsOfUse: [] };
    expect(describeCredential(none as unknown as Credential).notice).toBeUndefined();
  });

  it("never throws on odd input", () => {
    for (const v of [
      {},
      { credentialSubject: 5 },
      { type: ["MicroCredential"], evidence: "x", credentialStatus: {} },
    ]) {
      expect(() => describeCredential(v as unknown as Credential)).not.toThrow();
    }
  });
});

describe("credentialJwtClaims (OB 3.0 §8.2.4.1)", () => {
  it("maps issuer, subject, id and the validity window", () => {
    const c = buildCredential(requests[0]![1], ctx);
    expect(credentialJwtClaims(c)).toEqual({
      iss: issuerDid,
      sub: holder,
      jti: ctx.id,
      nbf: Date.parse(ctx.validFrom) / 1000,
      exp: Date.parse("2028-01-01T00:00:00Z") / 1000,
    });
    expect("exp" in credentialJwtClaims(buildCredential(requests[1]![1], ctx))).toBe(false);
  });
});

describe("known-answer credentials (testdata/schemas/credentials.json)", () => {
  interface KnownAnswers {
    context: BuildContext;
    valid: { desc: string; kind: string; request: unknown; credential: Credential; jwtClaims: unknown }[];
    invalid: { desc: string; credential: unknown; wantErr: string }[];
  }
  const ka = testdata<KnownAnswers>("credentials.json");
  for (const v of ka.valid) {
    it(`builds exactly: ${v.desc}`, () => {
      const built = buildCredential(parseIssueRequest(v.request), ka.context);
      expect(JSON.parse(JSON.stringify(built))).toEqual(v.credential);
      expect(credentialJwtClaims(built)).toEqual(v.jwtClaims);
      expect(credentialSchema.safeParse(v.credential).success).toBe(true);
      expect(credentialKind(v.credential)).toBe(v.kind);
    });
  }
  for (const c of ka.invalid) {
    it(`refuses: ${c.desc}`, () => {
      expect(credentialSchema.safeParse(c.credential).success).toBe(false);
    });
  }
});

describe("credentialSchema on hostile input (it parses untrusted JWT payloads)", () => {
  it("refuses 100,000-character members quickly", () => {
    const c = JSON.parse(JSON.stringify(buildCredential(requests[0]![1], ctx))) as Record<string, unknown> & {
      credentialSubject: Record<string, unknown>;
    };
    for (const s of ["a".repeat(100_000), "a@".repeat(50_000), "1-".repeat(50_000)]) {
      for (const mutated of [
        { ...c, id: s },
        { ...c, issuer: { id: `did:web:${s}!`, type: ["Profile"] } },
        { ...c, validFrom: s },
        { ...c, credentialSubject: { ...c.credentialSubject, id: `did:key:z${s}` } },
        { ...c, "@context": [s, s, s] },
        { ...c, type: Array.from({ length: 1000 }, () => s) },
      ]) {
        const t = performance.now();
        expect(credentialSchema.safeParse(mutated).success).toBe(false);
        expect(() => describeCredential(mutated as unknown as Credential)).not.toThrow();
        expect(performance.now() - t).toBeLessThan(500);
      }
    }
  });
});
