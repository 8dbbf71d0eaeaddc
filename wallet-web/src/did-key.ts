// did:key for Ed25519 (W3C CCG did:key §3.1.2) comes from the verifier core, so the wallet and
// the verifier can never disagree on how a holder's DID is spelled.
export { didKeyFromPublicKey, publicKeyFromDidKey } from "@meritlog/verifier/core";

/** The verification method id of a did:key: `did:key:z…#z…`. */
export const didKeyVerificationMethod = (did: string): string => `${did}#${did.slice("did:key:".length)}`;
