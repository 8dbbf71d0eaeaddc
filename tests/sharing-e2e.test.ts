// Sharing that survives email, in headless Debian chromium against the real server, on a phone
// and a desktop screen: a learner's share link opened twice by an employer, then revoked by the
// issuer and seen revoked; an employer's request on /verify answered by the learner and shown
// when it arrives. axe-core on every view. Screenshots go to test-artifacts/sharing/.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/sharing/", import.meta.url));
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1200, height: 900 } } as const;

let server: RunningServer;
let browser: Browser;
let token = "";
const learner = newHolder();
const NAME = "Hand-Pump Repair Guide Writing";

const proof = (credentialId: string): string =>
  learner.signJwt(
    { alg: "EdDSA", kid: learner.kid, typ: "JWT" },
    {
      aud: server.url,
      credentialId,
      iat: Math.floor(Date.now() / 1000),
      nonce: randomBytes(16).toString("base64url"),
    },
  );

async function issue(): Promise<{ id: string; jwt: string }> {
  const r = await call(server.url, "POST", "/v1/credentials", {
    token,
    body: apiExamples(learner.did).microCredential(),
  });
  expect(r.status).toBe(201);
  return r.body as { id: string; jwt: string };
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  const v = await axeViolations(page);
  expect(v, `${what}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  token = (
    (
      await call(server.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Hand-Pump Academy" },
      })
    ).body as { token: string }
  ).token;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(Object.entries(SIZES))("on a %s screen", (size, viewport) => {
  it("a share link: the employer opens it twice, the issuer revokes, the employer sees revoked", async () => {
    const cred = await issue();
    const made = await call(server.url, "POST", "/v1/shares", {
      body: { credential: cred.jwt, proof: proof(cred.id) },
    });
    expect(made.status).toBe(201);
    const { url } = made.body as { url: string };
    const page = await browser.newPage({ viewport });
    try {
      for (let i = 0; i < 2; i++) {
        await page.goto(url);
        await page.locator(".verdict h2").waitFor();
        expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Valid");
        expect(await page.locator(".verdict").textContent()).toContain("made this link with their own key");
        expect(await page.locator("dl.facts").first().textContent()).toContain(NAME);
        expect(await page.locator("#share-meta").textContent()).toContain("Checked just now");
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      await screenshot(page, { path: join(ARTIFACTS, `share-valid-${size}.png`), fullPage: true });
      await expectAccessible(page, "share page, valid");

      expect(
        (
          await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(cred.id)}/status`, {
            token,
            body: { action: "revoke", reason: "overclaimed" },
          })
        ).status,
      ).toBe(200);
      await page.getByRole("button", { name: "Check again" }).click();
      await page.locator(".verdict.invalid").waitFor();
      expect(await page.locator(".verdict h2").textContent()).toBe("Credential: Not valid");
      expect(await page.locator(".verdict").textContent()).toContain("revoked");
      expect(await page.locator("dl.facts").first().textContent()).toContain("Revoked");
      await screenshot(page, { path: join(ARTIFACTS, `share-revoked-${size}.png`), fullPage: true });
      await expectAccessible(page, "share page, revoked");

      // Withdrawn by the learner: the page says so in words.
      const id = url.slice(url.lastIndexOf("/") + 1);
      expect(
        (await call(server.url, "DELETE", `/v1/shares/${id}`, { body: { proof: proof(cred.id) } })).status,
      ).toBe(200);
      await page.reload();
      await page.locator(".error-box h2").waitFor();
      expect(await page.locator(".error-box h2").textContent()).toBe("This share was withdrawn");
      await expectAccessible(page, "share page, withdrawn");
    } finally {
      await page.close();
    }
  }, 90_000);

  it("a request: the employer asks on /verify, the learner answers, the employer sees the result", async () => {
    const cred = await issue();
    const page = await browser.newPage({ viewport });
    try {
      await page.goto(`${server.url}/verify/`);
      await expectAccessible(page, "/verify, empty");
      await page.getByLabel("Why you ask").fill("Application for the pump mechanic post");
      await page.getByRole("button", { name: "Make a request" }).click();
      const link = page.locator(".request-link a");
      await link.waitFor();
      const walletLink = (await link.textContent())!;
      expect(walletLink.startsWith(`${server.url}/wallet/#request_uri=`)).toBe(true);
      // The QR code is served and decodable as an image of the right size.
      const qr = page.locator("img.qr");
      await expect
        .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
        .toBe(true);
      expect(await page.locator("#ask-status").textContent()).toContain("Waiting");
      await screenshot(page, { path: join(ARTIFACTS, `request-waiting-${size}.png`), fullPage: true });
      await expectAccessible(page, "/verify, request waiting");

      // The learner's wallet: fetch the request object by reference and answer with direct_post.
      const requestUri = decodeURIComponent(walletLink.slice(walletLink.indexOf("=") + 1));
      const ro = (await (await fetch(requestUri)).json()) as {
        nonce: string;
        audience: string;
        response_uri: string;
        purpose: string;
      };
      expect(ro.purpose).toBe("Application for the pump mechanic post");
      const iat = Math.floor(Date.now() / 1000);
      const vp = learner.signJwt(
        { alg: "EdDSA", kid: learner.kid, typ: "JWT" },
        {
          iss: learner.did,
          aud: ro.audience,
          nonce: ro.nonce,
          iat,
          exp: iat + 600,
          vp: { type: ["VerifiablePresentation"], holder: learner.did, verifiableCredential: [cred.jwt] },
        },
      );
      const answer = await call(server.url, "POST", new URL(ro.response_uri).pathname, {
        body: { presentation: vp },
      });
      expect(answer.status).toBe(200);

      await page.locator(".verdict h2").first().waitFor({ timeout: 20_000 });
      expect(await page.locator(".verdict h2").first().textContent()).toBe("Presentation: Valid");
      expect(await page.locator(".sub-report h2").first().textContent()).toContain(NAME);
      expect(await page.locator("#ask-status").textContent()).toContain("Answered");
      await screenshot(page, { path: join(ARTIFACTS, `request-answered-${size}.png`), fullPage: true });
      await expectAccessible(page, "/verify, request answered");

      // Reopening the same address later shows the result again, re-checked.
      await page.reload();
      await page.locator(".verdict h2").first().waitFor({ timeout: 20_000 });
      expect(await page.locator(".verdict h2").first().textContent()).toBe("Presentation: Valid");
    } finally {
      await page.close();
    }
  }, 90_000);
});

describe.each(Object.entries(SIZES))("from the wallet, on a %s screen", (size, viewport) => {
  const PASS = "river stone lantern 42";
  const { microCredential: MICRO, attribution: ATTRIBUTION } = apiOfferExamples();
  const ATTRIBUTION_TITLE = /^Translation/;
  const offer = async (body: Record<string, unknown>): Promise<string> => {
    const r = await call(server.url, "POST", "/v1/offers", { token, body });
    expect(r.status, r.text).toBe(201);
    return (r.body as { walletLink: string }).walletLink;
  };
  const message = (page: Page) => page.locator("#messages");

  it("receive, share a link, employer opens twice, issuer revokes, employer sees revoked; then a request answered from the wallet", async () => {
    const learnerCtx = await browser.newContext({ viewport });
    const employerCtx = await browser.newContext({ viewport });
    try {
      const wallet = await learnerCtx.newPage();
      wallet.on("pageerror", (e) => console.error("wallet page error:", e.message));
      await wallet.goto(`${server.url}/wallet/`);
      await wallet.getByLabel("Choose a passphrase").fill(PASS);
      await wallet.getByLabel("Type the passphrase again").fill(PASS);
      await wallet.getByRole("button", { name: "Create wallet" }).click();
      await expect
        .poll(() => message(wallet).textContent(), { timeout: 20_000 })
        .toContain("Your wallet is ready");
      await wallet.goto(await offer(MICRO));
      await expect
        .poll(() => message(wallet).textContent(), { timeout: 20_000 })
        .toContain("Received and verified");
      await wallet.goto(await offer(ATTRIBUTION));
      await expect
        .poll(() => message(wallet).textContent(), { timeout: 20_000 })
        .toContain("Received and verified");

      // Share a link to the micro-credential.
      await wallet.getByRole("button", { name: "Share", exact: true }).click();
      const shareForm = wallet.locator('form[aria-labelledby="share-link-title"]');
      await shareForm.getByLabel(new RegExp(NAME)).check();
      await shareForm.getByLabel("The link works for").selectOption({ label: "1 month" });
      await shareForm.getByRole("button", { name: "Create the link" }).click();
      const shareUrl = (await wallet
        .locator("a.share-url")
        .first()
        .getAttribute("href", { timeout: 20_000 }))!;
      expect(shareUrl.startsWith(`${server.url}/s/`)).toBe(true);
      expect(await wallet.locator(".share-list").textContent()).toContain(NAME);
      await screenshot(wallet, { path: join(ARTIFACTS, `wallet-share-${size}.png`), fullPage: true });
      await expectAccessible(wallet, "wallet, share a link");

      // The employer opens it twice.
      const employer = await employerCtx.newPage();
      for (let i = 0; i < 2; i++) {
        await employer.goto(shareUrl);
        await employer.locator(".verdict h2").waitFor();
        expect(await employer.locator(".verdict h2").textContent()).toBe("Credential: Valid");
      }
      // The issuer revokes; the employer checks again and reads revoked.
      const shared = (
        await call(server.url, "GET", `/v1/shares/${shareUrl.slice(shareUrl.lastIndexOf("/") + 1)}`)
      ).body as { credential: string };
      const jti = (
        JSON.parse(Buffer.from(shared.credential.split(".")[1]!, "base64url").toString()) as { jti: string }
      ).jti;
      expect(
        (
          await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(jti)}/status`, {
            token,
            body: { action: "revoke", reason: "issued-in-error" },
          })
        ).status,
      ).toBe(200);
      await employer.getByRole("button", { name: "Check again" }).click();
      await employer.locator(".verdict.invalid").waitFor();
      expect(await employer.locator("dl.facts").first().textContent()).toContain("Revoked");

      // The employer asks on /verify; the learner answers from the wallet; the employer sees the result.
      await employer.goto(`${server.url}/verify/`);
      await employer.getByLabel("Why you ask").fill("Translator for the pump guide");
      await employer.getByRole("button", { name: "Make a request" }).click();
      const walletLink = (await employer.locator(".request-link a").textContent({ timeout: 20_000 }))!;
      await wallet.goto(walletLink);
      const who = wallet.locator("#request-who");
      await who.waitFor({ timeout: 20_000 });
      expect(await who.textContent()).toBe(`Request from ${new URL(server.url).host}`);
      expect(await wallet.locator("dd.purpose").textContent()).toBe("Translator for the pump guide");
      await screenshot(wallet, { path: join(ARTIFACTS, `wallet-request-${size}.png`), fullPage: true });
      await expectAccessible(wallet, "wallet, answer a request");
      const answerForm = wallet.locator('form[aria-labelledby="request-who"]');
      // The revoked credential warns before it is sent: choose the attribution only.
      await answerForm.getByLabel(ATTRIBUTION_TITLE).check();
      await answerForm.getByRole("button", { name: "Send" }).click();
      await wallet.locator("#answer-sent").waitFor({ timeout: 20_000 });
      expect(await wallet.locator(".result").last().textContent()).toContain("valid");

      await employer.locator(".verdict h2").first().waitFor({ timeout: 30_000 });
      expect(await employer.locator(".verdict h2").first().textContent()).toBe("Presentation: Valid");
      expect(await employer.locator("#ask-status").textContent()).toContain("Answered");
      await screenshot(employer, { path: join(ARTIFACTS, `employer-result-${size}.png`), fullPage: true });

      // Withdraw the share from the wallet: the employer's link is gone.
      await wallet.getByRole("button", { name: "Share", exact: true }).click();
      await wallet
        .getByRole("button", { name: /^Withdraw the link/ })
        .first()
        .click();
      await expect.poll(() => message(wallet).textContent(), { timeout: 20_000 }).toContain("withdrawn");
      await employer.goto(shareUrl);
      await employer.locator(".error-box h2").waitFor();
      expect(await employer.locator(".error-box h2").textContent()).toBe("This share was withdrawn");
    } finally {
      await learnerCtx.close();
      await employerCtx.close();
    }
  }, 150_000);

  it("warns before sharing a revoked credential", async () => {
    const ctx = await browser.newContext({ viewport });
    try {
      const wallet = await ctx.newPage();
      await wallet.goto(`${server.url}/wallet/`);
      await wallet.getByLabel("Choose a passphrase").fill(PASS);
      await wallet.getByLabel("Type the passphrase again").fill(PASS);
      await wallet.getByRole("button", { name: "Create wallet" }).click();
      await expect
        .poll(() => message(wallet).textContent(), { timeout: 20_000 })
        .toContain("Your wallet is ready");
      await wallet.goto(await offer(MICRO));
      await expect
        .poll(() => message(wallet).textContent(), { timeout: 20_000 })
        .toContain("Received and verified");
      const id = await wallet.locator("article.cred").first().getAttribute("data-credential-id");
      expect(
        (
          await call(server.url, "POST", `/v1/credentials/${encodeURIComponent(id!)}/status`, {
            token,
            body: { action: "revoke", reason: "unsafe" },
          })
        ).status,
      ).toBe(200);
      await wallet.getByRole("button", { name: "Refresh" }).first().click();
      await expect
        .poll(() => message(wallet).textContent(), { timeout: 20_000 })
        .toContain("Status refreshed");
      await wallet.getByRole("button", { name: "Share", exact: true }).click();
      const form = wallet.locator('form[aria-labelledby="share-link-title"]');
      await form.getByLabel(new RegExp(NAME)).check();
      await form.getByRole("button", { name: "Create the link" }).click();
      const warning = wallet.locator(".warning-box");
      await warning.waitFor();
      expect(await warning.textContent()).toContain("revoked");
      expect(await wallet.locator("a.share-url").count()).toBe(0);
      await screenshot(wallet, { path: join(ARTIFACTS, `wallet-share-warning-${size}.png`), fullPage: true });
      await expectAccessible(wallet, "wallet, share warning");
    } finally {
      await ctx.close();
    }
  }, 90_000);
});
