// A Fetcher over HTTPS for what lives elsewhere: did:web documents and other issuers' status
// lists. Off unless the caller asks for it; https only, no redirects, a time limit and a size cap.
import type { Fetcher } from "./core/index.js";
import { readBounded } from "@meritlog/core";

export interface HttpFetcherOptions {
  /** Enables did:web resolution (network). */
  didWeb?: boolean;
  /** Enables fetching status lists over the network. */
  statusLists?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Injected fetch (tests). */
  fetch?: typeof fetch;
}

async function getCapped(url: string, accept: string, o: Required<Pick<HttpFetcherOptions, "timeoutMs" | "maxBytes">> & { fetch: typeof fetch }): Promise<string> {
  const u = new URL(url);
  if (u.protocol !== "https:") throw new Error("only https URLs are fetched");
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), o.timeoutMs);
  try {
    const res = await o.fetch(u, { headers: { accept }, redirect: "error", signal: ac.signal });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > o.maxBytes) throw new Error(`response larger than ${o.maxBytes} bytes`);
    if (!res.body) return "";
    const body = await readBounded(res.body, o.maxBytes);
    if (body === undefined) throw new Error(`response larger than ${o.maxBytes} bytes`);
    return Buffer.from(body).toString("utf8");
  } finally {
    clearTimeout(timer);
  }
}

/** A fetcher for did:web and remote status lists; members exist only for what is enabled. */
export function createHttpFetcher(o: HttpFetcherOptions = {}): Fetcher {
  const cfg = { timeoutMs: o.timeoutMs ?? 5000, maxBytes: o.maxBytes ?? 1024 * 1024, fetch: o.fetch ?? fetch };
  const f: Fetcher = {};
  if (o.didWeb) f.didWeb = async (url) => JSON.parse(await getCapped(url, "application/did+json, application/json", cfg)) as unknown;
  if (o.statusLists) f.statusList = async (url) => (await getCapped(url, "application/vc+jwt, application/jwt, text/plain", cfg)).trim();
  return f;
}
