import { defineConfig, defaultClientConditions } from "vite";

// The wallet bundles the workspace packages from their TypeScript sources (the "@meritlog/source"
// export condition), so it needs no prior `tsc -b` and tree-shakes across packages.
export default defineConfig({
  root: import.meta.dirname,
  base: "/wallet/",
  resolve: { conditions: ["@meritlog/source", ...defaultClientConditions] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
  },
});
