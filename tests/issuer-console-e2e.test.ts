// End-to-end: the issuer console (/issuer/) in headless Debian chromium against the real server on
// 127.0.0.1. An academy's day: sign in with the issuer token (keyboard only; kept in
// sessionStorage, never localStorage), upload a cohort CSV (the preview shows a bad row and nothing
// is issued), fix it, make the offers, print the QR sheet, a learner's wallet opens one link, and
// the console shows the offer "redeemed" and the credential's record, suspended with a reason.
// axe-core on every view, phone and desktop. Screenshots go to test-artifacts/issuer-console/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { buildIfStale, launchChromium, screenshot } from "./helpers/browser.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ARTIFACTS = join(root, "test-artifacts", "issuer-console");
const AXE = join(root, "node_modules/axe-core/axe.min.js");
const PASS = "river stone lantern 42";

let server: RunningServer;
let browser: Browser;
let issuerToken: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildIfStale("issuer-web");
  buildIfStale("wallet-web");
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy" },
  });
  expect(created.status, created.text).toBe(201);
  issuerToken = (created.body as { token: string }).token;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function page(width: number, height: number): Promise<Page> {
  // bypassCSP: only so the test can inject axe-core; the app itself runs under its own CSP otherwise.
  const ctx = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.on("pageerror", (e) => console.error("console page error:", e.message));
  return p;
}
const shot = (p: Page, name: string) =>
  screenshot(p, { path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** axe-core (WCAG 2 A/AA rules) on the current view: 0 violations. */
async function axe(p: Page, view: string): Promise<void> {
  if (!(await p.evaluate(() => "axe" in window))) await p.addScriptTag({ path: AXE });
  const violations = await p.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: { run(o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  expect(violations, `axe on ${view}`).toEqual([]);
}
const message = (p: Page) => p.locator("#messages");

describe("issuer console end to end", () => {
  it("serves a bundle under 120 KB gzipped", async () => {
    const html = await (await fetch(`${server.url}/issuer/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/issuer\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    let total = gzipSync(Buffer.from(html), { level: 9 }).length;
    for (const a of assets)
      total += gzipSync(Buffer.from(await (await fetch(`${server.url}${a}`)).arrayBuffer()), {
        level: 9,
      }).length;
    console.log(`issuer console bundle as served: ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(total).toBeLessThan(120 * 1024);
  });

  it("CSV → preview → offers → printed QR sheet → a wallet receives → the console shows redeemed; every view passes axe, phone and desktop, keyboard alone", async () => {
    const p = await page(1280, 900);
    await p.goto(`${server.url}/issuer/`);
    await axe(p, "sign-in");
    await shot(p, "01-sign-in");
    // Keyboard only: the token field is the first stop; Enter submits.
    await p.keyboard.press("Tab");
    expect(await p.evaluate(() => document.activeElement?.id)).toBe("token");
    await p.keyboard.type(issuerToken);
    await p.keyboard.press("Enter");
    await expect.poll(() => p.locator("h2").textContent(), { timeout: 15_000 }).toBe("Offers");
    expect(
      await p.evaluate(() => ({ s: sessionStorage.getItem("meritlog.issuerToken"), l: localStorage.length })),
    ).toEqual({ s: issuerToken, l: 0 });
    await axe(p, "offers (empty)");

    // Keyboard navigation to the cohort view.
    await p.getByRole("link", { name: "Cohort from CSV" }).focus();
    await p.keyboard.press("Enter");
    await expect.poll(() => p.locator("h2").textContent()).toBe("Cohort from CSV");
    const bad =
      "reference,name\nAmina B.,\nMusa K.,Certified Hand-Pump Technician\nHauwa S.,Pump Log Keeping\n";
    await p
      .getByLabel("CSV file")
      .setInputFiles({ name: "cohort.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await expect
      .poll(() => p.locator("table.preview").textContent())
      .toContain("claims.certification_implied");
    expect(await p.getByRole("button", { name: "Make 3 offers" }).isDisabled()).toBe(true);
    await axe(p, "cohort preview with a bad row");
    await shot(p, "02-cohort-preview-errors");
    expect((await call(server.url, "GET", "/v1/offers", { token: issuerToken })).body).toMatchObject({
      items: [],
    });

    const good =
      "reference,name,expiresInDays\nAmina B.,,30\nMusa K.,Pump Maintenance Log Keeping,7\nHauwa S.,Pump Log Keeping,\n";
    await p
      .getByLabel("CSV file")
      .setInputFiles({ name: "cohort.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await expect.poll(() => p.locator("table.preview").textContent()).not.toContain("claims.");
    await p.getByRole("button", { name: "Make 3 offers" }).click();
    await expect.poll(() => message(p).textContent(), { timeout: 15_000 }).toContain("3 offers made");
    const cards = p.locator(".qr-sheet .offer-card");
    expect(await cards.count()).toBe(3);
    expect(await p.locator(".qr-sheet svg").count()).toBe(3);
    await axe(p, "cohort results");
    await shot(p, "03-cohort-offers");
    await p.emulateMedia({ media: "print" });
    await shot(p, "04-printed-qr-sheet");
    expect(await p.locator("nav").isVisible()).toBe(false);
    expect(await p.locator(".qr-sheet").isVisible()).toBe(true);
    await p.emulateMedia({ media: "screen" });
    const link = (await p.locator(".qr-sheet figure.qr").first().getAttribute("data-qr-text"))!;
    expect(link).toContain("/wallet/#offer=");

    // The learner's phone: a new wallet opens the link from the sheet.
    const w = await page(412, 915);
    await w.goto(`${server.url}/wallet/`);
    await w.getByLabel("Choose a passphrase").fill(PASS);
    await w.getByLabel("Type the passphrase again").fill(PASS);
    await w.getByRole("button", { name: "Create wallet" }).click();
    await expect
      .poll(() => w.locator("#messages").textContent(), { timeout: 20_000 })
      .toContain("Your wallet is ready");
    await w.goto(link);
    await expect
      .poll(() => w.locator("#messages").textContent(), { timeout: 30_000 })
      .toContain("Received and verified");
    await shot(w, "05-wallet-received");

    // One offer made in the console with a 6-digit code: the wallet asks for it (tx_code) and receives.
    await p.goto(`${server.url}/issuer/#new`);
    await expect.poll(() => p.locator("h2").textContent()).toBe("New offer");
    await p.getByLabel("Reference (your own label, never in the credential)").fill("Zainab T.");
    await p.getByLabel(/Protect the link with a 6-digit code/).check();
    await p.getByRole("button", { name: "Make offer" }).click();
    await expect.poll(() => p.locator(".txcode strong").count(), { timeout: 15_000 }).toBe(1);
    const code = (await p.locator(".txcode strong").textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    await axe(p, "new offer with its QR code");
    await shot(p, "05a-new-offer-with-code");
    const zainabLink = (await p.locator("figure.qr").getAttribute("data-qr-text"))!;
    const w2 = await page(412, 915);
    await w2.goto(`${server.url}/wallet/`);
    await w2.getByLabel("Choose a passphrase").fill(PASS);
    await w2.getByLabel("Type the passphrase again").fill(PASS);
    await w2.getByRole("button", { name: "Create wallet" }).click();
    await expect
      .poll(() => w2.locator("#messages").textContent(), { timeout: 20_000 })
      .toContain("Your wallet is ready");
    const prompts: string[] = [];
    w2.on("dialog", (d) => {
      prompts.push(d.message());
      void d.accept(code);
    });
    await w2.goto(zainabLink);
    await expect
      .poll(() => w2.locator("#messages").textContent(), { timeout: 30_000 })
      .toContain("Received and verified");
    expect(prompts).toEqual(["The 6-digit code your issuer gave you with this link"]);

    // Back in the console: Amina's offer is redeemed, the others pending.
    await p.goto(`${server.url}/issuer/#offers`);
    await expect.poll(() => p.locator("table").textContent(), { timeout: 15_000 }).toContain("redeemed");
    const amina = p.locator("tr", { hasText: "Amina B." });
    expect(await amina.locator(".badge").textContent()).toBe("redeemed");
    expect(await p.locator("tr", { hasText: "Musa K." }).locator(".badge").textContent()).toBe("pending");
    await axe(p, "offers list");
    await shot(p, "06-offers-redeemed");

    // Its credential's record and history; suspend with a reason.
    await amina.getByRole("link", { name: "Open record" }).click();
    await expect.poll(() => p.locator("h2").textContent()).toBe("Hand-Pump Repair Guide Writing");
    await axe(p, "credential record");
    await p.getByLabel("Reason", { exact: true }).selectOption("under-review");
    await p.getByRole("button", { name: "Suspend" }).click();
    await expect.poll(() => message(p).textContent(), { timeout: 15_000 }).toContain("suspended");
    await expect
      .poll(() => p.locator(".history").textContent())
      .toContain("suspend → suspended (under-review)");
    await shot(p, "07-record-suspended");

    // Credentials list with a filter, and the key view.
    await p.goto(`${server.url}/issuer/#credentials`);
    await expect.poll(() => p.locator("table").textContent(), { timeout: 15_000 }).toContain("suspended");
    await p.getByLabel("State").selectOption("suspended");
    await expect.poll(() => p.locator("caption").textContent()).toBe("1 credential");
    await p.getByLabel("State").selectOption("revoked");
    await expect.poll(() => p.locator(".table-wrap").textContent()).toContain("No credentials match.");
    await axe(p, "credentials list");
    await p.goto(`${server.url}/issuer/#key`);
    await expect.poll(() => p.locator("h2").textContent()).toBe("Signing key");
    await axe(p, "signing key");

    // Phone layout of the console: the same views pass axe.
    await p.setViewportSize({ width: 390, height: 844 });
    for (const view of ["offers", "new", "cohort", "credentials"]) {
      await p.goto(`${server.url}/issuer/#${view}`);
      await expect.poll(() => p.locator("h2").count()).toBe(1);
      await p.waitForLoadState("networkidle");
      await axe(p, `${view} (phone)`);
    }
    await p.goto(`${server.url}/issuer/#offers`);
    await expect.poll(() => p.locator("table").count(), { timeout: 10_000 }).toBe(1);
    await shot(p, "08-offers-phone");
  }, 240_000);
});

describe("issuer console in French (issue 12)", () => {
  it("starts in French for a French browser, every view from the catalogue, switches back to English", async () => {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
      locale: "fr-FR",
    });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.on("pageerror", (e) => console.error("console page error:", e.message));
    await p.goto(`${server.url}/issuer/`);
    await expect.poll(() => p.locator("h2").textContent()).toBe("Connexion");
    expect(await p.evaluate(() => document.documentElement.lang)).toBe("fr");
    await axe(p, "sign-in (fr)");
    await p.getByLabel("Jeton d'émetteur").fill(issuerToken);
    await p.getByRole("button", { name: "Se connecter" }).click();
    await expect.poll(() => p.locator("h2").textContent(), { timeout: 15_000 }).toBe("Offres");
    for (const [link, title] of [
      ["Nouvelle offre", "Nouvelle offre"],
      ["Cohorte depuis un CSV", "Cohorte depuis un CSV"],
      ["Attestations", "Attestations"],
      ["Clé de signature", "Clé de signature"],
    ] as const) {
      await p.getByRole("link", { name: link }).click();
      await expect.poll(() => p.locator("h2").textContent()).toBe(title);
      for (const size of [
        { width: 1280, height: 900 },
        { width: 390, height: 844 },
      ]) {
        await p.setViewportSize(size);
        await axe(p, `${title} (fr, ${size.width})`);
      }
      await shot(p, `fr-${link.toLowerCase().replaceAll(" ", "-")}`);
    }
    await p.getByRole("button", { name: "English" }).click();
    await expect.poll(() => p.locator("h2").textContent()).toBe("Signing key");
    expect(await p.evaluate(() => document.documentElement.lang)).toBe("en");
  }, 120_000);
});
