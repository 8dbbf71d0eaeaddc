// The verifier corpus's fetcher (testdata/verifier/corpus.json, its "fetcher" part), answering
// from memory as the server's local fetcher answers from its own stores.
import type { Fetcher, HistoryEvent, Receipt } from "@meritlog/verifier";

export interface CorpusFetcherData {
  statusLists: Record<string, string>;
  history: Record<string, HistoryEvent[]>;
  receipts: Record<string, Receipt>;
  consistency: Record<string, string[]>;
  latestCheckpoint: Record<string, string>;
}

export function corpusFetcher(data: CorpusFetcherData): Fetcher {
  return {
    async statusList(url) {
      const jwt = data.statusLists[url];
      if (!jwt) throw new Error("HTTP 404");
      return jwt;
    },
    async history(id) {
      return data.history[id] ?? [];
    },
    async receipt(digest) {
      return data.receipts[digest];
    },
    async latestCheckpoint(origin) {
      return data.latestCheckpoint[origin]!;
    },
    async consistencyProof(origin, m, n) {
      return (data.consistency[`${origin}|${m}|${n}`] ?? []).map(
        (b) => new Uint8Array(Buffer.from(b, "base64")),
      );
    },
  };
}
