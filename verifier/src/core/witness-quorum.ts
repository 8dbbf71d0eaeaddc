// Witness quorum (C2SP tlog-cosignature, tlog-witness): a checkpoint counts as seen by the world
// only when enough independent witnesses cosigned it, or cosigned a later checkpoint proven
// consistent with it (RFC 9162 §2.1.4.2). A witness that cosigned a different tree for the same
// log (another root at the same size, or a tree inconsistent with this one) is evidence of a fork.
import { cosignatureCandidates, parseCosignerKey, type CosignerKey } from "@meritlog/ledger/verify";
import type { VerifyContext } from "./context.js";
import { NEVER } from "./cache.js";
import { toHex } from "@meritlog/core";

/** A checkpoint whose log signature already verified. */
export interface CheckpointView {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  text: string;
}

export type QuorumOutcome =
  | { state: "none" }
  | { state: "met"; cosigned: number; required: number; witnesses: string[] }
  | { state: "missing"; cosigned: number; required: number; witnesses: string[] }
  | { state: "conflict"; evidence: string };

const keyMemo = new Map<string, CosignerKey | undefined>();
function cosignerOf(vkey: string): CosignerKey | undefined {
  if (keyMemo.has(vkey)) return keyMemo.get(vkey);
  let k: CosignerKey | undefined;
  try {
    k = parseCosignerKey(vkey);
  } catch {
    k = undefined;
  }
  if (keyMemo.size >= 64) keyMemo.clear();
  keyMemo.set(vkey, k);
  return k;
}

/**
 * The trusted cosigners whose cosignature on `v` verifies, with the ctx's Ed25519 (node:crypto on
 * the server), cached per checkpoint text like the log signature. A cosigner with any failing
 * line does not count.
 */
async function validCosigners(
  v: CheckpointView,
  keys: readonly CosignerKey[],
  ctx: VerifyContext,
): Promise<{ key: CosignerKey; timestamp: number }[]> {
  const cacheKey = `cosignatures\n${keys.map((k) => k.verifierKey).join(",")}\n${v.text}`;
  const hit = ctx.cache?.checkpoints.get(cacheKey, 0) as
    { key: CosignerKey; timestamp: number }[] | undefined;
  if (hit !== undefined) return hit;
  let candidates;
  try {
    candidates = cosignatureCandidates(v.text, keys).candidates;
  } catch {
    return [];
  }
  const good: { key: CosignerKey; timestamp: number }[] = [];
  const bad = new Set<CosignerKey>();
  for (const c of candidates) {
    let ok: boolean;
    try {
      ok =
        c.signature !== undefined &&
        c.message !== undefined &&
        (await ctx.ed25519.verify(c.signature, c.message, c.key.publicKey));
    } catch {
      ok = false;
    }
    if (ok) good.push({ key: c.key, timestamp: Number(c.timestamp) });
    else bad.add(c.key);
  }
  const out = good.filter((g) => !bad.has(g.key));
  ctx.cache?.checkpoints.set(cacheKey, out, NEVER);
  return out;
}

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const when = (t: number | undefined): string =>
  t === undefined ? "" : ` at ${new Date(t * 1000).toISOString()}`;

/**
 * Applies `ctx.trust.witnesses` / `witnessQuorum` to the checkpoint `cp`, looking at the
 * cosignatures on `cp` itself and on the other verified checkpoints of the same log in `views`.
 * `consistent` proves two checkpoints consistent (true), inconsistent (false) or cannot tell.
 */
export async function checkWitnessQuorum(
  cp: CheckpointView,
  views: readonly CheckpointView[],
  ctx: VerifyContext,
  consistent: (a: CheckpointView, b: CheckpointView) => Promise<boolean | "unknown">,
): Promise<QuorumOutcome> {
  const vkeys = ctx.trust.witnesses ?? [];
  if (vkeys.length === 0) return { state: "none" };
  const required = Math.max(0, Math.min(ctx.trust.witnessQuorum ?? vkeys.length, vkeys.length));
  const keys = vkeys.map(cosignerOf).filter((k): k is CosignerKey => k !== undefined);
  const vouched = new Set<string>();
  const maxTimestamp = Math.floor(ctx.now.getTime() / 1000) + 300; // tolerate some clock skew
  for (const v of [cp, ...views.filter((x) => x.origin === cp.origin && x.text !== cp.text)]) {
    for (const { key, timestamp } of await validCosigners(v, keys, ctx)) {
      // "verifiers MAY reject cosignatures with timestamps in the future" (tlog-cosignature "Format").
      if (timestamp > maxTimestamp) continue;
      const o = { name: key.name, verifierKey: key.verifierKey, timestamp };
      if (v.size === cp.size) {
        if (!same(v.rootHash, cp.rootHash)) {
          return {
            state: "conflict",
            evidence: `witness ${o.name} cosigned size ${v.size} of "${cp.origin}" with root ${toHex(v.rootHash)}${when(o.timestamp)}, but this checkpoint of the same size has root ${toHex(cp.rootHash)}`,
          };
        }
        vouched.add(o.verifierKey);
        continue;
      }
      const c = await consistent(cp, v);
      if (c === false) {
        return {
          state: "conflict",
          evidence: `witness ${o.name} cosigned size ${v.size} of "${cp.origin}" (root ${toHex(v.rootHash)})${when(o.timestamp)}, which is not consistent with this checkpoint of size ${cp.size} (root ${toHex(cp.rootHash)})`,
        };
      }
      // A later cosigned tree proven to extend this one vouches for it; an earlier one does not.
      if (c === true && v.size > cp.size) vouched.add(o.verifierKey);
    }
  }
  const names = [...vouched].map((k) => k.slice(0, k.indexOf("+")));
  if (vouched.size < required)
    return { state: "missing", cosigned: vouched.size, required, witnesses: names };
  return { state: "met", cosigned: vouched.size, required, witnesses: names };
}
