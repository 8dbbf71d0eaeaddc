import { createAgent, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from "@veramo/core";
import { KeyManager, type AbstractKeyStore, type AbstractPrivateKeyStore } from "@veramo/key-manager";
import { KeyManagementSystem } from "@veramo/kms-local";
import { DIDManager, type AbstractDIDStore } from "@veramo/did-manager";
import { KeyDIDProvider, getDidKeyResolver } from "@veramo/did-provider-key";
import { DIDResolverPlugin } from "@veramo/did-resolver";
import type { SecretBox } from "./secret-box.js";
import type { IssuerDb } from "./storage.js";
import { LevelDIDStore, LevelKeyStore, LevelPrivateKeyStore } from "./veramo-stores.js";

export type IssuerAgent = TAgent<IKeyManager & IDIDManager & IResolver>;

/**
 * Veramo's three stores (key metadata, sealed private keys, DIDs) of one backend: LevelDB
 * ({@link levelVeramoStores}) or PostgreSQL (issuer-pg.ts). Private keys are sealed in both.
 */
export interface VeramoStores {
  keys: AbstractKeyStore;
  privateKeys: AbstractPrivateKeyStore;
  dids: AbstractDIDStore;
}

/** The Veramo stores on LevelDB (the `veramo` sublevel); private keys sealed with `box`. */
export function levelVeramoStores(db: IssuerDb, box: SecretBox): VeramoStores {
  return {
    keys: new LevelKeyStore(db),
    privateKeys: new LevelPrivateKeyStore(db, box),
    dids: new LevelDIDStore(db),
  };
}

/**
 * The Veramo agent that is the system of record for issuer keys and DIDs (did:key, Ed25519).
 * Its stores live in `db` (the `veramo` sublevel); private keys are sealed with `box`.
 * Signing does not go through the agent (≈1,700 JWT/s): see signing.ts.
 */
export function createIssuerAgent(db: IssuerDb, box: SecretBox): IssuerAgent {
  return agentOn(levelVeramoStores(db, box));
}

/** The issuer agent on any backend's {@link VeramoStores}. */
export function agentOn(stores: VeramoStores): IssuerAgent {
  return createAgent<IKeyManager & IDIDManager & IResolver>({
    plugins: [
      new KeyManager({ store: stores.keys, kms: { local: new KeyManagementSystem(stores.privateKeys) } }),
      new DIDManager({
        store: stores.dids,
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
