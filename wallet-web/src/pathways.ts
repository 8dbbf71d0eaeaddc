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

export async function loadPathwayProgress(
  creds: StoredCredential[],
  fallbackOrigin: string,
  api: (baseUrl: string) => Pick<ServerApi, "pathways"> = (b) => new ServerApi(b),
): Promise<{ progress: PathwayProgress[]; problems: string[] }> {
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
  await Promise.all(
    [...groups.values()].map(async (g) => {
      let pathways: PathwayDoc[];
      try {
        pathways = await api(g.base).pathways(g.did);
      } catch (e) {
        // An issuer the service does not know (404) publishes no pathways there: nothing to show.
        if (e instanceof WalletError && /answered 404/.test(e.message)) return;
        problems.push(
          t("pw.unreachable", {
            host: new URL(g.base).host,
            why: e instanceof Error ? e.message : String(e),
          }),
        );
        return;
      }
      progress.push(...pathwayProgress(pathways, g.held));
    }),
  );
  progress.sort((a, b) => a.pathway.name.localeCompare(b.pathway.name));
  return { progress, problems };
}
