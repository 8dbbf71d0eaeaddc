// Query strings never reach a log line or a problem's `instance` (issue 9 defect 8), and static
// plugin refusals are 404s, not 500s (defect 7).
import { describe, expect, it } from "vitest";
import { redactUrl } from "../src/redact.js";
import { errorToProblem } from "../src/problem.js";
import { cspFor, isPublicCorsPath } from "../src/http-hardening.js";

describe("redactUrl", () => {
  it.each([
    ["/v1/credentials/x?access_token=mlt_secret", "/v1/credentials/x?[redacted]"],
    ["/v1/issuers", "/v1/issuers"],
    ["/oid4vci/offers/abc123", "/oid4vci/offers/[redacted]"],
    ["/oid4vci/offers/abc123?x=1", "/oid4vci/offers/[redacted]?[redacted]"],
    ["/?", "/?[redacted]"],
  ])("%s → %s", (url, want) => {
    expect(redactUrl(url)).toBe(want);
  });
});

describe("client errors raised by plugins", () => {
  it("a static path outside the root is 404 http.not_found", () => {
    expect(
      errorToProblem(
        Object.assign(new Error("Forbidden"), { code: "FST_STATIC_FORBIDDEN_PATH", statusCode: 403 }),
      ),
    ).toMatchObject({ status: 404, code: "http.not_found" });
  });
  it("any other 4xx keeps a 4xx status", () => {
    expect(
      errorToProblem(Object.assign(new Error("x"), { code: "SOME_PLUGIN", statusCode: 405 })).status,
    ).toBe(405);
    expect(errorToProblem(Object.assign(new Error("x"), { statusCode: 414 })).code).toBe("http.uri_too_long");
  });
});

describe("policies", () => {
  it("every path gets a CSP with frame-ancestors 'none'; pages get script-src 'self' without unsafe-inline or eval", () => {
    for (const p of ["/", "/v1/issuers", "/wallet/", "/verify/", "/issuer/", "/docs", "/log/checkpoint"])
      expect(cspFor(p)).toMatch(/frame-ancestors 'none'/);
    for (const p of ["/wallet/", "/verify/", "/issuer/"])
      expect(cspFor(p)).not.toMatch(/unsafe-(inline|eval)/);
    // The issuer console, the share and the register pages load their own scripts and stylesheets (API_CSP would block them).
    for (const p of [
      "/issuer/assets/index.js",
      "/s/AAAAAAAAAAAAAAAAAAAAAA",
      "/register/",
      "/register/register.js",
    ])
      expect(cspFor(p)).toMatch(/script-src 'self'/);
  });
  it("CORS only on the public read routes", () => {
    for (const p of [
      "/v1/verify",
      "/v1/challenges",
      "/log/checkpoint",
      "/v1/log/key",
      "/v1/status/x-revocation",
      "/v1/issuers",
      "/.well-known/openid-credential-issuer",
    ])
      expect(isPublicCorsPath(p)).toBe(true);
    for (const p of ["/v1/credentials", "/v1/offers", "/v1/issuers/abc/token", "/v1/verifyx", "/logs"])
      expect(isPublicCorsPath(p)).toBe(false);
  });
});
