/**
 * The claims-discipline rules as versioned data (issue 3 "Claims discipline": "The rule list is
 * data, versioned, and tested"). `claims-discipline.ts` interprets them; changing a rule means
 * bumping `version`, so a refusal can always be traced to the rule set that made it.
 *
 * Naming phrases are written in matching form: lowercase, accents stripped (é→e, ü→u, ß→ss,
 * Hausa ƙ→k, ɗ→d, ɓ→b), words separated by one space. Per word: `a|b` alternatives, `x*` prefix,
 * `*x` suffix, `*x*` substring (German compounds), and a trailing `?` makes the word optional.
 * Matching is by whole words, so "uncertified" or "noncertifying" do not match `certif*`.
 *
 * False-positive policy (documented in the package README and tested):
 * - `scope` "titles" rules apply to names, titles, roles, pathway and production class, where a
 *   single word carries the claim ("Licence", "Diploma", "Procurement …").
 * - `scope` "all" rules also apply to descriptive text (descriptions, criteria, covers,
 *   assessment basis, renewal requirement): they are claims in any position ("licensed",
 *   "accredited", "approved", "pre-qualified").
 * - Never scanned: `scope.excludes` and `limitations` (they say what the record does NOT mean and
 *   must be free to name "product safety approval") and licence names and texts (legal instruments
 *   quoted verbatim: "licensed under", "the Licensor").
 * - A match preceded, in the same clause (up to . ; : ! ? or a line break) and within six words,
 *   by a negation ("not", "non-", "sans", "ohne", "bila", …) is a disclaimer, not a claim, and is allowed.
 * - Attendance, participation and completion certificates ("certificate of attendance") state a
 *   fact, not a professional certification, and are allowed by `unless` exceptions.
 * - Content licences are not licensure: the noun "licence" alone is allowed ("Community data
 *   licence comparison"); "licensed", "licensure" and "licence to practise/operate" are not.
 * - Procurement is a normal topic of bill-of-materials work: the word is refused in titles only;
 *   in text only qualification claims ("procurement-qualified", "preferred supplier") are refused.
 * - Coverage: English, French, Spanish, Portuguese, German fully for the listed claims; Swahili
 *   and Hausa for the common words we could verify (leseni/lasisi, cheti, idhinishwa, takardar
 *   shaida, ithibati, zabuni, shahada/stashahada, digiri/difloma, kibali). Other languages pass unless they reuse these words.
 */
import type { ClaimsCode } from "./errors.js";

export type RuleLang = "en" | "fr" | "es" | "pt" | "de" | "sw" | "ha";

export interface NamingRule {
  /** Stable identifier, reported with a violation. */
  id: string;
  code: Exclude<ClaimsCode, "claims.financial_field" | "claims.transfer_field" | "claims.pii_field">;
  langs: readonly RuleLang[];
  /** The phrase, in matching form (see the module comment). */
  phrase: string;
  /** Where it applies: only names/titles/roles, or also descriptive text. */
  scope: "titles" | "all";
  /** Phrases starting at the same word that are allowed (false-positive exceptions). */
  unless?: readonly string[];
}

export interface ClaimsRules {
  version: string;
  naming: readonly NamingRule[];
  /** Words that turn a following match (within `negationWindow` words) into a disclaimer. */
  negations: readonly string[];
  negationWindow: number;
  /** Key words (camelCase/snake_case parts of a field name) that make a field financial. */
  financialKeyWords: readonly string[];
  /** Key words that make a field about transfer, trade or redemption. */
  transferKeyWords: readonly string[];
  /** Key words and whole normalised keys that carry personal data beyond the subject DID. */
  piiKeyWords: readonly string[];
  piiKeys: readonly string[];
  /** Whole normalised keys allowed although one of their words is listed (e.g. `shareAlike`, a licence term, not equity). */
  allowedKeys: readonly string[];
  /** Field names whose string values are names/titles (naming rules with scope "titles" and "all"). */
  titleFields: readonly string[];
  /** Field names whose string values are descriptive text (naming rules with scope "all"). */
  textFields: readonly string[];
  /** Field names never scanned for naming (they state what a record does not mean, or quote legal text). */
  skipFields: readonly string[];
}

const PROFESSIONS =
  "engineer*|nurse*|electrician*|plumber*|architect*|practitioner*|professional*|technician*|surveyor*|installer*|builder*|contractor*|pharmacist*|teacher*|inspector*|auditor*|translator*|interpreter*|accountant*|welder*|mechanic*";

const r = (
  id: string,
  code: NamingRule["code"],
  langs: readonly RuleLang[],
  phrase: string,
  scope: NamingRule["scope"],
  unless?: readonly string[],
): NamingRule => (unless ? { id, code, langs, phrase, scope, unless } : { id, code, langs, phrase, scope });

export const CLAIMS_RULES: ClaimsRules = {
  version: "1",
  naming: [
    // --- certification ---------------------------------------------------------------------
    r("certif", "claims.certification_implied", ["en", "fr", "es", "pt"], "certif*|recertif*", "all", [
      "certificate|certificates of attendance|participation|completion",
      "certificat|certificats de participation|presence|suivi",
      "certificat|certificats d assiduite",
      "certificado|certificados de asistencia|participacion|participacao|presenca|conclusao|finalizacion",
    ]),
    r("de.zertifi", "claims.certification_implied", ["de"], "*zertifi*", "all", ["teilnahmezertifikat*"]),
    r("sw.cheti", "claims.certification_implied", ["sw"], "cheti|vyeti", "titles"),
    r("ha.takardar-shaida", "claims.certification_implied", ["ha"], "takardar shaida*", "titles"),

    // --- licensure and regulated titles ----------------------------------------------------
    r("en.licensed", "claims.licensure_implied", ["en"], "licensed|licenced|licensure|licensee*", "all", [
      "licensed|licenced under",
      "licensed|licenced as cc*|odbl*|open*",
    ]),
    r(
      "en.licence-to",
      "claims.licensure_implied",
      ["en"],
      "licen* to practi*|operate|work|install*|trade",
      "all",
    ),
    r(
      "en.licence-kind",
      "claims.licensure_implied",
      ["en"],
      "professional|practising|practicing|trade|operating|operator|contractor* licen*",
      "all",
    ),
    r("en.registered-profession", "claims.licensure_implied", ["en"], `registered ${PROFESSIONS}`, "all"),
    r("en.qualified-profession", "claims.licensure_implied", ["en"], `qualified ${PROFESSIONS}`, "all"),
    r("en.professional-engineer", "claims.licensure_implied", ["en"], "professional engineer*", "all"),
    r("en.chartered", "claims.licensure_implied", ["en"], "chartered", "all"),
    r("en.sworn", "claims.licensure_implied", ["en"], "sworn translator*|interpreter*|expert*", "all"),
    r(
      "en.master-trade",
      "claims.licensure_implied",
      ["en"],
      "master electrician*|plumber*|builder*|welder*|craftsman|craftsmen",
      "all",
    ),
    r("en.journeyman", "claims.licensure_implied", ["en"], "journeyman|journeymen|journeyperson*", "all"),
    r(
      "fr.habilite",
      "claims.licensure_implied",
      ["fr"],
      "habilite|habilitee|habilites|habilitees|habilitation*",
      "all",
    ),
    r("fr.agree", "claims.licensure_implied", ["fr"], "agree|agreee|agrees|agreees", "titles"),
    r("fr.assermente", "claims.licensure_implied", ["fr"], "assermente*", "all"),
    r("fr.ordre", "claims.licensure_implied", ["fr"], "inscrit* a l ordre", "all"),
    r("es.licenciado", "claims.licensure_implied", ["es", "pt"], "licenciad*", "all"),
    r("es.habilitado", "claims.licensure_implied", ["es", "pt"], "habilitad*", "all"),
    r("es.colegiado", "claims.licensure_implied", ["es"], "colegiad*", "titles"),
    r("es.jurado", "claims.licensure_implied", ["es"], "traductor*|interprete* jurad*", "all"),
    r("es.matricula", "claims.licensure_implied", ["es"], "matricula profesional", "all"),
    r("pt.juramentado", "claims.licensure_implied", ["pt"], "juramentad*", "all"),
    r("de.lizenziert", "claims.licensure_implied", ["de"], "lizenziert*", "all"),
    r("de.approbiert", "claims.licensure_implied", ["de"], "approbiert*|approbation", "all"),
    r("de.staatlich-geprueft", "claims.licensure_implied", ["de"], "staatlich gepruft*|geprueft*", "all"),
    r(
      "de.meister",
      "claims.licensure_implied",
      ["de"],
      "*meisterbrief*|*meisterprufung*|handwerksmeister*",
      "all",
    ),
    r("de.beeidigt", "claims.licensure_implied", ["de"], "beeidigt*|vereidigt*", "all"),
    r("sw.leseni", "claims.licensure_implied", ["sw"], "leseni", "titles"),
    r("ha.lasisi", "claims.licensure_implied", ["ha"], "lasisi*", "titles"),

    // --- accreditation -----------------------------------------------------------------------
    r("accredit", "claims.accreditation_implied", ["en", "fr"], "accredit*", "all"),
    r(
      "es.acreditado",
      "claims.accreditation_implied",
      ["es", "pt"],
      "acreditad*|acreditacion*|acreditacao|acreditacoes",
      "all",
    ),
    r("pt.credenciado", "claims.accreditation_implied", ["pt"], "credenciad*", "all"),
    r("de.akkreditiert", "claims.accreditation_implied", ["de"], "akkreditier*", "all"),
    r("de.staatlich-anerkannt", "claims.accreditation_implied", ["de"], "staatlich anerkannt*", "all"),
    r(
      "en.recognised-by",
      "claims.accreditation_implied",
      ["en"],
      "recognised|recognized by the? ministry|government|state|regulator|authority",
      "all",
    ),
    r("fr.reconnu", "claims.accreditation_implied", ["fr"], "reconnu* par l|le|la etat|ministere", "all"),
    r(
      "es.reconocido",
      "claims.accreditation_implied",
      ["es"],
      "reconocid* por el estado|ministerio|gobierno",
      "all",
    ),
    r(
      "pt.reconhecido",
      "claims.accreditation_implied",
      ["pt"],
      "reconhecid* pelo estado|ministerio|governo|mec",
      "all",
    ),
    r("sw.ithibati", "claims.accreditation_implied", ["sw"], "ithibati", "all"),

    // --- approval, authorization, safety clearance -------------------------------------------
    r("en.approved", "claims.approval_implied", ["en"], "approv*|preapproved", "all", [
      "approval process*|procedure*|requirement*|pathway*",
    ]),
    r("en.authorized", "claims.approval_implied", ["en"], "authoriz*|authoris*", "all", [
      "authoriz*|authoris* process*|procedure*|requirement*",
    ]),
    r("en.safety-cleared", "claims.approval_implied", ["en"], "safety cleared|clearance|approved", "all"),
    r(
      "en.cleared-for",
      "claims.approval_implied",
      ["en"],
      "cleared for use|deployment|installation|sale|operation|service",
      "all",
    ),
    r(
      "en.endorsed-by-authority",
      "claims.approval_implied",
      ["en"],
      "government|ministry|state|officially endorsed|backed|sanctioned",
      "all",
    ),
    r(
      "fr.approuve",
      "claims.approval_implied",
      ["fr"],
      "approuv*|homologu*|autorise|autorisee|autorises|autorisees|autorisation",
      "all",
    ),
    r(
      "es.aprobado",
      "claims.approval_implied",
      ["es"],
      "aprobad*|aprobacion*|autorizad*|autorizacion*|homologad*|homologacion*",
      "all",
    ),
    r(
      "pt.aprovado",
      "claims.approval_implied",
      ["pt"],
      "aprovad*|aprovacao|aprovacoes|autorizad*|autorizacao|autorizacoes|homologad*|homologacao|homologacoes",
      "all",
    ),
    r(
      "de.genehmigt",
      "claims.approval_implied",
      ["de"],
      "genehmigt*|genehmigung*|zugelassen*|zulassung*|autorisiert*",
      "all",
    ),
    r("de.freigegeben", "claims.approval_implied", ["de"], "freigegeben*", "titles"),
    r("de.tuev", "claims.approval_implied", ["de"], "tuv|tuev gepruft*|geprueft*", "all"),
    r(
      "sw.idhinishwa",
      "claims.approval_implied",
      ["sw"],
      "imeidhinishwa|iliyoidhinishwa|ameidhinishwa|aliyeidhinishwa|wameidhinishwa|walioidhinishwa",
      "all",
    ),
    r("ha.an-amince", "claims.approval_implied", ["ha"], "an amince|amincewar", "titles"),
    r("sw.kibali", "claims.approval_implied", ["sw"], "kibali|vibali", "titles"),

    // --- procurement and supplier status -------------------------------------------------------
    r("en.procurement", "claims.procurement_implied", ["en"], "procurement*", "titles"),
    r(
      "en.procurement-claim",
      "claims.procurement_implied",
      ["en"],
      "procurement qualified|ready|eligible|approved|status|grade",
      "all",
    ),
    r(
      "en.for-procurement",
      "claims.procurement_implied",
      ["en"],
      "qualified|eligible for public? procurement|tender*|contract*",
      "all",
    ),
    r(
      "prequalified",
      "claims.procurement_implied",
      ["en", "fr", "es", "pt"],
      "prequalif*|precalific*|prequalificad*|prequalificacao",
      "all",
    ),
    r("en.pre-qualified", "claims.procurement_implied", ["en", "pt"], "pre qualif*", "all"),
    r(
      "en.supplier-status",
      "claims.procurement_implied",
      ["en"],
      "preferred|approved|registered|qualified|accredited|vetted supplier*|vendor*",
      "all",
    ),
    r(
      "en.supplier-qualification",
      "claims.procurement_implied",
      ["en"],
      "supplier|vendor status|qualification|approval",
      "all",
    ),
    r("en.tender-ready", "claims.procurement_implied", ["en"], "tender|bid ready", "all"),
    r(
      "fr.fournisseur",
      "claims.procurement_implied",
      ["fr"],
      "fournisseur* agree*|qualifie*|homologue*|reference*",
      "all",
    ),
    r("fr.marches-publics", "claims.procurement_implied", ["fr"], "marche|marches publics", "titles"),
    r(
      "es.proveedor",
      "claims.procurement_implied",
      ["es"],
      "proveedor* calificad*|homologad*|aprobad*|registrad*|acreditad*",
      "all",
    ),
    r("es.licitacion", "claims.procurement_implied", ["es", "pt"], "licitac*", "titles"),
    r(
      "es.contratacion-publica",
      "claims.procurement_implied",
      ["es", "pt"],
      "contratacion|contratacao|compras publica|publicas",
      "titles",
    ),
    r(
      "pt.fornecedor",
      "claims.procurement_implied",
      ["pt"],
      "fornecedor* qualificad*|homologad*|credenciad*|aprovad*|cadastrad*",
      "all",
    ),
    r(
      "de.praequalifiziert",
      "claims.procurement_implied",
      ["de"],
      "*praqualifi*|*praequalifi*|*lieferantenqualifi*",
      "all",
    ),
    r("de.beschaffung", "claims.procurement_implied", ["de"], "*beschaffung*|*vergabe*", "titles"),
    r("sw.zabuni", "claims.procurement_implied", ["sw"], "zabuni", "titles"),
    r("sw.ununuzi-wa-umma", "claims.procurement_implied", ["sw"], "ununuzi wa umma", "titles"),

    // --- academic degrees --------------------------------------------------------------------
    r("degree", "claims.degree_implied", ["en"], "bachelor*|doctorate|doctoral|phd", "all"),
    r("en.masters-degree", "claims.degree_implied", ["en"], "master|masters s? degree", "all"),
    r("en.degree-in", "claims.degree_implied", ["en"], "university|academic|honours|honors degree", "all"),
    r("en.degree", "claims.degree_implied", ["en"], "degree in|of", "titles", [
      "degree of accuracy|precision|confidence|uncertainty|risk|exposure|damage|severity|freedom",
    ]),
    r("diploma", "claims.degree_implied", ["en", "fr", "es", "pt", "de"], "diplom*", "titles"),
    r("fr.licence-degree", "claims.degree_implied", ["fr"], "licence professionnelle|universitaire", "all"),
    r("fr.baccalaureat", "claims.degree_implied", ["fr"], "baccalaureat", "titles"),
    r("es.licenciatura", "claims.degree_implied", ["es", "pt"], "licenciatura*", "titles"),
    r("pt.bacharel", "claims.degree_implied", ["pt"], "bacharel*", "titles"),
    r("es.titulo", "claims.degree_implied", ["es"], "titulo universitario|oficial", "all"),
    r(
      "de.abschluss",
      "claims.degree_implied",
      ["de"],
      "hochschulabschluss|studienabschluss|bachelorabschluss|masterabschluss",
      "all",
    ),
    r("sw.shahada", "claims.degree_implied", ["sw"], "shahada|stashahada|astashahada", "titles"),
    r("ha.digiri", "claims.degree_implied", ["ha"], "digiri|difloma", "titles"),

    // --- finance, insurance, investment, tradability -----------------------------------------
    r(
      "financeable",
      "claims.financial_implied",
      ["en", "fr", "es", "pt", "de"],
      "bankable|bancable|bancavel|bankfahig*|financeable|financable|financiable|financiavel|finanzierbar*|insurable|assurable|asegurable|seguravel|versicherbar*|creditworthy|kreditwurdig*|investable",
      "all",
    ),
    r("en.investment-ready", "claims.financial_implied", ["en"], "investment|investor ready|grade", "all"),
    r("en.credit-worthy", "claims.financial_implied", ["en"], "credit worthy", "all"),
    r(
      "tradable",
      "claims.financial_implied",
      ["en"],
      "tradable|tradeable|transferable|transferrable|redeemable|monetisable|monetizable",
      "all",
    ),
  ],
  negations: [
    // en
    "not",
    "no",
    "non",
    "never",
    "without",
    "nor",
    "isn",
    "doesn",
    "don",
    "didn",
    "cannot",
    "neither",
    // fr
    "pas",
    "sans",
    "ni",
    "aucun",
    "aucune",
    "jamais",
    // es / pt
    "sin",
    "nunca",
    "ningun",
    "ninguna",
    "ninguno",
    "nao",
    "sem",
    "nem",
    "nenhum",
    "nenhuma",
    // de
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keiner",
    "keines",
    "ohne",
    "nie",
    // sw / ha
    "bila",
    "hakuna",
    "babu",
  ],
  negationWindow: 6,
  financialKeyWords: [
    "price",
    "prices",
    "pricing",
    "priced",
    "amount",
    "amounts",
    "currency",
    "currencies",
    "balance",
    "balances",
    "share",
    "shares",
    "shareholding",
    "equity",
    "royalty",
    "royalties",
    "token",
    "tokens",
    "tokenid",
    "value",
    "values",
    "valuation",
    "payment",
    "payments",
    "pay",
    "payout",
    "payable",
    "fee",
    "fees",
    "cost",
    "costs",
    "salary",
    "wage",
    "wages",
    "compensation",
    "remuneration",
    "reward",
    "rewards",
    "bounty",
    "money",
    "cash",
    "invoice",
    "dividend",
    "dividends",
    "revenue",
    "profit",
    "earnings",
    "stake",
    "staking",
    "nft",
    "coin",
    "coins",
    "crypto",
    "iban",
    "usd",
    "eur",
  ],
  transferKeyWords: [
    "transfer",
    "transfers",
    "transferable",
    "transferrable",
    "transferability",
    "transferee",
    "transferor",
    "tradable",
    "tradeable",
    "trade",
    "trading",
    "redeem",
    "redeemable",
    "redemption",
    "resale",
    "resell",
    "assignable",
    "assignee",
    "bearer",
    "negotiable",
  ],
  piiKeyWords: [
    "email",
    "phone",
    "telephone",
    "msisdn",
    "whatsapp",
    "address",
    "birth",
    "birthdate",
    "birthday",
    "dob",
    "age",
    "gender",
    "sex",
    "nationality",
    "ethnicity",
    "religion",
    "passport",
    "ssn",
    "nin",
    "surname",
    "photo",
    "portrait",
    "selfie",
    "biometric",
    "biometrics",
    "fingerprint",
    "geolocation",
    "gps",
    "marital",
    "disability",
    "health",
    "medical",
    "income",
  ],
  piiKeys: [
    "firstname",
    "lastname",
    "givenname",
    "familyname",
    "fullname",
    "middlename",
    "maidenname",
    "personname",
    "nationalid",
    "idnumber",
    "idcard",
    "taxid",
    "socialsecuritynumber",
    "dateofbirth",
    "placeofbirth",
    "homeaddress",
    "streetaddress",
    "postaladdress",
    "postalcode",
    "zipcode",
    "ipaddress",
    "emailaddress",
    "phonenumber",
    "mobilenumber",
  ],
  allowedKeys: ["sharealike"],
  titleFields: ["name", "title", "role", "pathway", "productionClass", "kind", "verification"],
  textFields: [
    "description",
    "narrative",
    "covers",
    "assessmentBasis",
    "renewalRequirement",
    "linkedDomains",
  ],
  skipFields: ["excludes", "limitations", "license", "licenseTerms"],
};
