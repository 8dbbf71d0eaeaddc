/**
 * Data Integrity securing (VC Data Integrity 1.0; EdDSA Cryptosuites v1.0 §3.3 `eddsa-rdfc-2022`)
 * with Digital Bazaar's libraries, the ones the Digital Credentials Consortium's wallet and
 * VerifierPlus use. The issuer's existing Ed25519 key signs (its did:key verification method is
 * already a Multikey id, `did:key:z6Mk…#z6Mk…`); every JSON-LD context comes from the bundled
 * loader, so signing never touches the network.
 */
import { staticDocumentLoader } from "@meritlog/schemas/jsonld";
import type { Ed25519JwsSigner as JwtSigner } from "@meritlog/core/node";

/** The JSON-LD stack (jsonld, rdf-canonize) loads on first use, so a server that never issues Data Integrity does not pay for it at start. */
let libs:
  | Promise<
      [
        typeof import("@digitalbazaar/vc"),
        typeof import("@digitalbazaar/data-integrity"),
        typeof import("@digitalbazaar/eddsa-rdfc-2022-cryptosuite"),
      ]
    >
  | undefined;
const load = () =>
  (libs ??= Promise.all([
    import("@digitalbazaar/vc"),
    import("@digitalbazaar/data-integrity"),
    import("@digitalbazaar/eddsa-rdfc-2022-cryptosuite"),
  ]));

/**
 * Returns `credential` with an `eddsa-rdfc-2022` DataIntegrityProof (proofPurpose
 * assertionMethod) by the key of `signer`. The input is not modified.
 * @throws Error when the credential uses a term no bundled context defines (jsonld safe mode).
 */
export async function signDataIntegrity(
  credential: Record<string, unknown>,
  signer: JwtSigner,
  created: Date,
): Promise<Record<string, unknown>> {
  const [vc, { DataIntegrityProof }, { cryptosuite: eddsaRdfc2022 }] = await load();
  const suite = new DataIntegrityProof({
    // The suite needs only an id (the verification method) and a raw Ed25519 signature (RFC 8032).
    signer: {
      id: signer.kid,
      algorithm: "Ed25519",
      sign: async ({ data }: { data: Uint8Array }) => signer.signBytes(data),
    },
    cryptosuite: eddsaRdfc2022,
    date: created,
  });
  return (await vc.issue({
    credential: structuredClone(credential),
    suite,
    documentLoader: staticDocumentLoader,
  })) as Record<string, unknown>;
}
