// Property tests across the package: parsing never fails with anything but SchemaError, neutral
// text never trips a naming rule, a claim inserted anywhere in a name always does, and every
// accepted request builds a credential that parses and describes itself consistently.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SchemaError,
  buildCredential,
  credentialSchema,
  describeCredential,
  findNamingClaims,
  parseIssueRequest,
  parseOfferRequest,
} from "@meritlog/schemas";
import { apiExamples, newDidKey, testdata } from "./fixtures.js";

const holder = newDidKey();
const ex = apiExamples(holder);

// Words of ordinary micro-production practice, none of which is a claim in any rule language.
const NEUTRAL = [
  "hand",
  "pump",
  "repair",
  "guide",
  "writing",
  "rainfall",
  "log",
  "village",
  "water",
  "map",
  "risk",
  "community",
  "translation",
  "hausa",
  "swahili",
  "documentation",
  "practice",
  "bill",
  "of",
  "materials",
  "review",
  "peer",
  "data",
  "model",
  "policy",
  "media",
  "governance",
  "season",
  "north",
  "south",
  "kaduna",
  "workshop",
  "basics",
  "level",
  "one",
  "two",
  "safety",
  "literacy",
  "teardown",
  "archive",
  "support",
  "accessibility",
  "correction",
  "interview",
  "video",
  "hazard",
  "sensor",
  "readings",
  "threshold",
  "estimate",
  "clause",
  "critique",
  "narrative",
  "audit",
  "co",
  "signature",
  "réparation",
  "pompe",
  "bomba",
  "reparación",
  "manutenção",
  "Wartung",
  "Pumpe",
  "ukarabati",
  "pampu",
  "gyaran",
  "famfo",
];
const CLAIMS = [
  ["Certified", "certif"],
  ["licensed", "en.licensed"],
  ["Accredited", "accredit"],
  ["approved", "en.approved"],
  ["Chartered", "en.chartered"],
  ["pre-qualified", "en.pre-qualified"],
  ["zertifizierte", "de.zertifi"],
  ["homologué", "fr.approuve"],
  ["acreditado", "es.acreditado"],
  ["Diploma", "diploma"],
  ["bankable", "financeable"],
] as const;
const sep = fc.constantFrom(" ", " - ", ", ", " / ", " — ", ": ");
const neutralWords = fc.array(fc.constantFrom(...NEUTRAL), { minLength: 1, maxLength: 8 });

describe("naming properties", () => {
  it("neutral names never trip a rule", () => {
    fc.assert(
      fc.property(neutralWords, sep, (ws, s) => {
        expect(findNamingClaims(ws.join(s), "title")).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("a claim word inserted anywhere in a neutral name is always found", () => {
    fc.assert(
      fc.property(
        neutralWords,
        fc.nat(),
        fc.constantFrom(...CLAIMS),
        fc.constantFrom(" ", " - ", ", ", " / "),
        (ws, at, [claim, rule], s) => {
          const words = [...ws];
          words.splice(at % (words.length + 1), 0, claim);
          expect(findNamingClaims(words.join(s), "title").map((m) => m.rule.id)).toContain(rule);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("case never matters", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CLAIMS),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        ([claim, rule], upper) => {
          const mixed = [...claim]
            .map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch.toLowerCase()))
            .join("");
          expect(findNamingClaims(`Hand pump ${mixed} practice`, "title").map((m) => m.rule.id)).toContain(
            rule,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parsing properties", () => {
  it("parseIssueRequest / parseOfferRequest return or throw SchemaError for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        for (const parse of [parseIssueRequest, parseOfferRequest]) {
          try {
            parse(v);
          } catch (e) {
            expect(e).toBeInstanceOf(SchemaError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("any one member of a valid body replaced by a random JSON value: accepted, or refused with SchemaError", () => {
    const bodies = [ex.microCredential(), ex.attribution, ex.mpuAuthorship] as Record<string, unknown>[];
    fc.assert(
      fc.property(
        fc.constantFrom(...bodies),
        fc.string({ maxLength: 20 }),
        fc.jsonValue({ maxDepth: 3 }),
        (body, keySeed, value) => {
          const keys = Object.keys(body);
          const key = keys[keySeed.length % keys.length]!;
          const mutated = { ...structuredClone(body), [key]: value };
          try {
            const req = parseIssueRequest(mutated);
            // Anything accepted builds a credential the parser accepts.
            const cred = buildCredential(req, {
              id: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b",
              issuer: { id: holder, name: "A" },
              validFrom: "2020-01-01T00:00:00Z",
            });
            expect(credentialSchema.safeParse(JSON.parse(JSON.stringify(cred))).success).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(SchemaError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("every accepted fixture describes itself with what it was issued with", () => {
    const { cases } = testdata<{
      cases: { kind: string; input: Record<string, unknown>; wantErr: string | null }[];
    }>("requests.json");
    for (const c of cases.filter((x) => x.kind === "issue" && x.wantErr === null)) {
      const req = parseIssueRequest(c.input);
      const cred = credentialSchema.parse(
        JSON.parse(
          JSON.stringify(
            buildCredential(req, {
              id: "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b",
              issuer: { id: holder, name: "A" },
              validFrom: "2020-01-01T00:00:00Z",
            }),
          ),
        ),
      );
      const d = describeCredential(cred);
      expect(d.kind).toBe(req.type);
      expect(d.holder).toBe(req.subject.id);
      expect(d.validUntil).toBe(req.validUntil);
      expect(d.covers.length).toBeGreaterThan(0);
      expect(d.excludes.length).toBeGreaterThan(0);
      expect(d.evidence.every((e) => typeof e.digestSRI === "string")).toBe(true);
      expect(d.notice?.verbatim).toBe(true);
      if (req.type === "MicroCredential") {
        expect(d.title).toBe(req.achievement.name);
        expect(d.reviewLevel).toBe(req.reviewLevel);
        expect(d.covers).toEqual(req.scope.covers);
      }
      if (req.type === "MPUAuthorship") expect(d.authors).toEqual(req.mpu.authors);
    }
  });
});
