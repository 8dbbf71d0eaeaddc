import { describe, expect, it } from "vitest";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import {
  appendNoteSignature,
  ed25519KeyId,
  formatCheckpoint,
  formatVerifierKey,
} from "@meritlog/ledger/verify";
import { reconcile, watchLog, type LogSource } from "../src/checkpoint-watch.js";

// A tiny RFC 9162 tree computed here with node:crypto, and checkpoints signed with node:crypto
// Ed25519, so the wallet's split-view logic is checked against an independent log.
const ORIGIN = "example.test/log";
const sha = (...parts: Uint8Array[]) =>
  new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
const leaf = (s: string) => sha(Uint8Array.of(0), Buffer.from(s));
const node = (l: Uint8Array, r: Uint8Array) => sha(Uint8Array.of(1), l, r);
const L = ["e0", "e1", "e2", "e3"].map(leaf) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const root2 = node(L[0], L[1]);
const root3 = node(root2, L[2]);
const root4 = node(root2, node(L[2], L[3]));

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const pk = new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(-32));
const VKEY = formatVerifierKey(ORIGIN, pk);
function checkpoint(size: number, root: Uint8Array, key = privateKey): string {
  const body = formatCheckpoint({ origin: ORIGIN, size, rootHash: root });
  return appendNoteSignature(
    body,
    ORIGIN,
    ed25519KeyId(ORIGIN, pk),
    new Uint8Array(sign(null, Buffer.from(body), key)),
  );
}

// RFC 9162 §2.1.4.1 proofs for this tree: 2→3 is [L2]; 2→4 is [node(L2,L3)]; 3→4 is [L2, L3, root2].
const PROOFS: Record<string, Uint8Array[]> = {
  "2-3": [L[2]],
  "2-4": [node(L[2], L[3])],
  "3-4": [L[2], L[3], root2],
};
function source(current: string, proofs = PROOFS): LogSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    checkpoint: async () => current,
    consistency: async (m, n) => {
      asked.push(`${m}-${n}`);
      const p = proofs[`${m}-${n}`];
      if (!p) throw new Error("no such proof");
      return p;
    },
  };
}
const opts = (src: LogSource) => ({
  origin: ORIGIN,
  baseUrl: "http://127.0.0.1:1",
  verifierKey: VKEY,
  source: src,
  now: new Date("2026-11-21T12:00:00Z"),
});

describe("split-view protection", () => {
  it("pins the first checkpoint, then accepts only proven extensions of it", async () => {
    const first = await watchLog(undefined, opts(source(checkpoint(2, root2))));
    expect(first).toMatchObject({ ok: true, change: "first", view: { size: 2 } });
    const src = source(checkpoint(4, root4));
    const grew = await watchLog(first.view, opts(src));
    expect(grew).toMatchObject({ ok: true, change: "grew", view: { size: 4 } });
    expect(src.asked).toEqual(["2-4"]);
    const same = await watchLog(grew.view, opts(source(checkpoint(4, root4))));
    expect(same).toMatchObject({ ok: true, change: "same" });
    // A stale (older) checkpoint that is consistent is not an attack.
    const older = await reconcile(grew.view, checkpoint(3, root3), opts(source("")));
    expect(older).toMatchObject({ ok: true, change: "older", view: { size: 4 } });
  });

  it("warns when a validly signed checkpoint of the same size has another root (a fork)", async () => {
    const seen = (await watchLog(undefined, opts(source(checkpoint(3, root3))))).view;
    const forkRoot = node(root2, leaf("evil"));
    const r = await watchLog(seen, opts(source(checkpoint(3, forkRoot))));
    expect(r.ok).toBe(false);
    expect(r).toMatchObject({ code: "log.inconsistent" });
    expect(r.view.warning?.message).toMatch(/two different histories/);
  });

  it("warns when a larger checkpoint does not extend the one seen", async () => {
    const seen = (await watchLog(undefined, opts(source(checkpoint(2, root2))))).view;
    const rewritten = node(node(leaf("x0"), L[1]), node(L[2], L[3]));
    const r = await watchLog(seen, opts(source(checkpoint(4, rewritten))));
    expect(r).toMatchObject({ ok: false, code: "log.inconsistent" });
    // A forged proof does not help either.
    const r2 = await watchLog(seen, opts(source(checkpoint(4, root4), { "2-4": [leaf("forged")] })));
    expect(r2).toMatchObject({ ok: false, code: "log.inconsistent" });
  });

  it("warns on a checkpoint not signed by the pinned key, and never throws on garbage", async () => {
    const seen = (await watchLog(undefined, opts(source(checkpoint(2, root2))))).view;
    const other = generateKeyPairSync("ed25519").privateKey;
    expect(await watchLog(seen, opts(source(checkpoint(4, root4, other))))).toMatchObject({
      ok: false,
      code: "log.bad_signature",
    });
    expect(await watchLog(seen, opts(source("not a checkpoint")))).toMatchObject({
      ok: false,
      code: "log.bad_signature",
    });
    const down: LogSource = {
      checkpoint: () => Promise.reject(new Error("offline")),
      consistency: () => Promise.reject(new Error("offline")),
    };
    const r = await watchLog(seen, opts(down));
    expect(r).toMatchObject({ ok: false, code: "log.unreachable" });
    expect(r.view.warning).toBeUndefined();
  });
});
