export { createSecretBox, type SecretBox } from "./secret-box.js";
export { IssuerError, ISSUER_ERROR_CODES, type IssuerErrorCode } from "./errors.js";
