/**
 * JSON-LD contexts of a meritlog credential: VC Data Model 2.0, Open Badges 3.0, and ours, which
 * defines every extension term we add (VC Data Model 2.0 §5.2 "Extensibility"). The meritlog
 * context is versioned in its URL: a change of meaning is a new URL, never an edit.
 */

/** VC Data Model 2.0 §4.3: the first context of every credential. */
export const VC2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";
/** Open Badges 3.0 context (OB 3.0 §B.4; current published revision 3.0.3). */
export const OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/** Our extension context, version 1. The server serves `meritlogContext` at this URL's path. */
export const MERITLOG_CONTEXT_URL = "https://w3id.org/meritlog/v1";
/** The path the server serves the context at (`new URL(MERITLOG_CONTEXT_URL).pathname`). */
export const MERITLOG_CONTEXT_PATH = "/meritlog/v1";

/** The `@context` array of every meritlog credential, in this order. */
export const CREDENTIAL_CONTEXTS = [VC2_CONTEXT_URL, OB3_CONTEXT_URL, MERITLOG_CONTEXT_URL] as const;

const ML = `${MERITLOG_CONTEXT_URL}#`;
const XSD = "http://www.w3.org/2001/XMLSchema#";

const str = (name: string) => ({ "@id": `${ML}${name}`, "@type": `${XSD}string` });
const list = (name: string) => ({ "@id": `${ML}${name}`, "@container": "@list" });
const idRef = (name: string) => ({ "@id": `${ML}${name}`, "@type": "@id" });

/**
 * The meritlog JSON-LD context, version 1 (JSON-LD 1.1 §4.1). Not `@protected`: the Open Badges
 * context's type-scoped terms (e.g. `role` inside AchievementSubject) must keep their meaning
 * where they apply, and our terms must not collide with the protected VC 2.0 terms (`id`, `type`,
 * `name`, `description`, `digestSRI`, …), which we reuse rather than redefine.
 */
export const meritlogContext = {
  "@context": {
    "@version": 1.1,
    ml: ML,
    xsd: XSD,

    // Credential types (the third member of `type`).
    MicroCredential: `${ML}MicroCredential`,
    Attribution: `${ML}Attribution`,
    MPUAuthorship: `${ML}MPUAuthorship`,

    // The signed notice in termsOfUse (VC Data Model 2.0 §5.7).
    NoConversionNotice: {
      "@id": `${ML}NoConversionNotice`,
      "@context": {
        "@protected": true,
        id: "@id",
        type: "@type",
        text: str("noticeText"),
        version: str("noticeVersion"),
      },
    },

    // Scope and review (MicroCredential; Attribution and MPUAuthorship state a scope too).
    scope: {
      "@id": `${ML}scope`,
      "@context": { covers: list("covers"), excludes: list("excludes") },
    },
    reviewLevel: str("reviewLevel"),
    pathway: str("pathway"),
    productionClass: str("productionClass"),
    assessmentBasis: str("assessmentBasis"),
    limitations: list("limitations"),
    renewalRequirement: str("renewalRequirement"),

    // Attribution.
    contribution: {
      "@id": `${ML}contribution`,
      "@context": { kind: str("contributionKind"), role: str("contributionRole") },
    },
    contributionObject: idRef("contributionObject"),

    // MPU authorship.
    mpu: {
      "@id": `${ML}mpu`,
      "@context": {
        title: str("mpuTitle"),
        category: str("mpuCategory"),
        license: str("license"),
        licenseTerms: `${ML}licenseTerms`,
        stage: str("mpuStage"),
        verification: str("verificationMethod"),
        authors: { "@id": `${ML}authors`, "@container": "@set" },
        role: str("authorRole"),
        linkedDomains: { "@id": `${ML}linkedDomains`, "@container": "@set" },
        text: str("licenseText"),
        url: { "@id": `${ML}licenseUrl`, "@type": "@id" },
      },
    },

    // Corrections and renewals name the credential they replace (DOMAIN.md "Correction").
    supersedes: idRef("supersedes"),
    renews: idRef("renews"),
  },
} as const;
