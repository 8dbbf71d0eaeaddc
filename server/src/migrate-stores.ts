// `meritlog migrate --to <postgres-url>`, the non-log half (docs/API.md "Storage beyond one
// machine"): copies every issuer and verifier store of an embedded data folder into PostgreSQL
// tables (migrated first), with the server stopped. Values keep their meaning byte for byte:
// private keys stay sealed (the sealed bytes are copied, never opened), credential records keep
// their JWTs, status bits and allocations their indexes, offers their link and code hashes (so
// links already sent keep working). Short-lived OpenID4VCI access tokens and c_nonces (minutes)
// are not copied: a wallet in the middle of a redemption asks again.
import {
  pgIssuerBackend,
  type CredentialRecord,
  type IssuerRecord,
  type OfferRecord,
  type SecretBox,
} from "@meritlog/issuer";
import { recordEncoding, unpackJwt } from "@meritlog/issuer";
import { createPgSharingStore, type PresentationRequestRecord, type ShareRecord } from "@meritlog/verifier";
import { query, runMigrations, withTransaction, type Pool } from "@meritlog/postgres";
import type { RootDb } from "./data-folder.js";
import { STORE_MIGRATIONS } from "./pg-stores.js";

/** How many rows of each kind were copied. */
export interface StoreCopyCounts {
  issuers: number;
  keys: number;
  privateKeys: number;
  dids: number;
  credentials: number;
  digests: number;
  statusIndexes: number;
  offers: number;
  shares: number;
  requests: number;
  proofNonces: number;
}

// Sublevels nest; their exact types do not matter here (every one declares its own encodings).
const json = <V>(parent: unknown, name: string) =>
  (parent as RootDb).sublevel<string, V>(name, { keyEncoding: "utf8", valueEncoding: "json" });
const bytes = (parent: unknown, name: string) =>
  (parent as RootDb).sublevel<string, Uint8Array>(name, { keyEncoding: "utf8", valueEncoding: "view" });
const text = (b: Uint8Array): string => Buffer.from(b).toString("utf8");

/**
 * Copies the data folder's issuer, Veramo, offer and sharing stores into `pool`'s schema.
 * Idempotent (upserts): a copy that was interrupted can be run again.
 * @throws StorageError `storage.unavailable` when the database cannot be reached
 */
export async function copyStoresToPostgres(db: RootDb, pool: Pool, box: SecretBox): Promise<StoreCopyCounts> {
  await runMigrations(pool, STORE_MIGRATIONS);
  const n: StoreCopyCounts = {
    issuers: 0,
    keys: 0,
    privateKeys: 0,
    dids: 0,
    credentials: 0,
    digests: 0,
    statusIndexes: 0,
    offers: 0,
    shares: 0,
    requests: 0,
    proofNonces: 0,
  };
  const pg = pgIssuerBackend(pool, box);
  type IKey = Parameters<typeof pg.veramo.keys.importKey>[0];
  type IIdentifier = Parameters<typeof pg.veramo.dids.importDID>[0];
  const issuer = bytes(db, "issuer");
  const veramo = bytes(db, "veramo");

  // Veramo: key metadata and DIDs through the PostgreSQL stores; private keys as their sealed bytes.
  for await (const k of json<IKey>(veramo, "keys").values()) {
    await pg.veramo.keys.importKey(k);
    n.keys++;
  }
  for await (const d of json<IIdentifier>(veramo, "dids").values()) {
    await pg.veramo.dids.importDID(d);
    n.dids++;
  }
  for await (const v of json<{ alias: string; type: string; sealed: string }>(
    veramo,
    "private-keys",
  ).values()) {
    await query(
      pool,
      `INSERT INTO issuer_private_keys (alias, type, sealed) VALUES ($1, $2, $3)
       ON CONFLICT (alias) DO UPDATE SET type = EXCLUDED.type, sealed = EXCLUDED.sealed`,
      [v.alias, v.type, Buffer.from(v.sealed, "base64")],
    );
    n.privateKeys++;
  }

  // Issuer records, credential records, digests: in batches through the backend's own writes.
  const flush = async (ops: ReturnType<typeof pg.issuers.putOps>): Promise<void> => {
    if (ops.length > 0) await pg.writer.write(ops.splice(0));
  };
  const ops: ReturnType<typeof pg.issuers.putOps> = [];
  for await (const r of json<IssuerRecord>(issuer, "issuers").values()) {
    ops.push(...pg.issuers.putOps(r));
    n.issuers++;
  }
  await flush(ops);
  const credentials = (issuer as unknown as RootDb).sublevel<
    string,
    ReturnType<typeof recordEncoding.decode>
  >("credentials", { keyEncoding: "utf8", valueEncoding: recordEncoding });
  for await (const stored of credentials.values()) {
    const rec = { ...stored, jwt: unpackJwt(stored.jwt) } as CredentialRecord;
    ops.push(...pg.records.putOps(rec));
    n.credentials++;
    if (ops.length >= 500) await flush(ops);
  }
  await flush(ops);
  for await (const [digest, value] of json<Parameters<typeof pg.records.digestOps>[1]>(
    issuer,
    "digests",
  ).iterator()) {
    ops.push(...pg.records.digestOps(digest, value));
    n.digests++;
    if (ops.length >= 500) await flush(ops);
  }
  await flush(ops);

  // Status facts: `a!<issuer>!<hex idx>` allocations and `b!<issuer>-<purpose>!<hex idx>` set bits.
  const facts = new Map<
    string,
    { issuerId: string; index: number; revocation: boolean; suspension: boolean }
  >();
  for await (const k of bytes(issuer, "status").keys()) {
    const m = /^([ab])!(.+)!([0-9a-f]{8})$/.exec(k);
    if (!m) continue;
    let issuerId = m[2]!;
    let purpose: "revocation" | "suspension" | undefined;
    if (m[1] === "b") {
      const at = issuerId.lastIndexOf("-");
      purpose = issuerId.slice(at + 1) as "revocation" | "suspension";
      issuerId = issuerId.slice(0, at);
    }
    const index = parseInt(m[3]!, 16);
    const key = `${issuerId}!${index}`;
    const f = facts.get(key) ?? { issuerId, index, revocation: false, suspension: false };
    if (purpose) f[purpose] = true;
    facts.set(key, f);
  }
  for (const f of facts.values()) {
    ops.push(...pg.status.allocationOps(f.issuerId, f.index));
    if (f.revocation || f.suspension) ops.push(...pg.status.bitOps(f.issuerId, f.index, f));
    n.statusIndexes++;
    if (ops.length >= 500) await flush(ops);
  }
  await flush(ops);
  await pg.writer.idle();

  // Offers: the record, its live link hash and the code hash whose pointer names that link.
  const offers = bytes(db, "offers");
  const codes = new Map<string, string>();
  for await (const [k, v] of offers.iterator({ gt: "code:", lt: "code;" })) {
    const p = JSON.parse(text(v)) as { id: string; link: string };
    codes.set(`${p.id}\0${p.link}`, k.slice("code:".length));
  }
  await withTransaction(pool, async (c) => {
    for await (const v of offers.values({ gt: "rec:", lt: "rec;" })) {
      const r = JSON.parse(text(v)) as OfferRecord;
      const live = r.linkHash !== "";
      await c.query(
        `INSERT INTO issuer_offers
           (id, issuer_id, configuration_id, state, created_at, expires_at, link_hash, code_hash, record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, expires_at = EXCLUDED.expires_at,
           link_hash = EXCLUDED.link_hash, code_hash = EXCLUDED.code_hash, record = EXCLUDED.record`,
        [
          r.id,
          r.issuerId,
          r.configurationId,
          r.state,
          r.createdAt,
          r.expiresAt,
          live ? r.linkHash : null,
          live ? (codes.get(`${r.id}\0${r.linkHash}`) ?? null) : null,
          JSON.stringify(r),
        ],
      );
      n.offers++;
    }
  });

  // Shares, presentation requests and used proof nonces (already SHA-256 hex on both sides).
  const sharing = bytes(db, "sharing");
  const store = createPgSharingStore(pool);
  for await (const [k, v] of sharing.iterator()) {
    if (k.startsWith("s:")) {
      await store.putShare(JSON.parse(text(v)) as ShareRecord);
      n.shares++;
    } else if (k.startsWith("r:")) {
      await store.putRequest(JSON.parse(text(v)) as PresentationRequestRecord);
      n.requests++;
    } else if (k.startsWith("n:")) {
      await query(
        pool,
        "INSERT INTO verifier_proof_nonces (nonce_hash, keep_until) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [k.slice(2), Number(JSON.parse(text(v)))],
      );
      n.proofNonces++;
    }
  }
  return n;
}
