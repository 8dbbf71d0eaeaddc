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

/** The members a request's `subject` may have (fields.ts `subjectSchema`); any other is personal data. */
const SUBJECT_KEYS: ReadonlySet<string> = new Set(["id", "activityStartDate", "activityEndDate"]);

const EXPLAIN: Readonly<Record<ClaimsCode, string>> = {
  "claims.certification_implied": "implies professional certification",
  "claims.licensure_implied": "implies a professional licence or regulated title",
  "claims.accreditation_implied": "implies accreditation or official recognition",
  "claims.approval_implied": "implies approval, authorization or safety clearance",
  "claims.procurement_implied": "implies procurement or supplier qualification",
  "claims.degree_implied": "implies an academic degree or diploma",
  "claims.financial_implied": "implies financeability, insurability, investment readiness or tradability",
  "claims.financial_field":
    "is a financial field (price, amount, currency, balance, share, royalty, token, value, payment …)",
  "claims.transfer_field":
    "is a transfer or trade field; credentials are bound to the holder's DID and cannot be transferred",
  "claims.pii_field": "carries personal data; a request names the holder only by the subject DID",
  "claims.backdated":
    "starts validity in the past; the date of the learning goes in subject.activityStartDate / activityEndDate",
  "claims.already_expired": "ends validity before the credential is issued",
  "claims.subject_not_author": "names a subject who is not one of the MPU's authors",
};

// Letters NFKD does not decompose (Hausa hooked letters, ß, ligatures, stroked letters), and
// Cyrillic/Greek letters that look like Latin ones, so "Cеrtified" with a Cyrillic е still
// matches (Unicode TR #39 §4 "Confusable Detection", a small hand-picked subset).
const FOLD: Readonly<Record<string, string>> = {
  ß: "ss",
  ƙ: "k",
  ɗ: "d",
  ɓ: "b",
  ƴ: "y",
  ø: "o",
  æ: "ae",
  œ: "oe",
  ł: "l",
  đ: "d",
  ı: "i",
  ɑ: "a",
  ɡ: "g",
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ϲ: "c",
};
const FOLD_CHARS = new RegExp(`[${Object.keys(FOLD).join("")}]`, "gu");
// Invisible characters that would split a word without showing it ("Cer\u200Btified"): soft
// hyphen, zero-width space/joiners, word joiner, BOM. Removed before matching.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

/** Lowercases, strips accents (é→e, ü→u), folds ß/ƙ/ɗ/ɓ, and splits into words (Unicode letters and digits). */
export function matchingWords(text: string): string[] {
  return normalizeForMatching(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;

/** The text in matching form: lowercase, accents stripped, special letters folded (words not yet split). */
function normalizeForMatching(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .replace(INVISIBLE, "")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(FOLD_CHARS, (c) => FOLD[c] ?? c);
}

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
 * A word index of every alternative that can start a match, each entry naming its rules: exact
 * words in a map, prefixes bucketed by their first three letters, suffix and substring patterns
 * in short lists. `candidates(w)` is then a handful of lookups per word.
 */
interface LeadIndex {
  exact: Map<string, CompiledRule[]>;
  prefixes: Map<string, [string, CompiledRule][]>;
  shortPrefixes: [string, CompiledRule][];
  suffixes: [string, CompiledRule][];
  contains: [string, CompiledRule][];
}

function leadIndex(rules: CompiledRule[]): LeadIndex {
  const idx: LeadIndex = {
    exact: new Map(),
    prefixes: new Map(),
    shortPrefixes: [],
    suffixes: [],
    contains: [],
  };
  for (const c of rules) {
    for (const alt of new Set(leadingAlternatives(c.rule.phrase))) {
      const pre = alt.startsWith("*");
      const post = alt.endsWith("*");
      const core = alt.replace(/^\*|\*$/g, "");
      if (pre && post) idx.contains.push([core, c]);
      else if (pre) idx.suffixes.push([core, c]);
      else if (!post) idx.exact.set(core, [...(idx.exact.get(core) ?? []), c]);
      else if (core.length < 3) idx.shortPrefixes.push([core, c]);
      else {
        const key = core.slice(0, 3);
        idx.prefixes.set(key, [...(idx.prefixes.get(key) ?? []), [core, c]]);
      }
    }
  }
  return idx;
}

/** The rules that could start at this word (possibly with repeats), or none. */
function candidates(idx: LeadIndex, w: string): CompiledRule[] {
  const out: CompiledRule[] = [...(idx.exact.get(w) ?? [])];
  const bucket = w.length >= 3 ? idx.prefixes.get(w.slice(0, 3)) : undefined;
  if (bucket) for (const [p, c] of bucket) if (w.startsWith(p)) out.push(c);
  for (const [p, c] of idx.shortPrefixes) if (w.startsWith(p)) out.push(c);
  for (const [p, c] of idx.suffixes) if (w.endsWith(p)) out.push(c);
  for (const [p, c] of idx.contains) if (w.includes(p)) out.push(c);
  return out;
}

const compiledCache = new WeakMap<ClaimsRules, CompiledRules>();
function compiled(rules: ClaimsRules): CompiledRules {
  let c = compiledCache.get(rules);
  if (!c) {
    const naming = rules.naming.map((rule) => ({
      rule,
      words: compilePhrase(rule.phrase),
      unless: (rule.unless ?? []).map(compilePhrase),
    }));
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
  /** Word index range [start, end) in `matchingWords(text)`; -1 for a word spelled out letter by letter. */
  start: number;
  end: number;
  /** The matched words as written. */
  match: string;
}

/**
 * Finds every naming claim in one string, for a field of class "title" or "text" (see the
 * false-positive policy in `claims-rules.ts`). Negated matches and `unless` exceptions are skipped.
 */
export function findNamingClaims(
  text: string,
  fieldClass: "title" | "text",
  rules: ClaimsRules = CLAIMS_RULES,
): NamingMatch[] {
  const c0 = compiled(rules);
  const leads = fieldClass === "title" ? c0.titleLeads : c0.textLeads;
  const toks = tokenize(text);
  const words = toks.map((t) => t.w);
  const out: NamingMatch[] = [];
  const reported = new Set<string>();
  // Only the rules that can start at a word are tried there, so the cost stays linear in the text.
  for (let i = 0; i < words.length; i++) {
    for (const c of candidates(leads, words[i]!)) {
      if (reported.has(c.rule.id)) continue; // one report per rule per field is enough
      const len = matchAt(c.words, 0, words, i);
      if (len <= 0 || toks[i + len - 1]!.clause !== toks[i]!.clause) continue; // a phrase never spans clauses
      if (c.unless.some((u) => matchAt(u, 0, words, i) > 0)) continue;
      if (negated(toks, i, c0.negations, rules.negationWindow)) continue;
      out.push({
        rule: c.rule,
        start: i,
        end: i + len,
        match: [...new Set(toks.slice(i, i + len).map((t) => t.orig))].join(" "),
      });
      reported.add(c.rule.id);
    }
  }
  // Words spelled out letter by letter ("C.E.R.T.I.F.I.E.D", "c e r t i f i e d") are read as
  // one word; spelling a word out is evasion, not a disclaimer, so negation does not apply.
  if (hasSpelledOutRun(words)) {
    const rulesHere = fieldClass === "title" ? c0.titleRules : c0.textRules;
    for (const sw of spelledOutWords(text)) {
      for (const c of rulesHere) {
        if (reported.has(c.rule.id) || c.words.length !== 1 || !c.words[0]!.test(sw.word)) continue;
        if (c.unless.some((u) => matchAt(u, 0, [sw.word], 0) > 0)) continue;
        out.push({ rule: c.rule, start: -1, end: -1, match: sw.original });
        reported.add(c.rule.id);
      }
    }
  }
  return out;
}

interface Token {
  /** The word in matching form. */
  w: string;
  /** The word as written (the whole written word, if folding split it). */
  orig: string;
  /** Index of the clause the word is in: negations do not reach across clauses. */
  clause: number;
}

// Words (letters, marks, digits and the invisible characters removed before matching) and clause ends.
const TOKEN = /[\p{L}\p{M}\p{N}\u00AD\u200B-\u200D\u2060\uFEFF]+|[.;:!?\n\r\u3002\u061F\u06D4]/gu;
const CLAUSE_CHAR = /^[.;:!?\n\r\u3002\u061F\u06D4]$/u;

/** Splits text into words in matching form, each with its written form and clause number. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let clause = 0;
  for (const m of text.matchAll(TOKEN)) {
    const s = m[0];
    if (s.length === 1 && CLAUSE_CHAR.test(s)) {
      clause++;
      continue;
    }
    for (const w of matchingWords(s)) out.push({ w, orig: s, clause });
  }
  return out;
}

/** A negation word in the same clause within `window` words before word `i` (DOMAIN: disclaimers are allowed). */
function negated(toks: Token[], i: number, negations: Set<string>, window: number): boolean {
  const clause = toks[i]!.clause;
  for (let k = Math.max(0, i - window); k < i; k++)
    if (toks[k]!.clause === clause && negations.has(toks[k]!.w)) return true;
  return false;
}

function hasSpelledOutRun(words: string[]): boolean {
  let run = 0;
  for (const w of words) {
    run = w.length === 1 ? run + 1 : 0;
    if (run >= 4) return true;
  }
  return false;
}

// Four or more letters separated by one repeated separator: "c.e.r.t", "c e r t", "c-e-r-t".
const SPELLED_OUT = /(?<![\p{L}\p{N}])\p{L}([.\-_ ·•*/|+~]) ?(?:\p{L}\1 ?){2,}\p{L}(?![\p{L}\p{N}])/gu;

/** Words spelled out letter by letter, joined: "C.E.R.T.I.F.I.E.D" → "certified" (at most 64 per text). */
function spelledOutWords(text: string): { word: string; original: string }[] {
  const out: { word: string; original: string }[] = [];
  for (const m of normalizeForMatching(text).matchAll(SPELLED_OUT)) {
    out.push({ word: matchingWords(m[0]).join(""), original: m[0] });
    if (out.length >= 64) break;
  }
  return out;
}

const isUpper = (c: string | undefined) => c !== undefined && c >= "A" && c <= "Z";
const isLower = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/**
 * Splits a field name into lowercase words: `unitPrice` → unit, price; `is_transferable` → is,
 * transferable; `NFTTokenId` → nft, token, id. One linear pass (field names come from untrusted
 * bodies, so no backtracking regular expression).
 */
export function keyWords(key: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    if (!isUpper(ch) && !isLower(ch) && !isDigit(ch)) {
      if (cur) out.push(cur);
      cur = "";
      continue;
    }
    // A capital starts a word after a lowercase letter or digit ("unitPrice"), or ends an
    // acronym when a lowercase letter follows ("NFTToken" → NFT, Token).
    const prev = key[i - 1];
    if (isUpper(ch) && cur && (isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(key[i + 1])))) {
      out.push(cur);
      cur = "";
    }
    cur += ch.toLowerCase();
  }
  if (cur) out.push(cur);
  return out;
}

type KeyClass = { code: ClaimsCode; word: string } | undefined;

// Field names repeat across requests (the schema has a few dozen), so their classification is
// cached per rule set; the cache is bounded so hostile bodies with many distinct keys cannot grow it.
const KEY_CACHE_MAX = 4096;
const KEY_CACHE_MAX_LENGTH = 64;
const keyCache = new WeakMap<CompiledRules, Map<string, KeyClass>>();

function classifyKey(key: string, c: CompiledRules): KeyClass {
  let cache = keyCache.get(c);
  if (!cache) keyCache.set(c, (cache = new Map()));
  if (cache.has(key)) return cache.get(key);
  const result = classifyKeyUncached(key, c);
  if (key.length <= KEY_CACHE_MAX_LENGTH) {
    if (cache.size >= KEY_CACHE_MAX) cache.clear();
    cache.set(key, result);
  }
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

// The naming rules' verdict on a text depends on the text, its field class and the rule set only,
// and the same texts come back request after request: an issuer issues one achievement (name,
// description, criteria) to a whole cohort, 1000 identical texts in a batch. Matching one text
// costs ~30 µs (tokenise, fold, look up every word); a hit costs one Map lookup. Bounded by the
// characters held (a hostile stream of distinct texts only churns it), cleared when full.
const NAMING_CACHE_MAX_CHARS = 1_000_000;
interface NamingCache {
  title: Map<string, readonly NamingMatch[]>;
  text: Map<string, readonly NamingMatch[]>;
  chars: number;
}
const namingCache = new WeakMap<CompiledRules, NamingCache>();

/** {@link findNamingClaims} through the per-rule-set cache (its result is shared: read, never change it). */
function namingClaimsOf(
  text: string,
  fieldClass: "title" | "text",
  rules: ClaimsRules,
  c: CompiledRules,
): readonly NamingMatch[] {
  let cache = namingCache.get(c);
  if (!cache) namingCache.set(c, (cache = { title: new Map(), text: new Map(), chars: 0 }));
  const byText = cache[fieldClass];
  const hit = byText.get(text);
  if (hit !== undefined) return hit;
  const found = findNamingClaims(text, fieldClass, rules);
  if (cache.chars + text.length > NAMING_CACHE_MAX_CHARS) {
    cache.title.clear();
    cache.text.clear();
    cache.chars = 0;
  }
  byText.set(text, found);
  cache.chars += text.length;
  return found;
}

// Work bounds for raw (unparsed) bodies: the schemas refuse anything deeper, longer or larger
// than these anyway, so scanning further would only let a hostile body burn CPU before the 400.
const MAX_DEPTH = 32;
const MAX_VIOLATIONS = 50;
const MAX_NODES = 5_000;
const MAX_ARRAY_ITEMS = 256;
const MAX_SCANNED_STRING = 4_000; // the longest display text any schema accepts (criteria narrative)
const MAX_SCANNED_CHARS = 200_000; // more than the largest valid request holds in scanned fields

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
  let scanned = 0;
  const walk = (
    value: unknown,
    path: (string | number)[],
    fieldKey: string | undefined,
    depth: number,
    naming: boolean,
  ): void => {
    if (out.length >= MAX_VIOLATIONS || depth > MAX_DEPTH || ++nodes > MAX_NODES) return;
    if (typeof value === "string") {
      if (!naming || fieldKey === undefined || value.length > MAX_SCANNED_STRING) return;
      if ((scanned += value.length) > MAX_SCANNED_CHARS) return;
      const cls = titles.has(fieldKey) ? "title" : texts.has(fieldKey) ? "text" : undefined;
      if (cls === undefined) return;
      for (const m of namingClaimsOf(value, cls, rules, c)) {
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
      // The subject carries its DID and the dates of the learning (Open Badges 3.0 AchievementSubject), nothing personal.
      const hit =
        inSubject && !SUBJECT_KEYS.has(k)
          ? { code: "claims.pii_field" as const, word: k }
          : classifyKey(k, c);
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
