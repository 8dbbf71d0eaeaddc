// Portability in the wallet (issue 15), in headless Debian chromium against the real server: a
// learner receives three micro-credentials in one browser profile, marks one "never share" (it
// leaves every picker), downloads a credential as the file its issuer signed and the whole record
// as one bundle signed by the wallet key. The issuer then revokes one credential. In a second,
// fresh profile (another wallet, another key) a tampered copy of the bundle is refused with its
// reason and stores nothing; the real bundle imports with every signature and receipt verified and
// each status read live — the revoked one shows as revoked although the bundle says "active".
// Phone and desktop, axe-core clean. Screenshots go to test-artifacts/portable/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiOfferExamples } from "./helpers/api-examples.js";
import { buildIfStale, launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ARTIFACTS = join(root, "test-artifacts", "portable");
const PASS = "river stone lantern 42";
const NAMES = ["Solar panel wiring", "Battery bank care", "Inverter fault finding"];

let server: RunningServer;
let browser: Browser;
let token: string;
const contexts: BrowserContext[] = [];
const offers: { walletLink: string; id: string }[] = [];
const credentialIds: string[] = [];

beforeAll(async () => {
  buildIfStale("wallet-web");
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Lagos Solar Workshop" },
  });
  expect(created.status, created.text).toBe(201);
  token = (created.body as { token: string }).token;
  const micro = apiOfferExamples().microCredential;
  for (const name of NAMES) {
    const body = { ...micro, achievement: { ...(micro.achievement as object), name } };
    const r = await call(server.url, "POST", "/v1/offers", { token, body });
    expect(r.status, r.text).toBe(201);
    offers.push(r.body as { walletLink: string; id: string });
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function profile(width: number, height: number): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("wallet page error:", e.message));
  return page;
}

const message = (page: Page) => page.locator("#messages");

async function createWallet(page: Page): Promise<void> {
  await page.goto(`${server.url}/wallet/`);
  await page.getByLabel("Choose a passphrase").fill(PASS);
  await page.getByLabel("Type the passphrase again").fill(PASS);
  await page.getByRole("button", { name: "Create wallet" }).click();
  await expect.poll(() => message(page).textContent(), { timeout: 15_000 }).toContain("Your wallet is ready");
}

async function cleanAtBothSizes(page: Page, name: string): Promise<void> {
  const size = page.viewportSize()!;
  for (const [w, h, tag] of [
    [390, 844, "phone"],
    [1280, 800, "desktop"],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, { path: join(ARTIFACTS, `${name}-${tag}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}

const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

describe("wallet export and import", () => {
  it("exports from one profile and imports into another, re-checking status; a tampered bundle is refused", async () => {
    // Profile A: the learner's wallet.
    const a = await profile(390, 844);
    await createWallet(a);
    const holderA = await a.locator(".who span").getAttribute("title");
    for (const o of offers) {
      await a.goto(o.walletLink);
      await expect
        .poll(() => message(a).textContent(), { timeout: 20_000 })
        .toContain("Received and verified");
    }
    for (const o of offers) {
      const r = await call(server.url, "GET", `/v1/offers/${o.id}`, { token });
      credentialIds.push((r.body as { credentialId: string }).credentialId);
    }

    // "Never share" on the first credential: it leaves the share, one-time and request pickers.
    await a.getByRole("button", { name: `Details of ${NAMES[0]}` }).click();
    await a.getByLabel("Never share this credential").check();
    await expect.poll(() => message(a).textContent()).toContain("never be offered");
    await cleanAtBothSizes(a, "01-never-share");
    await a.getByRole("button", { name: "← Back to my credentials" }).click();
    await a.getByRole("button", { name: "Share", exact: true }).click();
    const shareText = (await a.locator("main").textContent())!;
    expect(shareText).toContain(NAMES[1]);
    expect(shareText).not.toContain(NAMES[0]);
    // An employer's request (made on /verify) opened in the wallet: the picker leaves it out too.
    const employer = await profile(1280, 800);
    await employer.goto(`${server.url}/verify/`);
    await employer.getByLabel("Why you ask").fill("Solar installer, checking training");
    await employer.getByRole("button", { name: "Make a request" }).click();
    const requestLink = (await employer.locator(".request-link a").textContent({ timeout: 20_000 }))!;
    await a.goto(requestLink);
    await a.locator("#request-who").waitFor({ timeout: 20_000 });
    const picker = (await a.locator('form[aria-labelledby="request-who"]').textContent())!;
    expect(picker).toContain(NAMES[1]);
    expect(picker).not.toContain(NAMES[0]);

    // Export: one issuer's file, then the signed bundle over all three.
    await a.getByRole("button", { name: "Backup", exact: true }).click();
    await cleanAtBothSizes(a, "02-export");
    const [fileDl] = await Promise.all([
      a.waitForEvent("download"),
      a.getByRole("button", { name: `Download the issuer's file of ${NAMES[1]}` }).click(),
    ]);
    const issuerFile = await readFile((await fileDl.path())!, "utf8");
    expect(fileDl.suggestedFilename()).toMatch(/^battery-bank-care-.*\.jwt$/);
    const vc = payloadOf(issuerFile);
    expect([vc.jti, (vc.vc as { id?: string } | undefined)?.id]).toContain(credentialIds[1]);
    const [bundleDl] = await Promise.all([
      a.waitForEvent("download"),
      a.getByRole("button", { name: "Download signed bundle" }).click(),
    ]);
    const bundle = await readFile((await bundleDl.path())!, "utf8");
    const p = payloadOf(bundle);
    expect(p.iss).toBe(holderA);
    expect((p.vp as { verifiableCredential: string[] }).verifiableCredential).toHaveLength(3);
    expect((p.vp as { verifiableCredential: string[] }).verifiableCredential).toContain(issuerFile);
    const items = (
      p.meritlogRecord as { credentials: { id: string; status: { state: string }; receipt?: unknown }[] }
    ).credentials;
    expect(items.every((i) => i.status.state === "active" && i.receipt)).toBe(true);

    // After the export, the issuer revokes the third credential: the bundle still says "active".
    const revoked = await call(
      server.url,
      "POST",
      `/v1/credentials/${encodeURIComponent(credentialIds[2]!)}/status`,
      { token, body: { action: "revoke", reason: "issued-in-error" } },
    );
    expect(revoked.status, revoked.text).toBe(200);

    // Profile B: another wallet (own key), desktop-sized.
    const b = await profile(1280, 800);
    await createWallet(b);
    const holderB = await b.locator(".who span").getAttribute("title");
    expect(holderB).not.toBe(holderA);
    await b.getByRole("button", { name: "Backup", exact: true }).click();

    // A tampered copy: the signed payload changed (one credential's issuer address), signature kept.
    const [h, body, sig] = bundle.split(".");
    const changed = JSON.parse(Buffer.from(body!, "base64url").toString()) as typeof p;
    (changed.meritlogRecord as { credentials: { source: string }[] }).credentials[0]!.source =
      server.url + "/";
    const tamperedPath = join(ARTIFACTS, "tampered.jwt");
    await writeFile(
      tamperedPath,
      `${h}.${Buffer.from(JSON.stringify(changed)).toString("base64url")}.${sig}`,
    );
    await b.getByLabel("Bundle file").setInputFiles(tamperedPath);
    await b.getByRole("button", { name: "Verify and import" }).click();
    await expect
      .poll(() => message(b).textContent(), { timeout: 15_000 })
      .toContain("The bundle was refused: the learner's signature does not verify");
    await cleanAtBothSizes(b, "03-import-refused");
    await b.getByRole("button", { name: "My credentials", exact: true }).click();
    expect(await b.locator("article.cred").count()).toBe(0);

    // The real bundle.
    await b.getByRole("button", { name: "Backup", exact: true }).click();
    const bundlePath = join(ARTIFACTS, "bundle.jwt");
    await writeFile(bundlePath, bundle);
    await b.getByLabel("Bundle file").setInputFiles(bundlePath);
    await b.getByRole("button", { name: "Verify and import" }).click();
    await expect
      .poll(() => message(b).textContent(), { timeout: 30_000 })
      .toContain("Imported 3 verified credentials");
    const rows = b.locator("#import-result li");
    expect(await rows.count()).toBe(3);
    const states = Object.fromEntries(
      await rows.evaluateAll((els) =>
        els.map((e) => [e.getAttribute("data-credential-id"), e.getAttribute("data-status")]),
      ),
    );
    expect(states).toEqual({
      [credentialIds[0]!]: "active",
      [credentialIds[1]!]: "active",
      [credentialIds[2]!]: "revoked",
    });
    expect(await b.locator("#import-result").textContent()).toContain("signature and log receipt verified");
    await cleanAtBothSizes(b, "04-imported");

    // Importing again adds nothing; the portfolio holds the three; none is offered for sharing
    // (they are bound to the other wallet's key).
    await b.getByLabel("Bundle file").setInputFiles(bundlePath);
    await b.getByRole("button", { name: "Verify and import" }).click();
    await expect.poll(() => message(b).textContent(), { timeout: 30_000 }).toContain("3 already held");
    await b.getByRole("button", { name: "My credentials", exact: true }).click();
    expect(await b.locator("article.cred").count()).toBe(3);
    await cleanAtBothSizes(b, "05-portfolio-imported");
    await b.getByRole("button", { name: "Share", exact: true }).click();
    expect(await b.locator("main").textContent()).toContain("no credentials to share");
    // Nor can this wallet put them in its own bundle (it would sign over another holder's credentials).
    await b.getByRole("button", { name: "Backup", exact: true }).click();
    expect(await b.locator(".export-list input[type=checkbox]").count()).toBe(0);
    expect(await b.getByRole("button", { name: "Download signed bundle" }).isDisabled()).toBe(true);
  }, 300_000);
});
