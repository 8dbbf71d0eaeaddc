// Issue 12 "Two languages": a French wallet shows the verifier's report sentences (status,
// anchoring) in French, from the one report catalogue the /verify page uses
// (server/public/verify/messages.js, served to the wallet as /verify/report-messages.json), and
// falls back to the verifier's English, marked lang="en", when that cannot be fetched (offline).
// Also: the details "Sharing" section is in French, and a status list that cannot be fetched is
// said in French without the English detail of why (the wallet's reports carry details uncoded).
// Screenshots: /tmp/i18n-rest-*.png.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiOfferExamples } from "./helpers/api-examples.js";
import { buildIfStale, launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";
// @ts-expect-error -- a plain ES module served to browsers as is (no types, no build step)
import { MESSAGES, WALLET_BRIEF } from "../server/public/verify/messages.js";

const PASS = "river stone lantern 42";
const { microCredential: MICRO } = apiOfferExamples();
const MICRO_NAME = (MICRO.achievement as { name: string }).name;

let server: RunningServer;
let browser: Browser;
let issuerToken: string;

beforeAll(async () => {
  buildIfStale("wallet-web");
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy", url: "https://academy.example" },
  });
  expect(created.status, created.text).toBe(201);
  issuerToken = (created.body as { token: string }).token;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const anchoringText = (page: Page) => page.locator("[data-anchoring] span");

async function openDetails(page: Page): Promise<void> {
  await page
    .locator("article.cred", { has: page.getByRole("heading", { name: MICRO_NAME }) })
    .getByRole("button", { name: /Détails|Details/ })
    .click();
  await page.locator("#detail-title").waitFor();
}

/**
 * A French phone-sized wallet, created, that has received the MicroCredential offer; `before` runs
 * once the wallet is ready, before the offer is made.
 */
async function frenchWalletWithOffer(before: (page: Page) => Promise<unknown>) {
  const ctx = await browser.newContext({ locale: "fr-FR", viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/wallet/`);
  await before(page);
  await page.locator("input[type=password]").nth(0).fill(PASS);
  await page.locator("input[type=password]").nth(1).fill(PASS);
  await page.locator("form button[type=submit]").first().click();
  await page.locator("#messages").filter({ hasText: /prêt/ }).waitFor({ timeout: 20_000 });
  const offer = await call(server.url, "POST", "/v1/offers", { token: issuerToken, body: MICRO });
  expect(offer.status, offer.text).toBe(201);
  await page.goto((offer.body as { walletLink: string }).walletLink);
  await page
    .locator("#messages")
    .filter({ hasText: /reçue|Reçue/ })
    .waitFor({ timeout: 30_000 });
  return { ctx, page, errors };
}

/** axe on the phone size, then on a desktop with its screenshot; no page error on the way. */
async function checkBothSizes(page: Page, errors: string[], desktopShot: string): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, { path: desktopShot, fullPage: true });
  expect(await axeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
}

describe("the wallet's report sentences in French", () => {
  it("serves the report.* keys of the /verify catalogue, every language, its sentences that quote a detail without it", async () => {
    const r = await call(server.url, "GET", "/verify/report-messages.json");
    expect(r.status).toBe(200);
    const body = r.body as Record<string, Record<string, string>>;
    const brief = WALLET_BRIEF as Record<string, Record<string, string>>;
    for (const lang of ["en", "fr"] as const) {
      // The details' codes are the server's (the wallet's own reports carry details uncoded).
      const expected = Object.entries((MESSAGES as Record<string, Record<string, string>>)[lang]!)
        .filter(([k]) => k.startsWith("report.") && !k.startsWith("report.detail."))
        .map(([k, v]) => [k, brief[lang]?.[k] ?? v]);
      expect(expected.length).toBeGreaterThan(50);
      expect(Object.entries(body[lang]!)).toEqual(expected);
    }
    // The status and anchoring sentences the wallet shows, in French, never hold an English detail.
    for (const [k, v] of Object.entries(body.fr!))
      if (/^report\.(status|anchoring)\./.test(k)) expect(v, k).not.toMatch(/\{(detail|why)\}/);
  });

  it("shows status and anchoring in French, English (lang=en) when the catalogue cannot be fetched", async () => {
    const { ctx, page, errors } = await frenchWalletWithOffer(async (page) => {
      expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    });

    // Offline: the catalogue cannot be fetched; the verifier's English stays, marked as English.
    await page.route("**/verify/report-messages.json", (route) => route.abort());
    await openDetails(page);
    await expect.poll(() => anchoringText(page).textContent()).toMatch(/^Recorded in the log/);
    expect(await anchoringText(page).getAttribute("lang")).toBe("en");
    await page.unroute("**/verify/report-messages.json");

    // Online: the same sentences from the catalogue, in French, without lang="en".
    await page.getByRole("button", { name: /Retour/ }).click();
    await openDetails(page);
    await expect.poll(() => anchoringText(page).textContent()).toMatch(/^Enregistrée dans le journal « /);
    expect(await anchoringText(page).getAttribute("lang")).toBeNull();
    const status = page.locator("header.card p.muted span");
    await expect.poll(() => status.textContent()).toMatch(/^En vigueur : ni révoquée ni suspendue/);
    expect(await status.getAttribute("lang")).toBeNull();
    // The "Sharing" section is in French too.
    expect(await page.locator("#d-privacy").textContent()).toBe("Partage");
    expect(await page.getByLabel("Ne jamais partager cette attestation").count()).toBe(1);
    await screenshot(page, { path: "/tmp/i18n-rest-details-phone.png", fullPage: true });
    await screenshot(page.locator("[aria-labelledby=d-anchor]"), { path: "/tmp/i18n-rest-anchor-phone.png" });
    await screenshot(page.locator("header.card"), { path: "/tmp/i18n-rest-status-phone.png" });
    await checkBothSizes(page, errors, "/tmp/i18n-rest-details-desktop.png");
    await ctx.close();
  }, 120_000);

  it("says a status list that cannot be fetched in French, quoting no English detail", async () => {
    // The status lists cannot be fetched: the verifier's sentence quotes why, in English.
    const { ctx, page, errors } = await frenchWalletWithOffer((page) =>
      page.route("**/v1/status/**", (route) => route.abort()),
    );
    await openDetails(page);
    const status = page.locator("header.card p.muted span");
    await expect
      .poll(() => status.textContent())
      .toBe(
        "La liste de statuts n'a pas pu être lue. On ne sait donc pas si l'attestation est révoquée ou suspendue ; cela ne veut pas dire qu'elle ne l'est pas.",
      );
    expect(await status.getAttribute("lang")).toBeNull();
    await screenshot(page.locator("header.card"), { path: "/tmp/i18n-rest-status-unknown-phone.png" });
    await checkBothSizes(page, errors, "/tmp/i18n-rest-status-unknown-desktop.png");
    await ctx.close();
  }, 120_000);
});
