// Batch integration on the right edge alone, including sizes beyond 2^32 where 32-bit
// arithmetic would silently break (no storage needed: the edge is synthetic).
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { batchInclusionProof, integrate, rootOfEdge } from "../src/integrate.js";
import {
  DEFAULT_TREE_HASHER,
  leafHash,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from "@meritlog/ledger/verify";

const popcount = (n: number): number => {
  let c = 0;
  for (; n > 0; n = Math.floor(n / 2)) c += n % 2;
  return c;
};

describe("integrate", () => {
  it.each([2 ** 30 + 5, 2 ** 31 - 400, 2 ** 31 - 3, 2 ** 32 + 12345, 2 ** 40 - 1, 2 ** 45 + 7])(
    "appends after size %i with proofs that verify",
    (s) => {
      const edge = {
        size: s,
        stack: Array.from({ length: popcount(s) }, () => new Uint8Array(randomBytes(32))),
      };
      const leaves = Array.from({ length: 300 }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`)));
      const it1 = integrate(edge, leaves);
      expect(it1.newSize).toBe(s + 300);
      expect(Buffer.from(rootOfEdge(it1.edge))).toEqual(Buffer.from(it1.root));
      for (let i = 0; i < 300; i += 7) {
        expect(
          verifyInclusion(
            DEFAULT_TREE_HASHER,
            leaves[i]!,
            s + i,
            s + 300,
            batchInclusionProof(it1, s + i),
            it1.root,
          ),
          `leaf ${s + i}`,
        ).toBe(true);
      }
      // The old tree is a prefix of the new one: the old root folds out of the same edge.
      const oldRoot = rootOfEdge(edge);
      expect(oldRoot.length).toBe(32);
      // Appending in two batches gives the same root as one.
      const a = integrate(edge, leaves.slice(0, 123));
      const b = integrate(a.edge, leaves.slice(123));
      expect(Buffer.from(b.root)).toEqual(Buffer.from(it1.root));
    },
  );

  it("matches the RFC 6962 tree of 8 leaves whatever the batching", () => {
    const inputs = [
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f",
    ].map((h) => leafHash(Buffer.from(h, "hex")));
    for (const cut of [0, 1, 3, 4, 7]) {
      const a = integrate({ size: 0, stack: [] }, inputs.slice(0, cut));
      const b = integrate(a.edge, inputs.slice(cut));
      expect(Buffer.from(b.root).toString("hex")).toBe(
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
      );
    }
    expect(nodeHash(inputs[0]!, inputs[1]!).length).toBe(32);
    // A proof from size 0 proves nothing, whatever the roots: refused (RFC 9162 §2.1.4.2; transparency-dev/merkle).
    expect(verifyConsistency(DEFAULT_TREE_HASHER, 0, 8, [], new Uint8Array(32), new Uint8Array(32))).toBe(
      false,
    );
  });
});
