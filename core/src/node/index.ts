// @meritlog/core/node: the Node-only primitives (node:crypto): raw Ed25519 keys as KeyObjects,
// SHA-256 for hot paths, the at-rest SecretBox, the server's JWS signer and worker threads.
export {
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519RawPublicKey,
  ed25519Seed,
  nodeSha256,
  nodeSha256Hex,
  sdJwtSha256,
} from "./keys.js";
export { createSecretBox, type SecretBox } from "./secret-box.js";
export { Ed25519JwsSigner } from "./jws-signer.js";
export { startModuleWorker } from "./worker.js";
