/**
 * The statement each co-author of an MPU signs (issue 14; docs/API.md "Provenance"): what the
 * wallet shows before the author signs (title, category, digest, licence, every author and
 * role) and exactly what the author's JWS payload must be. It is rebuilt from a credential's
 * `credentialSubject.mpu` (without `coSignatures`) and its issuer DID, so the verifier checks
 * co-authorship offline, from the credential alone.
 */
import { canonicalJson } from "./canonical-json.js";
import type { MpuCredentialPart } from "./credential.js";

/** The `type` member of every MPU statement: a JWS with another payload type is not a co-signature. */
export const MPU_STATEMENT_TYPE = "MPUCoAuthorshipStatement";

export interface MpuStatement {
  type: typeof MPU_STATEMENT_TYPE;
  /** The issuer that registers the MPU and will issue the authorship credentials. */
  issuer: string;
  /** The MPU as its credentials carry it, without `coSignatures`. */
  mpu: Omit<MpuCredentialPart, "coSignatures">;
}

/** The statement of an MPU (credential form) registered by `issuerDid`. */
export function mpuStatement(mpu: MpuCredentialPart, issuerDid: string): MpuStatement {
  const { coSignatures: _c, ...rest } = mpu;
  return { type: MPU_STATEMENT_TYPE, issuer: issuerDid, mpu: rest };
}

/** The RFC 8785 canonical JSON of a statement: two readers of one statement compare these strings. */
export function mpuStatementText(statement: MpuStatement): string {
  return canonicalJson(statement);
}
