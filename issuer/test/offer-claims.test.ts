// The offer store's single-use claims (issue 9 defect 1): claimToken hands an access token to
// exactly one of any number of concurrent callers, through the backend's own claimOnce when it has
// one (a SQL store: one conditional UPDATE), else in-process plus a durable marker; a claim whose
// issuance failed is released, a spent token stays spent.
import { describe, expect, it } from "vitest";
import { createOfferStore, MemoryOfferDb } from "../src/offers.js";
import { apiOfferExamples } from "../../tests/helpers/api-examples.js";

async function tokenFor(store: Awaited<ReturnType<typeof createOfferStore>>): Promise<string> {
  const offer = await store.create(
    "issuer-1",
    apiOfferExamples().microCredential as Record<string, unknown> & { type: string },
  );
  const r = await store.redeem(offer.preAuthorizedCode);
  if ("error" in r) throw new Error(r.error);
  return r.grant.accessToken;
}

describe("claimToken", () => {
  it("one winner among 16 concurrent claims; after finish(true) the token is gone", async () => {
    const store = await createOfferStore();
    const token = await tokenFor(store);
    const claims = await Promise.all(Array.from({ length: 16 }, () => store.claimToken(token)));
    const won = claims.filter((c) => !("error" in c));
    expect(won).toHaveLength(1);
    const w = won[0]!;
    if ("error" in w) throw new Error("unreachable");
    await w.finish(true);
    expect(await store.claimToken(token)).toEqual({ error: "unknown" });
  });

  it("a claim whose issuance failed is released: the wallet may retry once more", async () => {
    const store = await createOfferStore();
    const token = await tokenFor(store);
    const first = await store.claimToken(token);
    if ("error" in first) throw new Error(first.error);
    expect(await store.claimToken(token)).toEqual({ error: "busy" });
    await first.finish(false);
    const again = await store.claimToken(token);
    expect("error" in again).toBe(false);
  });

  it("uses the backend's claimOnce when it has one", async () => {
    const db = new MemoryOfferDb();
    const claimed = new Set<string>();
    let calls = 0;
    const backend = Object.assign(db, {
      // What a SQL backend does: UPDATE … SET claimed_at = now() WHERE key = $1 AND claimed_at IS NULL.
      async claimOnce(key: string) {
        calls++;
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        if (claimed.has(key)) return false;
        claimed.add(key);
        return true;
      },
      async unclaim(key: string) {
        claimed.delete(key);
      },
    });
    const store = await createOfferStore(backend);
    const token = await tokenFor(store);
    const claims = await Promise.all(Array.from({ length: 8 }, () => store.claimToken(token)));
    expect(claims.filter((c) => !("error" in c))).toHaveLength(1);
    expect(calls).toBe(8);
  });
});
