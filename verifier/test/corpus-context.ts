// Builds a VerifyContext from testdata/verifier/corpus.json: its clock, trust material, and a
// fetcher that serves the corpus's status lists, histories, receipts and log proofs.
import { readFileSync } from "node:fs";
import type { Ed25519Verify, Fetcher, HistoryEvent, Receipt, VerifyContext } from "../src/core/index.js";
import { createVerifierCache } from "../src/core/index.js";

export interface CorpusCase {
  desc: string;
  kind: "credential" | "presentation";
  jwt: string;
  receipt?: Receipt;
  expect?: { nonce: string; audience: string; challenge?: "valid" | "expired" | "replayed" | "unknown" };
  want: {
    verdict: string;
    checks: Record<string, string>;
    state?: string;
    credentials?: { verdict: string; checks: Record<string, string> }[];
  };
}

export interface Corpus {
  now: string;
  skewSeconds: number;
  trust: VerifyContext["trust"];
  fetcher: {
    statusLists: Record<string, string>;
    history: Record<string, HistoryEvent[]>;
    receipts: Record<string, Receipt>;
    consistency: Record<string, string[]>;
    latestCheckpoint: Record<string, string>;
  };
  keys: Record<string, string>;
  cases: CorpusCase[];
}

export const corpus = JSON.parse(
  readFileSync(new URL("../../testdata/verifier/corpus.json", import.meta.url), "utf8"),
) as Corpus;

/** A fetcher over the corpus data; `calls` counts what was fetched. */
export function corpusFetcher(c: Corpus = corpus): Fetcher & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const count = (k: string): void => {
    calls[k] = (calls[k] ?? 0) + 1;
  };
  return {
    calls,
    async statusList(url) {
      count("statusList");
      const jwt = c.fetcher.statusLists[url];
      if (jwt === undefined) throw new Error("HTTP 404");
      return jwt;
    },
    async history(id) {
      count("history");
      return c.fetcher.history[id] ?? [];
    },
    async receipt(digest) {
      count("receipt");
      return c.fetcher.receipts[digest];
    },
    async consistencyProof(origin, first, second) {
      count("consistencyProof");
      const p = c.fetcher.consistency[`${origin}|${first}|${second}`];
      if (!p) throw new Error("no such proof");
      return p.map((b) => new Uint8Array(Buffer.from(b, "base64")));
    },
    async latestCheckpoint(origin) {
      count("latestCheckpoint");
      const cp = c.fetcher.latestCheckpoint[origin];
      if (!cp) throw new Error("unknown log");
      return cp;
    },
  };
}

export function corpusContext(
  ed25519: Ed25519Verify,
  o: { cache?: boolean; fetcher?: Fetcher; sha256?: (d: Uint8Array) => Uint8Array } = {},
): VerifyContext {
  return {
    now: new Date(corpus.now),
    skewSeconds: corpus.skewSeconds,
    ed25519,
    trust: corpus.trust,
    fetcher: o.fetcher ?? corpusFetcher(),
    ...(o.cache === false ? {} : { cache: createVerifierCache() }),
    ...(o.sha256 ? { sha256: o.sha256 } : {}),
  };
}
