/**
 * Pathway progress (issue 15; docs/API.md "Pathways"): for each pathway a held credential belongs
 * to, which steps are done, which are held but not current (expired, suspended, revoked, below
 * the step's review level) and what is left. Computed only from the credentials as signed and
 * their last checked status: the pathway never changes what a credential says, and completing
 * one creates no certification (DOMAIN.md).
 */
import type { CredentialView } from "./credential-view.js";
import type { StatusState } from "./records.js";

interface PathwayStepDoc {
  name: string;
  id?: string;
  minReviewLevel?: string;
}

/** `GET /v1/pathways/{id}` as the wallet reads it. */
export interface PathwayDoc {
  id: string;
  issuer: string;
  issuerName?: string;
  name: string;
  description: string;
  achievements: PathwayStepDoc[];
  ordered: boolean;
  publishedAt: string;
  supersedes?: string;
  state: "active" | "superseded" | "archived";
  supersededBy?: string;
}

/** A held credential as the progress needs it. */
export interface HeldCredential {
  view: CredentialView;
  status: StatusState;
}

/** Worst to best: the best credential held for a step decides the step's state. */
export type StepState =
  "left" | "revoked" | "archived" | "superseded" | "review-too-low" | "expired" | "suspended" | "done";
const RANK: Readonly<Record<StepState, number>> = {
  left: 0,
  revoked: 1,
  archived: 2,
  superseded: 3,
  "review-too-low": 4,
  expired: 5,
  suspended: 6,
  done: 7,
};

interface StepProgress {
  name: string;
  state: StepState;
  /** The credential that decided the state. */
  credentialId?: string;
  minReviewLevel?: string;
}

export interface PathwayProgress {
  pathway: PathwayDoc;
  /** The newest version of the pathway, when the one shown has been superseded. */
  newer?: PathwayDoc;
  steps: StepProgress[];
  done: number;
  total: number;
  /** For an ordered pathway: the first step not done. */
  next?: string;
}

/** Review levels as they count for `minReviewLevel` (docs/API.md "Pathways"). */
const REVIEW_RANK: Readonly<Record<string, number>> = {
  self: 0,
  "algorithmic-assisted": 0,
  peer: 1,
  supervisor: 2,
  panel: 3,
};

const norm = (s: string): string => s.normalize("NFC").trim().toLowerCase();
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function achievementOf(v: CredentialView): { id?: string; name: string; pathway?: string } {
  const subject = (v.credential.credentialSubject ?? {}) as Record<string, unknown>;
  const achievement = (subject.achievement ?? {}) as Record<string, unknown>;
  const id = str(achievement.id);
  const pathway = str(subject.pathway);
  return { name: v.title, ...(id ? { id } : {}), ...(pathway ? { pathway } : {}) };
}

function matches(step: PathwayStepDoc, v: CredentialView): boolean {
  const a = achievementOf(v);
  if (step.id !== undefined) return a.id === step.id;
  return norm(a.name) === norm(step.name);
}

function stateOf(step: PathwayStepDoc, c: HeldCredential, now: Date): StepState {
  switch (c.status) {
    case "revoked":
    case "archived":
    case "superseded":
      return c.status;
    default:
  }
  if (c.view.validUntil !== undefined && Date.parse(c.view.validUntil) <= now.getTime()) return "expired";
  if (c.status === "suspended") return "suspended";
  if (
    step.minReviewLevel !== undefined &&
    (REVIEW_RANK[c.view.reviewLevel ?? ""] ?? -1) < (REVIEW_RANK[step.minReviewLevel] ?? 0)
  )
    return "review-too-low";
  // "unknown" counts as done only in what the learner holds; the card says the status is unknown.
  return "done";
}

/** The version in effect when the credential was issued: published before it, not yet replaced. */
function versionAt(chain: PathwayDoc[], at: string | undefined): PathwayDoc {
  const t = at !== undefined ? Date.parse(at) : NaN;
  let v = chain[0]!;
  for (const p of chain) if (!Number.isNaN(t) && Date.parse(p.publishedAt) <= t) v = p;
  return v;
}

/** Versions of one pathway, oldest first, following `supersedes`. */
function chains(pathways: PathwayDoc[]): PathwayDoc[][] {
  const byId = new Map(pathways.map((p) => [p.id, p]));
  const roots = pathways.filter((p) => p.supersedes === undefined || !byId.has(p.supersedes));
  return roots.map((root) => {
    const chain = [root];
    const seen = new Set([root.id]);
    let cur = root;
    while (cur.supersededBy !== undefined && byId.has(cur.supersededBy) && !seen.has(cur.supersededBy)) {
      cur = byId.get(cur.supersededBy)!;
      seen.add(cur.id);
      chain.push(cur);
    }
    return chain;
  });
}

/**
 * Progress on every pathway (of one issuer's published ones) that a held credential belongs to:
 * for each pathway, the version the credentials were issued under (the one a credential names in
 * its `pathway` claim, else the one in effect on its issue date), so a correction never rewrites
 * the learner's progress.
 */
export function pathwayProgress(
  pathways: PathwayDoc[],
  held: HeldCredential[],
  now = new Date(),
): PathwayProgress[] {
  const out: PathwayProgress[] = [];
  for (const chain of chains(pathways)) {
    const latest = chain[chain.length - 1]!;
    // Which version(s) the learner's matching credentials belong to.
    const versions = new Map<string, HeldCredential[]>();
    for (const c of held) {
      const named = achievementOf(c.view).pathway;
      const v = chain.find((p) => p.id === named) ?? versionAt(chain, c.view.validFrom);
      if (!v.achievements.some((s) => matches(s, c.view))) continue;
      versions.set(v.id, [...(versions.get(v.id) ?? []), c]);
    }
    for (const p of chain) {
      const mine = versions.get(p.id);
      if (mine === undefined) continue;
      const steps = p.achievements.map((s): StepProgress => {
        let best: StepProgress = {
          name: s.name,
          state: "left",
          ...(s.minReviewLevel ? { minReviewLevel: s.minReviewLevel } : {}),
        };
        for (const c of mine) {
          if (!matches(s, c.view)) continue;
          const st = stateOf(s, c, now);
          if (RANK[st] > RANK[best.state]) best = { ...best, state: st, credentialId: c.view.id };
        }
        return best;
      });
      const next = p.ordered ? steps.find((s) => s.state !== "done")?.name : undefined;
      out.push({
        pathway: p,
        ...(p.id !== latest.id ? { newer: latest } : {}),
        steps,
        done: steps.filter((s) => s.state === "done").length,
        total: steps.length,
        ...(next !== undefined ? { next } : {}),
      });
    }
  }
  return out;
}
