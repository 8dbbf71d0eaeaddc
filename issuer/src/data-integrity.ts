/**
 * Data Integrity securing (VC Data Integrity 1.0; EdDSA Cryptosuites v1.0 §3.3 `eddsa-rdfc-2022`)
 * with Digital Bazaar's libraries, the ones the Digital Credentials Consortium's wallet and
 * VerifierPlus use. The issuer's existing Ed25519 key signs (its did:key verification method is
 * already a Multikey id, `did:key:z6Mk…#z6Mk…`); every JSON-LD context comes from the bundled
 * loader, so signing never touches the network.
 */
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { staticDocumentLoader } from "@meritlog/schemas";
import type { JwtSigner } from "./signing.js";

/**
 * Returns `credential` with an `eddsa-rdfc-2022` DataIntegrityProof (proofPurpose
 * assertionMethod) by the key of `signer`. The input is not modified.
 * @throws Error when the credential uses a term no bundled context defines (jsonld safe mode).
 */
export async function signDataIntegrity(credential: Record<string, unknown>, signer: JwtSigner, created: Date): Promise<Record<string, unknown>> {
  const suite = new DataIntegrityProof({
    // The suite needs only an id (the verification method) and a raw Ed25519 signature (RFC 8032).
    signer: { id: signer.kid, algorithm: "Ed25519", sign: async ({ data }: { data: Uint8Array }) => signer.signBytes(data) },
    cryptosuite: eddsaRdfc2022,
    date: created,
  });
  return (await vc.issue({ credential: structuredClone(credential), suite, documentLoader: staticDocumentLoader })) as Record<string, unknown>;
}
