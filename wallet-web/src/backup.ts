import { WalletError } from "./errors.js";
import {
  checkKdfParams,
  deriveKey,
  newKdfParams,
  open,
  seal,
  type KdfParams,
  type SealedBox,
} from "./crypto-box.js";
import { fromBase64, fromUtf8, parseJson, toBase64, utf8 } from "./encoding.js";
import { createWallet, type WalletSession } from "./keystore.js";
import type { KvStore } from "./kv-store.js";
import type { LogView, ShareRecord, StoredCredential } from "./records.js";

const BACKUP_FORMAT = "meritlog-wallet-backup";

/** The backup file: only KDF parameters and ciphertext; nothing readable without the passphrase. */
export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  v: 1;
  createdAt: string;
  kdf: KdfParams;
  box: SealedBox;
}

interface BackupContent {
  did: string;
  secretKey: string;
  credentials: StoredCredential[];
  logs: LogView[];
  /**
   * The lasting links this wallet made: without them a restored wallet could not list or
   * withdraw its own shares (withdrawal needs the share id and server). Absent in older backups.
   */
  shares?: ShareRecord[];
}

const AAD = `${BACKUP_FORMAT}/v1`;

/** Builds the encrypted backup file text (JSON) of an unlocked wallet. */
export async function exportBackup(
  session: WalletSession,
  passphrase: string,
  o: { iterations?: number; now?: Date } = {},
): Promise<string> {
  const content: BackupContent = {
    did: session.did,
    secretKey: toBase64(session.exportSecretKey()),
    credentials: await session.credentials(),
    logs: await session.logViews(),
    shares: await session.shares(),
  };
  const kdf = newKdfParams(o.iterations);
  const key = await deriveKey(passphrase, kdf);
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    v: 1,
    createdAt: (o.now ?? new Date()).toISOString(),
    kdf,
    box: await seal(key, utf8(JSON.stringify(content)), AAD),
  };
  return JSON.stringify(file, null, 1);
}

/** Parses a backup file's outer layer. @throws WalletError backup.malformed, backup.unsupported */
export function parseBackup(text: string): BackupFile {
  const f = parseJson(text, "backup.malformed") as Partial<BackupFile> | null;
  if (!f || typeof f !== "object" || f.format !== BACKUP_FORMAT)
    throw new WalletError("backup.malformed", "This file is not a meritlog wallet backup.");
  if (f.v !== 1)
    throw new WalletError("backup.unsupported", "This backup was made by a newer wallet version.");
  checkKdfParams(f.kdf, "backup.malformed");
  if (!f.box || typeof f.box !== "object")
    throw new WalletError("backup.malformed", "The backup has no encrypted content.");
  return f as BackupFile;
}

/**
 * Restores a backup into an empty store, protected by the same passphrase.
 * @throws WalletError backup.malformed, backup.wrong_passphrase, wallet.exists
 */
export async function importBackup(
  store: KvStore,
  text: string,
  passphrase: string,
  o: { iterations?: number } = {},
): Promise<WalletSession> {
  const file = parseBackup(text);
  const key = await deriveKey(passphrase, file.kdf);
  const plain = await open(key, file.box, AAD, "backup.wrong_passphrase");
  const content = parseJson(fromUtf8(plain), "backup.malformed") as BackupContent;
  if (typeof content?.secretKey !== "string" || !Array.isArray(content.credentials)) {
    throw new WalletError("backup.malformed", "The backup content is incomplete.");
  }
  const session = await createWallet(store, passphrase, { ...o, secretKey: fromBase64(content.secretKey) });
  if (session.did !== content.did)
    throw new WalletError("backup.malformed", "The backup's key does not match its DID.");
  for (const c of content.credentials) await session.putCredential(c);
  for (const l of content.logs ?? []) await session.putLogView(l);
  for (const sh of Array.isArray(content.shares) ? content.shares : [])
    if (sh && typeof sh.id === "string" && typeof sh.baseUrl === "string") await session.putShare(sh);
  return session;
}
