import { describe, expect, it } from "vitest";
import { generateToken, isIssuerTokenShaped } from "../src/tokens.js";

describe("issuer tokens", () => {
  it("only tokens of the issued shape are worth a registry re-read on another node", () => {
    for (let i = 0; i < 50; i++) expect(isIssuerTokenShaped(generateToken())).toBe(true);
    const t = generateToken();
    for (const bad of [t.slice(0, -1), `${t}A`, t.replace("mlt_", "mlx_"), `${t.slice(0, -1)}=`, "mlt_", ""])
      expect(isIssuerTokenShaped(bad), bad).toBe(false);
  });
});
