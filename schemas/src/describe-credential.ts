/**
 * One display summary of a meritlog credential for the verifier report and the wallet: what
 * DOMAIN.md "Display" requires to be shown (scope, issuer, evidence basis, assessment basis,
 * review level, expiry, renewal requirement, limitations, no-conversion notice) in one flat shape.
 */
import type { Credential, EvidenceEntry, StatusEntry } from "./credential.js";
import { credentialKind } from "./credential.js";
import type { CredentialKind } from "./issue-request.js";
import { findNoConversionNotice, isNoConversionNotice } from "./no-conversion.js";

export interface CredentialSummary {
  id: string;
  kind: CredentialKind | "unknown";
  /** Achievement name (credential `name` if the achievement has none). */
  title: string;
  description: string;
  issuer: { id: string; name?: string; url?: string };
  /** The holder's DID (credentialSubject.id). */
  holder: string;
  covers: string[];
  excludes: string[];
  /** MicroCredential review level; MPU verification method is in `verification`. */
  reviewLevel?: string;
  pathway?: string;
  productionClass?: string;
  assessmentBasis?: string;
  limitations: string[];
  renewalRequirement?: string;
  evidence: { id?: string; name?: string; description?: string; digestSRI?: string }[];
  contribution?: { kind: string; role: string; description: string };
  object?: { id: string; name: string; digestSRI: string };
  mpu?: {
    id: string;
    title: string;
    category: string;
    stage: string;
    digestSRI: string;
    linkedDomains: string[];
  };
  verification?: string;
  license?: string;
  licenseTerms?: { name?: string; text: string; url?: string };
  authors: { id: string; role: string }[];
  validFrom?: string;
  validUntil?: string;
  /** The no-conversion notice as carried; `verbatim` is true when it is word for word a published version. */
  notice?: { text: string; version?: string; id?: string; verbatim: boolean };
  supersedes?: string;
  renews?: string;
  status: { purpose: string; statusListCredential: string; statusListIndex: string }[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Summarises a credential for display. Reads defensively (a credential parsed by
 * `credentialSchema` has every member it reads; anything else yields empty fields, never a throw).
 */
export function describeCredential(cred: Credential): CredentialSummary {
  const c = cred as unknown as Record<string, unknown>;
  const subject = obj(c.credentialSubject);
  const achievement = obj(subject.achievement);
  const issuer = obj(c.issuer);
  const scope = obj(subject.scope);
  const kind = credentialKind(cred) ?? "unknown";

  const out: CredentialSummary = {
    id: str(c.id) ?? "",
    kind,
    title: str(achievement.name) ?? str(c.name) ?? "",
    description: str(achievement.description) ?? str(c.description) ?? "",
    issuer: { id: str(issuer.id) ?? (typeof c.issuer === "string" ? c.issuer : "") },
    holder: str(subject.id) ?? "",
    covers: strList(scope.covers),
    excludes: strList(scope.excludes),
    limitations: strList(subject.limitations),
    evidence: list(c.evidence).map((e) => {
      const x = obj(e) as Partial<EvidenceEntry>;
      const item: CredentialSummary["evidence"][number] = {};
      setIf(item, "id", str(x.id));
      setIf(item, "name", str(x.name));
      setIf(item, "description", str(x.description));
      setIf(item, "digestSRI", str(x.digestSRI));
      return item;
    }),
    authors: [],
    status: list(c.credentialStatus).map((s) => {
      const x = obj(s) as Partial<StatusEntry>;
      return {
        purpose: str(x.statusPurpose) ?? "",
        statusListCredential: str(x.statusListCredential) ?? "",
        statusListIndex: str(x.statusListIndex) ?? "",
      };
    }),
  };
  setIf(out.issuer, "name", str(issuer.name));
  setIf(out.issuer, "url", str(issuer.url));
  setIf(out, "reviewLevel", str(subject.reviewLevel));
  setIf(out, "pathway", str(subject.pathway));
  setIf(out, "productionClass", str(subject.productionClass));
  setIf(out, "assessmentBasis", str(subject.assessmentBasis));
  setIf(out, "renewalRequirement", str(subject.renewalRequirement));
  setIf(out, "validFrom", str(c.validFrom));
  setIf(out, "validUntil", str(c.validUntil));
  setIf(out, "supersedes", str(c.supersedes));
  setIf(out, "renews", str(c.renews));

  const contribution = obj(subject.contribution);
  if (str(contribution.kind) !== undefined) {
    out.contribution = {
      kind: str(contribution.kind) ?? "",
      role: str(contribution.role) ?? "",
      description: str(contribution.description) ?? "",
    };
  }
  const object = obj(subject.contributionObject);
  if (str(object.id) !== undefined)
    out.object = {
      id: str(object.id) ?? "",
      name: str(object.name) ?? "",
      digestSRI: str(object.digestSRI) ?? "",
    };

  const mpu = obj(subject.mpu);
  if (str(mpu.id) !== undefined) {
    out.mpu = {
      id: str(mpu.id) ?? "",
      title: str(mpu.title) ?? "",
      category: str(mpu.category) ?? "",
      stage: str(mpu.stage) ?? "",
      digestSRI: str(mpu.digestSRI) ?? "",
      linkedDomains: strList(mpu.linkedDomains),
    };
    setIf(out, "verification", str(mpu.verification));
    setIf(out, "license", str(mpu.license));
    const terms = obj(mpu.licenseTerms);
    if (str(terms.text) !== undefined) {
      const t: { name?: string; text: string; url?: string } = { text: str(terms.text) ?? "" };
      setIf(t, "name", str(terms.name));
      setIf(t, "url", str(terms.url));
      out.licenseTerms = t;
    }
    out.authors = list(mpu.authors).map((a) => ({ id: str(obj(a).id) ?? "", role: str(obj(a).role) ?? "" }));
  }

  const notice = findNoConversionNotice(c.termsOfUse);
  if (notice && typeof notice.text === "string") {
    const n: NonNullable<CredentialSummary["notice"]> = {
      text: notice.text,
      verbatim: isNoConversionNotice(notice),
    };
    setIf(n, "version", str(notice.version));
    setIf(n, "id", str(notice.id));
    out.notice = n;
  }
  return out;
}
