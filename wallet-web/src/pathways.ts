/**
 * Fetches the pathways of the issuers of held credentials (docs/API.md "Pathways", a public GET
 * that sends nothing about the learner but the issuer's DID) and computes the learner's progress.
 */
import { credentialOfJwt, describe } from "./credential-view.js";
import { WalletError } from "./errors.js";
import { t } from "./i18n.js";
import {
  pathwayProgress,
  type HeldCredential,
  type PathwayDoc,
  type PathwayProgress,
} from "./pathway-progress.js";
import type { StoredCredential } from "./records.js";
import { ServerApi } from "./server-api.js";

/** The service a credential came from: its offer's credential issuer, else the wallet's own server. */
function serviceOf(rec: StoredCredential, fallback: string): string {
  try {
    return rec.source ? new URL(rec.source).origin : fallback;
  } catch {
    return fallback;
  }
}

export interface PathwayLoad {
  progress: PathwayProgress[];
  /** Servers that could not be asked, in plain words. */
  problems: string[];
  /** What each (service, issuer) published, as last fetched: kept for the next load. */
  published: ReadonlyMap<string, PathwayDoc[]>;
}

export async function loadPathwayProgress(
  creds: StoredCredential[],
  fallbackOrigin: string,
  api: (baseUrl: string) => Pick<ServerApi, "pathways"> = (b) => new ServerApi(b),
  lastPublished: ReadonlyMap<string, PathwayDoc[]> = new Map(),
): Promise<PathwayLoad> {
  // One request per (service, issuer DID): the pathways of one issuer go with its credentials only.
  const groups = new Map<string, { base: string; did: string; held: HeldCredential[] }>();
  for (const rec of creds) {
    let view;
    try {
      view = describe(credentialOfJwt(rec.jwt));
    } catch {
      continue;
    }
    if (view.kind !== "MicroCredential" || !view.issuerId) continue;
    const base = serviceOf(rec, fallbackOrigin);
    const key = `${base} ${view.issuerId}`;
    const g = groups.get(key) ?? { base, did: view.issuerId, held: [] };
    g.held.push({ view, status: rec.status.state });
    groups.set(key, g);
  }
  const progress: PathwayProgress[] = [];
  const problems: string[] = [];
  const published = new Map<string, PathwayDoc[]>();
  await Promise.all(
    [...groups].map(async ([key, g]) => {
      let pathways: PathwayDoc[];
      try {
        pathways = await api(g.base).pathways(g.did);
      } catch (e) {
        // An issuer the service does not know (404) publishes no pathways there: nothing to show.
        if (e instanceof WalletError && /answered 404/.test(e.message)) return;
        // A check that cannot reach the service (a learner in the field, a dropped connection)
        // keeps the pathways as last fetched, over the credentials as held now, and says so.
        const last = lastPublished.get(key);
        problems.push(
          t(last ? "pw.unreachable_kept" : "pw.unreachable", {
            host: new URL(g.base).host,
            why: e instanceof Error ? e.message : String(e),
          }),
        );
        if (!last) return;
        pathways = last;
      }
      published.set(key, pathways);
      progress.push(...pathwayProgress(pathways, g.held));
    }),
  );
  progress.sort((a, b) => a.pathway.name.localeCompare(b.pathway.name));
  return { progress, problems, published };
}
