import * as ed from "@noble/ed25519";
import { WalletError } from "./errors.js";
import {
  checkKdfParams,
  deriveKey,
  importAesKey,
  newKdfParams,
  open,
  seal,
  type KdfParams,
  type SealedBox,
} from "./crypto-box.js";
import { fromBase64, fromUtf8, randomBytes, toBase64, toHex, utf8 } from "./encoding.js";
import { didKeyFromPublicKey } from "./did-key.js";
import type { KvStore } from "./kv-store.js";
import type { LogView, ShareRecord, StoredCredential } from "./records.js";

/**
 * Layout in the store (every value except `meta.kdf` is AES-GCM ciphertext):
 * - `meta`: `{v:1, kdf, dek}`: `dek` is a random 256-bit data key sealed under the passphrase key;
 * - `identity`: the holder's Ed25519 secret key and DID, sealed under the data key;
 * - `cred:<random>`: one credential record each; `log:<random>`: one log view each.
 * Keys are random so that the store reveals neither credential ids nor log origins.
 */
const META = "meta";
const IDENTITY = "identity";
export const MIN_PASSPHRASE_LENGTH = 8;

interface Meta {
  v: 1;
  kdf: KdfParams;
  dek: SealedBox;
}

interface Identity {
  secretKey: string;
  did: string;
}

/** Whether a wallet has been created in this store. */
export async function hasWallet(store: KvStore): Promise<boolean> {
  return (await store.get(META)) !== undefined;
}

export interface CreateOptions {
  /** PBKDF2 iterations; 600,000 by default (lower only in tests). */
  iterations?: number;
  /** Import an existing key (restore from backup) instead of generating one. */
  secretKey?: Uint8Array;
}

/**
 * Creates the holder key, its did:key, and the encrypted store.
 * @throws WalletError wallet.exists, wallet.weak_passphrase
 */
export async function createWallet(
  store: KvStore,
  passphrase: string,
  o: CreateOptions = {},
): Promise<WalletSession> {
  if (await hasWallet(store))
    throw new WalletError("wallet.exists", "A wallet already exists in this browser.");
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new WalletError(
      "wallet.weak_passphrase",
      `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`,
    );
  }
  const secretKey = o.secretKey ?? ed.utils.randomSecretKey();
  const publicKey = await ed.getPublicKeyAsync(secretKey);
  const did = didKeyFromPublicKey(publicKey);
  const kdf = newKdfParams(o.iterations);
  const kek = await deriveKey(passphrase, kdf);
  const rawDek = randomBytes(32);
  const meta: Meta = { v: 1, kdf, dek: await seal(kek, rawDek, "meritlog-wallet/dek") };
  rawDek.fill(0);
  const dek = await unwrapDek(kek, meta.dek);
  const identity: Identity = { secretKey: toBase64(secretKey), did };
  await store.put(IDENTITY, await seal(dek, utf8(JSON.stringify(identity)), IDENTITY));
  await store.put(META, meta); // written last: a half-created wallet is not a wallet
  return new WalletSession(store, dek, secretKey, publicKey, did);
}

async function unwrapDek(kek: CryptoKey, box: SealedBox): Promise<CryptoKey> {
  const raw = await open(kek, box, "meritlog-wallet/dek", "wallet.wrong_passphrase");
  try {
    return await importAesKey(raw);
  } finally {
    raw.fill(0);
  }
}

/**
 * Opens the wallet with its passphrase.
 * @throws WalletError wallet.not_created, wallet.wrong_passphrase, wallet.corrupt
 */
export async function unlockWallet(store: KvStore, passphrase: string): Promise<WalletSession> {
  const meta = (await store.get(META)) as Meta | undefined;
  if (!meta) throw new WalletError("wallet.not_created", "There is no wallet in this browser yet.");
  if (meta.v !== 1) throw new WalletError("wallet.corrupt", "The stored wallet has an unknown format.");
  const kdf = checkKdfParams(meta.kdf, "wallet.corrupt");
  const dek = await unwrapDek(await deriveKey(passphrase, kdf), meta.dek);
  const sealed = (await store.get(IDENTITY)) as SealedBox | undefined;
  if (!sealed) throw new WalletError("wallet.corrupt", "The stored wallet has no key.");
  const identity = JSON.parse(fromUtf8(await open(dek, sealed, IDENTITY))) as Identity;
  const secretKey = fromBase64(identity.secretKey);
  const publicKey = await ed.getPublicKeyAsync(secretKey);
  if (didKeyFromPublicKey(publicKey) !== identity.did)
    throw new WalletError("wallet.corrupt", "The stored key does not match the stored DID.");
  return new WalletSession(store, dek, secretKey, publicKey, identity.did);
}

/** Deletes every record of the wallet (key, credentials, log views). */
export async function deleteEverything(store: KvStore): Promise<void> {
  await store.clear();
}

/** An unlocked wallet. {@link lock} drops the key material; after that every call throws wallet.locked. */
export class WalletSession {
  private locked = false;
  constructor(
    private readonly store: KvStore,
    private dek: CryptoKey | undefined,
    private secretKey: Uint8Array,
    readonly publicKey: Uint8Array,
    readonly did: string,
  ) {}

  get isLocked(): boolean {
    return this.locked;
  }

  private key(): CryptoKey {
    if (this.locked || !this.dek) throw new WalletError("wallet.locked", "The wallet is locked.");
    return this.dek;
  }

  /** Ed25519 signature by the holder key (RFC 8032); bound, so it can be handed out as a Signer. */
  readonly sign = async (message: Uint8Array): Promise<Uint8Array> => {
    this.key();
    return ed.signAsync(message, this.secretKey);
  };

  private async readAll<T>(prefix: string): Promise<{ slot: string; value: T }[]> {
    const key = this.key();
    const out: { slot: string; value: T }[] = [];
    for (const slot of await this.store.keys(prefix)) {
      const box = (await this.store.get(slot)) as SealedBox;
      out.push({ slot, value: JSON.parse(fromUtf8(await open(key, box, slot))) as T });
    }
    return out;
  }

  private async write(slot: string, value: unknown): Promise<void> {
    await this.store.put(slot, await seal(this.key(), utf8(JSON.stringify(value)), slot));
  }

  async credentials(): Promise<StoredCredential[]> {
    const all = await this.readAll<StoredCredential>("cred:");
    return all.map((r) => r.value).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  }

  /** Inserts or replaces the record with the same credential id. */
  async putCredential(rec: StoredCredential): Promise<void> {
    const existing = (await this.readAll<StoredCredential>("cred:")).find((r) => r.value.id === rec.id);
    await this.write(existing?.slot ?? `cred:${toHex(randomBytes(16))}`, rec);
  }

  async deleteCredential(id: string): Promise<void> {
    for (const r of await this.readAll<StoredCredential>("cred:"))
      if (r.value.id === id) await this.store.delete(r.slot);
  }

  /** The lasting share links this wallet made (`share:` slots), newest first. */
  async shares(): Promise<ShareRecord[]> {
    return (await this.readAll<ShareRecord>("share:"))
      .map((r) => r.value)
      .sort((a, b) => b.sharedAt.localeCompare(a.sharedAt));
  }

  async putShare(rec: ShareRecord): Promise<void> {
    const existing = (await this.readAll<ShareRecord>("share:")).find((r) => r.value.id === rec.id);
    await this.write(existing?.slot ?? `share:${toHex(randomBytes(16))}`, rec);
  }

  async logViews(): Promise<LogView[]> {
    return (await this.readAll<LogView>("log:")).map((r) => r.value);
  }

  async putLogView(view: LogView): Promise<void> {
    const existing = (await this.readAll<LogView>("log:")).find((r) => r.value.origin === view.origin);
    await this.write(existing?.slot ?? `log:${toHex(randomBytes(16))}`, view);
  }

  /** The secret material for an encrypted backup (backup.ts); never shown or sent anywhere. */
  exportSecretKey(): Uint8Array {
    this.key();
    return this.secretKey.slice();
  }

  /** Forgets the keys held in memory. */
  lock(): void {
    this.locked = true;
    this.dek = undefined;
    this.secretKey.fill(0);
    this.secretKey = new Uint8Array(0);
  }
}
