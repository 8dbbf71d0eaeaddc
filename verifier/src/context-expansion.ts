/**
 * The VC Data Model 2.0 rules only JSON-LD expansion can judge, for credentials and presentations
 * that bring JSON-LD contexts of their own (an object in `@context`, at any depth):
 * - §4.3 "Contexts": every further `@context` item MUST be processable as a JSON-LD context (a term
 *   mapped to something that is not an IRI, say, is not);
 * - §5.2 "Semantic Interoperability": JSON-LD-based processors MUST produce an error when a context
 *   redefines a protected term (`@protected`, as the base context's terms all are);
 * - §4.5 "Types": each `type` value MUST be a term (defined by the contexts) or an absolute URL; a
 *   type the contexts leave undefined expands to a relative IRI (JSON-LD 1.1 API §6.3).
 *
 * Expansion uses the bundled contexts only (`staticDocumentLoader`), never the network. It runs
 * only where it can find something: a document whose every context is a bundled URL is not
 * expanded (the bundled contexts are processable and do not redefine each other's protected
 * terms, and their documents are read by the JSON rules of vc-data-model.ts), which keeps the
 * jsonld library off the common path (its first use loads it; one expansion costs about a
 * millisecond, against microseconds for the JSON rules). A document that also names a context not
 * bundled cannot be expanded; its schema check says so (`jsonLd.expanded: false`) and its verdict
 * is left as the JSON rules made it.
 */
import { BUNDLED_CONTEXT_URLS, staticDocumentLoader } from "@meritlog/schemas/jsonld";
import type { Check, DataModelDefect, JsonObject, VerificationReport } from "./core/index.js";
import { check, isUrl, verdictOf } from "./core/index.js";
import { sayDefects } from "./core/report-messages.js";

const BUNDLED = new Set(BUNDLED_CONTEXT_URLS);

/** Inline contexts larger than this (characters of JSON) are not expanded: expansion cost grows with them. */
const MAX_INLINE_CONTEXT_CHARS = 32 * 1024;
/** Frozen documents whose scan found no context of their own (nothing for expansion to find). */
const nothingToExpand = new WeakSet<JsonObject>();
/** How much of a document the context scan walks (objects and arrays) before giving up. */
const MAX_SCAN_NODES = 2000;

/** JWT claims that sit beside the credential in a VC-JWT payload (RFC 7519 §4.1; OpenID4VP nonce). */
const JWT_CLAIMS = ["iss", "sub", "jti", "nbf", "exp", "iat", "aud", "nonce", "cnf"];

/**
 * Outcomes of recent expansions, by the expanded document's JSON: the same credential is often
 * verified again and again, and one expansion costs milliseconds (the OB 3.0 context alone is
 * large). Insertion order makes the oldest entry the first to go.
 */
const recent = new Map<string, Outcome>();
const RECENT_MAX = 256;

let jsonldLib: Promise<typeof import("jsonld")> | undefined;
const loadJsonld = () => (jsonldLib ??= import("jsonld"));

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** What the context scan found: inline contexts (and their size) and any context URL not bundled. */
interface ContextScan {
  inline: number;
  inlineChars: number;
  unbundled?: string;
  truncated: boolean;
}

/** Walks `doc` for `@context` values: cheap (no allocation unless a context object is found). */
function scanContexts(doc: JsonObject): ContextScan {
  const scan: ContextScan = { inline: 0, inlineChars: 0, truncated: false };
  let nodes = 0;
  const noteContext = (ctx: unknown) => {
    const items = Array.isArray(ctx) ? ctx : [ctx];
    for (const c of items) {
      if (typeof c === "string") {
        if (!BUNDLED.has(c)) scan.unbundled ??= c;
      } else if (c !== null && typeof c === "object") {
        scan.inline++;
        scan.inlineChars += JSON.stringify(c).length;
      }
    }
  };
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    if (++nodes > MAX_SCAN_NODES) {
      scan.truncated = true;
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    for (const k in v) {
      const x = (v as JsonObject)[k];
      if (k === "@context") noteContext(x);
      else if (x !== null && typeof x === "object") walk(x);
    }
  };
  walk(doc);
  return scan;
}

/** The outcome for one document: defects found by expansion, or why it was not expanded. */
type Outcome = { expanded: true; defects: DataModelDefect[] } | { expanded: false; reason: string };

/** jsonld's errors carry a `details.code` naming the JSON-LD 1.1 API error (§9.4.2 JsonLdErrorCode). */
function jsonldCode(e: unknown): string | undefined {
  const code = isObject(e) && isObject(e.details) ? e.details.code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * The defects of `doc` that JSON-LD expansion shows, or why it was not expanded; undefined when
 * the document brings no context of its own (nothing for expansion to find).
 */
export async function contextDefects(doc: JsonObject): Promise<Outcome | undefined> {
  if (nothingToExpand.has(doc)) return undefined;
  const scan = scanContexts(doc);
  if (scan.inline === 0 && !scan.truncated) {
    // A frozen document is the decoded credential the verifier keeps per JWT, frozen all the way
    // down (verify-credential.ts) and verified again and again: it is scanned once.
    if (Object.isFrozen(doc)) nothingToExpand.add(doc);
    return undefined;
  }
  if (scan.unbundled !== undefined)
    return {
      expanded: false,
      reason: `its context ${scan.unbundled.slice(0, 200)} is not one this service bundles, and contexts are never fetched`,
    };
  if (scan.truncated || scan.inlineChars > MAX_INLINE_CONTEXT_CHARS)
    return { expanded: false, reason: "it is too large to expand here" };
  // fromEntries defines own properties: a "__proto__" member stays a member, never a prototype.
  const input: JsonObject = Object.fromEntries(Object.entries(doc).filter(([k]) => !JWT_CLAIMS.includes(k)));
  const key = JSON.stringify(input);
  const known = recent.get(key);
  if (known) return known;
  const outcome = await expand(input);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, outcome);
  return outcome;
}

/** Expands `input` with the bundled contexts and reads the defects off the result or the error. */
async function expand(input: JsonObject): Promise<Outcome> {
  const jsonld = (await loadJsonld()).default;
  let expanded: unknown;
  try {
    expanded = await jsonld.expand(input, { documentLoader: staticDocumentLoader, base: null });
  } catch (e) {
    const code = jsonldCode(e);
    if (code === "protected term redefinition")
      return {
        expanded: true,
        defects: [
          {
            path: "@context",
            rule: "contexts",
            message:
              "a @context redefines a protected term (JSON-LD 1.1 §4.1.11); a JSON-LD processor must refuse it (§5.2)",
          },
        ],
      };
    if (code === "invalid IRI mapping")
      return {
        expanded: true,
        defects: [
          {
            path: "@context",
            rule: "contexts",
            message:
              "a @context maps a term to something that is not an absolute IRI, so it is not processable as a JSON-LD context (§4.3)",
          },
        ],
      };
    if (code === "loading remote context failed" || code === "loading document failed")
      return { expanded: false, reason: "it names a context this service does not bundle (never fetched)" };
    return {
      expanded: true,
      defects: [
        {
          path: "@context",
          rule: "contexts",
          message: `a @context is not processable as a JSON-LD context (${(code ?? (e instanceof Error ? e.message : "error")).slice(0, 120)}) (§4.3)`,
        },
      ],
    };
  }
  return { expanded: true, defects: unmappedTypes(expanded) };
}

/** Every `@type` of the expanded document that is not an absolute URL: a term no context defines (§4.5). */
function unmappedTypes(expanded: unknown): DataModelDefect[] {
  const out: DataModelDefect[] = [];
  const seen = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObject(v)) return;
    for (const k in v) {
      const x = v[k];
      if (k === "@type" && !("@value" in v)) {
        for (const t of Array.isArray(x) ? x : [x])
          if (typeof t === "string" && !isUrl(t) && !seen.has(t) && out.length < 10) {
            seen.add(t);
            out.push({
              path: "type",
              rule: "types",
              message: `type "${t.slice(0, 80)}" is neither a URL nor a term its @context defines (§4.5)`,
            });
          }
      } else walk(x);
    }
  };
  walk(expanded);
  return out;
}

/** Applies the outcome for `doc` to the report `r` (its schema check and verdict); true if it failed. */
async function judge(
  r: VerificationReport,
  doc: JsonObject | undefined,
  noun: "credential" | "presentation",
): Promise<boolean> {
  if (!doc || r.checks.signature.ok !== true) return false;
  const schema = r.checks.schema as Check | undefined;
  if (schema !== undefined && schema.ok !== true) return false;
  const outcome = await contextDefects(doc);
  if (!outcome) return false;
  if (!outcome.expanded || outcome.defects.length === 0) {
    if (schema)
      schema.jsonLd = outcome.expanded
        ? { expanded: true }
        : { expanded: false, reason: `The ${noun}'s JSON-LD was not expanded: ${outcome.reason}.` };
    return false;
  }
  const [first] = outcome.defects;
  const more = outcome.defects.length - 1;
  (r.checks as Record<string, Check>).schema = check(
    false,
    "schema.data_model",
    sayDefects(noun, first!.message, more),
    { defects: outcome.defects.map((d) => ({ ...d })), jsonLd: { expanded: true } },
  );
  r.verdict = verdictOf(r.checks as Record<string, Check>, r.credentials ?? []);
  return true;
}

/**
 * The report with the JSON-LD rules applied: to the credential, or to the presentation and each
 * credential it holds. A document that fails one gets a failed `schema` check (`schema.data_model`,
 * each defect named) and the verdict is recomputed. Mutates and returns `report`.
 */
export async function withContextRules(report: VerificationReport): Promise<VerificationReport> {
  if (report.kind === "credential") {
    await judge(report, report.credential, "credential");
    return report;
  }
  let changed = false;
  for (const c of report.credentials ?? []) changed = (await judge(c, c.credential, "credential")) || changed;
  const p = report.presentation;
  // The VC 1.1 `vp` claim form carries the presentation inside; the 2.0 form is the payload itself.
  const vp = p && isObject(p.vp) ? p.vp : p;
  const failed = await judge(report, vp, "presentation");
  if (changed && !failed)
    report.verdict = verdictOf(report.checks as Record<string, Check>, report.credentials ?? []);
  return report;
}
