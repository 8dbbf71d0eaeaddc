// Claims discipline: every naming rule with positive and negative cases (testdata/schemas/
// claims-naming.json), the field rules (financial, transfer, personal data), and the rule data itself.
import { describe, expect, it } from "vitest";
import {
  CLAIMS_RULES,
  SCHEMA_ERROR_CODES,
  SchemaError,
  assertClaims,
  checkClaims,
  findNamingClaims,
  keyWords,
  matchingWords,
  type ClaimsRules,
} from "@meritlog/schemas";
import { apiExamples, newDidKey, testdata } from "./fixtures.js";

interface NamingCase {
  desc: string;
  field: "title" | "text";
  text: string;
  wantRule: string | null;
}

const { cases } = testdata<{ cases: NamingCase[] }>("claims-naming.json");

describe("naming rules (claims-naming.json)", () => {
  for (const c of cases) {
    it(c.desc + ` [${c.field}]`, () => {
      const matched = findNamingClaims(c.text, c.field).map((m) => m.rule.id);
      if (c.wantRule === null) expect(matched).toEqual([]);
      else expect(matched).toContain(c.wantRule);
    });
  }

  it("every rule has at least one positive case", () => {
    const covered = new Set(cases.map((c) => c.wantRule));
    expect(CLAIMS_RULES.naming.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it("every titles-only rule is silent in descriptive text", () => {
    for (const c of cases) {
      if (c.wantRule === null || c.field !== "title") continue;
      const rule = CLAIMS_RULES.naming.find((r) => r.id === c.wantRule)!;
      const inText = findNamingClaims(c.text, "text").map((m) => m.rule.id);
      if (rule.scope === "titles") expect(inText).not.toContain(rule.id);
      else expect(inText).toContain(rule.id);
    }
  });

  it("is case- and accent-insensitive", () => {
    for (const t of ["CERTIFIED", "Certified", "cErTiFiEd", "Cértifïed", "ＣＥＲＴＩＦＩＥＤ"]) {
      expect(
        findNamingClaims(`${t} pump technician`, "title").map((m) => m.rule.id),
        t,
      ).toContain("certif");
    }
    expect(findNamingClaims("ZERTIFIZIERTER TECHNIKER", "title").map((m) => m.rule.id)).toContain(
      "de.zertifi",
    );
    expect(findNamingClaims("Staatlich geprüfter Techniker", "title").map((m) => m.rule.id)).toContain(
      "de.staatlich-geprueft",
    );
  });

  it("reports the words as written and a rule id", () => {
    const [m] = findNamingClaims("Hand-pump repair — Certifiée niveau 2", "title");
    expect(m?.match).toBe("Certifiée");
    expect(m?.rule.code).toBe("claims.certification_implied");
  });

  it("a negation does not reach across a clause boundary", () => {
    expect(findNamingClaims("No fee. Certified technician", "title").map((m) => m.rule.id)).toContain(
      "certif",
    );
    expect(findNamingClaims("No fee, not a certified technician", "title")).toEqual([]);
  });
});

describe("rule data", () => {
  const codes = new Set<string>(SCHEMA_ERROR_CODES);
  it("is versioned", () => {
    expect(CLAIMS_RULES.version).toMatch(/^\d+$/);
  });
  it("has unique rule ids and only known claims codes", () => {
    const ids = CLAIMS_RULES.naming.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of CLAIMS_RULES.naming)
      expect(codes.has(r.code) && r.code.startsWith("claims."), r.id).toBe(true);
  });
  it("writes every phrase and exception in matching form (lowercase, no accents, single spaces)", () => {
    for (const r of CLAIMS_RULES.naming) {
      for (const p of [r.phrase, ...(r.unless ?? [])]) {
        expect(p, r.id).toMatch(/^[a-z0-9*|?]+(?: [a-z0-9*|?]+)*$/);
        // Each alternative, stripped of wildcards, is already a normalised word.
        for (const alt of p.split(/[ |]/)) {
          const core = alt.replace(/[*?]/g, "");
          expect(matchingWords(core), `${r.id}: ${alt}`).toEqual([core]);
        }
      }
    }
  });
  it("covers the seven languages the rules claim", () => {
    const langs = new Set(CLAIMS_RULES.naming.flatMap((r) => r.langs));
    expect([...langs].sort()).toEqual(["de", "en", "es", "fr", "ha", "pt", "sw"]);
  });
  it("is used as passed: a custom rule set changes the outcome", () => {
    const custom: ClaimsRules = {
      ...CLAIMS_RULES,
      version: "test",
      naming: [
        {
          id: "x.gold",
          code: "claims.certification_implied",
          langs: ["en"],
          phrase: "gold",
          scope: "titles",
        },
      ],
    };
    const ex = apiExamples(newDidKey());
    expect(checkClaims(ex.microCredential("Gold pump repair"), custom)[0]?.rule).toBe("x.gold");
    expect(checkClaims(ex.microCredential("Certified pump repair"), custom)).toEqual([]);
  });
});

describe("field rules: financial, transfer, personal data", () => {
  const ex = apiExamples(newDidKey());

  it("splits field names into words", () => {
    expect(keyWords("unitPrice")).toEqual(["unit", "price"]);
    expect(keyWords("is_transferable")).toEqual(["is", "transferable"]);
    expect(keyWords("priceUSD")).toEqual(["price", "usd"]);
    expect(keyWords("NFTTokenId")).toEqual(["nft", "token", "id"]);
    expect(keyWords("digestSRI")).toEqual(["digest", "sri"]);
  });

  const financial = [
    "price",
    "unitPrice",
    "amount",
    "currency",
    "balance",
    "shares",
    "royalty",
    "royaltyRate",
    "token",
    "tokenId",
    "value",
    "payment",
    "fee",
    "salary",
    "compensation",
    "reward_points",
  ];
  const transfer = [
    "transferable",
    "isTransferable",
    "transferability",
    "tradeable",
    "redeemable",
    "redemptionCode",
    "resale",
  ];
  const pii = [
    "email",
    "emailAddress",
    "phone",
    "phoneNumber",
    "dateOfBirth",
    "birth_date",
    "gender",
    "nationality",
    "passportNumber",
    "homeAddress",
    "firstName",
    "last_name",
    "fullName",
  ];
  for (const [code, keys] of [
    ["claims.financial_field", financial],
    ["claims.transfer_field", transfer],
    ["claims.pii_field", pii],
  ] as const) {
    for (const k of keys) {
      it(`${code}: refuses "${k}" at top level and nested (in free-form objects too)`, () => {
        const top = checkClaims({ ...ex.attribution, [k]: 1 });
        expect(top[0]).toMatchObject({ code, path: k });
        const nested = checkClaims({
          ...ex.mpuAuthorship,
          mpu: {
            ...ex.mpuAuthorship.mpu,
            license: { id: "custom", name: "x", text: "y", extra: { deep: [{ [k]: "1" }] } },
          },
        });
        expect(nested[0]).toMatchObject({ code, path: `mpu.license.extra.deep[0].${k}` });
      });
    }
  }

  for (const k of [
    "digestSRI",
    "validFrom",
    "validUntil",
    "reviewLevel",
    "renewalRequirement",
    "assessmentBasis",
    "linkedDomains",
    "contribution",
    "stage",
    "evidence",
    "name",
    "description",
    "shared",
    "shareAlike",
    "page",
    "coverage",
    "valid",
  ]) {
    it(`does not refuse the ordinary field "${k}"`, () => {
      expect(checkClaims({ [k]: "x" }).filter((v) => v.code.endsWith("_field"))).toEqual([]);
    });
  }

  it("subject carries only the DID: any other subject field is personal data", () => {
    expect(checkClaims({ ...ex.attribution, subject: { id: "did:web:x", nickname: "A" } })[0]).toMatchObject({
      code: "claims.pii_field",
      path: "subject.nickname",
    });
    expect(checkClaims({ ...ex.attribution, subject: { id: "did:web:x" } })).toEqual([]);
  });

  it("checks values of forbidden fields never, keys always (values are free text)", () => {
    expect(
      checkClaims({
        ...ex.attribution,
        contribution: {
          ...ex.attribution.contribution,
          description: "Priced the spare parts list in naira.",
        },
      }),
    ).toEqual([]);
  });

  it("survives hostile nesting without a stack overflow", () => {
    let deep: Record<string, unknown> = { price: 1 };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(() => checkClaims(deep)).not.toThrow();
  });
});

describe("checkClaims / assertClaims", () => {
  const ex = apiExamples(newDidKey());

  it("passes the three API.md examples", () => {
    for (const b of [ex.microCredential(), ex.attribution, ex.mpuAuthorship]) {
      expect(checkClaims(b)).toEqual([]);
      expect(() => assertClaims(b)).not.toThrow();
    }
  });

  it("returns all violations in document order with paths", () => {
    const body = ex.microCredential("Certified Hand-Pump Technician");
    body.achievement.description = "Licensed and approved hand-pump work.";
    body.scope.covers = ["repair", "procurement-qualified parts sourcing"];
    const v = checkClaims({ ...body, price: 3 });
    expect(v.map((x) => [x.code, x.path])).toEqual([
      ["claims.certification_implied", "achievement.name"],
      ["claims.licensure_implied", "achievement.description"],
      ["claims.approval_implied", "achievement.description"],
      ["claims.procurement_implied", "scope.covers[1]"],
      ["claims.financial_field", "price"],
    ]);
    for (const x of v) expect(x.message).toContain(x.path);
  });

  it("judges a text seen before as the first time: per field class, per rule set, at its own path", () => {
    // checkClaims remembers each text's naming verdict; the verdict must still depend on the field
    // class (a titles-only rule is silent in a description) and on the rule set, never on the order.
    const titlesOnly = cases.find(
      (c) =>
        c.field === "title" &&
        c.wantRule !== null &&
        CLAIMS_RULES.naming.find((r) => r.id === c.wantRule)!.scope === "titles",
    )!;
    const asName = ex.microCredential(titlesOnly.text);
    const asDescription = ex.microCredential();
    asDescription.achievement.description = titlesOnly.text;
    const custom: ClaimsRules = { ...CLAIMS_RULES, version: "test", naming: [] };
    for (let round = 0; round < 2; round++) {
      expect(checkClaims(asName).map((v) => [v.rule, v.path])).toContainEqual([
        titlesOnly.wantRule,
        "achievement.name",
      ]);
      expect(checkClaims(asDescription).map((v) => v.rule)).not.toContain(titlesOnly.wantRule);
      expect(checkClaims(asName, custom)).toEqual([]);
    }
    const inCovers = ex.microCredential();
    inCovers.scope.covers = ["repair", titlesOnly.text];
    expect(checkClaims(inCovers).map((v) => v.path)).not.toContain("achievement.name");
  });

  it("assertClaims throws a SchemaError with the first violation's code, status 422, path, rule and all issues", () => {
    const body = ex.microCredential("Certified Hand-Pump Technician");
    try {
      assertClaims({ ...body, price: 3 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SchemaError);
      const err = e as SchemaError;
      expect(err).toMatchObject({
        code: "claims.certification_implied",
        status: 422,
        path: "achievement.name",
        rule: "certif",
      });
      expect(err.issues?.length).toBe(2);
    }
  });

  it("never scans excludes, limitations or licence texts for naming", () => {
    const body = ex.microCredential();
    body.scope.excludes = ["certified, licensed or approved plumbing work", "procurement qualification"];
    expect(checkClaims({ ...body, limitations: ["not a licence; not accredited"] })).toEqual([]);
    const mpu = {
      ...ex.mpuAuthorship,
      mpu: {
        ...ex.mpuAuthorship.mpu,
        license: { id: "custom", name: "Licensed data terms", text: "Licensed under approved terms" },
      },
    };
    expect(checkClaims(mpu)).toEqual([]);
  });

  it("scans every title and text field of every type", () => {
    const claim = "Certified";
    const paths: [unknown, string][] = [
      [{ ...ex.microCredential(), pathway: `${claim} pathway` }, "pathway"],
      [{ ...ex.microCredential(), productionClass: `${claim} class` }, "productionClass"],
      [{ ...ex.microCredential(), assessmentBasis: `${claim} by a panel` }, "assessmentBasis"],
      [{ ...ex.microCredential(), renewalRequirement: `Stay ${claim}` }, "renewalRequirement"],
      [
        {
          ...ex.microCredential(),
          evidence: [{ ...ex.microCredential().evidence[0], name: `${claim} photos` }],
        },
        "evidence[0].name",
      ],
      [
        {
          ...ex.microCredential(),
          evidence: [{ ...ex.microCredential().evidence[0], description: `${claim} photos` }],
        },
        "evidence[0].description",
      ],
      [
        {
          ...ex.microCredential(),
          achievement: {
            ...ex.microCredential().achievement,
            criteria: { narrative: `${claim} by the board` },
          },
        },
        "achievement.criteria.narrative",
      ],
      [{ ...ex.attribution, object: { ...ex.attribution.object, name: `${claim} guide` } }, "object.name"],
      [
        {
          ...ex.attribution,
          contribution: { ...ex.attribution.contribution, description: `${claim} translation` },
        },
        "contribution.description",
      ],
      [{ ...ex.mpuAuthorship, mpu: { ...ex.mpuAuthorship.mpu, title: `${claim} log` } }, "mpu.title"],
      [
        { ...ex.mpuAuthorship, mpu: { ...ex.mpuAuthorship.mpu, verification: "certified-review" } },
        "mpu.verification",
      ],
      [
        { ...ex.mpuAuthorship, mpu: { ...ex.mpuAuthorship.mpu, linkedDomains: [`${claim} flood warning`] } },
        "mpu.linkedDomains[0]",
      ],
    ];
    for (const [body, path] of paths)
      expect(
        checkClaims(body).map((v) => v.path),
        path,
      ).toEqual([path]);
  });
});

// These bounds detect catastrophic behaviour, not speed (speed lives in the benchmarks): a
// quadratic or backtracking scan of these inputs takes minutes (about 10^10 steps at 100,000
// characters), a linear one milliseconds, so a 10-second ceiling holds on any loaded machine and
// still fails on the defect.
const HANG = 10_000;

describe("work bounds on raw bodies", () => {
  it("scans a hostile body (huge arrays, long strings, many keys) in bounded time", () => {
    const body = {
      type: "MicroCredential",
      scope: { covers: Array.from({ length: 200_000 }, (_, i) => `repair item ${i}`) },
      achievement: { description: "x ".repeat(500_000) },
      ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
    };
    const t = performance.now();
    checkClaims(body);
    expect(performance.now() - t).toBeLessThan(HANG);
  });
  it("still finds a forbidden field early in a large body", () => {
    const body = { price: 1, covers: Array.from({ length: 10_000 }, () => "x") };
    expect(checkClaims(body)[0]?.code).toBe("claims.financial_field");
  });
});

describe("linear time on hostile strings (no catastrophic backtracking)", () => {
  const within = (ms: number, fn: () => unknown) => {
    const t = performance.now();
    fn();
    expect(performance.now() - t).toBeLessThan(ms);
  };
  it("splits a 100,000-character field name quickly", () => {
    within(HANG, () => keyWords("A".repeat(100_000)));
    within(HANG, () => checkClaims({ ["A".repeat(100_000)]: 1, ["aB".repeat(50_000)]: 2 }));
  });
  it("scans 100,000-character texts quickly", () => {
    for (const s of [
      "a.".repeat(50_000),
      "a@".repeat(50_000),
      "1-".repeat(50_000),
      "not ".repeat(25_000),
      "certified ".repeat(10_000),
    ]) {
      within(HANG, () => findNamingClaims(s, "text"));
      within(HANG, () => checkClaims({ achievement: { description: s } }));
    }
  });
});
