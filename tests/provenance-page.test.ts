// The /provenance page in headless chromium (issue 14; docs/API.md "Provenance"): a file chosen in
// the page is hashed there and never uploaded; every claim about it is listed with its receipt
// checked in the browser, conflicts named; a file never recorded says so; axe-core finds no
// violation on a phone or a desktop, under the page's own CSP. The page's receipt checker also
// runs the ledger's known-answer vectors (testdata/ledger/{inclusion,receipts}.json) in the browser.
// Screenshots go to test-artifacts/.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";
import { launchChromium } from "./helpers/browser.js";
import { axeViolations } from "./helpers/axe.js";

const artifacts = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const testdata = (name: string) =>
  JSON.parse(readFileSync(new URL(`../testdata/ledger/${name}`, import.meta.url), "utf8")) as {
    verifierKey?: string;
    cases: Record<string, unknown>[];
  };

const fileBytes = Buffer.from("date,rainfall_mm\n2026-07-01,12.5\n2026-07-02,0\n2026-07-03,31.2\n");
const fileHex = createHash("sha256").update(fileBytes).digest("hex");
const fileSri = `sha256-${createHash("sha256").update(fileBytes).digest("base64")}`;

let server: RunningServer;
let browser: Browser;

async function issuer(name: string): Promise<string> {
  const res = await call(server.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name } });
  return (res.body as { token: string }).token;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  const academy = await issuer("Kaduna Repair Academy");
  const panel = await issuer("Kaduna North Review Panel");
  expect(
    (await call(server.url, "POST", "/v1/anchors", { token: academy, body: { digest: fileSri } })).status,
  ).toBe(201);
  const mpu = apiExamples(newHolder().did).mpuAuthorship;
  (mpu.mpu as Record<string, unknown>).digestSRI = fileSri;
  expect((await call(server.url, "POST", "/v1/credentials", { token: academy, body: mpu })).status).toBe(201);
  const att = apiExamples(newHolder().did).attribution;
  (att.object as Record<string, unknown>).digestSRI = fileSri;
  expect((await call(server.url, "POST", "/v1/credentials", { token: academy, body: att })).status).toBe(201);
  const rival = apiExamples(newHolder().did).mpuAuthorship;
  (rival.mpu as Record<string, unknown>).digestSRI = fileSri;
  expect((await call(server.url, "POST", "/v1/credentials", { token: panel, body: rival })).status).toBe(201);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Records every request the page makes and every CSP violation and page error. */
async function watch(page: Page) {
  const requests: { method: string; url: string; body: string | null }[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() }));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    requests,
    errors,
    violations: async () => await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

describe("/provenance page", () => {
  for (const [label, viewport] of [
    ["phone", { width: 390, height: 844 }],
    ["desktop", { width: 1280, height: 800 }],
  ] as const) {
    it(`on a ${label}: a chosen file is hashed in the browser, its claims listed and verified, conflicts named`, async () => {
      const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
      try {
        const w = await watch(page);
        const res = await page.goto(`${server.url}/provenance`);
        expect(res?.headers()["content-security-policy"]).toMatch(/form-action 'none'/);
        expect(await axeViolations(page)).toEqual([]);
        await page.setInputFiles("#file", { name: "rainfall.csv", mimeType: "text/csv", buffer: fileBytes });
        await page.getByText("4 records about this file, and 2 conflicts between them.").waitFor();
        await expect(page.locator("#fingerprint").textContent()).resolves.toContain(fileHex);
        const records = page.locator("li.record");
        expect(await records.count()).toBe(4);
        expect(await records.locator("h3").allTextContents()).toEqual([
          "Anchored fingerprint",
          "MPU authorship",
          "Contribution attribution",
          "MPU authorship",
        ]);
        await page.waitForFunction(() => document.querySelectorAll("dd.check-ok").length === 4);
        expect(await page.locator("dd.check-ok").first().textContent()).toMatch(
          /^Verified\. Checked here: entry \d+ is in the log's signed tree of \d+\.$/,
        );
        const conflicts = await page.locator("#conflicts li").allTextContents();
        expect(conflicts).toHaveLength(2);
        expect(conflicts[0]).toContain("each name a different person as the sole author of this file");
        expect(conflicts[1]).toContain("after Kaduna Repair Academy had already anchored this file");
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: `${artifacts}provenance-${label}.png`, fullPage: true });
        // The file never left the browser: only GETs, no request body, no file bytes in any URL.
        expect(w.requests.filter((r) => r.method !== "GET")).toEqual([]);
        expect(w.requests.some((r) => r.body !== null)).toBe(false);
        expect(w.requests.some((r) => r.url.includes("rainfall_mm"))).toBe(false);
        expect(await w.violations()).toEqual([]);
        expect(w.errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it("a pasted digest never recorded says so; a malformed one is explained", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${server.url}/provenance/`);
      await page.getByLabel(/SHA-256 as 64 hexadecimal characters/).fill("ab".repeat(32));
      await page.getByRole("button", { name: "Look up" }).click();
      await page.getByText("Nothing is recorded about this file").waitFor();
      await page.getByLabel(/SHA-256 as 64 hexadecimal characters/).fill("not a digest");
      await page.getByRole("button", { name: "Look up" }).click();
      await page.getByText("That is not a SHA-256 fingerprint").waitFor();
      // The SRI form of the recorded file finds its records.
      await page.getByLabel(/SHA-256 as 64 hexadecimal characters/).fill(fileSri);
      await page.getByRole("button", { name: "Look up" }).click();
      await page.getByText("4 records about this file").waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${artifacts}provenance-digest-phone.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });

  it("the page's receipt checker passes the ledger's known-answer vectors and refuses every corrupted one", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/provenance/`);
      const inclusion = testdata("inclusion.json");
      const receipts = testdata("receipts.json");
      // A string, not a function: vitest would rewrite a dynamic import() inside a function body.
      const out = (await page.evaluate(`(async () => {
        const m = await import("/provenance/receipt-check.js");
        const inclusion = ${JSON.stringify(inclusion)};
        const receipts = ${JSON.stringify(receipts)};
        const inc = [];
        for (const c of inclusion.cases) {
          const ok = await m.verifyInclusion(c.leafIndex, c.treeSize, m.fromHex(c.leafHash),
            c.proof.map((p) => m.fromHex(p)), m.fromHex(c.root));
          inc.push({ desc: c.desc, ok, wantErr: c.wantErr });
        }
        const rec = [];
        for (const c of receipts.cases) {
          const r = await m.checkReceipt(c.receipt, c.verifierKey ?? receipts.verifierKey);
          rec.push({ desc: c.desc, ok: r.ok, code: r.code, wantErr: c.wantErr });
        }
        return { inc, rec };
      })()`)) as {
        inc: { desc: string; ok: boolean; wantErr: boolean }[];
        rec: { desc: string; ok: boolean | string; code: string; wantErr: boolean }[];
      };
      expect(out.inc.length).toBeGreaterThan(10);
      for (const c of out.inc) expect(c.ok, c.desc).toBe(!c.wantErr);
      expect(out.rec.length).toBe(receipts.cases.length);
      for (const c of out.rec) expect(c.ok, `${c.desc}: ${c.code}`).toBe(!c.wantErr);
    } finally {
      await page.close();
    }
  });
});
