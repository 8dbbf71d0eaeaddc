import type { AnchorLog, AppendResult, Receipt } from "../src/anchors.js";

/** In-test stand-in for the ledger until `@meritlog/ledger` lands: records entries, no proofs. */
export function fakeLog(origin = "test.example/log"): AnchorLog & { entries: string[] } {
  const entries: string[] = [];
  return {
    origin,
    entries,
    async append(entry: Uint8Array): Promise<AppendResult> {
      entries.push(new TextDecoder().decode(entry));
      await new Promise((r) => setImmediate(r));
      return { leafIndex: entries.length - 1, treeSize: entries.length, inclusionProof: [], checkpoint: `${origin}\n${entries.length}\n` };
    },
    receipt(entry: Uint8Array, r: AppendResult): Receipt {
      return { origin, leafIndex: r.leafIndex, entry: new TextDecoder().decode(entry), inclusionProof: r.inclusionProof.map((p) => Buffer.from(p).toString("base64")), checkpoint: r.checkpoint };
    },
  };
}
