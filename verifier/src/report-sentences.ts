// The sentences of the verification report, each under a stable code with named parameters
// (issue 12 "Two languages"). The verifier's core says each sentence in English where it makes it
// and tags it with its code and parameters (core/report-messages.ts `say`); this table is the same
// English as templates, for pages and tools that translate the report (the /verify catalogue has
// every code as `report.<code>`). verifier/test/report-messages.test.ts checks, over the whole
// corpus, that a check's sentences said from these templates are exactly its `message`. Kept out
// of the browser-safe core so the wallet's bundle does not carry it.
//
// Parameters are values (DIDs, dates, counts, URLs, issuer wording), never English prose, except
// `what` (credential, presentation, status list, endorsement), which a page translates as
// `report.what.<value>`, and `detail` / `why` (lower-level English, each with a code of its own in
// report-details.ts, so a page can say it too).

/** English templates; `{name}` is a parameter. */
export const REPORT_SENTENCES = {
  // report.ts
  not_checked: "Not checked, because {why}.",
  "not_checked.unverified": "Not checked, because the token could not be verified.",
  "not_checked.unreadable": "Not checked, because the token could not be read.",
  "not_checked.not_a_credential": "Not checked, because the token is not a credential.",
  "not_checked.object_not_a_credential": "Not checked, because the object is not a credential.",
  "not_checked.signature_fails": "Not checked, because the signature does not hold.",
  "not_checked.signature_unchecked": "Not checked, because the signature could not be checked.",
  "not_checked.proof_fails": "Not checked, because the proof does not hold.",
  "not_checked.proof_unchecked": "Not checked, because the proof could not be checked.",
  "not_checked.presentation_unreadable": "Not checked, because the presentation could not be read.",
  "not_checked.presentation_signature": "Not checked, because the presentation's signature does not hold.",
  "token.unreadable": "{detail} It cannot be verified.",
  "holder.audience_mismatch":
    "The presentation was made for another verifier (audience {audience}), not {expected}.",
  // signature.ts
  "signature.no_issuer": 'The {what} does not name its signer ("iss").',
  "signature.key_unavailable": "The signing key could not be obtained: {detail}",
  "signature.valid": "The {what} is signed by {signer} and has not been changed since.",
  "signature.invalid":
    "The {what}'s signature does not match: it was changed after signing, signed by another key, or its algorithm ({alg}) does not fit the key ({keyType}).",
  // validity.ts
  "validity.not_yet_valid":
    "The {what} is not valid before {from} (checked at {now}, allowing {skew} s clock skew).",
  "validity.expired": "The {what} expired on {until} (checked at {now}, allowing {skew} s clock skew).",
  "validity.no_expiry": "The {what} is within its validity period and has no end date.",
  "validity.no_expiry.from":
    "The {what} is within its validity period (valid from {from}) and has no end date.",
  "validity.current": "The {what} is within its validity period until {until}.",
  "validity.current.from": "The {what} is within its validity period (from {from}) until {until}.",
  // verify-credential.ts
  "issuer.mismatch": "The credential names {named} as issuer, but it was signed by {did}.",
  "issuer.registered": "Issued by {name} ({did}), an issuer registered with this service.",
  "issuer.registered.retired_at":
    "Issued by {name} ({did}), an issuer registered with this service, signed with an earlier key of {name}, retired at {retiredAt}; its current DID is {currentDid}.",
  "issuer.registered.retired":
    "Issued by {name} ({did}), an issuer registered with this service, signed with an earlier key of {name}, since retired; its current DID is {currentDid}.",
  "issuer.unregistered":
    "Issued by {did}. This issuer is not registered with this service: the signature is genuine, but who stands behind this DID is not vouched for here.",
  // status-list.ts
  "status.active": "Active: not revoked and not suspended according to the issuer's status list.",
  "status.active.fetched":
    "Active: not revoked and not suspended according to the issuer's status list (fetched {fetched}).",
  "status.active.lists": "Active: not revoked and not suspended according to the issuer's status lists.",
  "status.active.lists.fetched":
    "Active: not revoked and not suspended according to the issuer's status lists (fetched {fetched}).",
  "status.suspended": "This credential is suspended (temporarily not valid).",
  "status.suspended.since": "This credential is suspended (temporarily not valid) since {since}.",
  "status.revoked": "This credential is revoked (permanently withdrawn).",
  "status.revoked.since": "This credential is revoked (permanently withdrawn) since {since}.",
  "status.superseded": "This credential is superseded (replaced by a corrected or renewed credential).",
  "status.superseded.since":
    "This credential is superseded (replaced by a corrected or renewed credential) since {since}.",
  "status.superseded.by":
    "This credential is superseded (replaced by a corrected or renewed credential) by {by}.",
  "status.superseded.by.since":
    "This credential is superseded (replaced by a corrected or renewed credential) by {by} since {since}.",
  "status.archived": "This credential is archived (kept for the record; it carries no current status).",
  "status.archived.since":
    "This credential is archived (kept for the record; it carries no current status) since {since}.",
  "status.no_list":
    "This credential names no status list, so whether it was revoked or suspended cannot be checked.",
  "status.failed": "Status could not be established: {detail}",
  "status.unknown":
    "{detail} Whether it is revoked or suspended is therefore unknown; this does not mean it is not revoked.",
  // anchoring.ts
  "anchoring.no_receipt":
    "No log receipt was given and none was found in the log, so when and whether this credential was recorded cannot be checked.",
  "anchoring.receipt_malformed": "The log receipt is not well-formed.",
  "anchoring.entry_not_object": "The receipt's log entry is not a JSON object.",
  "anchoring.entry_mismatch":
    "The receipt records a different credential: its digest is not this credential's.",
  "anchoring.entry_other_id": "The receipt's log entry names another credential id.",
  "anchoring.entry_other_issuer": "The receipt's log entry names another issuer.",
  "anchoring.log_untrusted": 'The receipt is from the log "{origin}", which this verifier does not know.',
  "anchoring.receipt_malformed.detail": "The log receipt is not well-formed ({detail}).",
  "anchoring.inclusion_invalid":
    "The inclusion proof does not lead from this entry to the signed checkpoint.",
  "anchoring.origin_mismatch": "The receipt's checkpoint belongs to another log than the receipt names.",
  "anchoring.checkpoint_signature":
    "The receipt's checkpoint is not signed by the log's key: it is forged or from another log.",
  "anchoring.proof_hash_malformed": "The inclusion proof holds a hash that is not 32 bytes of base64.",
  "anchoring.witness_conflict":
    "A witness saw a different tree of this log: {evidence}. The log has shown two histories.",
  "anchoring.witness_quorum":
    "Recorded in the log at position {index}, but only {cosigned} of the {required} required witnesses have cosigned this checkpoint or a later one consistent with it, so it is not yet known that everyone sees the same log.",
  "anchoring.witnessed": "Cosigned by {cosigned} of the {required} required witnesses.",
  "anchoring.no_newer":
    'Recorded in the log "{origin}" at position {index} of {size}; the checkpoint is signed by the log. No newer checkpoint was available to confirm that the log has not been forked.',
  "anchoring.no_newer.detail":
    'Recorded in the log "{origin}" at position {index} of {size}; the checkpoint is signed by the log. No newer checkpoint was available to confirm that the log has not been forked ({detail}).',
  "anchoring.inconsistent":
    "The receipt's checkpoint (size {size}) is not consistent with the newest known checkpoint (size {newest}): the log shows two different histories.",
  "anchoring.no_proof":
    "Recorded in the log at position {index} of {size} (signed checkpoint). Consistency with the newest checkpoint (size {newest}) could not be checked: no proof was available.",
  "anchoring.verified":
    'Recorded in the log "{origin}" at position {index}; the inclusion proof and the log\'s signature hold, and the log is consistent with its newest checkpoint (size {newest}).',
  "anchoring.lookup_failed": "No receipt was given and the log could not be searched for this credential.",
  // schema-check.ts
  "schema.open_badge":
    "A well-formed Open Badges 3.0 credential from another issuer (its meritlog-specific content is not checked).",
  "schema.foreign":
    "A well-formed Verifiable Credential from another issuer (its meritlog-specific content is not checked).",
  "schema.unknown_kind":
    "The credential is from a registered issuer but is not one of the meritlog credential types.",
  "schema.invalid": "The {kind} does not conform to its type.",
  "schema.invalid.at": "The {kind} does not conform to its type (at {path}: {detail}).",
  "schema.subject_not_author":
    "This MPU authorship credential names a holder who is not one of the MPU's authors, so it does not record that person's authorship.",
  "schema.valid": "A well-formed {kind} credential.",
  "schema.valid.endorsement": "A well-formed EndorsementCredential.",
  "schema.invalid.endorsement":
    "The EndorsementCredential does not conform to its type (an EndorsementSubject with an id and an endorsementComment, and a name).",
  "scope.stated": "Covers: {covers}. Does not cover: {excludes}.",
  "scope.stated.covers": "Covers: {covers}.",
  "scope.not_stated":
    "The credential does not state its scope (what it covers and does not cover); read it only for what its title and criteria say.",
  "scope.missing": "This meritlog credential does not state what it covers.",
  "noConversion.missing":
    "The no-conversion notice is missing from this meritlog credential; it has been altered or was not issued by meritlog rules.",
  "noConversion.absent":
    "This credential carries no no-conversion notice. It comes from another issuer; nothing in it states what it does not mean, so do not read it as a certification, licence, approval or entitlement.",
  "noConversion.altered":
    "The no-conversion notice in this credential is not the published wording; it has been altered.",
  "noConversion.present": "The no-conversion notice is present, word for word as published.",
  // co-authorship.ts
  "coAuthorship.invalid_signature":
    "A co-signature of this MPU does not hold ({detail}); the co-authorship it claims is not established.",
  "coAuthorship.extra_signer":
    "This MPU carries a co-signature by someone who is not one of its listed authors ({extra}).",
  "coAuthorship.incomplete.one":
    "Co-signed by {signed} of {of} authors; {missing} listed author has not signed.",
  "coAuthorship.incomplete":
    "Co-signed by {signed} of {of} authors; {missing} listed authors have not signed.",
  "coAuthorship.complete":
    "Co-signed by {signed} of {of} authors: every listed author signed this MPU's statement, and nobody else did.",
  // endorsements.ts
  "endorsements.listed.one":
    "{count} endorsement recorded for this credential, {valid} currently valid: {who}. An endorsement is its endorser's word about this credential; it does not change what the credential means.",
  "endorsements.listed":
    "{count} endorsements recorded for this credential, {valid} currently valid: {who}. An endorsement is its endorser's word about this credential; it does not change what the credential means.",
  // sharing.ts (share links and presentation requests)
  "holder.shared_by_subject":
    "Shared on {sharedAt} by the credential's subject, who proved control of its key when making this link. It does not prove who sends you the link now.",
  "validity.valid_when_answered":
    "The presentation was within its validity period when it answered this request on {answeredAt}.",
  // verify-presentation.ts
  "holder.bound.credential": "Presented by its subject, {holder}.",
  "holder.bound":
    "Signed by the holder {holder} for this request (nonce and audience match), and the holder is the subject of every credential presented.",
  "holder.bound.self_asserted":
    "Signed by the holder {holder} for this request (nonce and audience match), and the holder is the subject of every credential presented (or, for a self-asserted one, its issuer).",
  "holder.nonce_mismatch":
    "The presentation was not made for this verification request: its nonce differs from the one issued.",
  "holder.nonce_replayed":
    "This presentation's nonce was already used: it is a replay of an earlier presentation.",
  "holder.nonce_expired": "This presentation's nonce has expired; ask the holder to present again.",
  "holder.nonce_unknown": "This presentation's nonce was not issued by this verifier.",
  "holder.not_subject.credential": "Presented by {holder}, who is not this credential's subject.",
  "holder.not_subject.credential.subject":
    "Presented by {holder}, who is not this credential's subject ({subject}).",
  "holder.not_subject":
    "The presentation's signer is not the subject (or, for a self-asserted credential, the named holder and issuer) of {unbound} of its {count} credential(s).",
  // Token-level problems (signature.ts, verify-credential.ts): `detail` is core's English sentence.
  "signature.header": "{detail}",
  "signature.key_not_selected": "{detail}",
  "schema.claims_mismatch": "The token's claims disagree with the credential: {detail}",
  "schema.not_a_credential.vc": 'The token\'s "vc" claim is not a credential object.',
  "schema.not_a_credential": "The object is not a credential.",
  "holder.self_asserted": "Asserted by its holder, {holder}, who presents it.",
  // cosign-entries.ts
  "coAuthorship.entry_mismatch":
    "A co-signature is not recorded in the log where the credential says ({detail}); the co-authorship it claims is not established.",
  "coAuthorship.entries_unavailable": "The log entries of the signatures could not be checked ({detail}).",
  "coAuthorship.entries_recorded": "Each signature is recorded in the log (entries {leaves}).",
  // context-expansion.ts (`detail` is the rule broken, in English, with its VC Data Model section)
  "schema.data_model": "This {what} breaks the VC Data Model 2.0: {detail}.",
  "schema.data_model.more": "This {what} breaks the VC Data Model 2.0: {detail} (and {more} more).",
  // sd-jwt.ts
  "sd_jwt.too_large": "The SD-JWT is over {max} characters.",
  "sd_jwt.malformed": "This is not an SD-JWT (issuer-signed JWT, disclosures, `~`).",
  "sd_jwt.shared_with_key_binding":
    "A shared SD-JWT ends with `~`: a key-binding JWT belongs to one verifier's request.",
  "sd_jwt.key_binding_missing":
    "The presentation has no key-binding JWT: anyone holding a copy could have sent it.",
  "sd_jwt.typ": "The issuer-signed JWT's typ must be vc+sd-jwt, not {typ}.",
  "sd_jwt.key_unresolvable": "The SD-JWT's issuer is not a did:key this verifier can read.",
  "sd_jwt.kid_mismatch": "The key id does not belong to the issuer named in the SD-JWT.",
  "sd_jwt.no_holder_key": "The SD-JWT names no holder key (cnf.jwk) to bind it to.",
  "sd_jwt.disclosure_malformed": "A disclosure is not a base64url JSON array.",
  "sd_jwt.disclosure_repeated": "A disclosure is given twice.",
  "sd_jwt.disclosure_foreign":
    "A disclosure does not belong to this credential: its digest is not among the issuer's commitments.",
  "sd_jwt.signature_invalid": "The issuer's signature on the SD-JWT does not hold ({detail}).",
  "sd_jwt.key_binding_invalid":
    "The key-binding JWT does not hold ({detail}): it was not made by the credential's holder key for this presentation and nonce.",
  "sd_jwt.key_binding_valid": "The learner's key (cnf) signed this presentation for this verifier and nonce.",
  "sd_jwt.key_binding_valid.at":
    "The learner's key (cnf) signed this presentation for this verifier and nonce when it answered on {answeredAt}.",
  "sd_jwt.key_binding_problems": "The key-binding JWT does not hold: {detail}.",
  "disclosure.partial": "The learner chose not to show: {withheld}. What is shown was signed by the issuer.",
  "disclosure.full": "Every disclosable field is shown.",
  "signature.valid.sd_jwt": "The SD-JWT's issuer signature ({alg}) holds, made with a key of {signer}.",
  // data-integrity.ts (Data Integrity proofs: eddsa-rdfc-2022, Ed25519Signature2020).
  "signature.di.did_web_malformed": "The did:web identifier is malformed.",
  "signature.di.network_disabled":
    "The proof's key belongs to {did}; resolving it needs a fetch of {url}, which is not enabled here.",
  "signature.di.fetch_failed": "The DID document at {url} could not be fetched ({why}).",
  "signature.di.not_did_document": "The document at {url} is not a DID document for {did}.",
  "signature.di.not_assertion_method":
    "{vm} is not an assertionMethod of {did}: that key may not sign credentials for it.",
  "signature.di.not_ed25519": "{vm} is not an Ed25519 key; these proofs need one.",
  "signature.di.no_proof": "The credential carries no proof.",
  "signature.di.several_proofs": "Only credentials with exactly one proof are checked.",
  "signature.di.suite_unsupported":
    "Proofs of type {type} are not checked here (supported: eddsa-rdfc-2022 and Ed25519Signature2020).",
  "signature.di.key_method":
    "The proof's key {vm} is neither an Ed25519 did:key nor a did:web key; other DID methods are not resolved for Data Integrity proofs here.",
  "signature.di.valid": "The {suite} Data Integrity proof holds, made with a key of {signer}.",
  "signature.di.context_unknown":
    "The credential uses the JSON-LD context {url}, which this verifier does not bundle; it is never fetched, so the proof could not be checked.",
  "signature.di.invalid":
    "The {suite} Data Integrity proof does not hold: the credential was changed after it was signed, or not signed by {signer}.",
  "signature.di.invalid.why":
    "The {suite} Data Integrity proof does not hold ({detail}): the credential was changed after it was signed, or not signed by {signer}.",
  // verify-presentation.ts (said in English by the core; the server codes it, report-details.ts).
  "signature.self_asserted":
    "A self-asserted credential of {signer}, secured by the presentation it signed (VC Data Model 2.0 §4.13.4).",
} as const;

/** The code of a report sentence. */
export type ReportSentenceCode = keyof typeof REPORT_SENTENCES;
