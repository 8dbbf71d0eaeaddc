// Data Integrity proofs by did:web issuers (issue 13: DCC-style issuers publish their keys with
// did:web): the key comes from the issuer's DID document through the caller's fetcher and must be
// one of its assertionMethods (VC Data Integrity 1.0 §4.3, proof purpose). Credentials are signed
// here by @digitalbazaar/vc alone, with both suites the verifier checks.
import { describe, expect, it } from "vitest";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { Ed25519Signature2020 } from "@digitalbazaar/ed25519-signature-2020";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { contexts as vcContexts } from "@digitalbazaar/credentials-context";
import ed25519Signature2020Context from "ed25519-signature-2020-context";
import { checkDataIntegrityProof } from "@meritlog/verifier";
import { nobleEd25519, type VerifyContext } from "@meritlog/verifier/core";

type Json = Record<string, unknown>;
const CONTEXTS = new Map<string, unknown>([
  ...(vcContexts as Map<string, unknown>),
  ...(ed25519Signature2020Context.contexts as Map<string, unknown>),
]);
async function contextLoader(url: string) {
  const document = CONTEXTS.get(url);
  if (document === undefined) throw new Error(`test loader: unknown ${url}`);
  return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
}

const DID = "did:web:badges.example.org";
const NOW = new Date("2026-06-01T12:00:00Z");

async function signed(suiteName: "eddsa-rdfc-2022" | "Ed25519Signature2020", vmId = `${DID}#key-1`) {
  const key = await Ed25519Multikey.generate();
  key.controller = DID;
  key.id = vmId;
  const credential: Json = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiableCredential"],
    issuer: DID,
    validFrom: "2026-01-01T00:00:00Z",
    credentialSubject: { id: "did:example:learner", name: "Repair volunteer" },
  };
  if (suiteName === "Ed25519Signature2020")
    (credential["@context"] as string[]).push("https://w3id.org/security/suites/ed25519-2020/v1");
  const suite =
    suiteName === "eddsa-rdfc-2022"
      ? new DataIntegrityProof({ signer: key.signer(), cryptosuite: eddsaRdfc2022 })
      : new Ed25519Signature2020({ key });
  const vcSigned = (await vc.issue({ credential, suite, documentLoader: contextLoader })) as Json;
  return { credential: vcSigned, multibase: key.publicKeyMultibase as string };
}

function ctx(doc: unknown, fetched: string[] = []): VerifyContext {
  return {
    now: NOW,
    ed25519: nobleEd25519,
    trust: { issuers: [], logKeys: [] },
    fetcher: { didWeb: async (url) => (fetched.push(url), doc) },
  };
}

function didDocument(
  multibase: string,
  relationship: "assertionMethod" | "authentication" = "assertionMethod",
) {
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: DID,
    verificationMethod: [{ id: "#key-1", type: "Multikey", controller: DID, publicKeyMultibase: multibase }],
    [relationship]: ["#key-1"],
  };
}

describe("Data Integrity proofs by a did:web issuer", () => {
  for (const suite of ["eddsa-rdfc-2022", "Ed25519Signature2020"] as const) {
    it(`${suite}: verifies with the key of its DID document's assertionMethod`, async () => {
      const { credential, multibase } = await signed(suite);
      const fetched: string[] = [];
      const r = await checkDataIntegrityProof(credential, NOW, ctx(didDocument(multibase), fetched));
      expect(r.check, JSON.stringify(r.check)).toMatchObject({ ok: true, code: "signature.valid" });
      expect(r.did).toBe(DID);
      expect(fetched).toEqual(["https://badges.example.org/.well-known/did.json"]);
      // Changed after signing: the proof no longer holds.
      const changed = { ...credential, validFrom: "2026-02-01T00:00:00Z" };
      expect((await checkDataIntegrityProof(changed, NOW, ctx(didDocument(multibase)))).check.code).toBe(
        "signature.invalid",
      );
    });
  }
  it("refuses a key listed only for authentication, and a key the document does not hold", async () => {
    const { credential, multibase } = await signed("eddsa-rdfc-2022");
    const auth = await checkDataIntegrityProof(
      credential,
      NOW,
      ctx(didDocument(multibase, "authentication")),
    );
    expect(auth.check).toMatchObject({ ok: false, code: "signature.key_not_authorized" });
    const other = await signed("eddsa-rdfc-2022");
    const wrong = await checkDataIntegrityProof(credential, NOW, ctx(didDocument(other.multibase)));
    expect(wrong.check).toMatchObject({ ok: false, code: "signature.invalid" });
  });
  it("is unknown, never valid, without a fetcher or with a document for another DID", async () => {
    const { credential, multibase } = await signed("eddsa-rdfc-2022");
    const off = await checkDataIntegrityProof(credential, NOW, { ...ctx(null), fetcher: undefined });
    expect(off.check).toMatchObject({ ok: "unknown", code: "signature.network_disabled" });
    const foreign = { ...didDocument(multibase), id: "did:web:elsewhere.example" };
    expect((await checkDataIntegrityProof(credential, NOW, ctx(foreign))).check).toMatchObject({
      ok: false,
      code: "signature.key_unresolvable",
    });
  });
});
