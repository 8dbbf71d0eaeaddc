// Issue 12 "Two languages": /verify in French says a tampered token's report, and a malformed
// receipt's, wholly in French, the details the sentences quote included (their codes,
// verifier report-details.ts, said from report.detail.* of the /verify catalogue). Checked in
// chromium at phone and desktop sizes with axe-core. Screenshots in test-artifacts/verify-details-fr/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Detail, Sentence } from "@meritlog/verifier";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/verify-details-fr/", import.meta.url));
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;
const NESTED = ["detail", "why", "first", "rest"];

type Report = { checks: Record<string, { ok: unknown; message: string; sentences?: Sentence[] }> };

let server: RunningServer;
let browser: Browser;
let jwt = "";
let receipt: Record<string, unknown> = {};

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  const { token } = (
    await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name: "Hand-Pump Academy" } })
  ).body as { token: string };
  const issued = await call(server.url, "POST", "/v1/credentials", {
    token,
    body: apiExamples(newHolder().did).microCredential(),
  });
  expect(issued.status, issued.text).toBe(201);
  ({ jwt, receipt } = issued.body as { jwt: string; receipt: Record<string, unknown> });
  expect(receipt.leafIndex).toBeTypeOf("number");
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** `jwt` with its header's members replaced: the signature no longer covers what it says. */
function tampered(header: Record<string, unknown>): string {
  const [h, ...rest] = jwt.split(".");
  const was = JSON.parse(Buffer.from(h!, "base64url").toString("utf8")) as Record<string, unknown>;
  return [Buffer.from(JSON.stringify({ ...was, ...header })).toString("base64url"), ...rest].join(".");
}

/** The plain values a report's sentences and details quote (DIDs, URLs, algorithms), never a detail's English. */
function valuesOf(s: Sentence | Detail): string[] {
  const own = Object.entries(s.params ?? {})
    .filter(([k]) => !NESTED.includes(k))
    .map(([, v]) => String(v));
  return [...own, ...Object.values(s.details ?? {}).flatMap(valuesOf)];
}

/**
 * Fails on any English left in the French report: nothing marked lang="en" but the signed notice,
 * no check's English message or quoted detail on the page, and, less the values quoted, no English word.
 */
async function expectFrench(page: Page, report: Report): Promise<void> {
  const marked = await page.locator('main [lang="en"]').evaluateAll((es) => es.map((e) => e.tagName));
  expect(marked.filter((t) => t !== "BLOCKQUOTE")).toEqual([]);
  const sentences = Object.values(report.checks).flatMap((c) => c.sentences ?? []);
  const details = sentences.flatMap((s) =>
    NESTED.map((k) => s.params?.[k]).filter((v): v is string => typeof v === "string"),
  );
  expect(details.length).toBeGreaterThan(0);
  const values = [...new Set(sentences.flatMap(valuesOf))]
    .filter((v) => v.length > 2)
    .sort((a, b) => b.length - a.length);
  const texts = await page
    .locator(".verdict h2, .verdict .lead-reason, .verdict li, .checks li > p:not(.code), section.notice p")
    .allTextContents();
  expect(texts.length).toBeGreaterThan(5);
  const page_ = texts.join("\n");
  for (const c of Object.values(report.checks)) expect(page_).not.toContain(c.message);
  for (const d of details) expect(page_, d).not.toContain(d);
  for (const text of texts) {
    let rest = text;
    for (const v of values) rest = rest.split(v).join(" ");
    expect(rest, text).not.toMatch(
      /\b(the|is|was|has|have|not|this|its|of|and|by|with|from|which|could|uses|only|are|accepted|token|key)\b/i,
    );
  }
}

async function look(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    // A quoted key id or DID wraps: nothing is wider than the screen.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name} (${size})`,
    ).toBeLessThanOrEqual(viewport.width);
    const v = await axeViolations(page);
    expect(v, `${name} (${size}): ${JSON.stringify(v, null, 1)}`).toEqual([]);
    await screenshot(page, { path: join(ARTIFACTS, `${name}-${size}.png`), fullPage: true });
  }
}

async function openFrench(fragment: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: SIZES.phone, locale: "fr-FR" });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/verify/#${fragment}`);
  await expect
    .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
    .toBe("Attestation : Non valide");
  expect(errors).toEqual([]);
  return page;
}

describe("/verify in French, details included", () => {
  it("says a tampered token's report in French: the header rule it breaks, and a key of another signer", async () => {
    for (const [name, header, code, french] of [
      [
        "alg",
        { alg: "HS256" },
        "detail.header.alg_not_allowed",
        /Le jeton utilise l'algorithme « HS256 » ; seuls/,
      ],
      [
        "kid",
        { kid: `${newHolder().kid}` },
        "detail.kid.other_signer",
        /L'identifiant de clé « did:key:\S+ » n'appartient pas au signataire did:key:/,
      ],
    ] as const) {
      const token = tampered(header);
      const report = (await call(server.url, "POST", "/v1/verify", { body: { credential: token } }))
        .body as Report;
      const sig = report.checks.signature!;
      expect(sig.ok).toBe(false);
      expect(sig.sentences![0]!.details!.detail!.code).toBe(code);
      const page = await openFrench(`credential=${token}`);
      expect(await page.locator(".verdict .lead-reason").textContent()).toMatch(french);
      await expectFrench(page, report);
      await look(page, `tampered-${name}-fr`);
      await page.context().close();
    }
  }, 120_000);

  it("says a malformed receipt's report in French", async () => {
    // Well-formed JSON the request accepts, but its proof holds a hash that is not one.
    const bad = { ...receipt, inclusionProof: ["AAAA"] };
    const report = (await call(server.url, "POST", "/v1/verify", { body: { credential: jwt, receipt: bad } }))
      .body as Report;
    expect(report.checks.anchoring!.ok).toBe(false);
    const page = await openFrench(`credential=${jwt}&receipt=${encodeURIComponent(JSON.stringify(bad))}`);
    expect(report.checks.anchoring!.sentences![0]!.details!.detail!.code).toBe("detail.receipt.proof_hash");
    expect(await page.locator(".checks").textContent()).toContain(
      "Le reçu du journal est mal formé (inclusionProof contient une valeur qui n'est pas une empreinte SHA-256 en base64).",
    );
    await expectFrench(page, report);
    await look(page, "receipt-malformed-fr");
    await page.context().close();
  }, 120_000);
});
