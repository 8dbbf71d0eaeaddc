import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * A worker thread running the module at `moduleUrl`, given as the compiled `.js` URL next to the
 * caller (`new URL("./x-worker.js", import.meta.url)`). When the caller itself runs from the
 * TypeScript sources (tests, `tsx`), the `.ts` file is loaded instead, through tsx's loader
 * registered inside the worker (a worker does not inherit the parent's module hooks).
 */
export function startModuleWorker(moduleUrl: URL, callerUrl: string): Worker {
  if (!callerUrl.endsWith(".ts")) return new Worker(moduleUrl);
  // The ESM entry of tsx's API (its CJS twin cannot register from an eval'd worker).
  const tsxApi = pathToFileURL(
    join(dirname(createRequire(callerUrl).resolve("tsx/package.json")), "dist/esm/api/index.mjs"),
  ).href;
  const target = moduleUrl.href.replace(/\.js$/, ".ts");
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, {
    eval: true,
    execArgv: [
      ...new Set([
        ...process.execArgv.filter((a) => !a.startsWith("--import")),
        "--conditions=@meritlog/source",
      ]),
    ],
  });
}
