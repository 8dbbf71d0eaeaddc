import { decodeJwt } from "@meritlog/verifier/core";
import { WalletError } from "./errors.js";

/** The three kinds, in the order the portfolio shows them, with plain-language group names. */
export const KIND_GROUPS = [
  { kind: "MicroCredential", title: "Micro-credentials" },
  { kind: "Attribution", title: "Attributions" },
  { kind: "MPUAuthorship", title: "MPU authorship" },
] as const;
type Kind = (typeof KIND_GROUPS)[number]["kind"] | "Other";

interface EvidenceView {
  url: string;
  name?: string;
  digest: string;
}

/** Everything a card and the detail view show, read from the signed credential (never from elsewhere). */
export interface CredentialView {
  id: string;
  kind: Kind;
  title: string;
  description: string;
  issuerName: string;
  issuerId: string;
  subjectId: string;
  covers: string[];
  excludes: string[];
  reviewLevel?: string;
  validFrom?: string;
  validUntil?: string;
  renewal?: string;
  limitations: string[];
  assessmentBasis?: string;
  evidence: EvidenceView[];
  notice?: string;
  extra: { label: string; value: string }[];
  supersedes?: string;
  renews?: string;
  credential: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The credential inside a VC-JWT: Open Badges 3.0 / VC 2.0 (payload is the credential) or VC 1.1 (`vc` claim). */
export function credentialOfJwt(jwt: string): Record<string, unknown> {
  // The verifier's strict decoder: a stored credential passed it when it was verified.
  let payload: Record<string, unknown>;
  try {
    ({ payload } = decodeJwt(jwt));
  } catch (cause) {
    throw new WalletError("encoding.malformed", "This is not a signed token (JWT).", { cause });
  }
  const vc = payload.vc;
  if (!vc || typeof vc !== "object") return payload;
  // VC-JWT 1.1 (VC Data Model 1.1 §6.3.1) may move the credential id into `jti`.
  const inner = vc as Record<string, unknown>;
  return { ...inner, id: inner.id || payload.jti };
}

/** Builds the display model of a decoded meritlog credential; unknown shapes degrade to "Other". */
export function describe(cred: Record<string, unknown>): CredentialView {
  const types = strs(cred.type);
  const kind: Kind =
    (["MicroCredential", "Attribution", "MPUAuthorship"] as const).find((k) => types.includes(k)) ?? "Other";
  const subject = obj(cred.credentialSubject);
  const achievement = obj(subject.achievement);
  const scope = obj(subject.scope);
  const issuer = typeof cred.issuer === "string" ? { id: cred.issuer } : obj(cred.issuer);
  const extra: { label: string; value: string }[] = [];
  const contribution = obj(subject.contribution);
  if (kind === "Attribution") {
    const object = obj(subject.contributionObject);
    if (str(contribution.kind))
      extra.push({
        label: "Contribution",
        value: `${contribution.kind}${str(contribution.role) ? ` (${contribution.role})` : ""}`,
      });
    if (str(contribution.description))
      extra.push({ label: "What was done", value: String(contribution.description) });
    if (str(object.name))
      extra.push({
        label: "Contributed to",
        value: `${object.name}${str(object.digestSRI) ? ` — ${object.digestSRI}` : ""}`,
      });
  }
  const mpu = obj(subject.mpu);
  if (kind === "MPUAuthorship") {
    if (str(mpu.title)) extra.push({ label: "MPU", value: String(mpu.title) });
    if (str(mpu.category)) extra.push({ label: "Category", value: String(mpu.category) });
    if (str(mpu.license)) extra.push({ label: "Licence", value: String(mpu.license) });
    if (str(mpu.stage)) extra.push({ label: "Stage", value: String(mpu.stage) });
    if (str(mpu.verification)) extra.push({ label: "Verification", value: String(mpu.verification) });
    const authors = Array.isArray(mpu.authors)
      ? mpu.authors.map((a) => `${str(obj(a).role) ?? "author"}: ${str(obj(a).id) ?? "?"}`)
      : [];
    if (authors.length) extra.push({ label: "Authors", value: authors.join("; ") });
    if (str(mpu.digestSRI)) extra.push({ label: "MPU digest", value: String(mpu.digestSRI) });
  }
  if (str(subject.pathway)) extra.push({ label: "Pathway", value: String(subject.pathway) });
  const evidence: EvidenceView[] = (Array.isArray(cred.evidence) ? cred.evidence : []).map((e) => {
    const ev = obj(e);
    const v: EvidenceView = { url: str(ev.id) ?? "", digest: str(ev.digestSRI) ?? "(no digest)" };
    if (str(ev.name)) v.name = String(ev.name);
    return v;
  });
  const notice = (Array.isArray(cred.termsOfUse) ? cred.termsOfUse : [])
    .map(obj)
    .find((t) => t.type === "NoConversionNotice");
  const view: CredentialView = {
    id: str(cred.id) ?? "",
    kind,
    title: str(achievement.name) ?? str(cred.name) ?? str(mpu.title) ?? "Untitled record",
    description: str(achievement.description) ?? str(cred.description) ?? "",
    issuerName: str(issuer.name) ?? str(issuer.id) ?? "Unknown issuer",
    issuerId: str(issuer.id) ?? "",
    subjectId: str(subject.id) ?? "",
    covers: strs(scope.covers),
    excludes: strs(scope.excludes),
    limitations: strs(subject.limitations),
    evidence,
    extra,
    credential: cred,
  };
  const set = <K extends keyof CredentialView>(k: K, v: CredentialView[K] | undefined) => {
    if (v !== undefined) view[k] = v;
  };
  set("reviewLevel", str(subject.reviewLevel));
  set("validFrom", str(cred.validFrom) ?? str(cred.issuanceDate));
  set("validUntil", str(cred.validUntil) ?? str(cred.expirationDate));
  set("renewal", str(subject.renewalRequirement));
  set("assessmentBasis", str(subject.assessmentBasis));
  set("notice", str(notice?.text));
  set("supersedes", str(cred.supersedes));
  set("renews", str(cred.renews));
  return view;
}
