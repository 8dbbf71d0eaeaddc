import type { IDIDManager, IKeyManager, IResolver, TAgent } from "@veramo/core";
import type { AbstractDIDStore } from "@veramo/did-manager";
import type { AbstractKeyStore, AbstractPrivateKeyStore } from "@veramo/key-manager";
import type { SecretBox } from "./secret-box.js";
import type { IssuerDb } from "./storage.js";
import { LevelDIDStore, LevelKeyStore, LevelPrivateKeyStore } from "./veramo-stores.js";

type VeramoAgent = TAgent<IKeyManager & IDIDManager & IResolver>;

/** What meritlog asks of the Veramo agent: DIDs and their keys (made on issuer creation and rotation). */
export type IssuerAgent = Pick<
  VeramoAgent,
  "didManagerCreate" | "didManagerGet" | "didManagerFind" | "keyManagerGet"
>;

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

/**
 * The issuer agent on any backend's {@link VeramoStores}. Veramo is loaded on the agent's first
 * use, not with the service: its key manager brings ethers, ~1 s of CPU at every start of a
 * server or CLI that may never create a DID (on the 2-core machine: `@veramo/key-manager` 0.75 s,
 * `@veramo/core` 0.24 s, of ~1.9 s for the whole server module).
 */
export function agentOn(stores: VeramoStores): IssuerAgent {
  let loading: Promise<VeramoAgent> | undefined;
  const agent = (): Promise<VeramoAgent> => (loading ??= loadAgent(stores));
  return {
    didManagerCreate: async (args) => (await agent()).didManagerCreate(args),
    didManagerGet: async (args) => (await agent()).didManagerGet(args),
    didManagerFind: async (args) => (await agent()).didManagerFind(args),
    keyManagerGet: async (args) => (await agent()).keyManagerGet(args),
  };
}

async function loadAgent(stores: VeramoStores): Promise<VeramoAgent> {
  const [
    { createAgent },
    { KeyManager },
    { KeyManagementSystem },
    { DIDManager },
    didKey,
    { DIDResolverPlugin },
  ] = await Promise.all([
    import("@veramo/core"),
    import("@veramo/key-manager"),
    import("@veramo/kms-local"),
    import("@veramo/did-manager"),
    import("@veramo/did-provider-key"),
    import("@veramo/did-resolver"),
  ]);
  return createAgent<IKeyManager & IDIDManager & IResolver>({
    plugins: [
      new KeyManager({ store: stores.keys, kms: { local: new KeyManagementSystem(stores.privateKeys) } }),
      new DIDManager({
        store: stores.dids,
        defaultProvider: "did:key",
        providers: { "did:key": new didKey.KeyDIDProvider({ defaultKms: "local" }) },
      }),
      new DIDResolverPlugin({ ...didKey.getDidKeyResolver() }),
    ],
  });
}

/** The agent's private-key store for `db`, used once per key to load it into a KeyObject. */
export function privateKeyStore(db: IssuerDb, box: SecretBox): LevelPrivateKeyStore {
  return new LevelPrivateKeyStore(db, box);
}
