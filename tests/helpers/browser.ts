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
