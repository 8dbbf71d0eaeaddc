// Co-signing a co-authored MPU in the wallet (issue 14), in headless Debian chromium against the
// real server: three authors, each in their own browser profile (own wallet, own holder key),
// open their sign links and read the whole statement; two sign, the MPU says 2 of 3 and nothing
// is issued; the third signs and receives the offered credential at once; the first two reopen
// their links and receive theirs. Every credential verifies with coAuthorship 3 of 3, its
// co-signature entries checked against the log. An author declines another MPU with a reason.
// The provenance page then lists the file's three authorship records. Phone (390x844) and desktop
// (1280x800), axe-core clean; screenshots to /tmp/wallet-cosign-*.png.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiExamples } from "./helpers/api-examples.js";
import { buildIfStale, launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const PASS = "river stone lantern 42";
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const TITLE = "Rainfall log, Kaduna North, 2026 wet season";

let server: RunningServer;
let browser: Browser;
let token: string;
const contexts: BrowserContext[] = [];

type Progress = {
  id: string;
  state: string;
  signed: number;
  of: number;
  offers?: Record<string, string>;
  credentials?: Record<string, string>;
  credential?: { id: string; jwt: string };
};
type Registered = { id: string; signLinks: { author: string; walletLink: string }[] };

beforeAll(async () => {
  buildIfStale("wallet-web");
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy" },
  });
  expect(created.status, created.text).toBe(201);
  token = (created.body as { token: string }).token;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile with a new wallet; returns the page and the wallet's DID. */
async function author(viewport: { width: number; height: number }): Promise<{ page: Page; did: string }> {
  const ctx = await browser.newContext({ viewport });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("wallet page error:", e.message));
  await page.goto(`${server.url}/wallet/`);
  await page.getByLabel("Choose a passphrase").fill(PASS);
  await page.getByLabel("Type the passphrase again").fill(PASS);
  await page.getByRole("button", { name: "Create wallet" }).click();
  await expect.poll(() => message(page).textContent(), { timeout: 30_000 }).toContain("Your wallet is ready");
  const did = await page.locator(".who span").getAttribute("title");
  expect(did).toMatch(/^did:key:z6Mk/);
  return { page, did: did! };
}

const message = (page: Page) => page.locator("#messages");
const heading = (page: Page) => page.getByRole("heading", { name: "Co-sign a production unit" });

async function register(dids: string[]): Promise<Registered> {
  const { mpuAuthorship } = apiExamples(dids[0]!);
  const { type: _t, subject: _s, ...rest } = mpuAuthorship;
  const res = await call(server.url, "POST", "/v1/mpus", {
    token,
    body: {
      ...rest,
      mpu: {
        ...(rest.mpu as Record<string, unknown>),
        id: `urn:uuid:${crypto.randomUUID()}`,
        authors: dids.map((id, i) => ({ id, role: i === 0 ? "lead author" : "co-author" })),
      },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as Registered;
}

/** Waits (up to 15 s) until the element's text contains `text`. */
async function shows(l: Locator, text: string): Promise<void> {
  await expect.poll(async () => (await l.textContent()) ?? "", { timeout: 15_000 }).toContain(text);
}

const linkOf = (reg: Registered, did: string) => reg.signLinks.find((l) => l.author === did)!.walletLink;

async function clean(page: Page, where: string): Promise<void> {
  const v = await axeViolations(page);
  expect(v, `${where}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

async function openLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await heading(page).waitFor({ timeout: 15_000 });
}

async function signIn(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign with my wallet key" }).click();
  await expect.poll(() => message(page).textContent(), { timeout: 15_000 }).toContain("Signed.");
}

async function receive(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Receive my credential" }).click();
  await expect
    .poll(() => message(page).textContent(), { timeout: 30_000 })
    .toContain("Received and verified");
  await page.locator("article.cred", { hasText: TITLE }).waitFor({ timeout: 15_000 });
}

describe("co-signing an MPU in the wallet", () => {
  it("three authors: two sign (2 of 3, nothing issued), the third signs, all three receive credentials that verify 3 of 3", async () => {
    const a = await author(PHONE);
    const b = await author(PHONE);
    const c = await author(DESKTOP);
    const reg = await register([a.did, b.did, c.did]);

    // A reads the whole statement: title, file digest, licence, every author and role, the issuer.
    await openLink(a.page, linkOf(reg, a.did));
    const card = a.page.locator("section.card", { has: heading(a.page) });
    for (const text of [TITLE, "sha256-", "CC-BY-4.0", "lead author", "co-author", a.did, b.did, c.did])
      await shows(card, text);
    await shows(card, "Authors: 0 of 3 signed");
    await clean(a.page, "phone, statement");
    await screenshot(a.page, { path: "/tmp/wallet-cosign-01-phone-statement.png", fullPage: true });
    await signIn(a.page);
    await shows(card, "Authors: 1 of 3 signed");
    await shows(card, "You signed.");
    await clean(a.page, "phone, signed");
    await screenshot(a.page, { path: "/tmp/wallet-cosign-02-phone-signed.png", fullPage: true });

    await openLink(b.page, linkOf(reg, b.did));
    await signIn(b.page);
    await shows(b.page.locator("section.card"), "Authors: 2 of 3 signed");
    // 2 of 3: no offer, no credential.
    const open = (await call(server.url, "GET", `/v1/mpus/${reg.id}`, { token })).body as Progress;
    expect(open).toMatchObject({ state: "open", signed: 2, of: 3 });
    expect(open.offers).toBeUndefined();
    expect(open.credentials).toBeUndefined();

    // C (desktop) signs last and receives at once; the French screen is checked on the way.
    await openLink(c.page, linkOf(reg, c.did));
    await clean(c.page, "desktop, statement");
    await screenshot(c.page, { path: "/tmp/wallet-cosign-03-desktop-statement.png", fullPage: true });
    await c.page.locator("#lang-switch").click();
    await c.page
      .getByRole("heading", { name: "Co-signer une unité de production" })
      .waitFor({ timeout: 15_000 });
    await shows(c.page.locator("section.card"), "Auteurs : 2 sur 3 ont signé");
    await clean(c.page, "desktop, French");
    await screenshot(c.page, { path: "/tmp/wallet-cosign-04-desktop-fr.png", fullPage: true });
    await c.page.locator("#lang-switch").click();
    await signIn(c.page);
    await shows(c.page.locator("section.card"), "Authors: 3 of 3 signed");
    await clean(c.page, "desktop, ready");
    await screenshot(c.page, { path: "/tmp/wallet-cosign-05-desktop-ready.png", fullPage: true });
    await receive(c.page);
    await screenshot(c.page, { path: "/tmp/wallet-cosign-06-desktop-received.png", fullPage: true });

    // A and B reopen their links: their offers are waiting.
    for (const x of [a, b]) {
      await openLink(x.page, linkOf(reg, x.did));
      await shows(x.page.locator("section.card"), "Authors: 3 of 3 signed");
      await clean(x.page, "phone, ready");
      await receive(x.page);
    }
    await clean(a.page, "phone, portfolio");
    await screenshot(a.page, { path: "/tmp/wallet-cosign-07-phone-received.png", fullPage: true });

    // Each wallet holds its own credential; each verifies with coAuthorship 3 of 3, entries checked.
    const issued = (await call(server.url, "GET", `/v1/mpus/${reg.id}`, { token })).body as Progress;
    expect(Object.keys(issued.credentials ?? {}).sort()).toEqual([a.did, b.did, c.did].sort());
    for (const x of [a, b, c]) {
      const stored = await x.page.evaluate(() => document.querySelector("article.cred")?.textContent ?? "");
      expect(stored).toContain(TITLE);
      const key = new URLSearchParams(linkOf(reg, x.did).split("#")[1]).get("key")!;
      const mine = (await call(server.url, "GET", `/v1/mpus/${reg.id}?key=${key}`)).body as Progress;
      expect(mine.credential?.id).toBe(issued.credentials![x.did]);
      const report = (
        await call(server.url, "POST", "/v1/verify", { body: { credential: mine.credential!.jwt } })
      ).body as {
        verdict: string;
        checks: Record<string, { ok: unknown; message: string; entries?: string }>;
      };
      expect(report.verdict).toBe("valid");
      expect(report.checks.coAuthorship).toMatchObject({ ok: true, entries: "verified" });
      expect(report.checks.coAuthorship!.message).toContain("Co-signed by 3 of 3 authors");
    }

    // The provenance page lists the three authorship records of the file, receipts checked in the browser.
    const sri = (apiExamples(a.did).mpuAuthorship.mpu as { digestSRI: string }).digestSRI;
    const fileHex = Buffer.from(sri.slice("sha256-".length), "base64").toString("hex");
    for (const [x, name] of [
      [c, "desktop"],
      [a, "phone"],
    ] as const) {
      const page = await x.page.context().newPage();
      await page.goto(`${server.url}/provenance/#${fileHex}`);
      await page.getByText("3 records about this file").waitFor({ timeout: 15_000 });
      // The page draws the status line and the list under it in one step.
      expect(await page.locator("li.record").count()).toBe(3);
      await clean(page, `provenance page, ${name}`);
      await screenshot(page, { path: `/tmp/wallet-cosign-09-provenance-${name}.png`, fullPage: true });
    }
  }, 300_000);

  it("an author declines with a reason: the MPU stays unissued and says why", async () => {
    const a = await author(PHONE);
    const reg = await register([a.did, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]);
    await openLink(a.page, linkOf(reg, a.did));
    await a.page.getByText("Decline", { exact: true }).first().click();
    await a.page.getByLabel("Why? (the issuer sees this)").fill("I did not work on the wet-season log.");
    await clean(a.page, "phone, decline form");
    await a.page.getByRole("button", { name: "Decline" }).click();
    await shows(
      a.page.locator("section.card"),
      "Declined; nothing is issued. Reason: I did not work on the wet-season log.",
    );
    await clean(a.page, "phone, declined");
    await screenshot(a.page, { path: "/tmp/wallet-cosign-08-phone-declined.png", fullPage: true });
    const own = (await call(server.url, "GET", `/v1/mpus/${reg.id}`, { token })).body as Progress;
    expect(own.state).toBe("declined");
    expect(own.offers).toBeUndefined();
  }, 120_000);
});
