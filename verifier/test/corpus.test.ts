// The corpus (testdata/verifier/corpus.json): every case must give its verdict and check codes,
// with node:crypto and with noble Ed25519, with and without the cache.
import { describe, expect, it } from "vitest";
import {
  nobleEd25519,
  verifyCredential,
  verifyPresentation,
  type VerificationReport,
  type VerifyContext,
  type Check,
} from "../src/core/index.js";
import { createNodeEd25519, nodeSha256 } from "../src/node-ed25519.js";
import { corpus, corpusContext, type CorpusCase } from "./corpus-context.js";

function codes(r: VerificationReport): Record<string, string> {
  return Object.fromEntries(Object.entries(r.checks).map(([k, c]) => [k, (c as Check).code]));
}

function assertWant(r: VerificationReport, want: CorpusCase["want"]): void {
  expect({ verdict: r.verdict, codes: codes(r) }).toMatchObject({
    verdict: want.verdict,
    codes: want.checks,
  });
  if (want.state) expect(r.checks.status?.state).toBe(want.state);
  if (want.credentials) {
    expect(r.credentials?.length).toBe(want.credentials.length);
    want.credentials.forEach((w, i) => {
      expect({ verdict: r.credentials![i]!.verdict, codes: codes(r.credentials![i]!) }).toMatchObject({
        verdict: w.verdict,
        codes: w.checks,
      });
    });
  }
  // Every check has the shape API.md fixes.
  for (const c of Object.values(r.checks) as Check[]) {
    expect([true, false, "unknown"]).toContain(c.ok);
    expect(typeof c.code).toBe("string");
    expect(c.message.length).toBeGreaterThan(0);
  }
}

async function run(c: CorpusCase, ctx: ReturnType<typeof corpusContext>): Promise<VerificationReport> {
  return c.kind === "credential"
    ? await verifyCredential(c.jwt, c.receipt, ctx)
    : await verifyPresentation(c.jwt, c.expect!, ctx);
}

describe.each([
  ["node:crypto, cached", createNodeEd25519(), true],
  ["noble, uncached", nobleEd25519, false],
] as const)("corpus with %s", (_name, ed, cache) => {
  const ctx = corpusContext(ed, cache ? { cache, sha256: nodeSha256 } : { cache });
  it.each(corpus.cases.map((c) => [c.desc, c] as const))("%s", async (_desc, c) => {
    assertWant(await run(c, ctx), c.want);
  });
});

// The server's routes check checkpoint notes with node:crypto (VerifyContext.ed25519Sync, issue 10)
// instead of the ledger's noble verifier: same verdicts, forged and forked checkpoints included.
describe("corpus with checkpoint signatures through ed25519Sync, uncached", () => {
  const node = createNodeEd25519();
  let calls = 0;
  const ctx: VerifyContext = {
    ...corpusContext(node, { cache: false }),
    ed25519Sync: (sig, msg, pk) => {
      calls++;
      return node.verify(sig, msg, pk) === true;
    },
  };
  it.each(corpus.cases.map((c) => [c.desc, c] as const))("%s", async (_desc, c) => {
    assertWant(await run(c, ctx), c.want);
  });
  it("checked the checkpoints with it", () => {
    expect(calls).toBeGreaterThan(0);
  });
});

describe("corpus, repeated with a warm cache", () => {
  it("gives the same report the second time and fetches each status list once", async () => {
    const ctx = corpusContext(createNodeEd25519(), { sha256: nodeSha256 });
    const first = [];
    for (const c of corpus.cases) first.push(await run(c, ctx));
    const fetcher = ctx.fetcher as ReturnType<typeof import("./corpus-context.js").corpusFetcher>;
    const listFetches = fetcher.calls.statusList;
    for (const [i, c] of corpus.cases.entries()) {
      const again = await run(c, ctx);
      expect(again.verdict, c.desc).toBe(first[i]!.verdict);
      expect(codes(again), c.desc).toEqual(codes(first[i]!));
    }
    // Only the unreachable list is asked for again (failures are not cached).
    expect(fetcher.calls.statusList! - listFetches!).toBeLessThanOrEqual(corpus.cases.length);
    expect(Object.keys(corpus.fetcher.statusLists).length).toBeGreaterThan(0);
  });
});

describe("scope details", () => {
  it("MPU authorship reports licence and authors; a MicroCredential its review level, evidence digests, limitations and renewal", async () => {
    const ctx = corpusContext(createNodeEd25519());
    const byDesc = (d: string) => corpus.cases.find((c) => c.desc === d)!;
    const m = await verifyCredential(
      byDesc("valid MPUAuthorship (licence and authors in scope)").jwt,
      undefined,
      ctx,
    );
    expect(m.checks.scope).toMatchObject({
      license: "CC-BY-4.0",
      authors: [{ role: "lead author" }, { role: "data collection" }],
    });
    expect((m.checks.scope as { covers: string[] }).covers.length).toBeGreaterThan(0);
    const mc = await verifyCredential(byDesc("valid MicroCredential with receipt").jwt, undefined, ctx);
    expect(mc.checks.scope).toMatchObject({
      reviewLevel: "peer",
      limitations: ["Not a plumbing qualification."],
      renewalRequirement: expect.stringContaining("Renew"),
    });
    expect(
      (mc.checks.scope as unknown as { evidence: { digestSRI: string }[] }).evidence[0]!.digestSRI,
    ).toMatch(/^sha256-/);
    expect(mc.checks.scope).not.toHaveProperty("notice");
  });
});
