// did:key for Ed25519 (W3C CCG did:key §3.1.2) comes from @meritlog/core through the verifier
// core, so the wallet and the verifier can never disagree on how a holder's DID is spelled.
export { didKeyFromPublicKey, publicKeyFromDidKey } from "@meritlog/verifier/core";
export { didKeyVerificationMethod } from "@meritlog/core";
