import { createAgent, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from "@veramo/core";
import { KeyManager } from "@veramo/key-manager";
import { KeyManagementSystem } from "@veramo/kms-local";
import { DIDManager } from "@veramo/did-manager";
import { KeyDIDProvider, getDidKeyResolver } from "@veramo/did-provider-key";
import { DIDResolverPlugin } from "@veramo/did-resolver";
import type { SecretBox } from "./secret-box.js";
import type { IssuerDb } from "./storage.js";
import { LevelDIDStore, LevelKeyStore, LevelPrivateKeyStore } from "./veramo-stores.js";

export type IssuerAgent = TAgent<IKeyManager & IDIDManager & IResolver>;

/**
 * The Veramo agent that is the system of record for issuer keys and DIDs (did:key, Ed25519).
 * Its stores live in `db` (the `veramo` sublevel); private keys are sealed with `box`.
 * Signing does not go through the agent (≈1,700 JWT/s): see signing.ts.
 */
export function createIssuerAgent(db: IssuerDb, box: SecretBox): IssuerAgent {
  const privateKeys = new LevelPrivateKeyStore(db, box);
  return createAgent<IKeyManager & IDIDManager & IResolver>({
    plugins: [
      new KeyManager({ store: new LevelKeyStore(db), kms: { local: new KeyManagementSystem(privateKeys) } }),
      new DIDManager({
        store: new LevelDIDStore(db),
        defaultProvider: "did:key",
        providers: { "did:key": new KeyDIDProvider({ defaultKms: "local" }) },
      }),
      new DIDResolverPlugin({ ...getDidKeyResolver() }),
    ],
  });
}

/** The agent's private-key store for `db`, used once per key to load it into a KeyObject. */
export function privateKeyStore(db: IssuerDb, box: SecretBox): LevelPrivateKeyStore {
  return new LevelPrivateKeyStore(db, box);
}
