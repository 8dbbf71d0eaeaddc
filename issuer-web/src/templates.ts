/** Starting points for an offer's claims, one per credential type (the docs/API.md examples, without subject). */
export const TEMPLATES: Record<string, Record<string, unknown>> = {
  MicroCredential: {
    type: "MicroCredential",
    achievement: {
      name: "Hand-Pump Repair Guide Writing",
      description: "Wrote a step-by-step repair guide for a village hand pump, reviewed by a peer.",
      criteria: { narrative: "Produced a guide that a second learner followed to complete a repair." },
    },
    scope: {
      covers: ["writing repair documentation for hand pumps"],
      excludes: ["regulated plumbing work", "product safety approval"],
    },
    reviewLevel: "peer",
    evidence: [
      {
        id: "https://example.org/mpu/42/guide.pdf",
        digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      },
    ],
  },
  Attribution: {
    type: "Attribution",
    contribution: {
      kind: "translation",
      role: "translator",
      description: "Translated the hand-pump repair guide into Hausa.",
    },
    object: {
      id: "urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
      name: "Hand-pump repair guide",
      digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    },
  },
  MPUAuthorship: {
    type: "MPUAuthorship",
    mpu: {
      id: "urn:uuid:7d0b6a52-3c1e-4f0a-9e55-1b2c3d4e5f60",
      title: "Rainfall log, Kaduna North, 2026 wet season",
      category: "Data",
      digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      license: "CC-BY-4.0",
      stage: "verification",
      verification: "peer-review",
      // The redeeming wallet's DID takes the place of "holder".
      authors: [{ id: "holder", role: "lead author" }],
    },
  },
};
