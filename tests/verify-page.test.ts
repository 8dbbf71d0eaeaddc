// The /verify page in headless Debian chromium: paste a credential, read the verdict and the
// no-conversion notice; open a presentation share link; a revoked credential on a phone-sized
// screen. Served by a small Fastify app (static page + verifierRoutes) over the verifier corpus,
// with the corpus's fixed clock. Screenshots go to test-artifacts/.
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_CONVERSION } from "@meritlog/schemas";
import { createChallengeStore, verifierRoutes, type Fetcher, type Receipt } from "@meritlog/verifier";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";
import { corpusFetcher, type CorpusFetcherData } from "./helpers/corpus-fetcher.js";

interface Corpus {
  now: string;
  trust: { issuers: { did: string; name: string }[]; logKeys: string[]; knownCheckpoints: string[] };
  fetcher: CorpusFetcherData;
  cases: { desc: string; jwt: string; receipt?: Receipt }[];
}
const corpus = JSON.parse(
  readFileSync(new URL("../testdata/verifier/corpus.json", import.meta.url), "utf8"),
) as Corpus;
const caseJwt = (desc: string): string => corpus.cases.find((c) => c.desc === desc)!.jwt;
const artifacts = fileURLToPath(new URL("../test-artifacts/", import.meta.url));

const fetcher: Fetcher = corpusFetcher(corpus.fetcher);

let app: FastifyInstance;
let browser: Browser;
let base: string;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = Fastify();
  const challenges = createChallengeStore({ audience: "http://127.0.0.1" });
  await app.register(verifierRoutes, {
    trust: () => corpus.trust,
    fetcher,
    challenges,
    now: () => new Date(corpus.now),
  });
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL("../server/public/verify/", import.meta.url)),
    prefix: "/verify/",
  });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A VP-JWT by the corpus learner (verifier/test/fixtures.ts keyFromSeed) over a fresh challenge of this server. */
async function learnerPresentation(creds: string[]): Promise<string> {
  const { nonce, audience } = (await (await fetch(`${base}/v1/challenges`)).json()) as {
    nonce: string;
    audience: string;
  };
  const { createPrivateKey, sign, createHash } = await import("node:crypto");
  const seed = createHash("sha256").update("meritlog-test-seed:").update("learner").digest();
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
    format: "der",
    type: "pkcs8",
  });
  const sub = (JSON.parse(Buffer.from(creds[0]!.split(".")[1]!, "base64url").toString()) as { sub: string })
    .sub;
  const input = `${Buffer.from(JSON.stringify({ alg: "EdDSA", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify({ iss: sub, aud: audience, nonce, vp: { type: ["VerifiablePresentation"], verifiableCredential: creds } })).toString("base64url")}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}

describe("/verify page: honest reports (issue 12)", () => {
  it("a bare valid credential says that who holds it is not proven", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    try {
      await page.goto(`${base}/verify/#credential=${caseJwt("valid MicroCredential with receipt")}`);
      await page.locator(".verdict h2").waitFor();
      expect(await page.locator(".verdict .lead-reason").textContent()).toContain(
        "does not prove that whoever sent it is the person it was issued to",
      );
      expect(await page.locator("#announce").textContent()).toContain("does not prove that whoever sent it");
      const v = await axeViolations(page);
      expect(v, JSON.stringify(v)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("a credential whose signature fails: its claims are never shown", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    try {
      await page.goto(`${base}/verify/#credential=${caseJwt("tampered payload")}`);
      await page.locator(".verdict h2").waitFor();
      expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Not valid");
      expect(await page.locator(".verdict .lead-reason").textContent()).toMatch(/^Signature: /);
      expect(await page.locator(".unsigned").count()).toBe(1);
      expect(await page.locator("dl.facts").count()).toBe(0);
      expect(await page.locator(".notice").count()).toBe(0);
      // The forged title appears nowhere, not even in the raw JSON.
      await page.locator("details.raw summary").click();
      expect(await page.locator("body").textContent()).not.toContain("Licensed master plumber");
      await screenshot(page, { path: `${artifacts}verify-tampered.png`, fullPage: true });
    } finally {
      await page.close();
    }
  }, 60_000);

  it("an expired credential: the status pill never shows a green Active under the red banner", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    try {
      await page.goto(`${base}/verify/#credential=${caseJwt("expired")}`);
      await page.locator(".verdict h2").waitFor();
      expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Not valid");
      expect(await page.locator(".verdict .lead-reason").textContent()).toMatch(
        /^Validity period: .*expired/,
      );
      const facts = (await page.locator("dl.facts").first().textContent())!;
      expect(facts).not.toContain("✓ Active");
      expect(facts).toContain("Not withdrawn by the issuer");
      expect(await page.locator("dl.facts .badge.ok").count()).toBe(0);
      await screenshot(page, { path: `${artifacts}verify-expired.png` });
    } finally {
      await page.close();
    }
  }, 60_000);

  it("re-runs when a second link is opened in the same tab, and names the credential that failed", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(
        `${base}/verify/#vp=${await learnerPresentation([caseJwt("valid MicroCredential with receipt")])}`,
      );
      await page.locator(".verdict.valid").waitFor();
      const second = await learnerPresentation([
        caseJwt("valid MicroCredential with receipt"),
        caseJwt("revoked"),
      ]);
      await page.evaluate((h) => {
        location.hash = h;
      }, `vp=${second}`);
      await page.locator(".verdict.invalid").waitFor();
      expect(await page.locator(".verdict h2").first().textContent()).toBe("Presentation: Not valid");
      expect(await page.locator(".verdict .lead-reason").textContent()).toMatch(
        /^Credential 2 of 2 \(“.+”\) is not valid\. Status: .*revoked/,
      );
      expect(await page.locator(".sub-report").count()).toBe(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, { path: `${artifacts}verify-second-link-phone.png`, fullPage: true });
      const v = await axeViolations(page);
      expect(v, JSON.stringify(v)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("opens a file, and prints one credential per A4 page", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    try {
      await page.goto(`${base}/verify/`);
      expect(await page.locator('link[rel="icon"]').getAttribute("href")).toBe("/verify/favicon.svg");
      expect((await fetch(`${base}/verify/favicon.svg`)).status).toBe(200);
      await page.setInputFiles("#file", {
        name: "credential.json",
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify({ jwt: caseJwt("valid Attribution") })),
      });
      await page.locator(".verdict h2").waitFor();
      expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Valid");
      await page.emulateMedia({ media: "print" });
      expect(await page.locator("#verify-form").isVisible()).toBe(false);
      await page.setViewportSize({ width: 690, height: 1000 });
      await screenshot(page, { path: `${artifacts}verify-print.png`, fullPage: true });
      const pdf = await page.pdf({ format: "A4" });
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBe(1);
      await page.goto(
        `${base}/verify/#vp=${await learnerPresentation([caseJwt("valid MicroCredential with receipt"), caseJwt("valid Attribution")])}`,
      );
      await page.locator(".verdict h2").first().waitFor();
      const pdf2 = await page.pdf({ format: "A4" });
      const pages2 = (pdf2.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      // The banner page, then one page per credential.
      expect(pages2).toBeLessThanOrEqual(3);
      expect(pages2).toBeGreaterThanOrEqual(2);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe("/verify page", () => {
  it("paste a credential: the verdict and the no-conversion notice, verbatim", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await page.goto(`${base}/verify/`);
      // Keyboard only: skip link, then the labelled field, the receipt disclosure, the Verify button.
      expect(await page.getByLabel("Credential or presentation").count()).toBe(1);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to the result");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("token");
      await page.keyboard.insertText(caseJwt("valid MicroCredential with receipt"));
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("verify-button");
      await page.keyboard.press("Enter");
      const verdict = page.locator(".verdict h2");
      await verdict.waitFor();
      expect(await verdict.textContent()).toBe("Credential: Valid");
      expect(await page.locator(".notice blockquote").textContent()).toBe(NO_CONVERSION.text);
      // Status in words, not only colour.
      expect(await page.locator("dl.facts").first().textContent()).toContain("Active");
      // The verdict is announced in one sentence by a polite live region.
      expect(await page.locator("#announce").getAttribute("aria-live")).toBe("polite");
      expect(await page.locator("#announce").textContent()).toMatch(/^Credential: Valid\./);
      // Focus moved to the result for screen-reader and keyboard users.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("result");
      await screenshot(page, { path: `${artifacts}verify-valid.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });

  it("a revoked credential on a phone screen: Not valid, with the reason in words", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    try {
      // Fragment, never query: the server redirects the old `?credential=` form (lifecycle-verify.test.ts).
      await page.goto(`${base}/verify/#credential=${caseJwt("revoked")}`);
      await page.locator(".verdict h2").waitFor();
      expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Not valid");
      expect(await page.locator("dl.facts").first().textContent()).toContain("Revoked");
      expect(await page.locator("ul.checks").textContent()).toContain("Failed");
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, { path: `${artifacts}verify-revoked-phone.png`, fullPage: true });
      await page.locator(".verdict").scrollIntoViewIfNeeded();
      await screenshot(page, { path: `${artifacts}verify-revoked-phone-verdict.png` });
      await page.locator("ul.checks").scrollIntoViewIfNeeded();
      await screenshot(page, { path: `${artifacts}verify-revoked-phone-checks.png` });
    } finally {
      await page.close();
    }
  });

  it("a presentation share link (#vp=…) with a fresh challenge", async () => {
    const { nonce, audience } = (await (await fetch(`${base}/v1/challenges`)).json()) as {
      nonce: string;
      audience: string;
    };
    const { createPrivateKey, sign, createHash } = await import("node:crypto");
    // The learner's key from the corpus generator's fixed seed (verifier/test/fixtures.ts keyFromSeed).
    const seed = createHash("sha256").update("meritlog-test-seed:").update("learner").digest();
    const key = createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
      format: "der",
      type: "pkcs8",
    });
    const cred = caseJwt("valid MicroCredential with receipt");
    const sub = (JSON.parse(Buffer.from(cred.split(".")[1]!, "base64url").toString()) as { sub: string }).sub;
    const input = `${Buffer.from(JSON.stringify({ alg: "EdDSA", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify({ iss: sub, aud: audience, nonce, vp: { type: ["VerifiablePresentation"], verifiableCredential: [cred] } })).toString("base64url")}`;
    const vp = `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await page.goto(`${base}/verify/#vp=${vp}`);
      await page.locator(".verdict h2").first().waitFor();
      expect(await page.locator(".verdict h2").first().textContent()).toBe("Presentation: Valid");
      expect(await page.locator(".sub-report").count()).toBe(1);
      expect(await page.locator(".notice blockquote").textContent()).toBe(NO_CONVERSION.text);
      await screenshot(page, { path: `${artifacts}verify-presentation.png`, fullPage: true });
      // Opening the same link again is a replay.
      await page.reload();
      await page.locator(".verdict h2").first().waitFor();
      expect(await page.locator(".verdict h2").first().textContent()).toBe("Presentation: Not valid");
      expect(await page.locator(".verdict").first().textContent()).toContain("already used");
      expect(await page.locator("ul.checks").last().textContent()).toContain("already used");
    } finally {
      await page.close();
    }
  });

  it("a status list that cannot be fetched: Valid, with warnings, saying status is unknown (never 'not revoked')", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    try {
      await page.goto(
        `${base}/verify/#credential=${caseJwt("status list cannot be obtained: unknown, never 'not revoked'")}`,
      );
      await page.locator(".verdict h2").waitFor();
      expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Valid, with warnings");
      expect(await page.locator(".verdict").textContent()).toContain("does not mean it is not revoked");
      expect(await page.locator("dl.facts").first().textContent()).toContain(
        "Unknown (could not be checked)",
      );
      await screenshot(page, { path: `${artifacts}verify-warnings.png` });
    } finally {
      await page.close();
    }
  });

  it("garbage pasted: an understandable Not valid, and an empty field is refused", async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
    try {
      await page.goto(`${base}/verify/`);
      await page.getByRole("button", { name: "Verify" }).click();
      expect(await page.locator("#token-error").textContent()).toContain("Paste a credential");
      await page.getByLabel("Credential or presentation").fill("hello there");
      await page.getByRole("button", { name: "Verify" }).click();
      await page.locator(".verdict h2").waitFor();
      expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Not valid");
      await screenshot(page, { path: `${artifacts}verify-garbage.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });
});
