// @meritlog/core: browser-safe primitives every meritlog package shares, written once (as
// sigstore-js keeps them in packages/core). Node-only pieces are in `@meritlog/core/node`.
export { CoreError, isCoreError, type CoreErrorCode } from "./errors.js";
export {
  bytesEqual,
  concatBytes,
  toBase64,
  toBase64Url,
  toHex,
  tryFromBase64,
  tryFromBase64Url,
  tryFromHex,
  tryUtf8Decode,
  utf8,
} from "./bytes.js";
export { sha256, sha256Hex, type Hasher } from "./hash.js";
export { base58Decode, base58Encode } from "./base58.js";
export {
  decodeDidKey,
  decodeMultikey,
  didKeyVerificationMethod,
  encodeDidKey,
  encodeMultikey,
  type DidKeyPublicKey,
  type DidKeyType,
} from "./did-key.js";
export { decompressBounded, readBounded } from "./stream.js";
export {
  CREDENTIAL_HEADER_RULES,
  JWS_ALGORITHMS,
  MIN_RSA_BITS,
  PRESENTATION_HEADER_RULES,
  checkJwsHeader,
  compactJws,
  decodeJws,
  encodeJwsSegment,
  jwkFromPublicKey,
  jwsKeyFromDidKey,
  publicKeyFromJwk,
  sameJwsKey,
  signJws,
  verifyJwsSignature,
  type DecodedJws,
  type JsonObject,
  type JwsAlgorithm,
  type JwsHeaderProblem,
  type JwsHeaderProblemCode,
  type JwsHeaderRules,
  type JwsKeyType,
  type JwsPublicKey,
  type JwsSign,
  type JwsSignatureVerifier,
} from "./jws.js";
export { LANGUAGES, format, missingKeys, pickLanguage, type Catalogue, type Language } from "./i18n.js";
export { parseCsv } from "./csv.js";
