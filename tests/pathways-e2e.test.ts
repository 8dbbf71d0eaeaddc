// Pathways in the wallet (issue 15), in headless Debian chromium against the real server: an
// issuer publishes a three-step pathway, the learner receives the three micro-credentials, the
// issuer revokes the third; the wallet's Pathways screen shows 2 of 3 done and the third as
// revoked (in words), with the no-conversion line. A correction of the pathway keeps the learner's
// progress on the version their credentials were issued under. Phone and desktop, axe-core clean.
// Screenshots go to test-artifacts/pathways/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { apiOfferExamples } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ARTIFACTS = join(root, "test-artifacts", "pathways");
const PASS = "river stone lantern 42";
const STEPS = ["Hand-pump safety literacy", "Hand-pump repair practice", "Repair guide documentation"];

let server: RunningServer;
let browser: Browser;
let token: string;
let pathwayId: string;
const credentialIds: string[] = [];
const offers: { walletLink: string; id: string }[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startServer();
  const created = await call(server.url, "POST", "/v1/issuers", {
    token: ADMIN_TOKEN,
    body: { name: "Kaduna Repair Academy" },
  });
  expect(created.status, created.text).toBe(201);
  token = (created.body as { token: string }).token;
  const p = await call(server.url, "POST", "/v1/pathways", {
    token,
    body: {
      name: "Hand-pump maintenance",
      description: "Three practical units on keeping a village hand pump working.",
      achievements: STEPS.map((name) => ({ name })),
      ordered: true,
    },
  });
  expect(p.status, p.text).toBe(201);
  pathwayId = (p.body as { id: string }).id;
  const micro = apiOfferExamples().microCredential;
  for (const name of STEPS) {
    const body = { ...micro, achievement: { ...(micro.achievement as object), name } };
    const r = await call(server.url, "POST", "/v1/offers", { token, body });
    expect(r.status, r.text).toBe(201);
    offers.push(r.body as { walletLink: string; id: string });
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const message = (page: Page) => page.locator("#messages");

async function receiveAll(page: Page): Promise<void> {
  await page.goto(`${server.url}/wallet/`);
  await page.getByLabel("Choose a passphrase").fill(PASS);
  await page.getByLabel("Type the passphrase again").fill(PASS);
  await page.getByRole("button", { name: "Create wallet" }).click();
  await expect.poll(() => message(page).textContent(), { timeout: 15_000 }).toContain("Your wallet is ready");
  for (const o of offers) {
    await page.goto(o.walletLink);
    await expect
      .poll(() => message(page).textContent(), { timeout: 20_000 })
      .toContain("Received and verified");
  }
  for (const o of offers) {
    const r = await call(server.url, "GET", `/v1/offers/${o.id}`, { token });
    credentialIds.push((r.body as { credentialId: string }).credentialId);
  }
}

describe("pathways in the wallet", () => {
  it("2 of 3 done, the revoked step shown as revoked; a correction keeps the old progress; phone and desktop clean", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    page.on("pageerror", (e) => console.error("wallet page error:", e.message));
    await receiveAll(page);
    const revoked = await call(
      server.url,
      "POST",
      `/v1/credentials/${encodeURIComponent(credentialIds[2]!)}/status`,
      {
        token,
        body: { action: "revoke", reason: "issued-in-error" },
      },
    );
    expect(revoked.status, revoked.text).toBe(200);
    await page.getByRole("button", { name: "↻ Refresh status" }).click();
    await expect.poll(() => message(page).textContent(), { timeout: 20_000 }).toContain("Status refreshed");

    await page.getByRole("button", { name: "Pathways", exact: true }).click();
    const panel = page.locator(`section.pathway[data-pathway-id="${pathwayId}"]`);
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain("2 of 3 steps done");
    const states = await panel
      .locator("li.step")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-step-state")));
    expect(states).toEqual(["done", "done", "revoked"]);
    const text = (await panel.textContent())!;
    expect(text).toContain("Held, but revoked by the issuer");
    expect(text).toContain("Completing a pathway does not create a certification.");
    expect(text).toContain("Next step: Repair guide documentation.");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, { path: join(ARTIFACTS, "01-phone-progress.png"), fullPage: true });

    // The issuer corrects the pathway: the learner's credentials were issued under the first version.
    const next = await call(server.url, "POST", `/v1/pathways/${pathwayId}/supersede`, {
      token,
      body: {
        name: "Hand-pump maintenance",
        description: "Two units, documentation moved to another pathway.",
        achievements: STEPS.slice(0, 2).map((name) => ({ name })),
        ordered: false,
      },
    });
    expect(next.status, next.text).toBe(201);
    await page.getByRole("button", { name: "Check again" }).click();
    // Polls the whole screen, so a failure shows what the learner saw (a problem line, say).
    await expect
      .poll(() => page.locator("main").textContent({ timeout: 5_000 }), { timeout: 15_000 })
      .toContain("published a corrected version");
    expect(await panel.textContent()).toContain("2 of 3 steps done");
    expect(await axeViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, { path: join(ARTIFACTS, "02-desktop-corrected.png"), fullPage: true });
    await ctx.close();
  }, 180_000);
});
