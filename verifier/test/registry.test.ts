// The issuer registry with rotated keys: which DIDs count as registered, and which status list
// signers are accepted for a credential of an earlier DID (only the same entry's current DID).
import { describe, expect, it } from "vitest";
import type { TrustMaterial } from "../src/core/index.js";
import { listSignerAccepted, registryOf } from "../src/core/registry.js";

const A0 = "did:key:z6MkA0";
const A1 = "did:key:z6MkA1";
const A2 = "did:key:z6MkA2";
const B = "did:key:z6MkB";
const trust: TrustMaterial = {
  issuers: [
    { did: A2, name: "Academy", previousDids: [A0, A1], retiredAt: { [A0]: "2026-01-01T00:00:00Z" } },
    { did: B, name: "Guild" },
  ],
  logKeys: [],
};

describe("registry with previous DIDs", () => {
  it("maps current and previous DIDs to their entry", () => {
    const m = registryOf(trust);
    expect(m.get(A2)).toEqual({ name: "Academy", currentDid: A2 });
    expect(m.get(A0)).toEqual({
      name: "Academy",
      currentDid: A2,
      previous: { retiredAt: "2026-01-01T00:00:00Z" },
    });
    expect(m.get(A1)).toEqual({ name: "Academy", currentDid: A2, previous: {} });
    expect(m.get(B)).toEqual({ name: "Guild", currentDid: B });
    expect(m.get("did:key:z6MkNobody")).toBeUndefined();
  });

  it("accepts a list signed by the credential's own DID, or by the current DID of the same entry only", () => {
    expect(listSignerAccepted(trust, A0, A0)).toBe(true);
    expect(listSignerAccepted(trust, A0, A2)).toBe(true);
    expect(listSignerAccepted(trust, A1, A2)).toBe(true);
    // Not another earlier key, not another issuer, not backwards (a current DID's list signed by an old key).
    expect(listSignerAccepted(trust, A0, A1)).toBe(false);
    expect(listSignerAccepted(trust, A0, B)).toBe(false);
    expect(listSignerAccepted(trust, A2, A0)).toBe(false);
    expect(listSignerAccepted(trust, B, A2)).toBe(false);
    // Unregistered DIDs: only their own lists.
    expect(listSignerAccepted(trust, "did:key:z6MkX", A2)).toBe(false);
    expect(listSignerAccepted({ issuers: [{ did: A2, name: "Academy" }], logKeys: [] }, A0, A2)).toBe(false);
  });

  it("a DID that is current somewhere is never treated as previous", () => {
    const t: TrustMaterial = {
      issuers: [
        { did: A2, name: "Academy", previousDids: [B] },
        { did: B, name: "Guild" },
      ],
      logKeys: [],
    };
    expect(registryOf(t).get(B)).toEqual({ name: "Guild", currentDid: B });
    expect(listSignerAccepted(t, B, A2)).toBe(false);
  });
});
