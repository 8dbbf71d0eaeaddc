// The issuer console's cohort preview with the dates of the learning (issue 11): the CSV's
// `activityStartDate` / `activityEndDate` columns (the same as the CLI's `offer --csv`) appear in
// the preview, each row names its own date problems, nothing is made while a row is refused, and
// the fixed file makes its offers. axe-core at phone and desktop sizes;
// screenshots in /tmp/images-i18n-console-*.png.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { buildIfStale, launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

let server: RunningServer;
let browser: Browser;
let token = "";
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildIfStale("issuer-web");
  server = await startServer();
  token = (
    (await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name: "Date Academy" } }))
      .body as { token: string }
  ).token;
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function signedIn(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: SIZES.desktop, locale: "en-GB" });
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.on("pageerror", (e) => console.error("console page error:", e.message));
  await p.goto(`${server.url}/issuer/`);
  await p.locator("#token").fill(token);
  await p.keyboard.press("Enter");
  await expect.poll(() => p.locator("h2").textContent(), { timeout: 15_000 }).toBe("Offers");
  await p.getByRole("link", { name: "Cohort from CSV" }).click();
  await expect.poll(() => p.locator("h2").textContent()).toBe("Cohort from CSV");
  return p;
}

async function upload(p: Page, csv: string): Promise<void> {
  await p
    .getByLabel("CSV file")
    .setInputFiles({ name: "cohort.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect.poll(() => p.locator("table.preview tbody tr").count()).toBeGreaterThan(0);
}

async function checkSizes(p: Page, name: string): Promise<void> {
  for (const [size, viewport] of Object.entries(SIZES)) {
    await p.setViewportSize(viewport);
    const v = await axeViolations(p);
    expect(v, `${name} (${size}): ${JSON.stringify(v, null, 1)}`).toEqual([]);
    await screenshot(p, { path: `/tmp/images-i18n-console-${name}-${size}.png`, fullPage: true });
  }
}

describe("cohort preview with the dates of the learning", () => {
  it("shows the date columns, names each row's date problems, and makes nothing until they are fixed", async () => {
    const p = await signedIn();
    await upload(
      p,
      [
        "reference,activityStartDate,activityEndDate",
        "Amina B.,2026-03-01T00:00:00Z,2026-04-15T00:00:00Z",
        "Musa K.,2026-03-01,",
        "Hauwa S.,2026-05-01T00:00:00Z,2026-04-01T00:00:00Z",
      ].join("\n"),
    );
    const headers = await p.locator("table.preview thead th").allTextContents();
    expect(headers).toEqual(["Line", "Reference", "Learning began", "Learning ended", "Problems"]);
    const row = (i: number) => p.locator("table.preview tbody tr").nth(i);
    expect(await row(0).locator("td").allTextContents()).toEqual([
      "2",
      "Amina B.",
      "2026-03-01T00:00:00Z",
      "2026-04-15T00:00:00Z",
      "ready",
    ]);
    expect(await row(1).locator("td").nth(4).textContent()).toMatch(/subject\.activityStartDate/);
    expect(await row(2).locator("td").nth(4).textContent()).toContain(
      "activityEndDate must not be before activityStartDate",
    );
    expect(await row(1).getAttribute("class")).toBe("row-bad");
    expect(await p.getByRole("button", { name: "Make 3 offers" }).isDisabled()).toBe(true);
    await checkSizes(p, "cohort-dates-errors");
    expect(
      ((await call(server.url, "GET", "/v1/offers", { token })).body as { items: unknown[] }).items,
    ).toEqual([]);

    // Fixed: the offers are made (their bodies carry the dates: issuer-web/test/cohort.test.ts).
    await upload(
      p,
      [
        "reference,activityStartDate,activityEndDate",
        "Amina B.,2026-03-01T00:00:00Z,2026-04-15T00:00:00Z",
        "Musa K.,2026-03-01T08:00:00+01:00,",
      ].join("\n"),
    );
    await p.getByRole("button", { name: "Make 2 offers" }).click();
    await expect.poll(() => p.locator(".qr-sheet .offer-card").count(), { timeout: 15_000 }).toBe(2);
    const offers = (
      (await call(server.url, "GET", "/v1/offers", { token })).body as {
        items: { id: string; reference: string }[];
      }
    ).items;
    expect(offers.map((o) => o.reference).sort()).toEqual(["Amina B.", "Musa K."]);
    await checkSizes(p, "cohort-dates-made");
  }, 120_000);
});
