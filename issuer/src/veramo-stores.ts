import type {
  AbstractKeyStore,
  AbstractPrivateKeyStore,
  ImportablePrivateKey,
  ManagedPrivateKey,
} from "@veramo/key-manager";
import type { AbstractDIDStore } from "@veramo/did-manager";
import type { IIdentifier, IKey, ManagedKeyInfo } from "@veramo/core";
import { randomUUID } from "node:crypto";
import type { SecretBox } from "./secret-box.js";
import { jsonSublevel, type IssuerDb, type JsonLevel } from "./storage.js";

// Veramo's stores on LevelDB. Every write is synced: a key the agent reports as created must
// survive a crash, or a DID could be published whose private key is lost.
const SYNC = { sync: true } as never;

const notFound = (what: string): Error => new Error(`not_found: ${what}`);

async function getOrUndefined<V>(db: JsonLevel<V>, key: string): Promise<V | undefined> {
  // level 10 resolves `undefined` for a missing key.
  return (await db.get(key)) ?? undefined;
}

/** Key metadata (kid → IKey without private material), `AbstractKeyStore` on LevelDB. */
export class LevelKeyStore implements AbstractKeyStore {
  private readonly db: JsonLevel<IKey>;
  constructor(db: IssuerDb) {
    this.db = jsonSublevel<IKey>(db, "keys");
  }
  async importKey(args: Partial<IKey>): Promise<boolean> {
    if (!args.kid) throw new Error("invalid_argument: key without kid");
    // Metadata only: private material lives in LevelPrivateKeyStore, sealed.
    const { privateKeyHex: _drop, ...safe } = args;
    await this.db.put(args.kid, safe as IKey, SYNC);
    return true;
  }
  async getKey({ kid }: { kid: string }): Promise<IKey> {
    const k = await getOrUndefined(this.db, kid);
    if (!k) throw notFound(`Key not found kid=${kid}`);
    return k;
  }
  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    await this.db.del(kid, SYNC);
    return true;
  }
  async listKeys(_args: object): Promise<ManagedKeyInfo[]> {
    const out: ManagedKeyInfo[] = [];
    for await (const v of this.db.values()) out.push(v as ManagedKeyInfo);
    return out;
  }
}

type SealedPrivateKey = { alias: string; type: ManagedPrivateKey["type"]; sealed: string };

/**
 * Private keys for kms-local, `AbstractPrivateKeyStore` on LevelDB. The key material is sealed
 * with the SecretBox (AES-256-GCM) before it is written; only alias and type are in clear.
 */
export class LevelPrivateKeyStore implements AbstractPrivateKeyStore {
  private readonly db: JsonLevel<SealedPrivateKey>;
  constructor(
    db: IssuerDb,
    private readonly box: SecretBox,
  ) {
    this.db = jsonSublevel<SealedPrivateKey>(db, "private-keys");
  }
  private open(v: SealedPrivateKey): ManagedPrivateKey {
    const plain = this.box.open(Buffer.from(v.sealed, "base64"));
    return { alias: v.alias, type: v.type, privateKeyHex: Buffer.from(plain).toString("hex") };
  }
  async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    const alias = args.alias ?? randomUUID();
    const existing = await getOrUndefined(this.db, alias);
    if (existing && this.open(existing).privateKeyHex !== args.privateKeyHex) {
      throw new Error("key_already_exists: key exists with different data, please use a different alias");
    }
    const sealed = Buffer.from(this.box.seal(Buffer.from(args.privateKeyHex, "hex"))).toString("base64");
    await this.db.put(alias, { alias, type: args.type, sealed }, SYNC);
    return { alias, type: args.type, privateKeyHex: args.privateKeyHex };
  }
  async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    const v = await getOrUndefined(this.db, alias);
    if (!v) throw notFound(`PrivateKey not found for alias=${alias}`);
    return this.open(v);
  }
  async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    await this.db.del(alias, SYNC);
    return true;
  }
  async listKeys(_args: object): Promise<ManagedPrivateKey[]> {
    const out: ManagedPrivateKey[] = [];
    for await (const v of this.db.values()) out.push(this.open(v));
    return out;
  }
}

/** DIDs (did → IIdentifier), `AbstractDIDStore` on LevelDB. */
export class LevelDIDStore implements AbstractDIDStore {
  private readonly db: JsonLevel<IIdentifier>;
  constructor(db: IssuerDb) {
    this.db = jsonSublevel<IIdentifier>(db, "dids");
  }
  async importDID(args: IIdentifier): Promise<boolean> {
    // Never persist private material that a caller may have attached to the identifier's keys.
    const keys = args.keys.map(({ privateKeyHex: _drop, ...k }) => k);
    await this.db.put(args.did, { ...args, keys } as IIdentifier, SYNC);
    return true;
  }
  async getDID(args: { did: string } | { alias: string }): Promise<IIdentifier> {
    if ("did" in args && args.did) {
      const v = await getOrUndefined(this.db, args.did);
      if (!v) throw notFound(`IIdentifier not found with did=${args.did}`);
      return v;
    }
    if ("alias" in args && args.alias) {
      for await (const v of this.db.values()) if (v.alias === args.alias) return v;
      throw notFound(`IIdentifier not found with alias=${args.alias}`);
    }
    throw new Error("invalid_argument: Get requires did or alias");
  }
  async deleteDID({ did }: { did: string }): Promise<boolean> {
    await this.db.del(did, SYNC);
    return true;
  }
  async listDIDs(args: { alias?: string; provider?: string }): Promise<IIdentifier[]> {
    const out: IIdentifier[] = [];
    for await (const v of this.db.values()) {
      if (args.alias !== undefined && v.alias !== args.alias) continue;
      if (args.provider !== undefined && v.provider !== args.provider) continue;
      out.push(v);
    }
    return out;
  }
}
