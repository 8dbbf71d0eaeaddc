// Minimal declarations for Digital Bazaar's Data Integrity packages (they ship no types).
declare module "@digitalbazaar/vc" {
  export function issue(o: {
    credential: object;
    suite: unknown;
    documentLoader: (url: string) => Promise<unknown>;
  }): Promise<object>;
}
declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(o: { signer?: unknown; cryptosuite: unknown; date?: Date });
  }
}
declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: unknown;
}
