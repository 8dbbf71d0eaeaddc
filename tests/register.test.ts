// The public register over HTTP and in headless chromium: counts by issuer, type, state and
// month, small cells hidden, no holder DID anywhere; axe-core finds no accessibility violation on
// a phone or a desktop. Screenshots go to test-artifacts/.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const artifacts = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
let server: RunningServer;
let browser: Browser;
const holders: string[] = [];

async function issueMany(name: string, n: number): Promise<string[]> {
  const iss = (await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name } }))
    .body as { token: string };
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = newHolder();
    holders.push(h.did);
    const res = await call(server.url, "POST", "/v1/credentials", {
      token: iss.token,
      body: apiExamples(h.did).microCredential(),
    });
    expect(res.status, res.text).toBe(201);
    ids.push((res.body as { id: string }).id);
  }
  if (ids.length > 0) {
    const r = await call(server.url, "POST", `/v1/credentials/${ids[0]}/status`, {
      token: iss.token,
      body: { action: "revoke", reason: "issued-in-error" },
    });
    expect(r.status, r.text).toBe(200);
  }
  return ids;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  await issueMany("Kaduna Repair Academy", 6);
  await issueMany("Hausa Translators Guild", 5);
  await issueMany("Village Review Panel", 2);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Stats {
  total: number | null;
  minCell: number;
  byIssuer: { key: string; label?: string; count: number | null }[];
  byType: { key: string; count: number | null }[];
  byState: { key: string; count: number | null }[];
  byMonth: { key: string; count: number | null }[];
}

describe("public register", () => {
  it("GET /v1/register/stats: public counts, small cells hidden, no holder DID", async () => {
    const res = await call(server.url, "GET", "/v1/register/stats");
    expect(res.status).toBe(200);
    const s = res.body as Stats;
    expect(s.total).toBe(13);
    expect(s.minCell).toBe(5);
    const byName = Object.fromEntries(s.byIssuer.map((c) => [c.label, c.count]));
    // The panel's 2 are hidden, and so is the guild's 5 (else 13 − 6 − 5 = 2 would reveal it).
    expect(byName).toEqual({
      "Kaduna Repair Academy": 6,
      "Hausa Translators Guild": null,
      "Village Review Panel": null,
    });
    expect(s.byType).toEqual([{ key: "MicroCredential", count: 13 }]);
    // 3 revoked (one per issuer): below 5, and active's 10 hidden too (it would be 13 − 3).
    expect(s.byState.map((c) => [c.key, c.count])).toEqual([
      ["active", null],
      ["revoked", null],
    ]);
    expect(s.byMonth).toEqual([{ key: new Date().toISOString().slice(0, 7), count: 13 }]);
    for (const did of holders) expect(res.text).not.toContain(did);
    expect(res.text).not.toContain("did:key");
  });

  for (const [label, viewport] of [
    ["phone", { width: 390, height: 844 }],
    ["desktop", { width: 1100, height: 900 }],
  ] as const) {
    it(`/register on a ${label}: tables with hidden counts in words, no axe-core violation`, async () => {
      const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
      try {
        await page.goto(`${server.url}/register`);
        await page.getByText("13 credentials recorded").waitFor();
        const issuerTable = page.locator("table", { has: page.locator("th", { hasText: "Issuer" }) });
        await expect(
          issuerTable.locator("tr", { hasText: "Kaduna Repair Academy" }).textContent(),
        ).resolves.toContain("6");
        await expect(
          issuerTable.locator("tr", { hasText: "Village Review Panel" }).textContent(),
        ).resolves.toContain("hidden");
        expect(await page.locator("caption").first().textContent()).toContain(
          "2 counts are hidden to protect privacy",
        );
        expect(await page.content()).not.toContain("did:key");
        // The page's CSP (script-src 'self') refuses an injected <script>; the helper evaluates axe over CDP.
        const violations = await axeViolations(page);
        expect(violations).toEqual([]);
        await screenshot(page, { path: `${artifacts}register-${label}.png`, fullPage: true });
      } finally {
        await page.close();
      }
    });
  }
});
