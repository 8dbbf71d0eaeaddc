// End-to-end: the wallet in headless Debian chromium (playwright-core) against the real server on
// 127.0.0.1. One learner's journey: create a wallet, receive two offers (by link and by paste),
// see them active, present one to /verify and read "valid", revoke one through the issuer API and
// see it turn revoked, back up and restore into a fresh browser profile, and a forked log
// checkpoint (validly signed, same size, other root) producing the split-view warning.
// Screenshots of the main screens go to test-artifacts/wallet/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Level } from "level";
import { loadOrCreateLogSigner, signNote, type NoteSigner } from "@meritlog/ledger";
import { parseCheckpoint, formatCheckpoint } from "@meritlog/ledger/verify";
import { createSecretBox } from "@meritlog/issuer";
import { openPgStorage } from "@meritlog/server";
import { backendOverrides } from "./helpers/backend.js";
import { ADMIN_TOKEN, call, freePort, startServer, type RunningServer } from "./helpers/server.js";
import { apiOfferExamples } from "./helpers/api-examples.js";
import { buildIfStale, launchChromium, screenshot } from "./helpers/browser.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ARTIFACTS = join(root, "test-artifacts", "wallet");
const PASS = "river stone lantern 42";
const SECRET = "wallet-e2e-at-rest-secret";

const { microCredential: MICRO, attribution: ATTRIBUTION, mpuAuthorship: MPU } = apiOfferExamples();
const MICRO_NAME = (MICRO.achievement as { name: string }).name;

let server: RunningServer;
let browser: Browser;
let dataDir: string;
let logSigner: NoteSigner;
let issuerToken: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildIfStale("wallet-web");
  // The size budget (issue 5): under 120 KB gzipped, crypto included.
  const dist = join(root, "wallet-web/dist");
  const files = [
    join(dist, "index.html"),
    ...readdirSync(join(dist, "assets")).map((f) => join(dist, "assets", f)),
  ];
  const gzipped = files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  console.log(`wallet bundle: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  expect(gzipped).toBeLessThan(120 * 1024);
  await mkdir(ARTIFACTS, { recursive: true });
  dataDir = await mkdtemp(join(tmpdir(), "meritlog-wallet-e2e-"));
  const port = await freePort();
  const origin = `127.0.0.1:${port}/log`;
  // Create the log key before the server does, so the test can play a log operator who signs a
  // forked checkpoint (the split-view attack the wallet must notice): where this project's
  // backend keeps it (helpers/backend.ts), in the data folder's LevelDB or in PostgreSQL.
  const box = createSecretBox(new Uint8Array(createHash("sha256").update(SECRET, "utf8").digest()));
  const { databaseUrl } = await backendOverrides(dataDir);
  if (databaseUrl !== undefined) {
    const pg = await openPgStorage(databaseUrl, origin, box);
    logSigner = pg.signer;
    await pg.close();
  } else {
    const db = new Level<string, Uint8Array>(join(dataDir, "db"), {
      keyEncoding: "utf8",
      valueEncoding: "view",
    });
    await db.open();
    logSigner = await loadOrCreateLogSigner(
      db.sublevel<string, Uint8Array>("keys", { keyEncoding: "utf8", valueEncoding: "view" }),
      origin,
      box,
    );
    await db.close();
  }

  server = await startServer({ dataDir, port, secret: SECRET, logOrigin: origin });
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy", url: "https://academy.example" },
  });
  expect(created.status, created.text).toBe(201);
  issuerToken = (created.body as { token: string }).token;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A fresh browser profile (own IndexedDB, storage and downloads), phone-sized. */
async function profile(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 412, height: 915 }, acceptDownloads: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("wallet page error:", e.message));
  return page;
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await screenshot(page, { path: join(ARTIFACTS, `${name}.png`), fullPage });
}

async function offer(body: Record<string, unknown>): Promise<{ offerUri: string; walletLink: string }> {
  const r = await call(server.url, "POST", "/v1/offers", { token: issuerToken, body });
  expect(r.status, r.text).toBe(201);
  return r.body as { offerUri: string; walletLink: string };
}

const message = (page: Page) => page.locator("#messages");
const card = (page: Page, title: string) =>
  page.locator("article.cred", { has: page.getByRole("heading", { name: title }) });

describe("wallet end to end", () => {
  it("creates a wallet, receives, presents, follows revocation, restores a backup and notices a forked log", async () => {
    const page = await profile();
    await page.goto(`${server.url}/wallet/`);
    await shot(page, "01-create");
    await page.getByLabel("Choose a passphrase").fill(PASS);
    await page.getByLabel("Type the passphrase again").fill(PASS);
    await page.getByRole("button", { name: "Create wallet" }).click();
    await expect
      .poll(() => message(page).textContent(), { timeout: 15_000 })
      .toContain("Your wallet is ready");
    const did = await page.locator(".who span").getAttribute("title");
    expect(did).toMatch(/^did:key:z6Mk/);

    // Receive by opening the QR-ready wallet link (same page: only the fragment changes).
    const micro = await offer(MICRO);
    await page.goto(micro.walletLink);
    await expect
      .poll(() => message(page).textContent(), { timeout: 20_000 })
      .toContain("Received and verified");
    // Receive by pasting the openid-credential-offer:// URI.
    const attribution = await offer(ATTRIBUTION);
    await page.getByRole("button", { name: "Receive", exact: true }).click();
    await page.getByLabel("Offer link").fill(attribution.offerUri);
    await page.getByRole("button", { name: "Receive", exact: true }).last().click();
    await expect
      .poll(() => message(page).textContent(), { timeout: 20_000 })
      .toContain("Received and verified");

    const microCard = card(page, MICRO_NAME);
    await expect.poll(() => microCard.locator(".badge").getAttribute("data-status")).toBe("active");
    await expect.poll(() => microCard.textContent()).toContain("Status: Active");
    expect(await page.getByRole("heading", { name: /Micro-credentials/ }).count()).toBe(1);
    expect(await page.getByRole("heading", { name: /Attributions/ }).count()).toBe(1);
    expect(await microCard.textContent()).toContain(
      "It does not create, and must not be read as, any certification",
    );
    expect(await microCard.textContent()).toMatch(/Expires in \d+ years?/);
    await shot(page, "02-portfolio-active");

    // At rest, IndexedDB holds only ciphertext: no DID, no credential content, no JWT.
    const raw = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open("meritlog-wallet");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction("records").objectStore("records").getAll();
            all.onsuccess = () => resolve(JSON.stringify(all.result));
            all.onerror = () => reject(all.error);
          };
        }),
    );
    expect(raw.length).toBeGreaterThan(1000);
    for (const secret of [did!, "Hand-Pump", "Kaduna", "eyJhbGciOi", "urn:uuid"])
      expect(raw).not.toContain(secret);

    // A replayed offer is refused and nothing is stored.
    await page.getByRole("button", { name: "Receive", exact: true }).click();
    await page.getByLabel("Offer link").fill(micro.offerUri);
    await page.getByRole("button", { name: "Receive", exact: true }).last().click();
    await expect
      .poll(() => message(page).textContent(), { timeout: 15_000 })
      .toMatch(/already been used|expired|refused/);
    await shot(page, "03-receive-refused");

    // A credential altered in transit fails verification: refused with the reason, nothing stored.
    const mpu = await offer(MPU);
    await page.route("**/oid4vci/credential", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { credentials: { credential: string }[]; credential: string };
      const [h, p, sig] = body.credentials[0]!.credential.split(".") as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as {
        credentialSubject: { mpu: { title: string } };
      };
      claims.credentialSubject.mpu.title = "Rainfall log, altered";
      const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`;
      await route.fulfill({
        response: res,
        json: { ...body, credentials: [{ credential: forged }], credential: forged },
      });
    });
    await page.getByLabel("Offer link").fill(mpu.offerUri);
    await page.getByRole("button", { name: "Receive", exact: true }).last().click();
    await expect
      .poll(() => message(page).textContent(), { timeout: 15_000 })
      .toMatch(/not stored.*signature/i);
    await page.unroute("**/oid4vci/credential");
    await shot(page, "03b-receive-tampered");
    await page.getByRole("button", { name: "My credentials" }).click();
    expect(await page.locator("article.cred").count()).toBe(2);

    // Detail view, reached by keyboard alone: focus starts on the screen, Tab reaches the card's button.
    await page.getByRole("button", { name: "My credentials" }).press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("↻ Refresh status");
    // Then search, filters and sort, the card's notice summary, and its Details button.
    const stops: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      const label = await page.evaluate(
        () => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.id ?? "",
      );
      stops.push(label);
      if (label === `Details of ${MICRO_NAME}`) break;
    }
    expect(stops.slice(0, 4)).toEqual(["cred-search", "cred-state", "cred-kind", "cred-sort"]);
    expect(stops.at(-1)).toBe(`Details of ${MICRO_NAME}`);
    await page.keyboard.press("Enter");
    // Details opens at its title (issue 12: it used to open scrolled to the bottom on a phone).
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("detail-title");
    // Evidence with digest, history, anchoring verified.
    await expect.poll(() => page.locator("[data-anchoring]").getAttribute("data-anchoring")).toBe("verified");
    expect(await page.locator("main").textContent()).toContain(
      "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    );
    await shot(page, "04-detail");
    await page.getByRole("button", { name: "← Back to my credentials" }).click();
    const microId = await microCard.getAttribute("data-credential-id");
    expect(microId).toMatch(/^urn:uuid:/);
    const attributionId = await page.locator("article.cred").nth(1).getAttribute("data-credential-id");
    expect(attributionId).not.toBe(microId);

    // Present the micro-credential to this service's /verify page (challenge from /v1/challenges).
    // (The Share tab leads with lasting links, sharing-e2e.test.ts; the one-time presentation is folded below them.)
    await page.getByRole("button", { name: "Share" }).click();
    const oneTime = page.locator("details.one-time");
    await oneTime.locator("summary").click();
    await oneTime.getByLabel(new RegExp(MICRO_NAME)).check();
    await page.getByRole("button", { name: "Create presentation" }).click();
    const link = await page.locator("#share-link").inputValue({ timeout: 15_000 });
    console.log(`presentation link: ${link.length} characters`);
    expect(link.startsWith(`${server.url}/verify/#vp=`)).toBe(true);
    // The link (~6.4 KB) is too long for a QR code (2,953 bytes at most); the QR code holds the compact
    // form, which opens /wallet/#vpz=… and forwards to exactly the same /verify/#vp=… link.
    const qrText = (await oneTime.locator("figure.qr").getAttribute("data-qr-text"))!;
    expect(qrText.startsWith(`${server.url}/wallet/#vpz=`)).toBe(true);
    expect(qrText.length).toBeLessThan(2953);
    expect(await oneTime.locator("figure.qr svg").count()).toBe(1);
    await shot(page, "05-share");
    const verifier = await page.context().newPage();
    await verifier.goto(qrText);
    await verifier.waitForURL((u) => u.pathname === "/verify/", { timeout: 15_000 });
    expect(verifier.url()).toBe(link);
    await verifier.locator(".verdict h2").first().waitFor({ timeout: 20_000 });
    await shot(verifier, "06-verify-valid", false);
    expect(await verifier.locator(".verdict h2").first().textContent()).toBe("Presentation: Valid");
    await verifier.close();

    // The issuer revokes; after a refresh the card says revoked (by word and symbol, not colour alone).
    const revoked = await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(microId!)}/status`, {
      token: issuerToken,
      body: { action: "revoke", reason: "issued-in-error" },
    });
    expect(revoked.status, revoked.text).toBe(200);
    // The attribution is archived: a memory with no current status, told apart from "revoked" by the log history.
    const archived = await call(
      server.url,
      "POST",
      `/v1/credentials/${encodeURIComponent(attributionId!)}/status`,
      {
        token: issuerToken,
        body: { action: "archive", reason: "expired-relevance" },
      },
    );
    expect(archived.status, archived.text).toBe(200);
    await page.getByRole("button", { name: "My credentials" }).click();
    await page.getByRole("button", { name: "↻ Refresh status" }).click();
    await expect.poll(() => message(page).textContent(), { timeout: 20_000 }).toContain("Status refreshed");
    await expect.poll(() => microCard.locator(".badge").getAttribute("data-status")).toBe("revoked");
    expect(await microCard.textContent()).toContain("Status: Revoked");
    expect(await page.locator("article.cred").nth(1).locator(".badge").getAttribute("data-status")).toBe(
      "archived",
    );
    await shot(page, "07-portfolio-revoked");
    await page.getByRole("button", { name: `Details of ${MICRO_NAME}` }).click();
    expect(await page.locator("ol.history").textContent()).toMatch(
      /Revoked by the issuer \(log entry #\d+\)/,
    );
    await shot(page, "07b-detail-revoked");
    await page.getByRole("button", { name: "← Back to my credentials" }).click();

    // Encrypted backup, restored into a fresh browser profile.
    await page.getByRole("button", { name: "Backup" }).click();
    await page.getByLabel("Your wallet passphrase").fill(PASS);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download encrypted backup" }).click(),
    ]);
    const backupPath = join(dataDir, "backup.json");
    await download.saveAs(backupPath);
    const backupText = await readFile(backupPath, "utf8");
    expect(backupText).toContain('"format": "meritlog-wallet-backup"');
    expect(backupText).not.toContain(did!);
    expect(backupText).not.toContain("Hand-Pump");
    await shot(page, "08-backup");

    const fresh = await profile();
    await fresh.goto(`${server.url}/wallet/`);
    await fresh.getByLabel("Backup file").setInputFiles(backupPath);
    await fresh.getByLabel("Backup passphrase").fill("not the passphrase");
    await fresh.getByRole("button", { name: "Restore wallet" }).click();
    await expect
      .poll(() => message(fresh).textContent(), { timeout: 15_000 })
      .toContain("passphrase is not correct");
    await fresh.getByLabel("Backup passphrase").fill(PASS);
    await fresh.getByRole("button", { name: "Restore wallet" }).click();
    await expect.poll(() => message(fresh).textContent(), { timeout: 15_000 }).toContain("Wallet restored");
    expect(await fresh.locator(".who span").getAttribute("title")).toBe(did);
    await expect
      .poll(() => card(fresh, MICRO_NAME).locator(".badge").getAttribute("data-status"))
      .toBe("revoked");
    expect(await fresh.locator("article.cred").count()).toBe(2);
    await shot(fresh, "09-restored");

    // Split view: the log operator signs a checkpoint of the same size with another root and
    // serves it to this wallet only. The wallet must raise the alarm.
    await fresh.getByRole("button", { name: "↻ Refresh status" }).click();
    await expect.poll(() => message(fresh).textContent(), { timeout: 20_000 }).toContain("Status refreshed");
    const current = (await call(server.url, "GET", "/log/checkpoint")).text;
    const cp = parseCheckpoint(current.slice(0, current.indexOf("\n\n") + 1));
    const forkedRoot = new Uint8Array(cp.rootHash);
    forkedRoot[0] = forkedRoot[0]! ^ 0xff;
    const forked = signNote(formatCheckpoint({ ...cp, rootHash: forkedRoot }), logSigner);
    await fresh.route("**/log/checkpoint", (route) =>
      route.fulfill({ status: 200, contentType: "text/plain; charset=utf-8", body: forked }),
    );
    await fresh.getByRole("button", { name: "↻ Refresh status" }).click();
    const alert = fresh.getByRole("alert");
    await expect
      .poll(async () => ((await alert.count()) > 0 ? await alert.textContent() : ""), { timeout: 20_000 })
      .toContain("may have been tampered with");
    expect(await alert.textContent()).toContain("two different histories");
    await shot(fresh, "10-split-view-warning");

    // A phone camera opens the QR-ready link before any wallet exists: create one, and the offer is claimed.
    const newcomer = await profile();
    const third = await offer(ATTRIBUTION);
    await newcomer.goto(third.walletLink);
    await expect
      .poll(() => message(newcomer).textContent(), { timeout: 10_000 })
      .toContain("create your wallet to receive the offered credential");
    await newcomer.getByLabel("Choose a passphrase").fill(PASS);
    await newcomer.getByLabel("Type the passphrase again").fill(PASS);
    await newcomer.getByRole("button", { name: "Create wallet" }).click();
    await expect
      .poll(() => message(newcomer).textContent(), { timeout: 20_000 })
      .toContain("Received and verified");
    expect(await newcomer.locator("article.cred .badge").getAttribute("data-status")).toBe("active");
    expect(newcomer.url()).toBe(`${server.url}/wallet/`);
    // Delete one credential (after confirming), then everything.
    newcomer.on("dialog", (d) => void d.accept());
    await newcomer.getByRole("button", { name: /^Delete Translation/ }).click();
    await expect
      .poll(() => message(newcomer).textContent(), { timeout: 10_000 })
      .toContain("deleted from this wallet");
    expect(await newcomer.locator("article.cred").count()).toBe(0);
    await newcomer.getByRole("button", { name: "Backup" }).click();
    await newcomer.getByRole("button", { name: "Delete everything" }).click();
    await expect
      .poll(() => message(newcomer).textContent(), { timeout: 10_000 })
      .toContain("Everything was deleted");
    expect(await newcomer.getByRole("heading", { name: "Create your wallet" }).count()).toBe(1);
  }, 90_000);
});
