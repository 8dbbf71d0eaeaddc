/**
 * The claims discipline (issue 3 "Claims discipline"; DOMAIN.md "Naming", "The no-conversion
 * rule", "Data minimisation"): public-safe naming, no financial or transfer fields, no personal
 * data beyond the subject DID. Pure functions over the versioned rules in `claims-rules.ts`.
 */
import { CLAIMS_RULES, type ClaimsRules, type NamingRule } from "./claims-rules.js";
import { SchemaError, type ClaimsCode } from "./errors.js";
import { formatPath } from "./parse-input.js";

/** One broken rule: its code, the offending field (dotted path) and a readable message. */
export interface ClaimViolation {
  code: ClaimsCode;
  path: string;
  message: string;
  /** The naming rule (id) or key word that matched. */
  rule: string;
  /** The words or key that matched, as written in the input. */
  match: string;
}

const EXPLAIN: Readonly<Record<ClaimsCode, string>> = {
  "claims.certification_implied": "implies professional certification",
  "claims.licensure_implied": "implies a professional licence or regulated title",
  "claims.accreditation_implied": "implies accreditation or official recognition",
  "claims.approval_implied": "implies approval, authorization or safety clearance",
  "claims.procurement_implied": "implies procurement or supplier qualification",
  "claims.degree_implied": "implies an academic degree or diploma",
  "claims.financial_implied": "implies financeability, insurability, investment readiness or tradability",
  "claims.financial_field": "is a financial field (price, amount, currency, balance, share, royalty, token, value, payment …)",
  "claims.transfer_field": "is a transfer or trade field; credentials are bound to the holder's DID and cannot be transferred",
  "claims.pii_field": "carries personal data; a request names the holder only by the subject DID",
};

// Letters NFKD does not decompose (Hausa hooked letters, ß, ligatures, stroked letters).
const FOLD: Readonly<Record<string, string>> = { ß: "ss", ƙ: "k", ɗ: "d", ɓ: "b", ƴ: "y", ø: "o", æ: "ae", œ: "oe", ł: "l", đ: "d", ı: "i" };

/** Lowercases, strips accents (é→e, ü→u), folds ß/ƙ/ɗ/ɓ, and splits into words (Unicode letters and digits). */
export function matchingWords(text: string): string[] {
  return normalizeForMatching(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;

/** The text in matching form: lowercase, accents stripped, special letters folded (words not yet split). */
export function normalizeForMatching(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[ßƙɗɓƴøæœłđı]/g, (c) => FOLD[c] ?? c);
}

/** The original spelling of words `from..to` of `text` (for messages). */
function originalSpan(text: string, from: number, to: number): string {
  const spans: string[] = [];
  const re = /[\p{L}\p{M}\p{N}ßƙɗɓƴøæœłđı]+/gu;
  let i = 0;
  for (const m of text.matchAll(re)) {
    // Keep word indexes aligned with matchingWords (a word can only split, never merge).
    const parts = matchingWords(m[0]);
    for (const _ of parts) {
      if (i >= from && i < to) spans.push(m[0]);
      i++;
    }
  }
  return [...new Set(spans)].join(" ");
}

// Clause boundaries for negation scope: sentence punctuation, colon, semicolon, line breaks, ideographic full stop.
const CLAUSE_END = /[.;:!?\n\r\u3002\u061F\u06D4]+/u;

type WordTest = (w: string) => boolean;
interface CompiledWord {
  optional: boolean;
  test: WordTest;
}
interface CompiledRule {
  rule: NamingRule;
  words: CompiledWord[];
  unless: CompiledWord[][];
}

function compileWord(spec: string): CompiledWord {
  const optional = spec.endsWith("?");
  const body = optional ? spec.slice(0, -1) : spec;
  const alts: WordTest[] = body.split("|").map((alt) => {
    const pre = alt.startsWith("*");
    const post = alt.endsWith("*");
    const core = alt.replace(/^\*|\*$/g, "");
    if (pre && post) return (w) => w.includes(core);
    if (post) return (w) => w.startsWith(core);
    if (pre) return (w) => w.endsWith(core);
    return (w) => w === core;
  });
  return { optional, test: (w) => alts.some((t) => t(w)) };
}

const compilePhrase = (phrase: string): CompiledWord[] => phrase.split(" ").map(compileWord);

/** Length of the match of `words` at `tokens[i]`, or -1. Optional words may be skipped. */
function matchAt(pattern: CompiledWord[], p: number, tokens: string[], i: number): number {
  if (p === pattern.length) return 0;
  const w = pattern[p]!;
  if (i < tokens.length && w.test(tokens[i]!)) {
    const rest = matchAt(pattern, p + 1, tokens, i + 1);
    if (rest >= 0) return rest + 1;
  }
  return w.optional ? matchAt(pattern, p + 1, tokens, i) : -1;
}

/** Everything derived from one rule set, computed once per `ClaimsRules` object. */
interface CompiledRules {
  naming: CompiledRule[];
  /** Rules that apply in titles (all) and in text (scope "all"). */
  titleRules: CompiledRule[];
  textRules: CompiledRule[];
  /**
   * Per field class, an index of the words that can start a match. Nearly every field has none,
   * so the per-rule matching runs only for the few that do (a few microseconds per request).
   */
  titleLeads: LeadIndex;
  textLeads: LeadIndex;
  negations: Set<string>;
  financial: Set<string>;
  transfer: Set<string>;
  piiWords: Set<string>;
  piiKeys: Set<string>;
  allowedKeys: Set<string>;
  titleFields: Set<string>;
  textFields: Set<string>;
  skipFields: Set<string>;
}

/** Alternatives of the words that can start a match of `phrase` (optional leading words let the next one start it). */
function leadingAlternatives(phrase: string): string[] {
  const out: string[] = [];
  for (const spec of phrase.split(" ")) {
    const optional = spec.endsWith("?");
    out.push(...(optional ? spec.slice(0, -1) : spec).split("|"));
    if (!optional) break;
  }
  return out;
}

/**
 * A word index of every alternative that can start a match: exact words in a set, prefixes
 * bucketed by their first three letters, suffix and substring patterns in short lists.
 */
interface LeadIndex {
  exact: Set<string>;
  prefixes: Map<string, string[]>;
  shortPrefixes: string[];
  suffixes: string[];
  contains: string[];
}

function leadIndex(rules: CompiledRule[]): LeadIndex {
  const idx: LeadIndex = { exact: new Set(), prefixes: new Map(), shortPrefixes: [], suffixes: [], contains: [] };
  for (const alt of new Set(rules.flatMap((c) => leadingAlternatives(c.rule.phrase)))) {
    const pre = alt.startsWith("*");
    const post = alt.endsWith("*");
    const core = alt.replace(/^\*|\*$/g, "");
    if (pre && post) idx.contains.push(core);
    else if (pre) idx.suffixes.push(core);
    else if (!post) idx.exact.add(core);
    else if (core.length < 3) idx.shortPrefixes.push(core);
    else {
      const key = core.slice(0, 3);
      const list = idx.prefixes.get(key);
      if (list) list.push(core);
      else idx.prefixes.set(key, [core]);
    }
  }
  return idx;
}

/** True when some rule could start at this word. */
function mayStart(idx: LeadIndex, w: string): boolean {
  if (idx.exact.has(w)) return true;
  const bucket = w.length >= 3 ? idx.prefixes.get(w.slice(0, 3)) : undefined;
  if (bucket?.some((p) => w.startsWith(p))) return true;
  if (idx.shortPrefixes.some((p) => w.startsWith(p))) return true;
  if (idx.suffixes.some((p) => w.endsWith(p))) return true;
  return idx.contains.some((p) => w.includes(p));
}

const compiledCache = new WeakMap<ClaimsRules, CompiledRules>();
function compiled(rules: ClaimsRules): CompiledRules {
  let c = compiledCache.get(rules);
  if (!c) {
    const naming = rules.naming.map((rule) => ({ rule, words: compilePhrase(rule.phrase), unless: (rule.unless ?? []).map(compilePhrase) }));
    const textRules = naming.filter((r) => r.rule.scope === "all");
    c = {
      naming,
      titleRules: naming,
      textRules,
      titleLeads: leadIndex(naming),
      textLeads: leadIndex(textRules),
      negations: new Set(rules.negations),
      financial: new Set(rules.financialKeyWords),
      transfer: new Set(rules.transferKeyWords),
      piiWords: new Set(rules.piiKeyWords),
      piiKeys: new Set(rules.piiKeys),
      allowedKeys: new Set(rules.allowedKeys),
      titleFields: new Set(rules.titleFields),
      textFields: new Set(rules.textFields),
      skipFields: new Set(rules.skipFields),
    };
    compiledCache.set(rules, c);
  }
  return c;
}

export interface NamingMatch {
  rule: NamingRule;
  /** Word index range [start, end) in `matchingWords(text)`. */
  start: number;
  end: number;
  /** The matched words as written. */
  match: string;
}

/**
 * Finds every naming claim in one string, for a field of class "title" or "text" (see the
 * false-positive policy in `claims-rules.ts`). Negated matches and `unless` exceptions are skipped.
 */
export function findNamingClaims(text: string, fieldClass: "title" | "text", rules: ClaimsRules = CLAIMS_RULES): NamingMatch[] {
  const c0 = compiled(rules);
  // Fast path: no rule can start at any word of the text.
  const leads = fieldClass === "title" ? c0.titleLeads : c0.textLeads;
  if (!matchingWords(text).some((w) => mayStart(leads, w))) return [];
  const negations = c0.negations;
  const rulesHere = fieldClass === "title" ? c0.titleRules : c0.textRules;
  const out: NamingMatch[] = [];
  const reported = new Set<string>();
  let offset = 0;
  // A negation reaches only to the end of its clause: "No fee. Certified technician" is a claim.
  for (const clause of text.split(CLAUSE_END)) {
    const tokens = matchingWords(clause);
    for (const c of rulesHere) {
      if (reported.has(c.rule.id)) continue; // one report per rule per field is enough
      for (let i = 0; i < tokens.length; i++) {
        const len = matchAt(c.words, 0, tokens, i);
        if (len <= 0) continue;
        if (c.unless.some((u) => matchAt(u, 0, tokens, i) > 0)) continue;
        let negated = false;
        for (let k = Math.max(0, i - rules.negationWindow); k < i; k++) if (negations.has(tokens[k]!)) negated = true;
        if (negated) continue;
        out.push({ rule: c.rule, start: offset + i, end: offset + i + len, match: originalSpan(clause, i, i + len) });
        reported.add(c.rule.id);
        break;
      }
    }
    offset += tokens.length;
  }
  return out;
}

/** Splits a field name into lowercase words: `unitPrice` → unit, price; `is_transferable` → is, transferable. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

type KeyClass = { code: ClaimsCode; word: string } | undefined;

// Field names repeat across requests (the schema has a few dozen), so their classification is
// cached per rule set; the cache is bounded so hostile bodies with many distinct keys cannot grow it.
const KEY_CACHE_MAX = 4096;
const keyCache = new WeakMap<CompiledRules, Map<string, KeyClass>>();

function classifyKey(key: string, c: CompiledRules): KeyClass {
  let cache = keyCache.get(c);
  if (!cache) keyCache.set(c, (cache = new Map()));
  if (cache.has(key)) return cache.get(key);
  const result = classifyKeyUncached(key, c);
  if (cache.size >= KEY_CACHE_MAX) cache.clear();
  cache.set(key, result);
  return result;
}

function classifyKeyUncached(key: string, c: CompiledRules): KeyClass {
  const words = keyWords(key);
  const whole = words.join("");
  if (c.allowedKeys.has(whole)) return undefined;
  for (const w of words) if (c.transfer.has(w)) return { code: "claims.transfer_field", word: w };
  for (const w of words) if (c.financial.has(w)) return { code: "claims.financial_field", word: w };
  if (c.piiKeys.has(whole)) return { code: "claims.pii_field", word: whole };
  for (const w of words) if (c.piiWords.has(w)) return { code: "claims.pii_field", word: w };
  return undefined;
}

// Work bounds for raw (unparsed) bodies: the schemas refuse anything deeper, longer or larger
// than these anyway, so scanning further would only let a hostile body burn CPU before the 400.
const MAX_DEPTH = 32;
const MAX_VIOLATIONS = 50;
const MAX_NODES = 5_000;
const MAX_ARRAY_ITEMS = 256;
const MAX_SCANNED_STRING = 20_000;

/**
 * Checks an issuance or offer request (parsed, or raw JSON before parsing) against every rule and
 * returns all violations in document order, field rules first for each field. Works on raw input
 * so that a `price` field is refused as `claims.financial_field` rather than as an unknown key.
 */
export function checkClaims(req: unknown, rules: ClaimsRules = CLAIMS_RULES): ClaimViolation[] {
  const out: ClaimViolation[] = [];
  const c = compiled(rules);
  const titles = c.titleFields;
  const texts = c.textFields;
  const skips = c.skipFields;

  // `naming` is false under skipped fields (excludes, limitations, licence): their keys are still
  // checked for financial, transfer and personal-data fields, their text is not checked for naming.
  let nodes = 0;
  const walk = (value: unknown, path: (string | number)[], fieldKey: string | undefined, depth: number, naming: boolean): void => {
    if (out.length >= MAX_VIOLATIONS || depth > MAX_DEPTH || ++nodes > MAX_NODES) return;
    if (typeof value === "string") {
      if (!naming || fieldKey === undefined || value.length > MAX_SCANNED_STRING) return;
      const cls = titles.has(fieldKey) ? "title" : texts.has(fieldKey) ? "text" : undefined;
      if (cls === undefined) return;
      for (const m of findNamingClaims(value, cls, rules)) {
        out.push({
          code: m.rule.code,
          path: formatPath(path),
          rule: m.rule.id,
          match: m.match,
          message: `${formatPath(path)}: "${m.match}" ${EXPLAIN[m.rule.code]}; meritlog records never do. Describe the learning or contribution instead (claims rules v${rules.version}, rule ${m.rule.id}).`,
        });
      }
      return;
    }
    if (Array.isArray(value)) {
      const n = Math.min(value.length, MAX_ARRAY_ITEMS);
      for (let i = 0; i < n; i++) walk(value[i], [...path, i], fieldKey, depth + 1, naming);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const inSubject = path.length === 1 && path[0] === "subject";
    for (const [k, v] of Object.entries(value)) {
      const p = [...path, k];
      const hit = inSubject && k !== "id" ? { code: "claims.pii_field" as const, word: k } : classifyKey(k, c);
      if (hit) {
        out.push({
          code: hit.code,
          path: formatPath(p),
          rule: `key:${hit.word}`,
          match: k,
          message: `${formatPath(p)}: the field "${k}" ${EXPLAIN[hit.code]} (claims rules v${rules.version}).`,
        });
        continue;
      }
      walk(v, p, k, depth + 1, naming && !skips.has(k));
    }
  };
  walk(req, [], undefined, 0, true);
  return out.slice(0, MAX_VIOLATIONS);
}

/**
 * Throws on the first claims violation.
 * @throws SchemaError with the violation's `claims.*` code (422), `path` of the offending field, `rule`, and all violations as `issues`.
 */
export function assertClaims(req: unknown, rules: ClaimsRules = CLAIMS_RULES): void {
  const v = checkClaims(req, rules);
  const first = v[0];
  if (!first) return;
  throw new SchemaError(first.code, first.message, {
    path: first.path,
    rule: first.rule,
    issues: v.map((x) => ({ path: x.path, message: x.message, code: x.code })),
  });
}
