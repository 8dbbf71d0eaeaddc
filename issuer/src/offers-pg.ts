// Credential offers and the OpenID4VCI 1.0 pre-authorized code flow's codes, access tokens and
// c_nonces on PostgreSQL: the same `OfferStore` contract as offers.ts, for several server
// processes on one database. Every secret is stored only as its hash, as on LevelDB.
//
// Single use across processes comes from the database, not from in-process locks:
// - a pre-authorized code is redeemed inside a transaction that locks the offer row found by the
//   code's hash (`SELECT … FOR UPDATE`) and clears `code_hash` and `link_hash` before committing:
//   a concurrent redemption waits on the lock, then finds no row ("unknown");
// - an access token is claimed with `UPDATE … SET claimed = true WHERE claimed = false RETURNING`
//   (exactly one caller gets the row), spent with DELETE;
// - a c_nonce is consumed with `DELETE … RETURNING` (exactly one caller gets it).
import { query, withTransaction, type MigrationSet, type Pool, type PoolClient } from "@meritlog/postgres";
import { IssuerError } from "./errors.js";
import {
  newOfferRecord,
  notChangeable,
  offerSecrets,
  offerState,
  offerView,
  TX_CODE_MAX_TRIES,
  type CreatedOffer,
  type OfferOptions,
  type OfferRecord,
  type OfferState,
  type OfferStore,
  type OfferStoreOptions,
  type OfferView,
} from "./offers.js";

const { hash, secret, codeOf, txHash, newTxCode, sameHash } = offerSecrets;

const INSERT_OFFER = `INSERT INTO issuer_offers
  (id, issuer_id, configuration_id, state, created_at, expires_at, link_hash, code_hash, record)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/** The offer tables, in order. */
export const OFFER_MIGRATIONS: MigrationSet = {
  component: "offers",
  migrations: [
    {
      version: 1,
      name: "offers, oid4vci tokens and nonces",
      up: `
        CREATE TABLE issuer_offers (
          id text PRIMARY KEY,
          issuer_id text NOT NULL,
          configuration_id text NOT NULL,
          state text NOT NULL CHECK (state IN ('pending', 'redeemed', 'cancelled')),
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          -- hashes of the live link secret and pre-authorized code; NULL once dead
          link_hash text UNIQUE,
          code_hash text UNIQUE,
          -- the whole OfferRecord (request, tx_code hash and tries, timestamps, reference)
          record json NOT NULL
        );
        CREATE INDEX issuer_offers_listing ON issuer_offers (issuer_id, id DESC);

        CREATE TABLE issuer_oid4vci_tokens (
          token_hash text PRIMARY KEY,
          offer_id text NOT NULL REFERENCES issuer_offers (id),
          expires_at timestamptz NOT NULL,
          claimed boolean NOT NULL DEFAULT false,
          -- the offer as it was when the code was redeemed (what the token is good for)
          offer json NOT NULL
        );
        CREATE INDEX issuer_oid4vci_tokens_expiry ON issuer_oid4vci_tokens (expires_at);

        CREATE TABLE issuer_oid4vci_nonces (
          nonce_hash text PRIMARY KEY,
          token_hash text,
          expires_at timestamptz NOT NULL
        );
        CREATE INDEX issuer_oid4vci_nonces_expiry ON issuer_oid4vci_nonces (expires_at);
      `,
    },
  ],
};

type TokenRecord = NonNullable<Awaited<ReturnType<OfferStore["peekToken"]>>>;
type RedeemOutcome = Awaited<ReturnType<OfferStore["redeem"]>>;

/** The offer store on PostgreSQL; the caller owns `pool` and has run {@link OFFER_MIGRATIONS}. */
export function createPgOfferStore(pool: Pool, o: OfferStoreOptions = {}): OfferStore {
  const now = o.now ?? (() => new Date());
  const tokenTtl = o.tokenTtlSeconds ?? 300;
  const nonceTtl = o.nonceTtlSeconds ?? 300;
  const expiry = (seconds: number): Date => new Date(now().getTime() + seconds * 1000);
  const expired = (iso: string): boolean => Date.parse(iso) <= now().getTime();

  const stateOf = (r: OfferRecord): OfferState => offerState(r, now());
  const view = (r: OfferRecord): OfferView => offerView(r, now());

  /** Writes the record and its columns; `codeHash` undefined keeps the stored one, null kills it. */
  async function save(c: PoolClient | Pool, r: OfferRecord, codeHash?: string | null): Promise<void> {
    await c.query(
      `UPDATE issuer_offers SET state = $2, expires_at = $3, link_hash = $4,
         code_hash = CASE WHEN $5::boolean THEN $6 ELSE code_hash END, record = $7
       WHERE id = $1`,
      [
        r.id,
        r.state,
        r.expiresAt,
        r.linkHash === "" ? null : r.linkHash,
        codeHash !== undefined,
        codeHash ?? null,
        JSON.stringify(r),
      ],
    );
  }

  /** New link secret, code and (when asked) tx_code for a record. */
  function arm(r: OfferRecord, txCode: boolean): { created: CreatedOffer; codeHash: string } {
    const offerId = secret();
    const preAuthorizedCode = codeOf(offerId);
    r.linkHash = hash(offerId);
    const code = txCode ? newTxCode() : undefined;
    if (code !== undefined) r.txCodeHash = txHash(r.id, code);
    r.txCodeTries = 0;
    return {
      codeHash: hash(preAuthorizedCode),
      created: {
        id: r.id,
        offerId,
        preAuthorizedCode,
        expiresAt: new Date(r.expiresAt),
        ...(code !== undefined ? { txCode: code } : {}),
      },
    };
  }

  async function sweep(): Promise<void> {
    // A few expired tokens and nonces per write; offers stay on record.
    const t = now();
    await query(
      pool,
      `DELETE FROM issuer_oid4vci_nonces WHERE nonce_hash IN
         (SELECT nonce_hash FROM issuer_oid4vci_nonces WHERE expires_at <= $1 LIMIT 32)`,
      [t],
    );
    await query(
      pool,
      `DELETE FROM issuer_oid4vci_tokens WHERE token_hash IN
         (SELECT token_hash FROM issuer_oid4vci_tokens WHERE expires_at <= $1 AND claimed = false LIMIT 32)`,
      [t],
    );
  }

  async function owned(
    c: PoolClient | Pool,
    issuerId: string,
    id: string,
    lock = false,
  ): Promise<OfferRecord> {
    const rows =
      typeof id === "string" && id.length <= 64
        ? (
            await c.query<{ record: OfferRecord }>(
              `SELECT record FROM issuer_offers WHERE id = $1 AND issuer_id = $2${lock ? " FOR UPDATE" : ""}`,
              [id, issuerId],
            )
          ).rows
        : [];
    // Another issuer's offer is "not found": ids are not secret, but the offers are not public either.
    if (!rows[0]) throw new IssuerError("offer.not_found", `no offer ${id}`);
    return rows[0].record;
  }

  async function nonce(accessToken?: string): Promise<{ cNonce: string; expiresIn: number }> {
    const cNonce = secret();
    await query(
      pool,
      "INSERT INTO issuer_oid4vci_nonces (nonce_hash, token_hash, expires_at) VALUES ($1, $2, $3)",
      [hash(cNonce), accessToken ? hash(accessToken) : null, expiry(nonceTtl)],
    );
    return { cNonce, expiresIn: nonceTtl };
  }

  /** The record of offer `id`, its row locked until the transaction ends. */
  async function lockedRecord(c: PoolClient, id: string): Promise<OfferRecord | undefined> {
    const { rows } = await c.query<{ record: OfferRecord }>(
      "SELECT record FROM issuer_offers WHERE id = $1 FOR UPDATE",
      [id],
    );
    return rows[0]?.record;
  }

  /** Records (armed with their link, code and tx_code) and the INSERT parameters for new offers. */
  function prepare(
    issuerId: string,
    items: readonly { request: Record<string, unknown> & { type: string }; options?: OfferOptions }[],
  ): { created: CreatedOffer; params: unknown[] }[] {
    const t = now();
    return items.map(({ request, options: opts = {} }) => {
      const r = newOfferRecord(issuerId, request, opts, t);
      const { created, codeHash } = arm(r, opts.txCode === true);
      const params = [
        r.id,
        issuerId,
        r.configurationId,
        r.state,
        r.createdAt,
        r.expiresAt,
        r.linkHash,
        codeHash,
        JSON.stringify(r),
      ];
      return { created, params };
    });
  }

  return {
    nonceTtlSeconds: nonceTtl,

    async create(issuerId, request, opts = {}) {
      await sweep();
      const [row] = prepare(issuerId, [{ request, options: opts }]);
      // Committed before the link is handed out: a link the issuer was given survives a crash.
      await query(pool, INSERT_OFFER, row!.params);
      return row!.created;
    },

    /** Makes offers in one transaction: all of them are committed, or none is. */
    async createMany(issuerId, items) {
      await sweep();
      const rows = prepare(issuerId, items);
      await withTransaction(pool, async (c) => {
        for (const row of rows) await c.query(INSERT_OFFER, row.params);
      });
      return rows.map((row) => row.created);
    },

    async lookup(offerId) {
      const rows = await query<{ record: OfferRecord }>(
        pool,
        "SELECT record FROM issuer_offers WHERE link_hash = $1",
        [hash(offerId)],
      );
      const r = rows[0]?.record;
      if (!r || r.linkHash !== hash(offerId) || stateOf(r) !== "pending") return undefined;
      return { offer: r, preAuthorizedCode: codeOf(offerId) };
    },

    async redeem(code, txCode) {
      const accessToken = secret();
      const out = await withTransaction(pool, async (c): Promise<RedeemOutcome> => {
        // The row lock serialises redemptions, cancels and reissues of one offer across every node.
        const { rows } = await c.query<{ record: OfferRecord }>(
          "SELECT record FROM issuer_offers WHERE code_hash = $1 FOR UPDATE",
          [hash(code)],
        );
        const r = rows[0]?.record;
        if (!r || r.linkHash === "") return { error: "unknown" };
        if (r.state === "cancelled") return { error: "cancelled" };
        if (r.state !== "pending") return { error: "unknown" };
        // An expired offer is refused here, before any token exists: nothing can be issued or logged.
        if (expired(r.expiresAt)) return { error: "expired", expiresAt: r.expiresAt };
        if (r.txCodeHash !== undefined) {
          if (txCode === undefined || txCode === "") return { error: "tx_code_required" };
          if (!sameHash(txHash(r.id, txCode), r.txCodeHash)) {
            r.txCodeTries += 1;
            if (r.txCodeTries >= TX_CODE_MAX_TRIES) {
              // OpenID4VCI 1.0 §13.6 (brute forcing the tx_code): the offer dies after five wrong tries.
              r.state = "cancelled";
              r.cancelledAt = now().toISOString();
              r.cancelReason = "tx_code";
              r.linkHash = "";
              await save(c, r, null);
            } else {
              await save(c, r);
            }
            return { error: "tx_code_wrong", triesLeft: Math.max(0, TX_CODE_MAX_TRIES - r.txCodeTries) };
          }
        }
        // One use: the link and the code die now; the record stays pending until the credential is issued.
        r.linkHash = "";
        await save(c, r, null);
        await c.query(
          "INSERT INTO issuer_oid4vci_tokens (token_hash, offer_id, expires_at, offer) VALUES ($1, $2, $3, $4)",
          [hash(accessToken), r.id, expiry(tokenTtl), JSON.stringify(r)],
        );
        return { grant: { accessToken, expiresIn: tokenTtl, cNonce: "", cNonceExpiresIn: nonceTtl } };
      });
      if (!("grant" in out)) return out;
      const n = await nonce(accessToken);
      return { grant: { ...out.grant, cNonce: n.cNonce, cNonceExpiresIn: n.expiresIn } };
    },

    async startRedemption(id) {
      return await withTransaction(pool, async (c) => {
        // The row lock orders this against a cancel or reissue of the same offer on any node.
        const r = await lockedRecord(c, id);
        if (!r) return "gone" as const;
        const state = stateOf(r);
        if (state !== "pending") return state;
        r.redeemingSince = now().toISOString();
        await save(c, r);
        return "held" as const;
      });
    },

    async abortRedemption(id) {
      await withTransaction(pool, async (c) => {
        const r = await lockedRecord(c, id);
        if (!r || r.redeemingSince === undefined) return;
        delete r.redeemingSince;
        await save(c, r);
      });
    },

    async markRedeemed(id, credentialId) {
      await withTransaction(pool, async (c) => {
        const r = await lockedRecord(c, id);
        if (!r) return;
        r.state = "redeemed";
        r.redeemedAt = now().toISOString();
        r.credentialId = credentialId;
        delete r.redeemingSince;
        await save(c, r);
      });
    },

    async get(issuerId, id) {
      return view(await owned(pool, issuerId, id));
    },

    async list(issuerId, q) {
      const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
      const values: unknown[] = [issuerId];
      const param = (v: unknown): string => `$${values.push(v)}`;
      const where = ["issuer_id = $1"];
      if (q.cursor !== undefined) where.push(`id < ${param(q.cursor)}`);
      // `expired` is a pending offer past its time; the other states are stored as they are.
      if (q.state === "expired") where.push(`state = 'pending' AND expires_at <= ${param(now())}`);
      else if (q.state === "pending") where.push(`state = 'pending' AND expires_at > ${param(now())}`);
      else if (q.state !== undefined) where.push(`state = ${param(q.state)}`);
      const rows = await query<{ record: OfferRecord }>(
        pool,
        `SELECT record FROM issuer_offers WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ${param(limit + 1)}`,
        values,
      );
      const items = rows.slice(0, limit).map((r) => view(r.record));
      return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
    },

    async cancel(issuerId, id) {
      return await withTransaction(pool, async (c) => {
        const r = await owned(c, issuerId, id, true);
        const refused = notChangeable(r, now(), "cancelled");
        if (refused) throw refused;
        r.state = "cancelled";
        r.cancelledAt = now().toISOString();
        r.cancelReason = "issuer";
        r.linkHash = "";
        await save(c, r, null);
        return view(r);
      });
    },

    async reissue(issuerId, id) {
      return await withTransaction(pool, async (c) => {
        const r = await owned(c, issuerId, id, true);
        const refused = notChangeable(r, now(), "reissued");
        if (refused) throw refused;
        // A new link lives as long as the first one did, counted from now.
        r.expiresAt = new Date(now().getTime() + r.expiresIn * 1000).toISOString();
        const had = r.txCodeHash !== undefined;
        delete r.txCodeHash;
        const { created, codeHash } = arm(r, had);
        await save(c, r, codeHash);
        return { view: view(r), created };
      });
    },

    nonce,

    async consumeNonce(n, accessToken) {
      // A nonce bound to another access token is not touched (and does not count).
      const rows = await query<{ expires_at: Date }>(
        pool,
        `DELETE FROM issuer_oid4vci_nonces WHERE nonce_hash = $1 AND (token_hash IS NULL OR token_hash = $2)
         RETURNING expires_at`,
        [hash(n), hash(accessToken)],
      );
      const row = rows[0];
      if (!row) return "unknown";
      return row.expires_at.getTime() <= now().getTime() ? "expired" : "ok";
    },

    async peekToken(accessToken) {
      const rows = await query<{ offer: OfferRecord; expires_at: Date }>(
        pool,
        "SELECT offer, expires_at FROM issuer_oid4vci_tokens WHERE token_hash = $1",
        [hash(accessToken)],
      );
      const row = rows[0];
      if (!row || row.expires_at.getTime() <= now().getTime()) return undefined;
      return { offer: row.offer, expiresAt: row.expires_at.toISOString() } satisfies TokenRecord;
    },

    async claimToken(accessToken) {
      const key = hash(accessToken);
      // The conditional update is the claim: exactly one caller gets the row, on any node.
      const rows = await query<{ offer: OfferRecord; expires_at: Date }>(
        pool,
        "UPDATE issuer_oid4vci_tokens SET claimed = true WHERE token_hash = $1 AND claimed = false RETURNING offer, expires_at",
        [key],
      );
      const row = rows[0];
      if (!row) {
        const held = await query(pool, "SELECT 1 FROM issuer_oid4vci_tokens WHERE token_hash = $1", [key]);
        return { error: held.length > 0 ? "busy" : "unknown" };
      }
      if (row.expires_at.getTime() <= now().getTime()) {
        await query(pool, "DELETE FROM issuer_oid4vci_tokens WHERE token_hash = $1", [key]);
        return { error: "expired" };
      }
      return {
        token: { offer: row.offer, expiresAt: row.expires_at.toISOString() },
        async finish(issued: boolean) {
          // Spent: the row goes (a replay reads "unknown"); not issued: the wallet may try again.
          if (issued) await query(pool, "DELETE FROM issuer_oid4vci_tokens WHERE token_hash = $1", [key]);
          else
            await query(pool, "UPDATE issuer_oid4vci_tokens SET claimed = false WHERE token_hash = $1", [
              key,
            ]);
        },
      };
    },
  };
}
