/**
 * The one way the server reaches other hosts (issue 13): did:web documents, foreign status lists.
 * A caller of POST /v1/verify chooses the URLs inside a credential, so every fetch is guarded
 * against server-side request forgery (OWASP SSRF Prevention Cheat Sheet):
 * - https only; plain http only to this service's own origin;
 * - the host name is resolved once, every address it resolves to is checked (no private,
 *   loopback, link-local, unique-local, multicast or reserved address), and the connection goes
 *   to the checked address, with no second lookup (so a DNS answer that changes between check and
 *   connect, "DNS rebinding", cannot steer it);
 * - 5 s for the whole exchange, 1 MB of body, redirects followed only within the same host;
 * - answers cached (per URL) with the time they were fetched, which the report shows.
 */
import { request as httpsRequest } from "node:https";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { Fetcher } from "./core/index.js";

/** One resolved address. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface GuardedFetchOptions {
  /** Whole-exchange time limit (default 5000 ms). */
  timeoutMs?: number;
  /** Body size limit (default 1 MiB). */
  maxBytes?: number;
  /** How long an answer is reused (default 5 minutes). */
  cacheTtlMs?: number;
  /** This service's own origin (`http://host:port`): the only place plain http may go. */
  selfOrigin?: string;
  /** Resolver (default: the system's, all addresses). Tests inject one to play DNS rebinding. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /**
   * TEST ONLY: let loopback addresses through (local test servers). Never set by the server's
   * configuration; the option exists so tests can run https servers on 127.0.0.1.
   */
  allowLoopbackForTests?: boolean;
  /** Extra CA certificates to trust (tests with a self-signed certificate). */
  ca?: string | Buffer;
  now?: () => Date;
}

/** A fetched document and when it was fetched. */
export interface Fetched {
  url: string;
  body: string;
  fetchedAt: string;
  /** True when it came from the cache (fetchedAt is then the time of the original fetch). */
  cached: boolean;
}

/** Why a fetch was refused or failed, with a stable code. */
export class FetchRefused extends Error {
  constructor(
    readonly code:
      | "fetch.scheme"
      | "fetch.address"
      | "fetch.resolve"
      | "fetch.timeout"
      | "fetch.too_large"
      | "fetch.redirect"
      | "fetch.status"
      | "fetch.network",
    message: string,
  ) {
    super(message);
    this.name = "FetchRefused";
  }
}

/** Addresses never fetched from (IANA special-purpose registries, RFC 6890 and successors). */
const BLOCKED = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  BLOCKED.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  // (IPv4-mapped addresses are judged as IPv4 by isPublicAddress; a ::ffff:0:0/96 rule here would
  // also match every IPv4 address, as BlockList compares IPv4 with IPv6 rules in mapped form.)
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  BLOCKED.addSubnet(net, bits, "ipv6");
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** Whether an address may be connected to. IPv4-mapped IPv6 addresses are judged as IPv4. */
export function isPublicAddress(address: string, allowLoopback = false): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped ? mapped[1]! : address;
  const family = isIP(a);
  if (family === 0) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (allowLoopback && LOOPBACK.check(a, type)) return true;
  return !BLOCKED.check(a, type);
}

async function systemResolve(host: string): Promise<ResolvedAddress[]> {
  const all = await dnsLookup(host, { all: true, verbatim: true });
  return all.map((x) => ({ address: x.address, family: x.family === 6 ? 6 : 4 }));
}

/**
 * A guarded fetch function. Resolves with the body as text; rejects with {@link FetchRefused}.
 * @example const get = createGuardedFetch({ selfOrigin: "https://meritlog.example" }); await get(url, "application/json")
 */
export function createGuardedFetch(
  o: GuardedFetchOptions = {},
): (url: string, accept: string) => Promise<Fetched> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const maxBytes = o.maxBytes ?? 1024 * 1024;
  const ttl = o.cacheTtlMs ?? 5 * 60_000;
  const resolve = o.resolve ?? systemResolve;
  const now = o.now ?? (() => new Date());
  const self = o.selfOrigin ? new URL(o.selfOrigin).origin : undefined;
  const cache = new Map<string, { body: string; fetchedAt: string; expires: number }>();

  async function once(
    u: URL,
    accept: string,
    deadline: number,
  ): Promise<{ status: number; location?: string; body: string }> {
    const isHttp = u.protocol === "http:";
    if (u.protocol !== "https:" && !(isHttp && self !== undefined && u.origin === self)) {
      throw new FetchRefused(
        "fetch.scheme",
        `${u.protocol.replace(":", "")} URLs are not fetched (https only${self ? `; http only to ${self}` : ""})`,
      );
    }
    if (u.username || u.password)
      throw new FetchRefused("fetch.scheme", "URLs with credentials are not fetched");
    const host = u.hostname.replace(/^\[|\]$/g, "");
    let addresses: ResolvedAddress[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
    else {
      try {
        addresses = await resolve(host);
      } catch (e) {
        throw new FetchRefused(
          "fetch.resolve",
          `${host} could not be resolved (${e instanceof Error ? e.message.slice(0, 100) : "error"})`,
        );
      }
    }
    if (addresses.length === 0) throw new FetchRefused("fetch.resolve", `${host} has no address`);
    // Every address must be public, not only the first: a name that also points inside is refused.
    const ownOrigin = self !== undefined && u.origin === self;
    for (const a of addresses) {
      if (!ownOrigin && !isPublicAddress(a.address, o.allowLoopbackForTests === true)) {
        throw new FetchRefused(
          "fetch.address",
          `${host} resolves to ${a.address}, a private, loopback or reserved address; it is not fetched`,
        );
      }
    }
    const target = addresses[0]!;
    const left = deadline - Date.now();
    if (left <= 0) throw new FetchRefused("fetch.timeout", `no answer within ${timeoutMs} ms`);
    return await new Promise((resolvePromise, reject) => {
      const req = (isHttp ? httpRequest : httpsRequest)(
        {
          protocol: u.protocol,
          host,
          port: u.port || (isHttp ? 80 : 443),
          path: `${u.pathname}${u.search}`,
          method: "GET",
          headers: { accept, "user-agent": "meritlog-verifier" },
          // A fresh connection every time: a pooled keep-alive socket is keyed by host name and
          // would carry this request to whatever address an earlier lookup gave (rebinding).
          agent: false,
          // Connect to the address checked above, never to a second DNS answer. TLS still checks
          // the certificate against the host name (servername defaults to `host`).
          lookup: (
            _h: string,
            opts: { all?: boolean },
            cb: (err: Error | null, address: string | ResolvedAddress[], family?: number) => void,
          ) =>
            opts?.all
              ? cb(null, [{ address: target.address, family: target.family }])
              : cb(null, target.address, target.family),
          ...(o.ca ? { ca: o.ca } : {}),
        } as never,
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            res.resume();
            return resolvePromise({
              status,
              ...(res.headers.location ? { location: res.headers.location } : {}),
              body: "",
            });
          }
          const declared = Number(res.headers["content-length"] ?? "0");
          if (declared > maxBytes) {
            req.destroy();
            return reject(new FetchRefused("fetch.too_large", `the answer is larger than ${maxBytes} bytes`));
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size > maxBytes) {
              req.destroy();
              reject(new FetchRefused("fetch.too_large", `the answer is larger than ${maxBytes} bytes`));
            } else chunks.push(c);
          });
          res.on("end", () => resolvePromise({ status, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", (e) => reject(new FetchRefused("fetch.network", e.message)));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        reject(new FetchRefused("fetch.timeout", `no answer within ${timeoutMs} ms`));
      }, left);
      req.on("error", (e) =>
        reject(e instanceof FetchRefused ? e : new FetchRefused("fetch.network", e.message.slice(0, 200))),
      );
      req.on("close", () => clearTimeout(timer));
      req.end();
    });
  }

  return async (url: string, accept: string): Promise<Fetched> => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new FetchRefused("fetch.scheme", "not a URL");
    }
    const key = u.href;
    const hit = cache.get(key);
    const t = now().getTime();
    if (hit && hit.expires > t)
      return { url: u.href, body: hit.body, fetchedAt: hit.fetchedAt, cached: true };
    const deadline = Date.now() + timeoutMs;
    for (let hops = 0; ; hops++) {
      const r = await once(u, accept, deadline);
      if (r.status >= 300 && r.status < 400) {
        const next = r.location ? new URL(r.location, u) : undefined;
        // Redirects stay on the same host and scheme (a redirect elsewhere is how SSRF hops inside).
        if (!next || next.host !== u.host || next.protocol !== u.protocol || hops >= 3) {
          throw new FetchRefused(
            "fetch.redirect",
            `redirected to ${next ? next.origin : "nowhere"}; redirects to other hosts are not followed`,
          );
        }
        u = next;
        continue;
      }
      if (r.status !== 200) throw new FetchRefused("fetch.status", `HTTP ${r.status}`);
      const fetchedAt = new Date(t).toISOString();
      cache.set(key, { body: r.body, fetchedAt, expires: t + ttl });
      return { url: u.href, body: r.body, fetchedAt, cached: false };
    }
  };
}

/**
 * The verifier's Fetcher members for other hosts, over a guarded fetch: did:web documents, JWK
 * Sets named by an https `kid`, foreign status lists, and the latest checkpoint of a foreign log whose key the verifier trusts
 * (`trustedOrigins`, from `MERITLOG_TRUSTED_LOGS`), read at `https://<origin>/checkpoint` (C2SP
 * tlog-tiles: the origin is the log's URL prefix). `own` answers what this service serves itself
 * (no network); `isOwn` says which status list URLs are its own.
 */
export function guardedFetcher(
  get: (url: string, accept: string) => Promise<Fetched>,
  own: Fetcher,
  isOwn: (url: string) => boolean,
  trustedOrigins: readonly string[] = [],
): Fetcher {
  return {
    ...own,
    async statusList(url) {
      if (isOwn(url) && own.statusList) return await own.statusList(url);
      return (await get(url, "application/vc+jwt, application/jwt, text/plain")).body.trim();
    },
    async didWeb(url) {
      const r = await get(url, "application/did+json, application/json");
      try {
        return JSON.parse(r.body) as unknown;
      } catch {
        throw new Error(`the DID document at ${url} is not JSON`);
      }
    },
    async jwks(url) {
      const r = await get(url, "application/jwk-set+json, application/jwk+json, application/json");
      try {
        return JSON.parse(r.body) as unknown;
      } catch {
        throw new Error(`the key set at ${url} is not JSON`);
      }
    },
    async latestCheckpoint(origin) {
      if (trustedOrigins.includes(origin))
        return (await get(`https://${origin}/checkpoint`, "text/plain")).body;
      if (!own.latestCheckpoint)
        throw new Error(`log "${origin}" is not trusted here; its checkpoint was not fetched`);
      return await own.latestCheckpoint(origin);
    },
  };
}
