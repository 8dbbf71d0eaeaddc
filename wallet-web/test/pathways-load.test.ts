// loadPathwayProgress (pathways.ts): one request per (service, issuer); a check that cannot reach a
// service keeps that issuer's pathways as last fetched, over the credentials as held now, and says
// so, so a learner with a weak connection does not see their progress vanish.
import { describe, expect, it } from "vitest";
import * as ed from "@noble/ed25519";
import { signJwt } from "../src/jwt.js";
import { didKeyFromPublicKey } from "../src/did-key.js";
import { loadPathwayProgress } from "../src/pathways.js";
import type { PathwayDoc } from "../src/pathway-progress.js";
import type { StoredCredential } from "../src/records.js";
import { WalletError } from "../src/errors.js";

const ORIGIN = "https://academy.example";

async function micro(name: string): Promise<{ rec: StoredCredential; issuer: string }> {
  const sk = ed.utils.randomSecretKey();
  const issuer = didKeyFromPublicKey(await ed.getPublicKeyAsync(sk));
  const id = `urn:uuid:${name}`;
  const jwt = await signJwt(
    { alg: "EdDSA", typ: "JWT", kid: `${issuer}#${issuer.slice(8)}` },
    {
      iss: issuer,
      jti: id,
      vc: {
        id,
        type: ["VerifiableCredential", "OpenBadgeCredential", "MicroCredential"],
        issuer: { id: issuer, name: "Kaduna Repair Academy" },
        validFrom: "2026-10-01T00:00:00Z",
        credentialSubject: { id: "did:key:z6MkLearner", achievement: { name } },
      },
    },
    (m) => ed.signAsync(m, sk),
  );
  const rec: StoredCredential = {
    id,
    jwt,
    source: ORIGIN,
    addedAt: "2026-10-01T00:00:00Z",
    status: { state: "active", checkedAt: "2026-10-01T00:00:00Z" },
    history: [],
  } as StoredCredential;
  return { rec, issuer };
}

const pathway = (issuer: string, step: string): PathwayDoc => ({
  id: "urn:uuid:p1",
  issuer,
  name: "Hand-pump maintenance",
  description: "Two units.",
  achievements: [{ name: step }, { name: "Repair guide documentation" }],
  ordered: false,
  publishedAt: "2026-09-01T00:00:00Z",
  state: "active",
});

describe("loading pathway progress", () => {
  it("keeps an unreachable issuer's pathways as last fetched, and says so; none fetched before → nothing shown", async () => {
    const { rec, issuer } = await micro("Hand-pump repair");
    const asked: string[] = [];
    let down = false;
    const api = (base: string) => ({
      pathways: async (did: string) => {
        asked.push(`${base} ${did}`);
        if (down) throw new TypeError("Failed to fetch");
        return [pathway(issuer, "Hand-pump repair")];
      },
    });
    const first = await loadPathwayProgress([rec], ORIGIN, api);
    expect(asked).toEqual([`${ORIGIN} ${issuer}`]);
    expect(first.problems).toEqual([]);
    expect(first.progress.map((p) => [p.pathway.id, p.done, p.total])).toEqual([["urn:uuid:p1", 1, 2]]);

    down = true;
    const again = await loadPathwayProgress([rec], ORIGIN, api, first.published);
    expect(again.progress.map((p) => [p.pathway.id, p.done, p.total])).toEqual([["urn:uuid:p1", 1, 2]]);
    expect(again.problems).toHaveLength(1);
    expect(again.problems[0]).toContain("shown as last fetched");
    expect(again.published).toEqual(first.published);

    const cold = await loadPathwayProgress([rec], ORIGIN, api);
    expect(cold.progress).toEqual([]);
    expect(cold.problems).toHaveLength(1);
    expect(cold.problems[0]).not.toContain("last fetched");
  });

  it("an issuer the service does not know (404) shows nothing and is no problem", async () => {
    const { rec } = await micro("Hand-pump repair");
    const api = () => ({
      pathways: async () => {
        throw new WalletError("claim.http", "/v1/pathways answered 404.");
      },
    });
    expect(await loadPathwayProgress([rec], ORIGIN, api)).toMatchObject({ progress: [], problems: [] });
  });
});
