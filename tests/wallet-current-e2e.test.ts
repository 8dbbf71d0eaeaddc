// The wallet that stays current and fits a phone (issue 12), in headless Debian chromium against
// the real server: four credentials; the issuer suspends one (under review) and revokes another
// (issued in error); on the next unlock the wallet re-checks by itself and each changed card says
// what changed, since when and why, until "Got it". Search, filter and sort; a message seen where
// the reader is; Details opening at its title; the language switch (English ↔ French, remembered,
// and French chosen from the browser's language). axe-core on every view at phone and desktop
// sizes; screenshots in test-artifacts/wallet-current/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiOfferExamples } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/wallet-current/", import.meta.url));
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const PASS = "lantern river stone 77";

let server: RunningServer;
let browser: Browser;
let issuerToken = "";
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy" },
  });
  issuerToken = (created.body as { token: string }).token;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function open(locale = "en-GB"): Promise<Page> {
  const ctx = await browser.newContext({ viewport: PHONE, locale });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("wallet page error:", e.message));
  page.on("dialog", (d) => void d.accept());
  return page;
}

async function accessible(page: Page, what: string): Promise<void> {
  const v = await axeViolations(page);
  expect(v, `${what}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

/** axe and a screenshot at both sizes; the page is left at phone size. */
async function check(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await accessible(page, `${name} (${size})`);
    await screenshot(page, { path: join(ARTIFACTS, `${name}-${size}.png`), fullPage: size === "desktop" });
  }
}

async function offer(body: Record<string, unknown>): Promise<string> {
  const r = await call(server.url, "POST", "/v1/offers", { token: issuerToken, body });
  expect(r.status, r.text).toBe(201);
  return (r.body as { walletLink: string }).walletLink;
}

const message = (page: Page) => page.locator("#messages");
const card = (page: Page, title: string) =>
  page.locator("article.cred", { has: page.getByRole("heading", { name: title, exact: true }) });

async function unlock(page: Page, label = "Passphrase", button = "Unlock"): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(PASS);
  await page.getByRole("button", { name: button, exact: true }).click();
}

describe("a wallet that stays current, on a phone and a desktop, in English and French", () => {
  it("notes status changes with reasons, finds credentials, keeps messages in view, switches language", async () => {
    const ex = apiOfferExamples();
    const micro = (name: string) => ({
      ...ex.microCredential,
      achievement: { ...(ex.microCredential.achievement as object), name },
    });
    const page = await open();
    await page.goto(`${server.url}/wallet/`);
    await page.getByLabel("Choose a passphrase").fill(PASS);
    await page.getByLabel("Type the passphrase again").fill(PASS);
    await page.getByRole("button", { name: "Create wallet" }).click();
    await expect
      .poll(() => message(page).textContent(), { timeout: 20_000 })
      .toContain("Your wallet is ready");
    const names = ["Hand-Pump Repair Guide Writing", "Amber Rainwater Tank Notes"];
    for (const body of [micro(names[0]!), micro(names[1]!), ex.attribution, ex.mpuAuthorship]) {
      await page.goto(await offer(body));
      await expect
        .poll(() => message(page).textContent(), { timeout: 20_000 })
        .toContain("Received and verified");
    }
    await expect.poll(() => page.locator("article.cred").count()).toBe(4);
    // Compact: the no-conversion notice is one line, expanding to the signed text.
    const first = card(page, names[0]!);
    await expect
      .poll(() => first.locator("details.notice summary").textContent())
      .toBe("Not a certification — what this means");
    expect(await first.locator("details.notice").getAttribute("open")).toBeNull();
    await check(page, "01-portfolio");

    // The issuer suspends one (under review) and revokes another (issued in error).
    const idOf = async (title: string) => (await card(page, title).getAttribute("data-credential-id"))!;
    const suspendedId = await idOf(names[1]!);
    const attributionTitle = (await page.locator("article.cred h3").allTextContents()).find(
      (t) => !names.includes(t) && !t.includes("Rainfall"),
    )!;
    const revokedId = await idOf(attributionTitle);
    for (const [id, action, reason] of [
      [suspendedId, "suspend", "under-review"],
      [revokedId, "revoke", "issued-in-error"],
    ] as const) {
      const r = await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(id)}/status`, {
        token: issuerToken,
        body: { action, reason },
      });
      expect(r.status, r.text).toBe(200);
    }

    // Lock and unlock: the wallet re-checks by itself (no Refresh press) and notes what changed.
    await page.getByRole("button", { name: "Lock", exact: true }).click();
    await unlock(page);
    const suspended = card(page, names[1]!);
    const revoked = card(page, attributionTitle);
    await expect
      .poll(() => suspended.locator(".badge").getAttribute("data-status"), { timeout: 30_000 })
      .toBe("suspended");
    await expect.poll(() => revoked.locator(".badge").getAttribute("data-status")).toBe("revoked");
    await expect
      .poll(() => message(page).textContent())
      .toContain("Status changed since your last visit (2)");
    const note = suspended.locator(".change-note");
    expect(await note.textContent()).toMatch(/Changed: Suspended since \d+ \w+ \d{4}\. It was Active/);
    expect(await note.textContent()).toContain("Reason given by the issuer: under review.");
    expect(await revoked.locator(".change-note").textContent()).toContain("issued in error");
    // The reason stays on the card (not only in the note), with what to do.
    expect(await revoked.textContent()).toContain("Ask the issuer whether a correct record will be issued.");
    await check(page, "02-changed");
    // "Got it" removes the note, and it stays gone after another unlock.
    await suspended.getByRole("button", { name: /^Got it/ }).click();
    await expect.poll(() => suspended.locator(".change-note").count()).toBe(0);
    expect(await revoked.locator(".change-note").count()).toBe(1);

    // Search, filter, sort.
    await page.getByLabel("Search").fill("rainwater");
    await expect.poll(() => page.locator("#cred-count").textContent()).toBe("Showing 1 of 4.");
    await page.getByLabel("Search").fill("");
    await page.getByLabel("State").selectOption("revoked");
    await expect.poll(() => page.locator("article.cred").count()).toBe(1);
    expect(await page.locator("article.cred h3").textContent()).toBe(attributionTitle);
    await page.getByLabel("State").selectOption("all");
    await page.getByLabel("Kind").selectOption("MicroCredential");
    await expect.poll(() => page.locator("article.cred").count()).toBe(2);
    await page.getByLabel("Kind").selectOption("all");
    // Sorted within each kind: the two micro-credentials by name, then by date received.
    const microTitles = () =>
      page
        .locator("section", { has: page.locator("#g-MicroCredential") })
        .locator("article.cred h3")
        .allTextContents();
    await page.getByLabel("Sort by").selectOption("name");
    expect(await microTitles()).toEqual([names[1], names[0]]);
    await page.getByLabel("Sort by").selectOption("oldest");
    expect(await microTitles()).toEqual([names[0], names[1]]);
    await page.getByLabel("Sort by").selectOption("name");
    await check(page, "03-sorted");

    // A message appears where the reader is, even scrolled to the bottom of a long list.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.evaluate(() => (document.querySelector(".toolbar button") as HTMLButtonElement).click());
    await expect.poll(() => message(page).textContent(), { timeout: 30_000 }).toContain("Status refreshed");
    const box = await page.evaluate(() => {
      const r = document.getElementById("messages")!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, y: window.scrollY, h: window.innerHeight };
    });
    expect(box.y).toBeGreaterThan(200);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(box.h);
    await screenshot(page, { path: join(ARTIFACTS, "04-message-in-view-phone.png") });

    // Details of the last card opens at its title, not scrolled to the bottom; Back returns to the card.
    const last = page.locator("article.cred").last();
    const lastTitle = (await last.locator("h3").textContent())!;
    await last.getByRole("button", { name: `Details of ${lastTitle}` }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("detail-title");
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await check(page, "05-detail");
    await page.getByRole("button", { name: "← Back to my credentials" }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      `Details of ${lastTitle}`,
    );

    // Français: every visible string from the catalogue; dates by Intl in French; the notice
    // keeps its signed English text and adds the unsigned translation.
    await page.getByRole("button", { name: "Français" }).click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    await expect.poll(() => page.getByRole("button", { name: "Mes attestations" }).count()).toBe(1);
    expect(await suspended.textContent()).toContain("Statut : Suspendue");
    expect(await revoked.textContent()).toContain("Motif donné par l'émetteur : émise par erreur.");
    expect(await revoked.textContent()).toMatch(/Révoquée depuis le \d+ [a-zéû.]+ \d{4}/);
    const notice = card(page, names[0]!).locator("details.notice");
    await notice.locator("summary").click();
    expect(await notice.textContent()).toContain("Ce n'est pas une certification — ce que cela signifie");
    expect(await notice.locator("p[lang=en]").textContent()).toMatch(/^This credential is a record/);
    expect(await notice.locator(".translation").textContent()).toContain("Traduction (non signée");
    await check(page, "06-fr-portfolio");
    await page.getByRole("button", { name: `Détails de ${names[0]}` }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("detail-title");
    expect(await page.locator("main").textContent()).toContain("Ancrage dans le journal public");
    await check(page, "07-fr-detail");
    for (const tab of ["Recevoir", "Partager", "Demandes", "Sauvegarde"]) {
      await page.getByRole("button", { name: tab, exact: true }).click();
      await check(page, `08-fr-${tab.toLowerCase()}`);
    }
    // The choice is remembered: after a reload the unlock screen is French.
    await page.reload();
    await expect
      .poll(() => page.getByRole("heading", { name: "Déverrouiller votre portefeuille" }).count())
      .toBe(1);
    await check(page, "09-fr-unlock");
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Unlock your wallet" }).count()).toBe(1);
    await unlock(page);
    await expect.poll(() => page.getByRole("button", { name: "My credentials" }).count()).toBe(1);
    expect(await suspended.locator(".change-note").count()).toBe(0);

    // A browser set to French starts in French without any choice made.
    const fr = await open("fr-FR");
    await fr.goto(`${server.url}/wallet/`);
    await expect.poll(() => fr.getByRole("heading", { name: "Créer votre portefeuille" }).count()).toBe(1);
    await check(fr, "10-fr-create");
  }, 240_000);
});
