/**
 * Pathways (issue 15; docs/API.md "Pathways"): an issuer publishes a grouping of achievements,
 * anchored in the log as a `pathway` entry whose digest is the SHA-256 of the RFC 8785 canonical
 * document, so anyone can check that what `GET /v1/pathways/{id}` serves is what was published.
 * A pathway is corrected by publishing a new one that `supersedes` it (the old one stays readable,
 * as learners' credentials may have been issued under it) and retired by archiving it. Like
 * credentials, nothing is ever edited in place (DOMAIN.md "Correction").
 */
import {
  assertClaims,
  canonicalJson,
  parseInput,
  pathwayRequestSchema,
  type PathwayStep,
} from "@meritlog/schemas";
import { anchorEntry, isoSeconds, sha256Hex, type AnchorLog, type Receipt } from "./anchors.js";
import { IssuerError } from "./errors.js";
import { uuidv7 } from "./ids.js";
import type { PublicIssuer } from "./issuers.js";
import { KeyedLock } from "./keyed-lock.js";
import type { PathwayStore } from "./pathway-store.js";

/** The published document: exactly what the log entry's digest covers. */
export interface PathwayDocument {
  id: string;
  /** The issuer's DID when it published. */
  issuer: string;
  name: string;
  description: string;
  achievements: PathwayStep[];
  ordered: boolean;
  publishedAt: string;
  /** The pathway this one corrects. */
  supersedes?: string;
}

export type PathwayState = "active" | "superseded" | "archived";

/** One anchored event of a pathway, oldest first. */
interface PathwayEvent {
  event: "publish" | "supersede" | "archive";
  at: string;
  receipt: Receipt;
}

/** What is stored, and (all of it public) what `GET /v1/pathways/{id}` answers. */
export interface PathwayRecord extends PathwayDocument {
  issuerId: string;
  issuerName: string;
  state: PathwayState;
  /** The correction that replaced this version. */
  supersededBy?: string;
  /** Hex SHA-256 of the canonical document (the log entry's `digest`). */
  digest: string;
  /** The receipt of the entry that published this version. */
  receipt: Receipt;
  history: PathwayEvent[];
}

/** The document fields of a record, the input of its digest (wallets recompute it the same way). */
export function pathwayDocument(r: PathwayDocument): PathwayDocument {
  return {
    id: r.id,
    issuer: r.issuer,
    name: r.name,
    description: r.description,
    achievements: r.achievements,
    ordered: r.ordered,
    publishedAt: r.publishedAt,
    ...(r.supersedes !== undefined ? { supersedes: r.supersedes } : {}),
  };
}

/** Hex SHA-256 of the RFC 8785 canonical JSON of the document. */
export function pathwayDigest(doc: PathwayDocument): string {
  return sha256Hex(canonicalJson(pathwayDocument(doc)));
}

export interface PathwayServiceOptions {
  store: PathwayStore;
  log: AnchorLog;
  /** The issuer registry (IssuerService fits). */
  issuers: {
    getIssuer(issuerId: string): PublicIssuer | undefined;
    listIssuers(): Promise<PublicIssuer[]>;
  };
  now?: () => Date;
}

export interface PathwayService {
  publish(issuerId: string, input: unknown): Promise<PathwayRecord>;
  /** A correction: a new pathway naming `id` in `supersedes`; `id` becomes `superseded`. */
  supersede(issuerId: string, id: string, input: unknown): Promise<PathwayRecord>;
  archive(issuerId: string, id: string): Promise<PathwayRecord>;
  /** @throws IssuerError `pathway.not_found` */
  get(id: string): Promise<PathwayRecord>;
  /** An issuer's pathways (by issuer id, current DID or an earlier DID), oldest first. */
  list(issuer: string): Promise<PathwayRecord[]>;
}

export function createPathwayService(o: PathwayServiceOptions): PathwayService {
  const now = o.now ?? (() => new Date());
  const locks = new KeyedLock();

  function issuerOf(issuerId: string): PublicIssuer {
    const issuer = o.issuers.getIssuer(issuerId);
    if (issuer === undefined) throw new IssuerError("issuer.not_found", "no such issuer");
    return issuer;
  }

  /** Validates (claims discipline first, on the raw body, as issuance does) and anchors a new version. */
  async function publishVersion(
    issuer: PublicIssuer,
    input: unknown,
    supersedes: string | undefined,
  ): Promise<PathwayRecord> {
    // A pathway's name and description are shown next to credentials: the naming rules apply
    // (DOMAIN.md "Naming"; a pathway "never creates certification").
    assertClaims(input);
    const req = parseInput(pathwayRequestSchema, input);
    const at = isoSeconds(now());
    const doc: PathwayDocument = {
      id: `urn:uuid:${uuidv7(now().getTime())}`,
      issuer: issuer.did,
      name: req.name,
      description: req.description,
      achievements: req.achievements,
      ordered: req.ordered,
      publishedAt: at,
      ...(supersedes !== undefined ? { supersedes } : {}),
    };
    const digest = pathwayDigest(doc);
    const event = supersedes === undefined ? "publish" : "supersede";
    const receipt = await anchorEntry(o.log, {
      kind: "pathway",
      event,
      pathwayId: doc.id,
      digest,
      ...(supersedes !== undefined ? { previous: supersedes } : {}),
      issuer: issuer.did,
      at,
      v: 1,
    });
    return {
      ...doc,
      issuerId: issuer.id,
      issuerName: issuer.name,
      state: "active",
      digest,
      receipt,
      history: [{ event, at, receipt }],
    };
  }

  /** The issuer's own pathway; another issuer's is `pathway.not_found`, as for credentials. */
  async function owned(issuerId: string, id: string): Promise<PathwayRecord> {
    const r = await o.store.get(id);
    if (r === undefined || r.issuerId !== issuerId)
      throw new IssuerError("pathway.not_found", "no such pathway");
    return r;
  }

  function requireActive(r: PathwayRecord, action: string): void {
    if (r.state !== "active")
      throw new IssuerError("pathway.not_active", `a ${r.state} pathway cannot be ${action}`);
  }

  return {
    async publish(issuerId, input) {
      const record = await publishVersion(issuerOf(issuerId), input, undefined);
      await o.store.put([record]);
      return record;
    },

    async supersede(issuerId, id, input) {
      const issuer = issuerOf(issuerId);
      return await locks.run(id, async () => {
        const old = await owned(issuerId, id);
        requireActive(old, "superseded");
        const record = await publishVersion(issuer, input, id);
        // One durable batch: the new version and the old one's state change together.
        await o.store.put([record, { ...old, state: "superseded", supersededBy: record.id }]);
        return record;
      });
    },

    async archive(issuerId, id) {
      const issuer = issuerOf(issuerId);
      return await locks.run(id, async () => {
        const old = await owned(issuerId, id);
        requireActive(old, "archived");
        const at = isoSeconds(now());
        const receipt = await anchorEntry(o.log, {
          kind: "pathway",
          event: "archive",
          pathwayId: id,
          digest: old.digest,
          issuer: issuer.did,
          at,
          v: 1,
        });
        const record: PathwayRecord = {
          ...old,
          state: "archived",
          history: [...old.history, { event: "archive", at, receipt }],
        };
        await o.store.put([record]);
        return record;
      });
    },

    async get(id) {
      const r = await o.store.get(id);
      if (r === undefined) throw new IssuerError("pathway.not_found", "no such pathway");
      return r;
    },

    async list(issuer) {
      let issuerId: string | undefined = o.issuers.getIssuer(issuer)?.id;
      if (issuerId === undefined && issuer.startsWith("did:")) {
        issuerId = (await o.issuers.listIssuers()).find(
          (i) => i.did === issuer || i.previousDids.includes(issuer),
        )?.id;
      }
      if (issuerId === undefined) throw new IssuerError("issuer.not_found", "no such issuer");
      return await o.store.list(issuerId);
    },
  };
}
