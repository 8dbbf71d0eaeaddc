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
import { launchChromium, screenshot } from "./helpers/browser.js";
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
// A second file with one record (an anchor), for a fragment that changes from one file to another.
const otherHex = createHash("sha256").update("station,wind_kmh\nZaria,14\n").digest("hex");

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
  const otherSri = `sha256-${Buffer.from(otherHex, "hex").toString("base64")}`;
  expect(
    (await call(server.url, "POST", "/v1/anchors", { token: academy, body: { digest: otherSri } })).status,
  ).toBe(201);
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

interface Snapshot {
  status: string;
  fingerprint: string;
  records: number;
}

/**
 * Records what the result shows after every change to the page (status line, fingerprint, number
 * of records listed) and how many record items were ever added to the list, so a test can tell a
 * list drawn once from one drawn twice or drawn under another input's fingerprint.
 */
async function watchDraws(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __snapshots: Snapshot[]; __added: number };
    w.__snapshots = [];
    w.__added = 0;
    new MutationObserver((mutations) => {
      for (const m of mutations)
        for (const n of m.addedNodes) if (n instanceof Element && n.matches("li.record")) w.__added++;
      const fp = document.getElementById("fingerprint");
      w.__snapshots.push({
        status: document.getElementById("status")?.textContent ?? "",
        fingerprint: fp && !fp.hidden ? (fp.textContent ?? "") : "",
        records: document.querySelectorAll("#records li.record").length,
      });
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  return async () =>
    await page.evaluate(() => {
      const w = window as unknown as { __snapshots: Snapshot[]; __added: number };
      return { snapshots: w.__snapshots, added: w.__added };
    });
}

/** Every state the page showed: a status line that counts N records has N records under it. */
function expectCountsMatch(snapshots: Snapshot[]): void {
  for (const s of snapshots) {
    const m = /^(\d+) records? about this file/.exec(s.status);
    if (m) expect(s.records, `"${s.status}" over ${s.records} records`).toBe(Number(m[1]));
  }
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
        await screenshot(page, { path: `${artifacts}provenance-${label}.png`, fullPage: true });
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

  for (const [label, viewport] of [
    ["phone", { width: 390, height: 844 }],
    ["desktop", { width: 1280, height: 800 }],
  ] as const) {
    it(`on a ${label}: opened by a fragment the list is drawn once; a new fragment replaces it`, async () => {
      const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
      try {
        const draws = await watchDraws(page);
        await page.goto(`${server.url}/provenance/#${fileHex}`);
        await page.getByText("4 records about this file, and 2 conflicts between them.").waitFor();
        await page.waitForFunction(() => document.querySelectorAll("dd.check-ok").length === 4);
        let seen = await draws();
        expectCountsMatch(seen.snapshots);
        expect(seen.added).toBe(4);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, { path: `${artifacts}provenance-fragment-${label}.png`, fullPage: true });

        // Another file's fingerprint in the fragment (an edited address, a link on the page).
        const before = seen.snapshots.length;
        await page.evaluate((hex) => {
          location.hash = hex;
        }, otherHex);
        await page.getByText("1 record about this file.").waitFor();
        await page.waitForFunction(() => document.querySelectorAll("dd.check-ok").length === 1);
        await expect(page.locator("#fingerprint").textContent()).resolves.toContain(otherHex);
        expect(await page.locator("li.record h3").allTextContents()).toEqual(["Anchored fingerprint"]);
        expect(await page.locator("#conflicts").isHidden()).toBe(true);
        expect(await page.locator("#digest").inputValue()).toBe(otherHex);
        seen = await draws();
        expectCountsMatch(seen.snapshots);
        // Under the new fingerprint the first file's four records never showed.
        for (const s of seen.snapshots.slice(before))
          if (s.fingerprint.includes(otherHex)) expect(s.records).toBeLessThanOrEqual(1);
        expect(seen.added).toBe(5);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, {
          path: `${artifacts}provenance-fragment-changed-${label}.png`,
          fullPage: true,
        });

        // Back to the first fragment: its records again, drawn once more.
        await page.goBack();
        await page.getByText("4 records about this file, and 2 conflicts between them.").waitFor();
        seen = await draws();
        expectCountsMatch(seen.snapshots);
        expect(seen.added).toBe(9);
        expect(await page.locator("li.record").count()).toBe(4);

        // A fragment that is not a fingerprint is explained, and nothing stays listed.
        await page.evaluate(() => {
          location.hash = "not-a-digest";
        });
        await page.getByText("That is not a SHA-256 fingerprint").waitFor();
        expect(await page.locator("li.record").count()).toBe(0);
        expect(await page.locator("#conflicts").isHidden()).toBe(true);
        expect(await page.locator("#fingerprint").isHidden()).toBe(true);
      } finally {
        await page.close();
      }
    });
  }

  it("a fragment changed while the first lookup is still unanswered shows only the new file", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      const draws = await watchDraws(page);
      // Hold the first lookup's answer until the second input has been drawn, then let it in.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let arrived!: () => void;
      const firstArrived = new Promise<void>((r) => (arrived = r));
      let n = 0;
      await page.route(/\/v1\/provenance\?/, async (route) => {
        if (++n === 1) {
          arrived();
          await held;
        }
        await route.continue();
      });
      await page.goto(`${server.url}/provenance/#${fileHex}`);
      await firstArrived;
      await page.evaluate((hex) => {
        location.hash = hex;
      }, otherHex);
      await page.getByText("1 record about this file.").waitFor({ timeout: 15_000 });
      const late = page.waitForResponse((r) => r.url().includes(fileHex));
      release();
      await (await late).finished();
      // Let the page run what the late answer queued before looking again.
      await page.evaluate(async () => await new Promise((r) => setTimeout(r, 0)));
      // Every receipt listed is checked (whatever the list holds), then the list is looked at.
      await page.waitForFunction(
        () =>
          document.querySelectorAll("#records dd[class^=check-]").length ===
          document.querySelectorAll("#records li.record").length,
      );
      await expect(page.locator("#status").textContent()).resolves.toBe("1 record about this file.");
      await expect(page.locator("#fingerprint").textContent()).resolves.toContain(otherHex);
      expect(await page.locator("li.record h3").allTextContents()).toEqual(["Anchored fingerprint"]);
      const seen = await draws();
      expectCountsMatch(seen.snapshots);
      expect(seen.added).toBe(1);
      expect(seen.snapshots.some((s) => s.records > 1)).toBe(false);
    } finally {
      await page.close();
    }
  });

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
      await screenshot(page, { path: `${artifacts}provenance-digest-phone.png`, fullPage: true });
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
