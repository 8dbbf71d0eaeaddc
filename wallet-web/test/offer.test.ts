import { describe, expect, it } from "vitest";
import { parseCredentialOffer, parseOfferInput, PRE_AUTHORIZED_GRANT } from "../src/offer.js";

const offer = {
  credential_issuer: "https://issuer.example",
  credential_configuration_ids: ["MicroCredential"],
  grants: { [PRE_AUTHORIZED_GRANT]: { "pre-authorized_code": "abc123" } },
};
const uri = "https://issuer.example/oid4vci/offers/o1";

describe("offer parsing", () => {
  it("reads openid-credential-offer:// by reference (OpenID4VCI 1.0 §4.1.3)", () => {
    expect(
      parseOfferInput(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(uri)}`),
    ).toEqual({ kind: "reference", uri });
  });

  it("reads openid-credential-offer:// by value (§4.1.2)", () => {
    const r = parseOfferInput(
      `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
    );
    expect(r).toEqual({
      kind: "value",
      offer: {
        credentialIssuer: "https://issuer.example",
        configurationIds: ["MicroCredential"],
        preAuthorizedCode: "abc123",
      },
    });
  });

  it("reads a wallet link whose fragment holds the offer URI", () => {
    const inner = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(uri)}`;
    expect(parseOfferInput(`https://w.example/wallet/#offer=${encodeURIComponent(inner)}`)).toEqual({
      kind: "reference",
      uri,
    });
    expect(parseOfferInput(`  https://w.example/wallet/#offer=${encodeURIComponent(uri)}\n`)).toEqual({
      kind: "reference",
      uri,
    });
  });

  it("reads a bare offer URL and pasted offer JSON", () => {
    expect(parseOfferInput(uri)).toEqual({ kind: "reference", uri });
    expect(parseOfferInput(JSON.stringify(offer))).toMatchObject({
      kind: "value",
      offer: { preAuthorizedCode: "abc123" },
    });
  });

  it("allows http only on loopback or the wallet's own origin", () => {
    expect(parseOfferInput("http://127.0.0.1:8080/oid4vci/offers/x")).toMatchObject({ kind: "reference" });
    expect(() => parseOfferInput("http://evil.example/oid4vci/offers/x")).toThrow(
      expect.objectContaining({ code: "offer.malformed" }),
    );
    expect(parseOfferInput("http://wallet.lan:8080/o/x", "http://wallet.lan:8080")).toMatchObject({
      kind: "reference",
    });
  });

  it("refuses malformed input with coded errors, never SyntaxError", () => {
    for (const bad of [
      "",
      "hello",
      "{not json",
      "openid-credential-offer://?foo=1",
      "https://w.example/wallet/#offer=%E0%A4%A",
      `openid-credential-offer://?credential_offer=${encodeURIComponent("{")}`,
    ]) {
      expect(() => parseOfferInput(bad), bad).toThrow(expect.objectContaining({ code: "offer.malformed" }));
    }
  });

  it("validates the offer object", () => {
    expect(() => parseCredentialOffer({ ...offer, credential_issuer: 5 })).toThrow(
      expect.objectContaining({ code: "offer.malformed" }),
    );
    expect(() => parseCredentialOffer({ ...offer, credential_configuration_ids: [] })).toThrow(
      expect.objectContaining({ code: "offer.malformed" }),
    );
    expect(() => parseCredentialOffer({ ...offer, grants: { authorization_code: {} } })).toThrow(
      expect.objectContaining({ code: "offer.unsupported" }),
    );
    expect(() => parseCredentialOffer([])).toThrow(expect.objectContaining({ code: "offer.malformed" }));
    const withTx = parseCredentialOffer({
      ...offer,
      grants: { [PRE_AUTHORIZED_GRANT]: { "pre-authorized_code": "c", tx_code: { length: 4 } } },
    });
    expect(withTx.txCode).toEqual({ length: 4 });
  });
});
