// Test fixtures: the JSON files under testdata/schemas and a did:key generator (node:crypto),
// so tests never depend on the code under test to produce their inputs.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { base58btc } from "../../tests/helpers/did-key.js";

const dir = fileURLToPath(new URL("../../testdata/schemas/", import.meta.url));

export function testdata<T>(name: string): T {
  return JSON.parse(readFileSync(dir + name, "utf8")) as T;
}

/** A fresh Ed25519 did:key (multicodec 0xed01 + raw key, base58btc multibase; did:key spec §3.1). */
export function newDidKey(): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12);
  return `did:key:z${base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), raw]))}`;
}

export const SRI = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

/** The three request bodies of docs/API.md, exactly as written, with `holder` as the subject. */
export function apiExamples(holder: string) {
  const microCredential = (name = "Hand-Pump Repair Guide Writing") => ({
    type: "MicroCredential",
    subject: { id: holder },
    achievement: {
      name,
      description: "Wrote a step-by-step repair guide for a village hand pump, reviewed by a peer.",
      criteria: { narrative: "Produced a guide that a second learner followed to complete a repair." },
    },
    scope: {
      covers: ["writing repair documentation for hand pumps"],
      excludes: ["regulated plumbing work", "product safety approval"],
    },
    reviewLevel: "peer",
    evidence: [{ id: "https://example.org/mpu/42/guide.pdf", digestSRI: SRI }],
    validUntil: "2028-01-01T00:00:00Z",
  });
  const attribution = {
    type: "Attribution",
    subject: { id: holder },
    contribution: {
      kind: "translation",
      role: "translator",
      description: "Translated the hand-pump repair guide into Hausa.",
    },
    object: {
      id: "urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
      name: "Hand-pump repair guide",
      digestSRI: SRI,
    },
  };
  const mpuAuthorship = {
    type: "MPUAuthorship",
    subject: { id: holder },
    mpu: {
      id: "urn:uuid:7d0b6a52-3c1e-4f0a-9e55-1b2c3d4e5f60",
      title: "Rainfall log, Kaduna North, 2026 wet season",
      category: "Data",
      digestSRI: SRI,
      license: "CC-BY-4.0",
      stage: "verification",
      verification: "peer-review",
      authors: [{ id: holder, role: "lead author" }],
    },
  };
  return { microCredential, attribution, mpuAuthorship };
}
