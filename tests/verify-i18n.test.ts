// The /verify and share pages in two languages (issue 12): the French catalogue has every English
// key with the same placeholders, never calls a credential a certification, and translates the
// exact published no-conversion notice; in chromium the pages render in French from the browser's
// language or the switch (remembered), keep the signed notice verbatim in English beside its
// unsigned translation, and pass axe-core at phone and desktop sizes. Screenshots in
// test-artifacts/verify-i18n/.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_CONVERSION_NOTICES } from "@meritlog/schemas";
import { missingKeys } from "@meritlog/core";
import { REPORT_DETAILS, REPORT_SENTENCES } from "@meritlog/verifier";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";
// @ts-expect-error -- a plain ES module served to browsers as is (no types, no build step)
import { MESSAGES } from "../server/public/verify/messages.js";

const CATALOGUE = MESSAGES as Record<"en" | "fr", Record<string, string>>;
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/verify-i18n/", import.meta.url));
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;
/** Keys that are intentionally empty in English: French-only additions. */
const FRENCH_ONLY = ["notice.translation_label", "notice.v1_translation", "checks.english_note"];

describe("/verify message catalogue", () => {
  it("has every English key in French, with the same placeholders", () => {
    expect(missingKeys(CATALOGUE.en, CATALOGUE.fr)).toEqual([]);
    expect(Object.keys(CATALOGUE.fr).sort()).toEqual(Object.keys(CATALOGUE.en).sort());
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(CATALOGUE.en)) {
      if (FRENCH_ONLY.includes(k)) continue;
      expect(CATALOGUE.en[k]!.trim(), k).not.toBe("");
      const en = holes(CATALOGUE.en[k]!);
      const fr = holes(CATALOGUE.fr[k]!);
      // Report sentences too: their {detail} and {why} are said from codes (report-details.ts).
      expect(fr, k).toEqual(en);
    }
  });

  it("has every sentence code of the verifier's report, its English word for word as the API says it", () => {
    for (const [code, text] of Object.entries(REPORT_SENTENCES)) {
      expect(CATALOGUE.en[`report.${code}`], code).toBe(text);
      expect(CATALOGUE.fr[`report.${code}`], code).toBeTruthy();
      // A sentence that is only its detail ("{detail}") is said by the detail's own code.
      if (text !== "{detail}") expect(CATALOGUE.fr[`report.${code}`], code).not.toBe(text);
    }
    const extra = Object.keys(CATALOGUE.en).filter(
      (k) =>
        k.startsWith("report.") &&
        !k.startsWith("report.what.") &&
        !(k.slice(7) in REPORT_SENTENCES) &&
        !(k.slice(7) in REPORT_DETAILS),
    );
    expect(extra).toEqual([]);
  });

  it("translates the published notice word for word, and never calls a credential a certification", () => {
    expect(CATALOGUE.en["notice.v1_source"]).toBe(NO_CONVERSION_NOTICES["1"]!.text);
    expect(CATALOGUE.fr["notice.v1_source"]).toBe(NO_CONVERSION_NOTICES["1"]!.text);
    for (const [k, v] of Object.entries(CATALOGUE.fr)) {
      if (["notice.v1_translation", "notice.v1_source", "footer"].includes(k)) continue;
      expect(v, k).not.toMatch(/certifica/i);
    }
    expect(CATALOGUE.fr.footer).toContain("pas une certification");
    for (const word of [
      "certification",
      "diplôme",
      "emploi",
      "autochtone",
      "pouvoir d'exécution",
      "rachetée",
    ])
      expect(CATALOGUE.fr["notice.v1_translation"], word).toContain(word);
  });
});

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const learner = newHolder();
let jwt = "";
let shareUrl = "";
let issuerToken = "";

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  const token = (
    (
      await call(server.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Hand-Pump Academy" },
      })
    ).body as { token: string }
  ).token;
  issuerToken = token;
  const issued = await call(server.url, "POST", "/v1/credentials", {
    token,
    body: apiExamples(learner.did).microCredential(),
  });
  expect(issued.status).toBe(201);
  const { id } = issued.body as { id: string; jwt: string };
  jwt = (issued.body as { jwt: string }).jwt;
  const proof = learner.signJwt(
    { alg: "EdDSA", kid: learner.kid, typ: "JWT" },
    {
      aud: server.url,
      credentialId: id,
      iat: Math.floor(Date.now() / 1000),
      nonce: randomBytes(16).toString("base64url"),
    },
  );
  const shared = await call(server.url, "POST", "/v1/shares", { body: { credential: jwt, proof } });
  expect(shared.status).toBe(201);
  shareUrl = (shared.body as { url: string }).url;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function open(locale: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: SIZES.phone, locale });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("verify page error:", e.message));
  return page;
}

type Report = {
  checks: Record<string, { message: string; sentences?: { params?: Record<string, unknown> }[] }>;
};

/**
 * Fails on any English sentence of the verifier left on a French page: nothing is marked
 * lang="en" but the signed notice, no check says the API's English message, and what the
 * report's parts say, less the values they quote (DIDs, dates, the issuer's own words), has no
 * English word in it.
 */
async function expectNoEnglish(page: Page, report: Report): Promise<void> {
  const marked = await page.locator('main [lang="en"]').evaluateAll((es) => es.map((e) => e.tagName));
  expect(marked).toEqual(["BLOCKQUOTE"]);
  const values = Object.values(report.checks)
    .flatMap((c) => c.sentences ?? [])
    .flatMap((s) => Object.values(s.params ?? {}))
    .map(String)
    .filter((v) => v.length > 2)
    .sort((a, b) => b.length - a.length);
  const texts = await page
    .locator(".verdict h2, .verdict .lead-reason, .verdict li, .checks li > p:not(.code), section.notice p")
    .allTextContents();
  expect(texts.length).toBeGreaterThan(5);
  const english = new Set(Object.values(report.checks).map((c) => c.message));
  for (const text of texts) {
    expect(english.has(text), text).toBe(false);
    let rest = text;
    for (const v of values) rest = rest.split(v).join(" ");
    expect(rest, text).not.toMatch(/\b(the|is|was|has|have|not|this|its|of|and|by|with|from|which|could)\b/i);
  }
}

async function check(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    const v = await axeViolations(page);
    expect(v, `${name} (${size}): ${JSON.stringify(v, null, 1)}`).toEqual([]);
    await screenshot(page, { path: join(ARTIFACTS, `${name}-${size}.png`), fullPage: size === "desktop" });
  }
}

describe("/verify and share pages in English and French", () => {
  it("switches language, re-draws the report, keeps the signed notice and remembers the choice", async () => {
    const page = await open("en-GB");
    await page.goto(`${server.url}/verify/#credential=${jwt}`);
    await expect
      .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Credential: Valid");
    expect(await page.locator("h1").textContent()).toBe("Verify a credential");
    await page.getByRole("button", { name: "Français" }).click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    expect(await page.locator("h1").textContent()).toBe("Vérifier une attestation");
    expect(await page.title()).toBe("Vérifier une attestation · meritlog");
    await expect.poll(() => page.locator(".verdict h2").textContent()).toBe("Attestation : Valide");
    expect(await page.locator(".lead-reason").textContent()).toMatch(/^Authentique, en vigueur/);
    const notice = page.locator("section.notice");
    expect(await notice.locator("h2").textContent()).toBe("Ce que cette attestation ne signifie pas");
    expect(await notice.locator("blockquote").textContent()).toBe(NO_CONVERSION_NOTICES["1"]!.text);
    expect(await notice.locator("blockquote").getAttribute("lang")).toBe("en");
    expect(await notice.locator(".translation").textContent()).toContain("Traduction (non signée");
    expect(await page.locator("main").textContent()).toContain("Chaque vérification");
    const report = (await call(server.url, "POST", "/v1/verify", { body: { credential: jwt } }))
      .body as Report;
    await expectNoEnglish(page, report);
    expect(await page.locator(".checks").textContent()).toContain("Cette attestation est signée par");
    await check(page, "01-verify-fr");
    // Remembered: a reload stays French, and the switch brings English back.
    await page.reload();
    await expect
      .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Attestation : Valide");
    await page.getByRole("button", { name: "English" }).click();
    expect(await page.locator("h1").textContent()).toBe("Verify a credential");
    expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Valid");
    expect(await page.locator("section.notice .translation").count()).toBe(0);
    await check(page, "02-verify-en");
  }, 120_000);

  it("opens in French for a French browser, the share page included", async () => {
    const page = await open("fr-CA");
    await page.goto(`${server.url}/verify/`);
    expect(await page.locator("h1").textContent()).toBe("Vérifier une attestation");
    expect(await page.getByLabel("Pourquoi vous demandez").count()).toBe(1);
    await page.getByRole("button", { name: "Vérifier", exact: true }).click();
    expect(await page.locator("#token-error").textContent()).toBe(
      "Collez d'abord une attestation ou une présentation.",
    );
    await check(page, "03-verify-empty-fr");
    await page.goto(shareUrl);
    await expect
      .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Attestation : Valide");
    expect(await page.locator("h1").textContent()).toBe("Attestation partagée");
    expect(await page.locator("#share-meta").textContent()).toMatch(
      /^Partagée le .+ UTC ; le lien fonctionne jusqu'au/,
    );
    const shareId = new URL(shareUrl).pathname.split("/").pop()!;
    const shareReport = (await call(server.url, "GET", `/v1/shares/${shareId}`)).body as { report: Report };
    await expectNoEnglish(page, shareReport.report);
    await check(page, "04-share-fr");
  }, 120_000);

  it("says a revoked credential's report in French, sentence by sentence", async () => {
    const issued = await call(server.url, "POST", "/v1/credentials", {
      token: issuerToken,
      body: apiExamples(newHolder().did).microCredential(),
    });
    expect(issued.status).toBe(201);
    const { id, jwt: revokedJwt } = issued.body as { id: string; jwt: string };
    const revoked = await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
      token: issuerToken,
      body: { action: "revoke", reason: "issued-in-error" },
    });
    expect(revoked.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // lists are re-signed at most every 250 ms
    const report = (await call(server.url, "POST", "/v1/verify", { body: { credential: revokedJwt } }))
      .body as Report;
    expect(report.checks.status!.message).toMatch(/^This credential is revoked/);
    const page = await open("fr-FR");
    await page.goto(`${server.url}/verify/#credential=${revokedJwt}`);
    await expect
      .poll(() => page.locator(".verdict h2").textContent(), { timeout: 20_000 })
      .toBe("Attestation : Non valide");
    expect(await page.locator(".verdict .lead-reason").textContent()).toMatch(
      /^Statut : Cette attestation est révoquée \(retirée définitivement\) depuis le \d+ \S+ 20\d\d/,
    );
    await expectNoEnglish(page, report);
    await check(page, "05-verify-revoked-fr");
  }, 120_000);
});
