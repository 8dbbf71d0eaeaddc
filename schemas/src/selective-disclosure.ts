/**
 * The fields of meritlog's SD-JWT form (issue 15; VC-JOSE-COSE §3.2 `vc+sd-jwt`) that a learner may
 * withhold, as dot-separated paths from the credential root. The issuer makes exactly these
 * selectively disclosable (when present); the verifier names the ones a presentation withheld.
 * What says what a credential is and whether it is current (type, issuer, subject, scope, review
 * level, validity, status, the no-conversion notice) is never among them.
 */
export const SD_JWT_DISCLOSABLE_PATHS = [
  "credentialSubject.achievement.description",
  "credentialSubject.achievement.criteria.narrative",
  "credentialSubject.result",
  "credentialSubject.contribution.description",
  "evidence",
  // The credential's own description repeats the achievement's (schemas credential.ts): withheld
  // with it, or the withheld text would still be shown.
  "description",
] as const;
