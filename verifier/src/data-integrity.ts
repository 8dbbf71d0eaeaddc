/**
 * Data Integrity proofs (VC Data Integrity 1.0) on credentials from other issuers and from us:
 * `eddsa-rdfc-2022` (EdDSA Cryptosuites v1.0 §3.3) and `Ed25519Signature2020`, the suite DCC-style
 * issuers (Learner Credential Wallet, VerifierPlus) still use, checked with Digital Bazaar's
 * libraries. JSON-LD contexts come only from the bundled loader, never fetched; keys from did:key
 * (offline) or did:web (the DID document through the caller's guarded fetcher, the key required
 * to be one of its `assertionMethod`s, W3C VC Data Integrity 1.0 §4.3 "Verify Proof" step on the
 * proof purpose). An unknown context or another DID method leaves the proof unchecked ("unknown").
 */
import { canonicalJson } from "@meritlog/schemas";
import { staticDocumentLoader } from "@meritlog/schemas/jsonld";
import type { Check, JsonObject, Receipt, VerificationReport, VerifyContext } from "./core/index.js";
import { check, didWebUrl, verifyDataIntegrityCredential } from "./core/index.js";
import { say, type Said } from "./core/report-messages.js";
import { withTimeout } from "./core/context.js";
import { decodeMultikey, encodeMultikey, isCoreError, publicKeyFromJwk } from "@meritlog/core";
import { nodeSha256Hex } from "./node-ed25519.js";

/** The JSON-LD stack (jsonld, rdf-canonize) loads on the first Data Integrity credential, not at server start. */
let libs:
  | Promise<
      [
        typeof import("@digitalbazaar/vc"),
        typeof import("@digitalbazaar/data-integrity"),
        typeof import("@digitalbazaar/eddsa-rdfc-2022-cryptosuite"),
        typeof import("@digitalbazaar/ed25519-signature-2020"),
      ]
    >
  | undefined;
const load = () =>
  (libs ??= Promise.all([
    import("@digitalbazaar/vc"),
    import("@digitalbazaar/data-integrity"),
    import("@digitalbazaar/eddsa-rdfc-2022-cryptosuite"),
    import("@digitalbazaar/ed25519-signature-2020"),
  ]));

/** The proof types and cryptosuites this verifier checks. */
export const DATA_INTEGRITY_SUITES = ["DataIntegrityProof/eddsa-rdfc-2022", "Ed25519Signature2020"] as const;

/**
 * The DID document and the Multikey verification method (did:key v0.7 §3.1.2; Controlled
 * Identifiers 1.0 §2.2.2 "Multikey") the libraries are shown for one Ed25519 key `multibase` of
 * `did`, as verification method `vmId`: the key is the document's only method and its only
 * `assertionMethod`. Undefined for any other URL.
 */
function multikeyDocuments(
  did: string,
  vmId: string,
  multibase: string,
  url: string,
): { document: unknown } | undefined {
  const vm = {
    "@context": "https://w3id.org/security/multikey/v1",
    id: vmId,
    type: "Multikey",
    controller: did,
    publicKeyMultibase: multibase,
  };
  if (url === vmId) return { document: vm };
  if (url !== did) return undefined;
  return {
    document: {
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
      id: did,
      verificationMethod: [vm],
      assertionMethod: [vmId],
      authentication: [vmId],
    },
  };
}

/** A did:key DID document and its Multikey verification method (did:key v0.7 §3.1.2), built offline. */
function didKeyDocuments(url: string): { document: unknown } | undefined {
  const [did, fragment] = url.split("#") as [string, string | undefined];
  const m = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]{40,50})$/.exec(did);
  const mb = m?.[1];
  if (mb === undefined || (fragment !== undefined && fragment !== mb)) return undefined;
  return multikeyDocuments(did, `${did}#${mb}`, mb, url);
}

/**
 * The Ed25519 key (multibase) of verification method `vm` of the did:web `did`, read from its DID
 * document through the caller's fetcher, only if the document lists `vm` as an `assertionMethod`
 * (by reference or embedded); otherwise the check that says why.
 */
async function didWebAssertionKey(
  did: string,
  vm: string,
  ctx: VerifyContext | undefined,
): Promise<{ multibase: string } | { check: Check }> {
  const unknown = (code: string, message: Said) => ({ check: check("unknown", code, message) });
  const url = didWebUrl(did);
  if (!url)
    return {
      check: check(
        false,
        "signature.key_unresolvable",
        say("The did:web identifier is malformed.", "signature.di.did_web_malformed"),
      ),
    };
  const fetchDoc = ctx?.fetcher?.didWeb;
  if (!ctx || !fetchDoc)
    return unknown(
      "signature.network_disabled",
      say(
        `The proof's key belongs to ${did.slice(0, 120)}; resolving it needs a fetch of ${url}, which is not enabled here.`,
        "signature.di.network_disabled",
        { did: did.slice(0, 120), url },
      ),
    );
  let doc: unknown;
  try {
    doc = await withTimeout(ctx, "did:web fetch", () => fetchDoc.call(ctx.fetcher, url));
  } catch (e) {
    const why = e instanceof Error ? e.message : "error";
    return unknown(
      "signature.key_unresolvable",
      say(`The DID document at ${url} could not be fetched (${why}).`, "signature.di.fetch_failed", {
        url,
        why,
      }),
    );
  }
  const absolute = (id: unknown) => (typeof id === "string" && id.startsWith("#") ? did + id : id);
  if (!isObject(doc) || doc.id !== did)
    return {
      check: check(
        false,
        "signature.key_unresolvable",
        say(
          `The document at ${url} is not a DID document for ${did.slice(0, 120)}.`,
          "signature.di.not_did_document",
          { url, did: did.slice(0, 120) },
        ),
      ),
    };
  const assertion = (Array.isArray(doc.assertionMethod) ? doc.assertionMethod : []).slice(0, 32);
  const listed = assertion.some((a) => absolute(isObject(a) ? a.id : a) === vm);
  const methods = [
    ...(Array.isArray(doc.verificationMethod) ? doc.verificationMethod : []).slice(0, 32),
    ...assertion,
  ].filter(isObject);
  const method = methods.find((m) => absolute(m.id) === vm);
  if (!listed || !method)
    return {
      check: check(
        false,
        "signature.key_not_authorized",
        say(
          `${vm.slice(0, 160)} is not an assertionMethod of ${did.slice(0, 120)}: that key may not sign credentials for it.`,
          "signature.di.not_assertion_method",
          { vm: vm.slice(0, 160), did: did.slice(0, 120) },
        ),
      ),
    };
  try {
    const key =
      typeof method.publicKeyMultibase === "string"
        ? decodeMultikey(method.publicKeyMultibase)
        : publicKeyFromJwk(method.publicKeyJwk);
    if (key?.type === "Ed25519")
      return { multibase: encodeMultikey({ type: "Ed25519", publicKey: key.publicKey }) };
  } catch (e) {
    if (!isCoreError(e)) throw e;
  }
  return unknown(
    "signature.key_unresolvable",
    say(`${vm.slice(0, 160)} is not an Ed25519 key; these proofs need one.`, "signature.di.not_ed25519", {
      vm: vm.slice(0, 160),
    }),
  );
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The proofs of a credential (one object or an array). */
function proofsOf(credential: JsonObject): JsonObject[] {
  const p = credential.proof;
  return (Array.isArray(p) ? p : [p]).filter(isObject);
}

/**
 * Checks the embedded proof of `credential`. Returns the signature check and, when the proof
 * holds, the DID that controls the key that made it. Never throws.
 */
export async function checkDataIntegrityProof(
  credential: JsonObject,
  now: Date,
  ctx?: VerifyContext,
): Promise<{ check: Check; did?: string }> {
  const proofs = proofsOf(credential);
  if (proofs.length !== 1)
    return {
      check: check(
        "unknown",
        "signature.proof_unsupported",
        proofs.length === 0
          ? say("The credential carries no proof.", "signature.di.no_proof")
          : say("Only credentials with exactly one proof are checked.", "signature.di.several_proofs"),
      ),
    };
  const proof = proofs[0]!;
  const kind =
    proof.type === "DataIntegrityProof"
      ? `DataIntegrityProof/${String(proof.cryptosuite)}`
      : String(proof.type);
  if (!(DATA_INTEGRITY_SUITES as readonly string[]).includes(kind)) {
    return {
      check: check(
        "unknown",
        "signature.proof_unsupported",
        say(
          `Proofs of type ${kind.slice(0, 80)} are not checked here (supported: eddsa-rdfc-2022 and Ed25519Signature2020).`,
          "signature.di.suite_unsupported",
          { type: kind.slice(0, 80) },
        ),
      ),
    };
  }
  const vm =
    typeof proof.verificationMethod === "string"
      ? proof.verificationMethod
      : isObject(proof.verificationMethod) && typeof proof.verificationMethod.id === "string"
        ? proof.verificationMethod.id
        : undefined;
  const did = vm?.split("#")[0];
  let keyDocuments: ((url: string) => { document: unknown } | undefined) | undefined;
  if (vm && did && didKeyDocuments(vm)) keyDocuments = didKeyDocuments;
  else if (vm && did?.startsWith("did:web:") && vm.startsWith(`${did}#`)) {
    const key = await didWebAssertionKey(did, vm, ctx);
    if ("check" in key) return key;
    keyDocuments = (url) => multikeyDocuments(did, vm, key.multibase, url);
  }
  if (!vm || !did || !keyDocuments) {
    return {
      check: check(
        "unknown",
        "signature.key_unresolvable",
        say(
          `The proof's key ${String(vm).slice(0, 120)} is neither an Ed25519 did:key nor a did:web key; other DID methods are not resolved for Data Integrity proofs here.`,
          "signature.di.key_method",
          { vm: String(vm).slice(0, 120) },
        ),
      ),
    };
  }
  let refused: string | undefined;
  const documentLoader = async (url: string) => {
    const key = keyDocuments(url);
    if (key) return { contextUrl: null, documentUrl: url, ...key };
    try {
      return await staticDocumentLoader(url);
    } catch (e) {
      refused ??= url;
      throw e;
    }
  };
  const [vc, { DataIntegrityProof }, { cryptosuite: eddsaRdfc2022 }, { Ed25519Signature2020 }] = await load();
  const suite =
    proof.type === "Ed25519Signature2020"
      ? new Ed25519Signature2020()
      : new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  // Validity windows and status are reported by their own checks; the library is asked only
  // whether the proof holds (its clock set inside the window, its status check a no-op).
  const from =
    typeof credential.validFrom === "string"
      ? Date.parse(credential.validFrom)
      : typeof credential.issuanceDate === "string"
        ? Date.parse(credential.issuanceDate)
        : NaN;
  let result: { verified: boolean; error?: { message?: string; errors?: { message?: string }[] } };
  try {
    result = await vc.verifyCredential({
      credential,
      suite,
      documentLoader,
      now: Number.isFinite(from) ? new Date(from) : now,
      checkStatus: async () => ({ verified: true }),
    });
  } catch (e) {
    result = { verified: false, error: { message: e instanceof Error ? e.message : "error" } };
  }
  const suiteName = kind.replace("DataIntegrityProof/", "");
  if (result.verified)
    return {
      check: check(
        true,
        "signature.valid",
        say(`The ${suiteName} Data Integrity proof holds, made with a key of ${did}.`, "signature.di.valid", {
          suite: suiteName,
          signer: did,
        }),
        { suite: suiteName, verificationMethod: vm },
      ),
      did,
    };
  if (refused !== undefined)
    return {
      check: check(
        "unknown",
        "signature.context_unknown",
        say(
          `The credential uses the JSON-LD context ${refused.slice(0, 200)}, which this verifier does not bundle; it is never fetched, so the proof could not be checked.`,
          "signature.di.context_unknown",
          { url: refused.slice(0, 200) },
        ),
      ),
    };
  const why = (result.error?.errors?.[0]?.message ?? result.error?.message ?? "").slice(0, 200);
  return {
    check: check(
      false,
      "signature.invalid",
      why
        ? say(
            `The ${suiteName} Data Integrity proof does not hold (${why}): the credential was changed after it was signed, or not signed by ${did}.`,
            "signature.di.invalid.why",
            { suite: suiteName, detail: why, signer: did },
          )
        : say(
            `The ${suiteName} Data Integrity proof does not hold: the credential was changed after it was signed, or not signed by ${did}.`,
            "signature.di.invalid",
            { suite: suiteName, signer: did },
          ),
      { suite: suiteName },
    ),
  };
}

/** Hex SHA-256 of the credential's RFC 8785 canonical JSON: the digest its log entry carries. */
export function dataIntegrityDigest(credential: JsonObject): string {
  return nodeSha256Hex(canonicalJson(credential));
}

/** The full report for a Data Integrity credential: proof, then every check a VC-JWT gets. */
export async function verifyDataIntegrity(
  credential: JsonObject,
  receipt: Receipt | undefined,
  ctx: VerifyContext,
): Promise<VerificationReport> {
  const proof = await checkDataIntegrityProof(credential, ctx.now, ctx);
  return await verifyDataIntegrityCredential(
    credential,
    proof,
    dataIntegrityDigest(credential),
    receipt,
    ctx,
  );
}
