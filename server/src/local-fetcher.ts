import type { TransparencyLog } from "@meritlog/ledger";
import { parseCheckpoint, parseNote } from "@meritlog/ledger/verify";
import type { IssuerService } from "@meritlog/issuer";
import type { Fetcher, HistoryEvent } from "@meritlog/verifier";

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
}): Fetcher {
  const statusPrefix = `${o.publicUrl}/v1/status/`;
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
      const events = await o.issuer.history(credentialId);
      return (events ?? []).map((e): HistoryEvent => ({
        kind: e.kind,
        at: e.at,
        digest: e.digest,
        leafIndex: e.receipt.leafIndex,
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
        ...(e.by !== undefined ? { replacedBy: e.by } : {}),
      }));
    },
    async endorsements(credentialId) {
      return (await o.issuer.endorsementsOf(credentialId)).map((e) => ({ jwt: e.jwt, state: e.state }));
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
