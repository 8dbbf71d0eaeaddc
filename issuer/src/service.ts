import type { SecretBox } from "./secret-box.js";
import { agentOn, type IssuerAgent } from "./agent.js";
import { levelIssuerBackend, type IssuerBackend } from "./backend.js";
import { anchorArtifact, type AnchorLog, type AnchorResult } from "./anchors.js";
import type { ServiceContext } from "./context.js";
import { IssuerError } from "./errors.js";
import { issueCredential, type IssueOptions, type IssueResult } from "./issuance.js";
import {
  IssuerRegistry,
  type CreatedIssuer,
  type IssuerRecord,
  type PublicIssuer,
  type RotatedKey,
  type TokenChange,
} from "./issuers.js";
import { KeyedLock } from "./keyed-lock.js";
import { createOfferStore, type OfferStore } from "./offers.js";
import { IssuanceWorkers } from "./issuance-workers.js";
import { changeStatus, ownedRecord, replaceCredential, type StatusChangeResult } from "./lifecycle.js";
import type { CredentialRecord, DigestMatch, HistoryEvent } from "./records.js";
import { aggregateRegister, type RegisterStats } from "./register.js";
import { StatusLists, type StatusPurpose } from "./status-list.js";
import type { IssuerDb } from "./storage.js";
import { createIssuerRequestSchema, parseInput } from "@meritlog/schemas";
import { issueBatch, type BatchOutcome } from "./batch-issuance.js";
import { listCredentials, type CredentialListItem, type CredentialQuery } from "./credential-listing.js";
import {
  declineMpu,
  readMpu,
  registerMpu,
  signMpu,
  type MpuContext,
  type MpuView,
  type RegisteredMpu,
} from "./mpus.js";
import {
  endorse,
  endorsementsOf,
  issueEndorsement,
  feedback,
  type EndorsementInput,
  type EndorsementListing,
} from "./endorsements.js";
import { provenanceOf, type ProvenanceReport } from "./provenance.js";

export interface IssuerServiceOptions {
  /** The `issuer` sublevel (records, tokens, status lists); not read when `backend` is given. */
  db?: IssuerDb;
  /** Storage other than LevelDB (PostgreSQL: issuer-pg.ts); default: LevelDB on `db` and `veramoDb`. */
  backend?: IssuerBackend;
  /** With a shared backend: how often issuer records are re-read from the database (default 2 s). */
  registryRefreshMs?: number;
  /** The `veramo` sublevel (keys, sealed private keys, DIDs); defaults to `db.sublevel("veramo")`. */
  veramoDb?: IssuerDb;
  box: SecretBox;
  log: AnchorLog;
  /**
   * The offer store of the OpenID4VCI routes: co-authored MPUs offer each author's credential
   * through it (mpus.ts). Default: a bounded in-memory store (offers then do not survive a restart).
   */
  offers?: OfferStore;
  /** Public URL of this service, without trailing slash; status list URLs are built from it. */
  baseUrl: string;
  now?: () => Date;
  /**
   * Worker threads for the CPU-bound part of plain issuance (parse, claims discipline, build,
   * sign); 0 (default) keeps everything on the main event loop. See bench/issuance.bench.ts.
   */
  issuanceWorkers?: number;
  /** Status list tuning (see StatusLists). */
  statusList?: {
    size?: number;
    refreshMs?: number;
    validityMs?: number;
    ttlMs?: number;
    onChange?: (url: string) => void;
  };
}

/** The issuer service: the one object routes, the CLI, the offer flow and the verifier's local fetcher use. */
export interface IssuerService {
  readonly agent: IssuerAgent;
  /** Creates an issuer (Ed25519 did:key, anchored `key` entry); the token is in the result only. */
  createIssuer(input: unknown): Promise<CreatedIssuer>;
  /**
   * Rotates the issuer's key: a new Ed25519 did:key, anchored as a `key` entry with
   * `event: "rotate"`; the old DID moves to `previousDids`; new credentials and the status lists
   * are signed with the new key from then on. @throws IssuerError `issuer.not_found`
   */
  rotateKey(issuerId: string): Promise<RotatedKey>;
  /**
   * Replaces the issuer's API token (the old one stops working; the new one is returned once) or,
   * with `revoke`, withdraws it (no token works until the next rotation). Anchored as a `key`
   * entry. @throws IssuerError `issuer.not_found`
   */
  changeToken(issuerId: string, revoke: boolean): Promise<TokenChange>;
  /** The public registry, oldest first. */
  listIssuers(): Promise<PublicIssuer[]>;
  getIssuer(issuerId: string): PublicIssuer | undefined;
  /** A number that changes whenever the registry does (new issuer, key rotation): trust caches key on it. */
  registryVersion(): number;
  /** The issuer of a bearer token. @throws IssuerError `auth.bad_token` */
  authenticate(token: string): IssuerRecord;
  /**
   * Several nodes on one database: looks an issuer token this node does not know up in the
   * database (created or rotated on another node a moment ago), so the next `authenticate` knows
   * it. No-op on LevelDB and for known tokens. The server calls it before authenticating.
   * @throws StorageError `storage.unavailable`
   */
  knowIssuerToken(token: string): Promise<void>;
  /** Issues a credential; resolves after it is anchored and stored. See issuance.ts. */
  issue(issuerId: string, request: unknown, opts?: IssueOptions): Promise<IssueResult>;
  /** Issues up to 1000 credentials with one group commit; per-item results. See batch-issuance.ts. */
  issueBatch(issuerId: string, items: readonly unknown[]): Promise<BatchOutcome[]>;
  /** The issuer's credentials, newest first, filtered. See credential-listing.ts. */
  listCredentials(
    issuerId: string,
    query: CredentialQuery,
  ): Promise<{ items: CredentialListItem[]; next: string | null }>;
  /** suspend | reinstate | revoke | archive. See lifecycle.ts. */
  changeStatus(issuerId: string, credentialId: string, request: unknown): Promise<StatusChangeResult>;
  /** Correction: a new credential that `supersedes` the old one. */
  supersede(
    issuerId: string,
    credentialId: string,
    request: unknown,
    opts?: IssueOptions,
  ): Promise<IssueResult>;
  /** Renewal with fresh evidence: a new credential that `renews` the old one. */
  renew(issuerId: string, credentialId: string, request: unknown, opts?: IssueOptions): Promise<IssueResult>;
  /** The issuer's record; with `issuerId`, only that issuer's (another's is `credential.not_found`). */
  getRecord(credentialId: string, issuerId?: string): Promise<CredentialRecord>;
  /** Anchored events of a credential, oldest first, each with its receipt (public: no notes). */
  history(credentialId: string): Promise<HistoryEvent[] | undefined>;
  /** The credential (or artifact anchor) whose JWT has this hex SHA-256, with its receipt. */
  findByDigest(hexDigest: string): Promise<DigestMatch | undefined>;
  anchor(issuerId: string, request: unknown): Promise<AnchorResult>;
  /** The Bitstring Status List credential as a VC-JWT. @throws IssuerError `status.not_found` */
  statusListJwt(listId: string, opts?: { current?: boolean }): Promise<string>;
  /** Current status bits of a credential's index (what its lists say, before re-signing). */
  statusBits(credentialId: string): Promise<Record<StatusPurpose, boolean>>;
  /** Public-safe aggregate counts (register.ts); recomputed at most once a minute. */
  registerStats(): Promise<RegisterStats>;
  /** Registers a co-authored MPU and returns one sign link per author (mpus.ts). */
  registerMpu(issuerId: string, request: unknown): Promise<RegisteredMpu>;
  /** A co-authored MPU, for its issuer or an author holding their link key. @throws IssuerError `mpu.not_found` */
  readMpu(id: string, access: { issuerId?: string; key?: string }): Promise<MpuView>;
  /** An author's signature over the MPU statement; the last one offers every author their credential (OpenID4VCI). */
  signMpu(id: string, request: unknown): Promise<MpuView>;
  /** An author's refusal; the MPU stays unissued. */
  declineMpu(id: string, request: unknown): Promise<MpuView>;
  /** Issues an Open Badges 3.0 EndorsementCredential (endorsements.ts). */
  endorse(issuerId: string, request: unknown): Promise<IssueResult>;
  /**
   * The reusable issuance behind `endorse`: an OB 3.0 EndorsementCredential about a credential, an
   * artifact or a holder (feedback addressed to a person: its subject is the holder's DID, and it
   * is anchored as a plain `issue` entry so the log never sees that DID). See endorsements.ts.
   */
  issueEndorsement(issuerId: string, input: EndorsementInput): Promise<IssueResult>;
  /** Mentor feedback addressed to a credential's holder, with the wallet link that delivers it (endorsements.ts). */
  feedback(issuerId: string, request: unknown): Promise<IssueResult & { walletLink: string }>;
  /** The endorsements held for a credential id or hex artifact digest, with their states. */
  endorsementsOf(target: string): Promise<EndorsementListing[]>;
  /** Every claim recorded about an artifact, with receipts and conflicts (provenance.ts). */
  provenance(digest: unknown): Promise<ProvenanceReport>;
  close(): Promise<void>;
}

function levelBackend(o: IssuerServiceOptions): IssuerBackend {
  if (!o.db) throw new TypeError("createIssuerService needs `db` (LevelDB) or `backend`");
  const veramoDb = o.veramoDb ?? (o.db.sublevel("veramo") as unknown as IssuerDb);
  return levelIssuerBackend(o.db, veramoDb, o.box);
}

/** Opens the issuer service on LevelDB, or on the given backend. */
export async function createIssuerService(o: IssuerServiceOptions): Promise<IssuerService> {
  const now = o.now ?? (() => new Date());
  const backend = o.backend ?? levelBackend(o);
  const agent = agentOn(backend.veramo);
  const writer = backend.writer;
  const registry = new IssuerRegistry(
    backend.issuers,
    agent,
    backend.veramo.privateKeys,
    o.log,
    writer,
    now,
    backend.shared === true,
  );
  await registry.load();
  // Several nodes on one database: issuers created or changed elsewhere become known within this interval.
  const refresher = backend.shared
    ? setInterval(() => void registry.refresh().catch(() => undefined), o.registryRefreshMs ?? 2_000)
    : undefined;
  refresher?.unref();
  const statusLists = new StatusLists({
    store: backend.status,
    baseUrl: o.baseUrl.replace(/\/+$/, ""),
    now,
    ...o.statusList,
    signerFor: async (issuerId) => {
      const { record, signer } = await registry.signing(issuerId);
      return { did: record.did, signer };
    },
    currentKid: (issuerId) => registry.get(issuerId)?.kid,
  });
  const workers =
    o.issuanceWorkers && o.issuanceWorkers > 0 ? new IssuanceWorkers(o.issuanceWorkers) : undefined;
  const ctx: ServiceContext = {
    registry,
    statusLists,
    records: backend.records,
    writer,
    log: o.log,
    locks: new KeyedLock(),
    now,
    provenance: backend.provenance,
    ...(workers ? { workers } : {}),
  };
  const mpuCtx: MpuContext = {
    ...ctx,
    mpus: backend.mpus,
    baseUrl: o.baseUrl.replace(/\/+$/, ""),
    offers: o.offers ?? (await createOfferStore()),
    box: o.box,
  };
  // One full scan of the records per minute at most, shared by concurrent callers.
  let register: { at: number; stats: Promise<RegisterStats> } | undefined;

  return {
    agent,
    async createIssuer(input) {
      return await registry.create(parseInput(createIssuerRequestSchema, input));
    },
    async rotateKey(issuerId) {
      const rotated = await registry.rotate(issuerId);
      statusLists.rekey(issuerId);
      return rotated;
    },
    changeToken: (issuerId, revoke) => registry.changeToken(issuerId, revoke),
    async listIssuers() {
      return registry.list();
    },
    getIssuer(issuerId) {
      return registry.list().find((i) => i.id === issuerId);
    },
    registryVersion: () => registry.version,
    authenticate: (token) => registry.authenticate(token),
    knowIssuerToken: (token) => registry.ensureKnown({ token }),
    issue: (issuerId, request, opts) => issueCredential(ctx, issuerId, request, opts),
    issueBatch: (issuerId, items) => issueBatch(ctx, issuerId, items),
    listCredentials: (issuerId, query) => listCredentials(ctx, issuerId, query),
    changeStatus: (issuerId, credentialId, request) => changeStatus(ctx, issuerId, credentialId, request),
    supersede: (issuerId, credentialId, request, opts) =>
      replaceCredential(ctx, issuerId, credentialId, request, "supersede", opts),
    renew: (issuerId, credentialId, request, opts) =>
      replaceCredential(ctx, issuerId, credentialId, request, "renew", opts),
    getRecord: (credentialId, issuerId) => ownedRecord(ctx, issuerId, credentialId),
    async history(credentialId) {
      const rec = await ctx.records.get(credentialId);
      // Notes are the issuer's own words and stay in the record; the public history has none.
      return rec?.history.map(({ note: _note, ...e }) => e);
    },
    findByDigest: (hexDigest) => ctx.records.findByDigest(hexDigest),
    anchor: (issuerId, request) => anchorArtifact(ctx, issuerId, request),
    statusListJwt: (listId, opts) =>
      statusLists.jwt(
        listId,
        async (issuerId) => {
          await registry.ensureKnown({ id: issuerId });
          return registry.get(issuerId) !== undefined;
        },
        opts,
      ),
    async statusBits(credentialId) {
      const rec = await ctx.records.get(credentialId);
      if (!rec) throw new IssuerError("credential.not_found", `no credential ${credentialId}`);
      return await statusLists.bits(rec.issuerId, rec.statusListIndex);
    },
    async registerStats() {
      const t = now();
      if (register === undefined || t.getTime() - register.at > 60_000) {
        const names = new Map(registry.list().map((i) => [i.id, { name: i.name }] as const));
        const stats = (async () => {
          const rows = [];
          for await (const r of ctx.records.registerRows()) rows.push(r);
          return aggregateRegister(rows, names, t);
        })();
        register = { at: t.getTime(), stats };
        stats.catch(() => (register = undefined));
      }
      return await register.stats;
    },
    registerMpu: (issuerId, request) => registerMpu(mpuCtx, issuerId, request),
    readMpu: (id, access) => readMpu(mpuCtx, id, access),
    signMpu: (id, request) => signMpu(mpuCtx, id, request),
    declineMpu: (id, request) => declineMpu(mpuCtx, id, request),
    endorse: (issuerId, request) => endorse(ctx, issuerId, request),
    issueEndorsement: (issuerId, input) => issueEndorsement(ctx, issuerId, input),
    feedback: (issuerId, request) => feedback(mpuCtx, issuerId, request),
    endorsementsOf: (target) => endorsementsOf(ctx, target),
    provenance: (digest) => provenanceOf(ctx, digest),
    async close() {
      // Every write is synced before it is acknowledged and status lists are re-signed on
      // read, so there is nothing to flush; wait for an in-flight record batch.
      if (refresher) clearInterval(refresher);
      await writer.idle();
      await statusLists.close();
      await workers?.close();
    },
  };
}
