import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { TEST_BACKEND } from "./backend.js";

/**
 * Headless Debian chromium for the browser tests (`MERITLOG_CHROMIUM` names another binary),
 * without the background services (updates, sync, networking) that only slow a test run.
 */
export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: process.env.MERITLOG_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Builds a web app (`wallet-web`, `issuer-web`) when its dist is missing or older than its sources,
 * so a browser test run on its own sees the current code (`npm test` builds them first anyway).
 */
export function buildIfStale(workspace: "wallet-web" | "issuer-web"): void {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const built = join(root, workspace, "dist/index.html");
  const newest = Math.max(
    ...readdirSync(join(root, workspace, "src"), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => statSync(join(d.parentPath, d.name)).mtimeMs),
  );
  if (!existsSync(built) || statSync(built).mtimeMs < newest)
    execFileSync("npm", ["run", "build", "-w", `@meritlog/${workspace}`], { cwd: root, stdio: "ignore" });
}

/**
 * Saves a screenshot for review (`test-artifacts/`, `/tmp`) in the "leveldb" project only and
 * resolves whether it did. The "postgres" project renders the same pages to the same paths, so
 * its screenshots only overwrote the first ones, at 0.2–2 s of chromium CPU each (a full-page
 * PNG); every assertion and axe run before and after one still runs on both backends.
 */
export async function screenshot(
  target: Page | Locator,
  options: { path: string; fullPage?: boolean },
): Promise<boolean> {
  if (TEST_BACKEND === "postgres") return false;
  await target.screenshot(options);
  return true;
}
