// Issue 12 "Two languages", the last gap: a French report quotes no English detail. Where a
// report sentence quotes a lower-level detail (`{detail}`, `{why}`: core's JOSE header rules, key
// selection, DID resolution, status-list failures, receipt parse errors, schema messages, claims
// that disagree, VC Data Model rules, SD-JWT key binding), the detail has its own code and
// parameters (verifier report-details.ts), said from the one /verify catalogue. This walks the
// verifier's corrupted inputs (the corpus, plus malformed receipts, schema failures and data-model
// violations made here) through the routes' last step, and says every report in French as the
// pages do (server/public/verify/report-said.js). SD-JWT refusals are said in French in
// tests/sd-jwt.test.ts, through the routes, with the same helper (helpers/said-in-french.ts).
import { expect, it } from "vitest";
import {
  REPORT_DETAILS,
  REPORT_SENTENCES,
  verifyCredential,
  verifyPresentation,
  withCodedDetails,
  withContextRules,
  type Check,
  type Receipt,
  type VerificationReport,
} from "@meritlog/verifier";
import { createNodeEd25519, nodeSha256 } from "../verifier/src/node-ed25519.js";
import { corpus, corpusContext } from "../verifier/test/corpus-context.js";
import { keyFromSeed, signJwt } from "../verifier/test/fixtures.js";
import { expectSaidInFrench } from "./helpers/said-in-french.js";
// @ts-expect-error -- a plain ES module served to browsers as is (no types, no build step)
import { MESSAGES } from "../server/public/verify/messages.js";

const CATALOGUE = MESSAGES as Record<"en" | "fr", Record<string, string>>;
const TEMPLATES: Record<string, string> = { ...REPORT_SENTENCES, ...REPORT_DETAILS };

const b64uJson = (s: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Record<string, unknown>;

/** The corpus's valid MicroCredential, re-signed by its issuer after `change` (a registered issuer's credential). */
function resigned(change: (vc: Record<string, unknown>) => void): string {
  const valid = corpus.cases.find((c) => c.desc === "valid MicroCredential with receipt")!;
  const [h, p] = valid.jwt.split(".");
  const vc = structuredClone(b64uJson(p!));
  change(vc);
  return signJwt(b64uJson(h!), vc, keyFromSeed("academy"));
}

/** A VC Data Model 2.0 credential of an unregistered issuer whose type no context defines (JSON-LD). */
function foreign(): string {
  const key = keyFromSeed("report-details-foreign");
  const vc = {
    // An inline context of its own, so the JSON-LD rules apply (context-expansion.ts).
    "@context": ["https://www.w3.org/ns/credentials/v2", { ex: "https://example.org/vocab#" }],
    type: ["VerifiableCredential", "ExampleTestCredential"],
    issuer: key.did,
    validFrom: "2026-01-01T00:00:00Z",
    credentialSubject: { id: corpus.keys.learner, name: "Ada" },
    iss: key.did,
    nbf: Date.parse("2026-01-01T00:00:00Z") / 1000,
  };
  return signJwt({ alg: "EdDSA", kid: `${key.did}#${key.did.slice(8)}`, typ: "JWT" }, vc, key);
}

/** Every report the verifier makes from the corrupted inputs, as the routes answer them. */
async function reports(): Promise<[string, VerificationReport][]> {
  const ctx = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
  const out: [string, VerificationReport][] = [];
  const add = async (desc: string, r: Promise<VerificationReport>) =>
    out.push([desc, withCodedDetails(await withContextRules(await r))]);
  for (const c of corpus.cases)
    await add(
      c.desc,
      c.kind === "credential"
        ? verifyCredential(c.jwt, c.receipt, ctx)
        : verifyPresentation(c.jwt, c.expect!, ctx),
    );
  // Malformed receipts (ledger verifyReceipt), each rule of the receipt's shape.
  const withReceipt = corpus.cases.find((c) => c.desc === "valid MicroCredential with receipt")!;
  const receipt = withReceipt.receipt as unknown as Record<string, unknown>;
  for (const [desc, bad] of [
    ["receipt without a checkpoint", { ...receipt, checkpoint: 7 }],
    ["receipt with a negative leafIndex", { ...receipt, leafIndex: -1 }],
    ["receipt whose proof is not a list", { ...receipt, inclusionProof: "AAAA" }],
    ["receipt whose proof holds a short hash", { ...receipt, inclusionProof: ["AAAA"] }],
  ] as const)
    await add(desc, verifyCredential(withReceipt.jwt, bad as unknown as Receipt, ctx));
  // Schema failures of a registered issuer's credential (zod's messages at a path).
  await add(
    "achievement without a name",
    verifyCredential(
      resigned((vc) => {
        const s = vc.credentialSubject as { achievement: Record<string, unknown> };
        delete s.achievement.name;
      }),
      undefined,
      ctx,
    ),
  );
  await add(
    "achievement name of the wrong type",
    verifyCredential(
      resigned((vc) => {
        (vc.credentialSubject as { achievement: Record<string, unknown> }).achievement.name = 42;
      }),
      undefined,
      ctx,
    ),
  );
  // VC Data Model 2.0 violations (vc-data-model.ts) and a type no context defines (JSON-LD).
  await add(
    "empty credential subject",
    verifyCredential(
      resigned((vc) => void (vc.credentialSubject = {})),
      undefined,
      ctx,
    ),
  );
  await add(
    "validFrom after validUntil, and an id that is not a URL",
    verifyCredential(
      resigned((vc) => {
        vc.validFrom = "2031-01-01T00:00:00Z";
        vc.validUntil = "2030-01-01T00:00:00Z";
        vc.id = "not a url";
      }),
      undefined,
      ctx,
    ),
  );
  await add("a type its contexts do not define", verifyCredential(foreign(), undefined, ctx));
  return out;
}

function checksOf(r: VerificationReport, prefix = ""): [string, Check][] {
  const own = Object.entries(r.checks).map(([k, c]) => [`${prefix}${k}`, c as Check] as [string, Check]);
  return [...own, ...(r.credentials ?? []).flatMap((c, i) => checksOf(c, `${prefix}[${i}].`))];
}

it("says every report of the corrupted inputs in French without one English detail", async () => {
  const all = await reports();
  let quoted = 0;
  const codes = new Set<string>();
  for (const [desc, r] of all)
    for (const [name, c] of checksOf(r)) {
      quoted += (c.sentences ?? []).filter((s) => s.params?.detail ?? s.params?.why).length;
      for (const code of expectSaidInFrench(c, `${desc} / ${name} (${c.code})`)) codes.add(code);
    }
  // The inputs reach every family: tokens, headers, keys, status lists, claims, schema, data model.
  // (A malformed receipt is refused by its shape before verifyReceipt: its sentence quotes nothing.)
  expect(quoted).toBeGreaterThan(20);
  for (const family of ["jws", "header", "kid", "key", "status", "claims", "schema", "vcdm", "jsonld"])
    expect(
      [...codes].some((c) => c.startsWith(`detail.${family}.`)),
      family,
    ).toBe(true);
}, 120_000);

it("has every sentence and detail code in English (the template, word for word) and in French", () => {
  const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [code, text] of Object.entries(TEMPLATES)) {
    expect(CATALOGUE.en[`report.${code}`], code).toBe(text);
    const fr = CATALOGUE.fr[`report.${code}`];
    expect(fr?.trim(), code).toBeTruthy();
    expect(holes(fr!), code).toEqual(holes(text));
  }
  // French typography: a space before « : ; ? ! » (not in a URL scheme such as "data:").
  for (const code of Object.keys(REPORT_DETAILS)) {
    const fr = CATALOGUE.fr[`report.${code}`]!;
    expect(fr.replaceAll("data:", "data"), code).not.toMatch(/[^\s\u202f\u00a0{][:;?!](\s|$)/);
  }
});
