// VC Data Model 2.0 structural rules (W3C Recommendation, §4 "Basic Concepts"), checked on any
// credential in the 2.0 form, ours or another issuer's. Each defect names the MUST it breaks, so
// the schema check can say why a credential is not a Verifiable Credential.
// Rules that need JSON-LD processing (term definitions, protected-term redefinition) are not
// checked here (this core stays free of JSON-LD): the Node entry's context-expansion.ts applies
// them to documents that bring contexts of their own.

const VC2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";

/** One broken rule: where (JSON path), which rule, and a sentence. */
export interface DataModelDefect {
  path: string;
  rule: string;
  message: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** §4.4 "Identifiers": a URL (RFC 3986 absolute form: scheme ":" then no white space). */
export function isUrl(v: unknown): boolean {
  if (typeof v !== "string" || v.length === 0 || v.length > 8192 || /\s/.test(v)) return false;
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** §4.9 / XML Schema 1.1 `dateTimeStamp`: a date-time with a time zone. */
const DATE_TIME_STAMP =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** §4.6 "Types": one string or a set of strings. */
function typesOf(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string")) return v as string[];
  return undefined;
}

const VALUE_OBJECT_KEYS = new Set(["@value", "@language", "@direction"]);

/**
 * §11.1 "Language and Base Direction": a string, a language value object (a string `@value`,
 * optionally `@language` and `@direction` "ltr" or "rtl", nothing else: JSON-LD 1.1 §4.2.4), or a
 * set of them.
 */
function isTextValue(v: unknown): boolean {
  const one = (x: unknown) =>
    typeof x === "string" ||
    (isObject(x) &&
      typeof x["@value"] === "string" &&
      Object.keys(x).every((k) => VALUE_OBJECT_KEYS.has(k)) &&
      (x["@language"] === undefined || typeof x["@language"] === "string") &&
      (x["@direction"] === undefined || x["@direction"] === "ltr" || x["@direction"] === "rtl"));
  return one(v) || (Array.isArray(v) && v.length > 0 && v.every(one));
}

/**
 * The defects of `c` against VC Data Model 2.0 for a credential (`kind: "credential"`) or a
 * presentation (`"presentation"`, §4.13). An empty list means structurally conforming.
 */
export function dataModelDefects(
  c: Record<string, unknown>,
  kind: "credential" | "presentation" = "credential",
): DataModelDefect[] {
  const out: DataModelDefect[] = [];
  const add = (path: string, rule: string, message: string) => {
    if (out.length < 20) out.push({ path, rule, message });
  };

  // §4.3 "Contexts": an ordered set, first the VC 2.0 context URL, then URLs or objects.
  const ctx = c["@context"];
  const ctxs = asArray(ctx);
  if (ctx === undefined) add("@context", "contexts", "@context is missing (VC Data Model 2.0 §4.3)");
  else if (ctxs[0] !== VC2_CONTEXT_URL)
    add("@context[0]", "contexts", `the first @context must be ${VC2_CONTEXT_URL} (§4.3)`);
  ctxs.slice(1).forEach((x, i) => {
    if (!(isUrl(x) || isObject(x)))
      add(`@context[${i + 1}]`, "contexts", "each further @context must be a URL or an object (§4.3)");
  });

  // §4.4 "Identifiers": id, if present, one URL.
  if (c.id !== undefined && !isUrl(c.id)) add("id", "identifiers", "id must be a single URL (§4.4)");

  // §4.5 "Types".
  const required = kind === "credential" ? "VerifiableCredential" : "VerifiablePresentation";
  const types = typesOf(c.type);
  if (!types) add("type", "types", "type must be present, one or more strings (§4.5)");
  else if (!types.includes(required)) add("type", "types", `type must include "${required}" (§4.5)`);

  for (const k of ["name", "description"])
    if (c[k] !== undefined && !isTextValue(c[k]))
      add(k, "names-and-descriptions", `${k} must be a string or language value object (§4.6)`);

  if (kind === "credential") {
    // §4.7 "Issuer": a URL, or an object whose id is a URL.
    const issuer = c.issuer;
    if (issuer === undefined) add("issuer", "issuer", "issuer must be present (§4.7)");
    else if (isObject(issuer)) {
      if (!isUrl(issuer.id))
        add("issuer.id", "issuer", "an issuer object must have an id that is a URL (§4.7)");
      // §4.6 names and descriptions apply to the issuer object too (its example 9).
      for (const k of ["name", "description"])
        if (issuer[k] !== undefined && !isTextValue(issuer[k]))
          add(
            `issuer.${k}`,
            "names-and-descriptions",
            `the issuer's ${k} must be a string or language value object (§4.6)`,
          );
    } else if (!isUrl(issuer))
      add("issuer", "issuer", "issuer must be a URL or an object with an id URL (§4.7)");

    // §4.8 "Credential Subject": one or more objects, each with at least one claim.
    const subj = c.credentialSubject;
    if (subj === undefined)
      add("credentialSubject", "credential-subject", "credentialSubject must be present (§4.8)");
    else {
      const subjects = asArray(subj);
      if (subjects.length === 0)
        add(
          "credentialSubject",
          "credential-subject",
          "credentialSubject must hold at least one subject (§4.8)",
        );
      subjects.forEach((s, i) => {
        const at = Array.isArray(subj) ? `credentialSubject[${i}]` : "credentialSubject";
        if (!isObject(s)) add(at, "credential-subject", "each credential subject must be an object (§4.8)");
        else if (Object.keys(s).length === 0)
          add(
            at,
            "credential-subject",
            "a credential subject must make at least one claim; it is empty (§4.8)",
          );
        else if (s.id !== undefined && !isUrl(s.id))
          add(`${at}.id`, "credential-subject", "a credential subject's id must be a URL (§4.8)");
      });
    }

    // §4.9 "Validity Period": dateTimeStamp values.
    for (const k of ["validFrom", "validUntil"]) {
      if (c[k] !== undefined && !(typeof c[k] === "string" && DATE_TIME_STAMP.test(c[k])))
        add(k, "validity-period", `${k} must be an XML Schema dateTimeStamp, with a time zone (§4.9)`);
    }
    // §4.9: with both present, validFrom MUST be the same as or earlier than validUntil.
    const from =
      typeof c.validFrom === "string" && DATE_TIME_STAMP.test(c.validFrom) ? Date.parse(c.validFrom) : NaN;
    const until =
      typeof c.validUntil === "string" && DATE_TIME_STAMP.test(c.validUntil) ? Date.parse(c.validUntil) : NaN;
    if (from > until)
      add("validFrom", "validity-period", "validFrom must not be later than validUntil (§4.9)");

    // §4.10 "Status", §4.11 "Data Schemas", §5.5 "Refreshing", §5.6 "Terms of Use", §5.7 "Evidence",
    // and an embedded `proof` (VC Data Integrity 1.0 §2.1: `type` REQUIRED): each entry an object
    // with a type; ids, where present (or required), URLs. A refresh service without an id is
    // refused as the W3C test suite expects (credential-refresh-no-id-fail): without one there
    // is nothing to refresh from.
    const entries: [string, string, { idRequired?: boolean }][] = [
      ["credentialStatus", "status", {}],
      ["credentialSchema", "data-schemas", { idRequired: true }],
      ["refreshService", "refreshing", { idRequired: true }],
      ["proof", "securing", {}],
      ["termsOfUse", "terms-of-use", {}],
      ["evidence", "evidence", {}],
    ];
    for (const [key, rule, o] of entries) {
      const v = c[key];
      if (v === undefined) continue;
      const list = asArray(v);
      if (list.length === 0) add(key, rule, `${key} must hold at least one entry`);
      list.forEach((e, i) => {
        const at = Array.isArray(v) ? `${key}[${i}]` : key;
        if (!isObject(e)) return add(at, rule, `each ${key} entry must be an object`);
        if (!typesOf(e.type)) add(`${at}.type`, rule, `each ${key} entry must have a type`);
        if (e.id !== undefined ? !isUrl(e.id) : o.idRequired === true)
          add(`${at}.id`, rule, `a ${key} entry's id must be a URL`);
      });
    }
  } else {
    // §4.13 "Verifiable Presentations": holder a URL or object with id URL; each credential an
    // object — a secured credential, or an EnvelopedVerifiableCredential (§4.13.1) whose id is a
    // data: URL — never a bare string (VC-JOSE-COSE §3.2 puts JWTs in enveloped credentials).
    const holder = c.holder;
    if (holder !== undefined && !(isUrl(holder) || (isObject(holder) && isUrl(holder.id))))
      add("holder", "presentations", "holder must be a URL or an object with an id URL (§4.13)");
    asArray(c.verifiableCredential).forEach((vc, i) => {
      const at = `verifiableCredential[${i}]`;
      if (!isObject(vc))
        return add(
          at,
          "presentations",
          "each verifiableCredential must be an object; a bare token must be wrapped as an EnvelopedVerifiableCredential (§4.13.1)",
        );
      const t = typesOf(vc.type) ?? [];
      if (
        t.includes("EnvelopedVerifiableCredential") &&
        !(typeof vc.id === "string" && vc.id.startsWith("data:"))
      )
        add(
          `${at}.id`,
          "presentations",
          "an EnvelopedVerifiableCredential's id must be a data: URL (§4.13.1)",
        );
    });
  }
  return out;
}
