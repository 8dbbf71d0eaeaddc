// Ed25519 verification on the server with node:crypto (OpenSSL), about 10x noble's speed
// (bench/results/latest.md, "raw node:crypto Ed25519 verify"), with the KeyObject of each public key cached: building
// a KeyObject per call costs more than the verification itself.
import { verify, type KeyObject } from "node:crypto";
import { ed25519PublicKey } from "@meritlog/core/node";
import type { Ed25519Verify } from "./core/index.js";

export { nodeSha256, nodeSha256Hex } from "@meritlog/core/node";

/**
 * An Ed25519Verify backed by node:crypto with an LRU of up to `maxKeys` KeyObjects.
 * With `offload`, each verification runs on libuv's thread pool (crypto.verify's callback
 * form), so a server's event loop keeps parsing and answering requests meanwhile and a second
 * core is used; in a sequential loop it only adds the hand-over cost.
 */
export function createNodeEd25519(
  maxKeys = 10_000,
  o: { offload?: boolean } = {},
): Ed25519Verify & { readonly cachedKeys: number } {
  const keys = new Map<string, KeyObject>();
  const keyObject = (pk: Uint8Array): KeyObject => {
    const id = Buffer.from(pk.buffer, pk.byteOffset, pk.byteLength).toString("latin1");
    let k = keys.get(id);
    if (k) return k;
    k = ed25519PublicKey(pk);
    keys.set(id, k);
    if (keys.size > maxKeys) keys.delete(keys.keys().next().value!);
    return k;
  };
  return {
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean | Promise<boolean> {
      if (publicKey.length !== 32 || sig.length !== 64) return false;
      try {
        const key = keyObject(publicKey);
        if (!o.offload) return verify(null, msg, key, sig);
        return new Promise<boolean>((resolve) =>
          verify(null, msg, key, sig, (err, ok) => resolve(!err && ok)),
        );
      } catch {
        return false;
      }
    },
    get cachedKeys() {
      return keys.size;
    },
  };
}

/** The shared default instance. */
export const nodeEd25519 = createNodeEd25519();
