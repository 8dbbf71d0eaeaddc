import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defineConfig, defaultClientConditions, type Plugin } from "vite";

/**
 * zod 4's classic schemas attach a JSON Schema converter to every schema (`toJSONSchema`, the
 * `~standard.jsonSchema` methods and one `processJSONSchema` per type), so it is never
 * tree-shaken, though the wallet never converts a schema (the server publishes the JSON Schemas,
 * schemas/src/json-schemas.ts). About 6 KB of the gzipped budget: the converter is replaced here by
 * functions that say so if ever called. `aggregateChecks` stays real: the `minLength`-style getters
 * of classic schemas read it.
 */
function walletWithoutJsonSchema(): Plugin {
  const zodCore = join(dirname(createRequire(import.meta.url).resolve("zod/package.json")), "v4", "core");
  const processors = join(zodCore, "json-schema-processors.js");
  const exported = (file: string): string[] =>
    [...readFileSync(file, "utf8").matchAll(/^export (?:const|function) (\w+)/gm)].map((m) => m[1]!);
  const unavailable = (names: string[]): string =>
    'const unavailable = () => { throw new Error("JSON Schema conversion is not part of the wallet"); };\n' +
    names.map((n) => `export const ${n} = unavailable;`).join("\n");
  const stubs: Record<string, string> = {
    "\0wallet:json-schema-processors":
      `export { aggregateChecks } from ${JSON.stringify(processors)};\n` +
      unavailable(exported(processors).filter((n) => n !== "aggregateChecks")),
    "\0wallet:to-json-schema": unavailable(exported(join(zodCore, "to-json-schema.js"))),
  };
  return {
    name: "wallet-without-json-schema",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer || !/zod[\\/]v4[\\/]classic[\\/]schemas\.js$/.test(importer)) return null;
      if (source === "../core/json-schema-processors.js") return "\0wallet:json-schema-processors";
      if (source === "../core/to-json-schema.js") return "\0wallet:to-json-schema";
      return null;
    },
    load: (id) => stubs[id] ?? null,
  };
}

// The wallet bundles the workspace packages from their TypeScript sources (the "@meritlog/source"
// export condition), so it needs no prior `tsc -b` and tree-shakes across packages.
export default defineConfig({
  root: import.meta.dirname,
  base: "/wallet/",
  plugins: [walletWithoutJsonSchema()],
  resolve: { conditions: ["@meritlog/source", ...defaultClientConditions] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
  },
});
