import type { TransparencyLog } from "@meritlog/ledger";
import { parseCheckpoint, parseNote } from "@meritlog/ledger/verify";
import type { EndorsementListing, IssuerService } from "@meritlog/issuer";
import type { Fetcher, HistoryEvent } from "@meritlog/verifier";
import { WriteWatchedCache, type WriteAnnouncer } from "./write-watched-cache.js";

/**
 * The verifier's fetcher inside the server: status lists, proofs, histories and receipts of this
 * service come straight from the issuer service and the log, with no network round trip. Anything
 * foreign (another service's status list or log) is refused, so the report says "unknown" for it
 * rather than the server fetching arbitrary URLs on a caller's behalf.
 */
export function createLocalFetcher(o: {
  log: TransparencyLog;
  issuer: IssuerService;
  publicUrl: string;
  /**
   * The embedded LevelDB the issuer service stores in (root database and the `issuer` sublevel's
   * prefix), when it does: histories and endorsement listings are then kept between the writes
   * that change them (write-watched-cache.ts). Omit for shared storage (PostgreSQL).
   */
  embedded?: { db: WriteAnnouncer; issuerPrefix: string };
}): Fetcher {
  const statusPrefix = `${o.publicUrl}/v1/status/`;
  const reads = o.embedded ? watchedReads(o.embedded.db, o.embedded.issuerPrefix) : undefined;
  const historyOf = async (credentialId: string): Promise<readonly HistoryEvent[]> =>
    ((await o.issuer.history(credentialId)) ?? []).map((e): HistoryEvent => ({
      kind: e.kind,
      at: e.at,
      digest: e.digest,
      leafIndex: e.receipt.leafIndex,
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      ...(e.by !== undefined ? { replacedBy: e.by } : {}),
    }));
  const ownLog = (origin: string): void => {
    if (origin !== o.log.origin)
      throw new Error(`log "${origin}" is not this service's log; it was not fetched`);
  };
  return {
    async statusList(url) {
      if (!url.startsWith(statusPrefix))
        throw new Error(`status list ${url} is not served by this service; it was not fetched`);
      // `current`: the list as it is now, with every change applied, not the batched public copy.
      return await o.issuer.statusListJwt(decodeURIComponent(url.slice(statusPrefix.length)), {
        current: true,
      });
    },
    async consistencyProof(origin, first, second) {
      ownLog(origin);
      return await o.log.consistencyProof(first, second);
    },
    async latestCheckpoint(origin) {
      ownLog(origin);
      return o.log.checkpoint();
    },
    async history(credentialId) {
      if (!reads) return [...(await historyOf(credentialId))];
      // A kept history is shared by every report that quotes it, so it is frozen.
      return [
        ...(await reads.history.get(credentialId, async () => {
          const events = await historyOf(credentialId);
          return {
            value: Object.freeze(events.map((e) => Object.freeze(e))),
            deps: [`credential ${credentialId}`],
            keep: events.length <= MAX_KEPT_EVENTS,
          };
        })),
      ];
    },
    async endorsements(credentialId) {
      const listing = reads
        ? await reads.endorsements.get(credentialId, async () => {
            const value = await o.issuer.endorsementsOf(credentialId);
            // The index of the target, and each endorsement's own record (its state).
            return {
              value,
              deps: [`endorsements of ${credentialId}`, ...value.map((e) => `credential ${e.id}`)],
              keep: value.length <= MAX_KEPT_ENDORSEMENTS,
            };
          })
        : await o.issuer.endorsementsOf(credentialId);
      return listing.map((e) => ({ jwt: e.jwt, state: e.state }));
    },
    async logEntry(leafIndex) {
      // The proof is taken for the tree the checkpoint names, so the two always agree.
      const checkpoint = o.log.checkpoint();
      const size = parseCheckpoint(parseNote(checkpoint).body).size;
      const [entry, proof] = await Promise.all([
        o.log.entry(leafIndex),
        o.log.inclusionProof(leafIndex, size),
      ]);
      return {
        origin: o.log.origin,
        leafIndex,
        entry: new TextDecoder().decode(entry),
        inclusionProof: proof.map((h) => Buffer.from(h).toString("base64")),
        checkpoint,
      };
    },
    async receipt(digestHex) {
      return (await o.issuer.findByDigest(digestHex))?.receipt;
    },
  };
}

/**
 * The two caches of the local fetcher on the embedded LevelDB, and which committed keys change
 * them: a credential's record (`<issuer>!credentials!<id>`: its history, and the state of an
 * endorsement) and the endorsement index (`<issuer>!endorsements!<target>!<endorsement id>`),
 * as the issuer's LevelDB stores write them (issuer/src/records.ts, provenance-store.ts).
 * tests/verify-read-cache.test.ts fails if a change stops reaching the next report.
 */
/**
 * Longer histories and listings (rare; each endorsement holds a whole JWT) are read every time,
 * which bounds the memory kept (10,000 of each; most credentials have no endorsement at all).
 */
const MAX_KEPT_EVENTS = 64;
const MAX_KEPT_ENDORSEMENTS = 4;

function watchedReads(db: WriteAnnouncer, issuerPrefix: string) {
  const credentials = `${issuerPrefix}!credentials!`;
  const endorsements = `${issuerPrefix}!endorsements!`;
  const depsOfKey = (key: string): readonly string[] => {
    if (key.startsWith(credentials)) return [`credential ${key.slice(credentials.length)}`];
    if (key.startsWith(endorsements)) {
      const rest = key.slice(endorsements.length);
      return [`endorsements of ${rest.slice(0, rest.lastIndexOf("!"))}`];
    }
    return [];
  };
  return {
    history: new WriteWatchedCache<readonly HistoryEvent[]>(db, depsOfKey),
    endorsements: new WriteWatchedCache<EndorsementListing[]>(db, depsOfKey),
  };
}
