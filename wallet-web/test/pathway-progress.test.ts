import { describe, expect, it } from "vitest";
import { pathwayProgress, type HeldCredential, type PathwayDoc } from "../src/pathway-progress.js";
import type { CredentialView } from "../src/credential-view.js";

const NOW = new Date("2026-11-30T12:00:00Z");

function held(
  title: string,
  status: HeldCredential["status"] = "active",
  o: {
    reviewLevel?: string;
    validFrom?: string;
    validUntil?: string;
    achievementId?: string;
    pathway?: string;
  } = {},
): HeldCredential {
  const view = {
    id: `urn:uuid:${title}`,
    title,
    kind: "MicroCredential",
    validFrom: o.validFrom ?? "2026-10-01T00:00:00Z",
    ...(o.validUntil ? { validUntil: o.validUntil } : {}),
    reviewLevel: o.reviewLevel ?? "peer",
    credential: {
      credentialSubject: {
        achievement: { name: title, ...(o.achievementId ? { id: o.achievementId } : {}) },
        ...(o.pathway ? { pathway: o.pathway } : {}),
      },
    },
  } as unknown as CredentialView;
  return { view, status };
}

const v1: PathwayDoc = {
  id: "urn:uuid:p1",
  issuer: "did:key:z6MkA",
  name: "Hand-pump maintenance",
  description: "Three units.",
  achievements: [
    { name: "Hand-pump safety literacy", minReviewLevel: "supervisor" },
    { name: "Hand-pump repair" },
    { name: "Repair guide documentation" },
  ],
  ordered: true,
  publishedAt: "2026-09-01T00:00:00Z",
  state: "active",
};

describe("pathway progress", () => {
  it("a three-step pathway: two credentials held → 2 of 3, the next step named", () => {
    const [p] = pathwayProgress(
      [v1],
      [held("Hand-pump safety literacy", "active", { reviewLevel: "panel" }), held("hand-pump REPAIR ")],
      NOW,
    );
    expect(p).toMatchObject({ done: 2, total: 3, next: "Repair guide documentation" });
    expect(p!.steps.map((s) => s.state)).toEqual(["done", "done", "left"]);
  });

  it("the third revoked → shown as revoked, not done; expired, suspended and low review are not done either", () => {
    const [p] = pathwayProgress(
      [v1],
      [
        held("Hand-pump safety literacy", "active", { reviewLevel: "peer" }),
        held("Hand-pump repair", "suspended"),
        held("Repair guide documentation", "revoked"),
      ],
      NOW,
    );
    expect(p!.steps.map((s) => s.state)).toEqual(["review-too-low", "suspended", "revoked"]);
    expect(p!.done).toBe(0);
    const [q] = pathwayProgress(
      [v1],
      [held("Hand-pump repair", "active", { validUntil: "2026-11-01T00:00:00Z" })],
      NOW,
    );
    expect(q!.steps[1]!.state).toBe("expired");
  });

  it("the best credential held for a step decides it (a renewal next to the revoked one)", () => {
    const [p] = pathwayProgress(
      [v1],
      [held("Hand-pump repair", "revoked"), held("Hand-pump repair", "active")],
      NOW,
    );
    expect(p!.steps[1]!.state).toBe("done");
  });

  it("a superseded pathway keeps the learner's old progress readable, and says a newer version exists", () => {
    const old: PathwayDoc = { ...v1, state: "superseded", supersededBy: "urn:uuid:p2" };
    const v2: PathwayDoc = {
      ...v1,
      id: "urn:uuid:p2",
      supersedes: "urn:uuid:p1",
      publishedAt: "2026-11-01T00:00:00Z",
      achievements: [{ name: "Hand-pump repair" }, { name: "Borehole hygiene" }],
    };
    const progress = pathwayProgress(
      [old, v2],
      [
        held("Hand-pump repair", "active", { validFrom: "2026-10-01T00:00:00Z" }),
        held("Borehole hygiene", "active", { validFrom: "2026-11-10T00:00:00Z" }),
      ],
      NOW,
    );
    expect(progress.map((p) => [p.pathway.id, p.done, p.total, p.newer?.id])).toEqual([
      ["urn:uuid:p1", 1, 3, "urn:uuid:p2"],
      ["urn:uuid:p2", 1, 2, undefined],
    ]);
    // A credential that names its pathway version goes to that version whatever its date.
    const named = pathwayProgress(
      [old, v2],
      [held("Hand-pump repair", "active", { validFrom: "2026-11-20T00:00:00Z", pathway: "urn:uuid:p1" })],
      NOW,
    );
    expect(named.map((p) => p.pathway.id)).toEqual(["urn:uuid:p1"]);
  });

  it("steps with an achievement id match by id only; unrelated credentials give no pathway", () => {
    const byId: PathwayDoc = {
      ...v1,
      achievements: [{ name: "Repair", id: "https://a.example/ach/repair" }],
    };
    expect(pathwayProgress([byId], [held("Repair")], NOW)).toEqual([]);
    expect(
      pathwayProgress(
        [byId],
        [held("Other name", "active", { achievementId: "https://a.example/ach/repair" })],
        NOW,
      )[0]!.done,
    ).toBe(1);
    expect(pathwayProgress([v1], [held("Welding")], NOW)).toEqual([]);
  });
});
