// Lint runs in `npm test` (typescript-eslint, syntax-level rules: fast on 2 cores).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const nodeBuiltins = {
  patterns: [{ group: ["node:*"], message: "Browser-safe code: no Node built-ins here." }],
  paths: ["fs", "path", "crypto", "os", "buffer", "zlib", "child_process", "level"].map((name) => ({
    name,
    message: "Browser-safe code: no Node built-ins here.",
  })),
};

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "data/**",
      "test-artifacts/**",
      "**/.vitest/**",
      ".cache/**",
      "bench/results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        URL: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        globalThis: "readonly",
        crypto: "readonly",
        fetch: "readonly",
        Buffer: "readonly",
        structuredClone: "readonly",
        document: "readonly",
        window: "readonly",
        indexedDB: "readonly",
        navigator: "readonly",
        location: "readonly",
        atob: "readonly",
        btoa: "readonly",
        performance: "readonly",
        queueMicrotask: "readonly",
        AbortController: "readonly",
        setImmediate: "readonly",
        Blob: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
        DecompressionStream: "readonly",
        CompressionStream: "readonly",
        localStorage: "readonly",
        history: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // The browser-safe entry points: ledger/verify, verifier/core, schemas, wallet, issuer console.
    files: [
      "ledger/src/verify/**",
      "verifier/src/core/**",
      "schemas/src/**",
      "wallet-web/src/**",
      "issuer-web/src/**",
    ],
    rules: { "no-restricted-imports": ["error", nodeBuiltins] },
  },
  {
    files: ["**/test/**", "tests/**", "bench/**"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    // CommonJS only where it must run before any ES module (server/bin/thread-pool.cjs, a preload).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
