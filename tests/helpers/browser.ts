import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

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
