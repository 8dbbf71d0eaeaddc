// Choosing what to disclose, end to end (issue 15), in headless Debian chromium against the real
// server, on a phone and a desktop screen: the issuer offers a micro-credential, the wallet receives
// it with its SD-JWT form, an employer asks on /verify, the learner unticks fields in the wallet's
// "what to reveal" step and answers, and the employer's report names the withheld fields; then a
// one-time presentation to /verify does the same. axe-core on each view; screenshots to
// test-artifacts/disclose/ (and /tmp/wallet-disclose-*.png for review).
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiOfferExamples } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/disclose/", import.meta.url));
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;
const PASS = "river stone lantern 42";
const { microCredential: MICRO } = apiOfferExamples();
const MICRO_NAME = (MICRO.achievement as { name: string }).name;
const MICRO_DESCRIPTION = (MICRO.achievement as { description: string }).description;

let server: RunningServer;
let browser: Browser;
let token = "";
let mentor = "";
const COMMENT = "Clear steps; add a photo of the cylinder seal next time.";

async function expectAccessible(page: Page, what: string): Promise<void> {
  const v = await axeViolations(page);
  expect(v, `${what}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

async function shot(page: Page, name: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  if (await screenshot(page, { path, fullPage: true }))
    copyFileSync(path, `/tmp/wallet-disclose-${name}.png`);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Hand-Pump Academy" },
  });
  token = (created.body as { token: string }).token;
  mentor = (
    (
      await call(server.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Kaduna Review Panel" },
      })
    ).body as { token: string }
  ).token;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(Object.entries(SIZES))("choosing what to disclose, on a %s screen", (size, viewport) => {
  it("the learner withholds fields when answering an employer's request and in a one-time presentation; the employer's report names them", async () => {
    const learnerCtx = await browser.newContext({ viewport });
    const employerCtx = await browser.newContext({ viewport });
    try {
      const wallet = await learnerCtx.newPage();
      const errors: string[] = [];
      wallet.on("pageerror", (e) => errors.push(e.message));
      const message = () => wallet.locator("#messages").textContent();
      await wallet.goto(`${server.url}/wallet/`);
      await wallet.getByLabel("Choose a passphrase").fill(PASS);
      await wallet.getByLabel("Type the passphrase again").fill(PASS);
      await wallet.getByRole("button", { name: "Create wallet" }).click();
      await expect.poll(message, { timeout: 20_000 }).toContain("Your wallet is ready");
      const offer = await call(server.url, "POST", "/v1/offers", { token, body: MICRO });
      expect(offer.status, offer.text).toBe(201);
      await wallet.goto((offer.body as { walletLink: string }).walletLink);
      await expect.poll(message, { timeout: 30_000 }).toContain("Received and verified");

      // A mentor (an issuer of its own) gives feedback on it; the learner opens the link.
      const credentialId = await wallet.locator("article.cred").first().getAttribute("data-credential-id");
      const feedback = await call(server.url, "POST", "/v1/feedback", {
        token: mentor,
        body: { credentialId, comment: COMMENT, reviewLevel: "peer" },
      });
      expect(feedback.status, feedback.text).toBe(201);
      await wallet.goto((feedback.body as { walletLink: string }).walletLink);
      await expect.poll(message, { timeout: 30_000 }).toContain("Feedback from Kaduna Review Panel received");
      const section = wallet.locator('section[aria-labelledby="d-feedback"]');
      expect(await section.locator("blockquote").textContent()).toBe(COMMENT);
      expect(await section.textContent()).toContain(
        "It goes into a presentation only when you add it there.",
      );
      await shot(wallet, `feedback-detail-${size}`);
      await expectAccessible(wallet, "wallet, feedback on a credential");

      // The employer asks on /verify.
      const employer = await employerCtx.newPage();
      await employer.goto(`${server.url}/verify/`);
      await employer.getByLabel("Why you ask").fill("Pump mechanic post");
      await employer.getByRole("button", { name: "Make a request" }).click();
      const walletLink = (await employer.locator(".request-link a").textContent({ timeout: 20_000 }))!;

      // The learner opens it, picks the credential and sees what it would reveal.
      await wallet.goto(walletLink);
      const answerForm = wallet.locator('form[aria-labelledby="request-who"]');
      await answerForm.waitFor({ timeout: 20_000 });
      await answerForm.getByLabel(new RegExp(MICRO_NAME)).check();
      const reveal = answerForm.getByRole("group", { name: "What to reveal" });
      await reveal.waitFor();
      expect(await reveal.locator("legend").textContent()).toBe("What to reveal");
      // Plain-language names with what each holds; everything ticked until the learner unticks.
      const description = reveal.getByLabel(/^What the achievement is/);
      expect(await description.isChecked()).toBe(true);
      expect(await reveal.textContent()).toContain(MICRO_DESCRIPTION.slice(0, 40));
      await description.uncheck();
      await reveal.getByLabel(/^Evidence/).uncheck();
      await shot(wallet, `request-reveal-${size}`);
      await expectAccessible(wallet, "wallet, what to reveal");
      await answerForm.getByRole("button", { name: "Send" }).click();
      await wallet
        .locator("#answer-sent")
        .waitFor({ timeout: 20_000 })
        .catch(async (e: unknown) => {
          throw new Error(`${String(await message())} ${String(e)}`);
        });
      const outcome = await wallet.locator(".result").last().textContent();
      expect(outcome).toContain("You kept back: What the achievement is, Evidence.");
      await shot(wallet, `request-sent-${size}`);

      // The employer's report: valid, and which fields the learner kept back, in plain words.
      await employer.locator(".verdict h2").first().waitFor({ timeout: 30_000 });
      expect(await employer.locator(".verdict h2").first().textContent()).toMatch(/Valid$/);
      const disclosure = employer.locator("li", { hasText: "What the holder chose to show" });
      expect(await disclosure.textContent()).toContain(
        "Not shown by the holder: what the achievement is, evidence.",
      );
      const mainText = (await employer.locator("main").textContent())!;
      const at = mainText.indexOf(MICRO_DESCRIPTION);
      expect(at, mainText.slice(Math.max(0, at - 600), at + 100)).toBe(-1);
      // The feedback was offered but not ticked: it did not travel.
      expect(mainText).not.toContain(COMMENT);
      await shot(employer, `employer-report-${size}`);
      await expectAccessible(employer, "/verify, SD-JWT answer");

      // A lasting share link that keeps the evidence back: the employer's share page says so on every read.
      await wallet.getByRole("button", { name: "Share", exact: true }).click();
      const shareForm = wallet.locator('form[aria-labelledby="share-link-title"]');
      await shareForm.getByLabel(new RegExp(MICRO_NAME)).check();
      await shareForm
        .locator(".reveal")
        .getByLabel(/^Evidence/)
        .uncheck();
      await shareForm.getByRole("button", { name: "Create the link" }).click();
      const shareUrl = (await wallet
        .locator("a.share-url")
        .first()
        .getAttribute("href", { timeout: 20_000 }))!;
      expect(await wallet.locator(".withheld").first().textContent()).toBe("You kept back: Evidence.");
      await shot(wallet, `share-link-${size}`);
      await expectAccessible(wallet, "wallet, share link with a field kept back");
      const stored = await call(
        server.url,
        "GET",
        `/v1/shares/${shareUrl.slice(shareUrl.lastIndexOf("/") + 1)}`,
      );
      expect(
        (stored.body as { report: { checks: { disclosure?: { withheld?: string[] } } } }).report.checks
          .disclosure?.withheld,
        stored.text.slice(0, 3000),
      ).toEqual(["evidence"]);
      await employer.goto(shareUrl);
      await employer.locator(".verdict h2").first().waitFor({ timeout: 30_000 });
      expect(await employer.locator(".verdict h2").first().textContent()).toMatch(/Valid$/);
      expect(
        await employer.locator("li", { hasText: "What the holder chose to show" }).textContent(),
      ).toContain("Not shown by the holder: evidence.");
      await shot(employer, `employer-share-${size}`);
      await expectAccessible(employer, "share page, SD-JWT");

      // A one-time presentation to /verify, keeping only the criteria back.
      await wallet.getByText("Present for a one-time check").click();
      const present = wallet.locator('form[aria-labelledby="present-title"]');
      await present.getByLabel(new RegExp(MICRO_NAME)).check();
      await present
        .locator(".reveal")
        .getByLabel(/^How it was earned/)
        .uncheck();
      await present.getByRole("button", { name: "Create presentation" }).click();
      const link = wallet.locator("#share-link");
      await link.waitFor({ timeout: 20_000 });
      expect(await wallet.locator(".withheld").last().textContent()).toBe(
        "You kept back: How it was earned (criteria).",
      );
      await shot(wallet, `present-ready-${size}`);
      await expectAccessible(wallet, "wallet, presentation ready");
      const presentation = await link.inputValue();
      expect(presentation).toContain("~");
      await employer.goto(presentation);
      await employer.locator(".verdict h2").first().waitFor({ timeout: 30_000 });
      expect(await employer.locator(".verdict h2").first().textContent()).toMatch(/Valid$/);
      expect(
        await employer.locator("li", { hasText: "What the holder chose to show" }).textContent(),
      ).toContain("Not shown by the holder: how it was earned (criteria).");
      expect(await employer.locator("main").textContent()).toContain(MICRO_DESCRIPTION.slice(0, 40));
      await shot(employer, `employer-one-time-${size}`);
      await expectAccessible(employer, "/verify, one-time SD-JWT");
      // Everything shown, and the mentor's feedback added: a presentation of both, and the employer reads it.
      await present.getByLabel(new RegExp(MICRO_NAME)).uncheck();
      await present.getByLabel(new RegExp(MICRO_NAME)).check();
      await present.getByLabel("Add the feedback from Kaduna Review Panel").check();
      await present.getByRole("button", { name: "Create presentation" }).click();
      await expect.poll(() => link.inputValue(), { timeout: 20_000 }).not.toBe(presentation);
      const withFeedback = await link.inputValue();
      expect(withFeedback).not.toContain("~");
      await employer.goto("about:blank");
      await employer.goto(withFeedback);
      await employer.locator(".verdict h2").first().waitFor({ timeout: 30_000 });
      expect(await employer.locator(".verdict h2").first().textContent()).toBe("Presentation: Valid");
      expect(await employer.locator("main").textContent()).toContain(COMMENT);
      await shot(employer, `employer-feedback-${size}`);
      await expectAccessible(employer, "/verify, presentation with feedback");

      // In French: the reveal step, the pathways and the export/import screens speak it too.
      await wallet.getByRole("button", { name: "Français" }).click();
      await wallet.getByRole("button", { name: "Parcours", exact: true }).click();
      await wallet.locator("main p[role=status]").waitFor({ state: "detached", timeout: 15_000 });
      expect(await wallet.locator("main").textContent()).toContain(
        "Aucune de vos attestations n'appartient encore à un parcours publié.",
      );
      expect(await wallet.locator("main").textContent()).toContain("Vérifier à nouveau");
      await expectAccessible(wallet, "wallet, parcours");
      await wallet.getByRole("button", { name: "Sauvegarde", exact: true }).click();
      const main = (await wallet.locator("main").textContent())!;
      expect(main).toContain("Emporter votre dossier ailleurs");
      expect(main).toContain("Importer un lot signé");
      expect(main).not.toContain("Take your record elsewhere");
      await shot(wallet, `backup-fr-${size}`);
      await expectAccessible(wallet, "wallet, sauvegarde");
      await wallet.getByRole("button", { name: "Partager", exact: true }).click();
      await wallet.getByText("Présenter pour une vérification").click();
      const presentFr = wallet.locator('form[aria-labelledby="present-title"]');
      await presentFr.getByLabel(new RegExp(MICRO_NAME)).check();
      expect(await presentFr.locator(".reveal legend").first().textContent()).toBe("Ce que vous montrez");
      expect(await presentFr.locator(".reveal").textContent()).toContain("Ce qu'est la réussite");
      await shot(wallet, `reveal-fr-${size}`);
      await expectAccessible(wallet, "wallet, ce que vous montrez");
      expect(errors).toEqual([]);
    } finally {
      await learnerCtx.close();
      await employerCtx.close();
    }
  }, 180_000);
});
