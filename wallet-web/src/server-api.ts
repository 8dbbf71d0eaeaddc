import { WalletError } from "./errors.js";
import { fromBase64 } from "./encoding.js";
import type { Fetch } from "./claim.js";
import type { PathwayDoc } from "./pathway-progress.js";

/** The shape the progress view relies on; anything else from the server is left out. */
function isPathwayDoc(v: unknown): v is PathwayDoc {
  const p = v as Partial<PathwayDoc> | null;
  return (
    typeof p?.id === "string" &&
    typeof p.name === "string" &&
    typeof p.issuer === "string" &&
    typeof p.publishedAt === "string" &&
    typeof p.ordered === "boolean" &&
    Array.isArray(p.achievements) &&
    p.achievements.every((a) => typeof (a as { name?: unknown })?.name === "string")
  );
}

/**
 * The few public meritlog endpoints the wallet reads (docs/API.md "Log", "Verification",
 * "Issuers"). Every call but one is a GET of public data; the exception, `verifyReport`, sends a
 * credential only back to the service that issued it.
 */
export class ServerApi {
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: Fetch = (u, i) => fetch(u, i),
  ) {}

  private async get(path: string, accept = "application/json"): Promise<Response> {
    const url = path.startsWith("http") ? path : `${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, { headers: { accept }, cache: "no-store" });
    } catch (cause) {
      throw new WalletError("claim.http", `Could not reach ${new URL(url).host}.`, { cause });
    }
    if (!res.ok) throw new WalletError("claim.http", `${new URL(url).pathname} answered ${res.status}.`);
    return res;
  }

  /** The parsed JSON body. @throws WalletError claim.malformed_response, never SyntaxError */
  private async parsed(path: string): Promise<unknown> {
    const res = await this.get(path);
    try {
      return (await res.json()) as unknown;
    } catch (cause) {
      throw new WalletError("claim.malformed_response", `${path} did not answer JSON.`, { cause });
    }
  }

  private async json(path: string): Promise<Record<string, unknown>> {
    return (await this.parsed(path)) as Record<string, unknown>;
  }

  /** `GET /v1/issuers`: the public issuer registry. */
  async issuers(): Promise<{ did: string; name: string }[]> {
    const list = await this.parsed("/v1/issuers");
    const arr = Array.isArray(list)
      ? list
      : Array.isArray((list as { issuers?: unknown })?.issuers)
        ? (list as { issuers: unknown[] }).issuers
        : [];
    return arr
      .filter((i): i is { did: string; name: string } => typeof (i as { did?: unknown })?.did === "string")
      .map((i) => ({ did: i.did, name: String(i.name ?? "") }));
  }

  /** `GET /v1/log/key`: the log's origin and signed-note verifier key, and its witnesses' cosigner keys and quorum. */
  async logKey(): Promise<{
    origin: string;
    verifierKey: string;
    witnesses?: string[];
    witnessQuorum?: number;
  }> {
    const j = await this.json("/v1/log/key");
    if (typeof j.origin !== "string" || typeof j.verifierKey !== "string")
      throw new WalletError("claim.malformed_response", "The log key answer is incomplete.");
    const out: { origin: string; verifierKey: string; witnesses?: string[]; witnessQuorum?: number } = {
      origin: j.origin,
      verifierKey: j.verifierKey,
    };
    if (Array.isArray(j.witnesses))
      out.witnesses = j.witnesses.filter((w): w is string => typeof w === "string");
    if (Number.isSafeInteger(j.witnessQuorum)) out.witnessQuorum = j.witnessQuorum as number;
    return out;
  }

  /** `GET /log/checkpoint`: the current signed checkpoint (C2SP tlog-checkpoint). */
  async checkpoint(): Promise<string> {
    return (await this.get("/log/checkpoint", "text/plain")).text();
  }

  /** `GET /v1/log/proof/consistency`: RFC 9162 §2.1.4 proof between two tree sizes. */
  async consistency(first: number, second: number): Promise<Uint8Array[]> {
    const j = await this.json(`/v1/log/proof/consistency?first=${first}&second=${second}`);
    if (!Array.isArray(j.proof))
      throw new WalletError("claim.malformed_response", "The consistency proof is missing.");
    return j.proof.map((p) => fromBase64(String(p)));
  }

  /** An entry bundle under `/log/` (C2SP tlog-tiles), as bytes. */
  async bundle(path: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.get(`/log/${path}`, "application/octet-stream")).arrayBuffer());
  }

  /** A hash tile under `/log/` (C2SP tlog-tiles), as bytes. */
  async tile(path: string): Promise<Uint8Array> {
    return this.bundle(path);
  }

  /** A status list credential (VC-JWT) from its absolute URL. */
  async statusList(url: string): Promise<string> {
    return (await this.get(url, "application/vc+jwt, application/jwt, text/plain")).text();
  }

  /** `GET /v1/pathways?issuer=`: an issuer's published pathways, every version (docs/API.md "Pathways"). */
  async pathways(issuerDid: string): Promise<PathwayDoc[]> {
    const j = await this.json(`/v1/pathways?issuer=${encodeURIComponent(issuerDid)}`);
    const items = Array.isArray(j.items) ? (j.items as unknown[]) : [];
    return items.filter(isPathwayDoc);
  }

  /** `GET /v1/challenges`: a nonce and audience for a presentation to this service. */
  async challenge(): Promise<{ nonce: string; audience: string; expiresAt?: string }> {
    const j = await this.json("/v1/challenges");
    if (typeof j.nonce !== "string" || typeof j.audience !== "string")
      throw new WalletError("challenge.malformed", "The verifier's challenge is incomplete.");
    const c: { nonce: string; audience: string; expiresAt?: string } = {
      nonce: j.nonce,
      audience: j.audience,
    };
    if (typeof j.expiresAt === "string") c.expiresAt = j.expiresAt;
    return c;
  }

  /**
   * `POST /v1/verify {credential}` at the server that issued it: its report carries the recorded
   * history with the public reason codes, which status lists and log entries do not. Sent only to
   * the credential's own issuer service (which holds it already), only for a non-active credential.
   */
  async verifyReport(jwt: string): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}/v1/verify`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ credential: jwt }),
        cache: "no-store",
      });
    } catch (cause) {
      throw new WalletError("claim.http", `Could not reach ${new URL(this.baseUrl).host}.`, { cause });
    }
    if (!res.ok) throw new WalletError("claim.http", `/v1/verify answered ${res.status}.`);
    try {
      return (await res.json()) as unknown;
    } catch (cause) {
      throw new WalletError("claim.malformed_response", "/v1/verify did not answer JSON.", { cause });
    }
  }
}
