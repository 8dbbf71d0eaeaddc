// The pages work under the Content-Security-Policy header the server sends (issue 9 "Defences"):
// the /verify page (and the wallet, when built) in headless chromium served by the real
// composition root, with no CSP violation and no console error, a credential verified end to end,
// and the page refusing to be framed (frame-ancestors 'none'). Screenshots go to test-artifacts/.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

const artifacts = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const walletBuilt = existsSync(fileURLToPath(new URL("../wallet-web/dist/index.html", import.meta.url)));

let server: RunningServer;
let browser: Browser;
let jwt: string;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  const issuer = (
    await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name: "CSP Academy" } })
  ).body as { token: string };
  jwt = (
    (
      await call(server.url, "POST", "/v1/credentials", {
        token: issuer.token,
        body: apiExamples(newHolder().did).microCredential(),
      })
    ).body as { jwt: string }
  ).jwt;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Collects CSP violations (the DOM event) and console errors on a page. */
async function watch(page: Page): Promise<{ violations: () => Promise<string[]>; errors: string[] }> {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    violations: async () => await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    errors,
  };
}

describe("pages under the CSP header", () => {
  it("/verify: verifies a credential with no CSP violation and no console error", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      const w = await watch(page);
      const res = await page.goto(`${server.url}/verify/`);
      expect(res?.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      await page.getByLabel("Credential or presentation").fill(jwt);
      await page.click("#verify-button");
      const verdict = page.locator(".verdict h2");
      await verdict.waitFor();
      expect(await verdict.textContent()).toMatch(/^Credential: Valid/);
      await screenshot(page, { path: `${artifacts}csp-verify.png`, fullPage: true });
      expect(await w.violations()).toEqual([]);
      expect(w.errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("/verify cannot be framed by another page", async () => {
    const page = await browser.newPage();
    try {
      // A page on another origin (about:blank with a srcdoc frame) tries to frame the verify page.
      await page.setContent(`<iframe id="f" src="${server.url}/verify/"></iframe>`);
      await page.waitForTimeout(1000);
      const framed = page.frames().find((f) => f.url().startsWith(`${server.url}/verify`));
      // chromium blocks the navigation: the frame never shows the page's form.
      const hasForm = framed
        ? await framed
            .locator("#verify-form")
            .count()
            .catch(() => 0)
        : 0;
      expect(hasForm).toBe(0);
    } finally {
      await page.close();
    }
  });

  // Pages served from server/public besides /verify: under the API policy (default-src 'none')
  // their scripts and stylesheets were blocked and they stayed on "Loading…"/"Checking…".
  for (const [path, done] of [
    ["/register/", "credentials are recorded so far"],
    ["/s/no-such-share", "No such share"],
  ] as const) {
    it(`${path} runs its script with no CSP violation`, async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      try {
        const w = await watch(page);
        const res = await page.goto(`${server.url}${path}`);
        expect(res?.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
        expect(res?.headers()["content-security-policy"]).not.toMatch(/unsafe-(inline|eval)/);
        await page.getByText(done).first().waitFor();
        expect(await w.violations(), w.errors.join("\n")).toEqual([]);
        expect(w.errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it.skipIf(!walletBuilt)("/wallet/ loads with no CSP violation", async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 860 } });
    try {
      const w = await watch(page);
      await page.goto(`${server.url}/wallet/`);
      await page.waitForLoadState("networkidle");
      await screenshot(page, { path: `${artifacts}csp-wallet.png`, fullPage: true });
      expect(await w.violations(), w.errors.join("\n")).toEqual([]);
      expect(w.errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
