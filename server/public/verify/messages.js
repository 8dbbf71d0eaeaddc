// The message catalogue of the /verify and share pages, English and French. Every key of `en`
// must be in `fr` (tests/verify-i18n.test.ts checks it). In French, a credential is an
// « attestation », never a « certification » (DOMAIN.md naming rules). The no-conversion notice
// is shown as signed (English); `notice.v1_translation` is its unsigned French translation, shown
// only under the exact published text `notice.v1_source` (checked against @meritlog/schemas).

const NOTICE_V1 =
  "This credential is a record of learning or contribution, kept for provenance only. " +
  "It does not create, and must not be read as, any certification, accreditation, licence, degree, " +
  "employment, compensation or payment entitlement, procurement or supplier status, financeability, " +
  "insurability or investment readiness, government or public authority approval, safety or " +
  "environmental approval, community or Indigenous consent, deployment authorization or execution authority. " +
  "It cannot be sold, traded, transferred or redeemed. It means only what its scope, evidence and " +
  "review level state, and only while its recorded status is active.";

export const MESSAGES = {
  en: {
    "lang.name": "English",
    "page.title": "Verify a credential · meritlog",
    "page.skip": "Skip to the result",
    "page.h1": "Verify a credential",
    "page.lead":
      "Check who issued a credential, what it covers and what it does not, whether it is still current, and whether it is recorded in the public log. Nothing you paste here is stored. To be sure the person you deal with holds it, ask for a credential (below).",
    "form.label": "Credential or presentation",
    "form.hint1": "Paste the long text you were given. It usually starts with",
    "form.hint2": "A link to this page may fill it in for you, and you can drop a file here.",
    "form.receipt_summary": "I also have a log receipt (optional)",
    "form.receipt_label": "Log receipt (JSON)",
    "form.receipt_hint": "Without one, the log is searched for the credential.",
    "form.verify": "Verify",
    "form.verifying": "Verifying…",
    "form.clear": "Clear",
    "form.file": "Open a file…",
    "form.empty": "Paste a credential or presentation first.",
    "form.no_nonce":
      "This presentation was not made for a verification request (it has no nonce or audience), so it cannot be checked here. Ask the holder for a new one.",
    "form.bad_receipt": "The log receipt is not valid JSON. Remove it or paste it again.",
    "form.too_large": "This file is too large to be a credential.",
    "form.unreadable_file": "This file holds no credential or presentation that this page can read.",
    "net.status": "The server answered {status}.",
    "net.unreachable": "The verification service could not be reached. Check your connection and try again.",
    "ask.h2": "Ask for a credential",
    "ask.hint":
      "Make a request link (and QR code) for a learner. Their wallet proves the credentials are theirs, and the answer appears on this page. You can open the result again later from the same address.",
    "ask.purpose": "Why you ask",
    "ask.purpose_hint":
      "The learner reads this before answering, for example “Application for the pump mechanic post”.",
    "ask.type": "Kind of credential",
    "ask.type_any": "Any",
    "ask.type_micro": "Micro-credential",
    "ask.type_attribution": "Contribution (attribution)",
    "ask.type_mpu": "Authorship of a production unit",
    "ask.submit": "Make a request",
    "ask.purpose_missing": "Say why you ask: the learner sees it before answering.",
    "ask.send_link": "Send this link to the learner",
    "ask.copy": "Copy the link",
    "ask.copied": "Link copied.",
    "ask.copy_failed": "Copying failed; select the link and copy it.",
    "ask.qr_alt": "QR code of the request link, for the learner to scan with their wallet",
    "ask.open_until":
      "The request is open until {date}. Keep this page open, or bookmark it: the answer appears here.",
    "ask.waiting": "Waiting for the learner's answer…",
    "ask.retrying": "The service could not be reached; trying again…",
    "ask.answered": "Answered. The report below was checked just now.",
    "ask.answered_on": "Answered on {date}. The report below was checked just now.",
    "ask.expired": "This request expired without an answer. Make a new one.",
    "result.h2": "Result",
    footer:
      "meritlog records learning and contribution for provenance only. A valid credential is a signed, recorded statement by its issuer — not a certification, licence, approval or entitlement.",

    "share.title": "Shared credential · meritlog",
    "share.h1": "Shared credential",
    "share.lead":
      "Someone shared this credential with you. It is checked again every time this page opens: the status below is as of the time shown.",
    "share.recheck": "Check again",
    "share.checking": "Checking…",
    "share.meta": "Shared on {shared}; the link works until {until}. Checked just now: {checked}.",
    "share.withdrawn": "This share was withdrawn",
    "share.withdrawn_text":
      "The person who shared this credential has withdrawn the link. Ask them for a new one if you still need it.",
    "share.expired": "This share has expired",
    "share.expired_text":
      "The link was valid for a limited time, which has passed. Ask the person who shared it for a new one.",
    "share.not_found": "No such share",
    "share.not_found_text":
      "This link does not lead to a shared credential. Check that you copied all of it.",
    "share.failed": "Could not open this share",
    "share.unreachable": "The service could not be reached. Check your connection and try again.",

    "check.signature": "Signature",
    "check.holder": "Presented by its holder",
    "check.disclosure": "What the holder chose to show",
    "checks.withheld": "Not shown by the holder: {fields}.",
    "field.credentialSubject.achievement.description": "what the achievement is",
    "field.credentialSubject.achievement.criteria.narrative": "how it was earned (criteria)",
    "field.credentialSubject.result": "results",
    "field.credentialSubject.contribution.description": "what they contributed",
    "field.evidence": "evidence",
    "field.description": "what the achievement is",
    "check.issuer": "Issuer",
    "check.schema": "Form",
    "check.validity": "Validity period",
    "check.status": "Status",
    "check.anchoring": "Recorded in the public log",
    "check.scope": "Scope",
    "check.noConversion": "No-conversion notice",
    "check.coAuthorship": "Co-authorship",
    "check.endorsements": "Endorsements",
    "verdict.valid": "Valid",
    "verdict.valid-with-warnings": "Valid, with warnings",
    "verdict.invalid": "Not valid",
    "state.active": "Active",
    "state.suspended": "Suspended (temporarily not valid)",
    "state.revoked": "Revoked (withdrawn for good)",
    "state.superseded": "Superseded (replaced by a corrected or renewed credential)",
    "state.archived": "Archived (kept for the record, no current status)",
    "state.unknown": "Unknown (could not be checked)",
    "state.not_withdrawn": "Not withdrawn by the issuer (but not valid: see above)",
    "outcome.fail": "Failed",
    "outcome.unknown": "Could not be checked",
    "outcome.warn": "Passed, with a warning",
    "outcome.ok": "Passed",
    "date.utc": "{date} UTC",
    "notice.h2": "What this credential does not mean",
    "notice.unreadable":
      "The no-conversion notice could not be read, because the credential itself could not be verified.",
    "notice.verbatim": "Shown word for word as the issuer signed it.",
    "notice.warning": "Warning: {message}",
    "notice.translation_label": "",
    "notice.v1_source": NOTICE_V1,
    "notice.v1_translation": "",
    "fact.credential": "Credential",
    "fact.issuer": "Issued by",
    "fact.registered": "Issuer registered here",
    "fact.yes": "Yes",
    "fact.no": "No",
    "fact.subject": "Issued to",
    "fact.valid_from": "Valid from",
    "fact.valid_until": "Valid until",
    "fact.no_end": "No end date given",
    "fact.status": "Status",
    "fact.checked": "Checked",
    "image.alt": "Badge image of {title}",
    "image.remote":
      "Badge image at {url} (SHA-256 {digest}); not loaded here, because this page loads nothing from other sites.",
    "scope.h3": "What it covers",
    "scope.covers": "Covers:",
    "scope.no_covers": "The credential does not state what it covers.",
    "scope.excludes": "Does not cover:",
    "scope.review": "Review level",
    "scope.assessment": "Assessment",
    "scope.criteria": "Criteria",
    "scope.renewal": "Renewal",
    "scope.verification": "Verification of the work",
    "scope.licence": "Licence",
    "scope.limitations": "Limitations:",
    "scope.authors": "Authors:",
    "scope.evidence": "Evidence:",
    "scope.digest": "digest {digest}",
    "checks.h": "Each check",
    "checks.english_note": "",
    "checks.checked": "checked {date}",
    "checks.list": "{purpose} list fetched {date}",
    "checks.list_until": "{purpose} list fetched {date}, valid until {until}",
    "checks.history": "Recorded history:",
    "checks.clock": "Clock used: {date}, allowing {skew} s of clock difference.",
    "checks.entry": "Log entry {index} in a log of {size} entries.",
    "checks.entry_origin": "Log entry {index} in a log of {size} entries ({origin}).",
    "checks.code": "code: {code}",
    "unsigned.h3": "Its contents are not shown",
    "unsigned.text":
      "The signature does not hold, so nothing this credential says can be trusted — not its title, its holder or what it covers. Only the checks follow.",
    "lead.incomplete_credential":
      "This does not look like a complete credential. Check that you copied all of it, from the first to the last character.",
    "lead.incomplete_presentation":
      "This does not look like a complete presentation. Check that you copied all of it, from the first to the last character.",
    "lead.sub_invalid": "Credential {i} of {n} is not valid.",
    "lead.sub_invalid_named": "Credential {i} of {n} (“{name}”) is not valid.",
    "lead.sub_warn": "Credential {i} of {n} is valid only with warnings.",
    "lead.sub_warn_named": "Credential {i} of {n} (“{name}”) is valid only with warnings.",
    "lead.dont_rely_credential": "Do not rely on this credential.",
    "lead.dont_rely_presentation": "Do not rely on this presentation.",
    "lead.presentation_ok":
      "Genuine, current and recorded in the public log, and presented by the person each credential was issued to, for this request.",
    "lead.shared_by_subject":
      "Genuine, current and recorded in the public log. The person it was issued to made this link with their own key; that does not prove who sent the link to you.",
    "lead.key_bound":
      "Genuine, current and recorded in the public log, and presented by the person it was issued to, for this check. Anything they chose not to show is named below.",
    "lead.bare":
      "Genuine, current and recorded in the public log — but a credential on its own does not prove that whoever sent it is the person it was issued to. To know that, ask them to answer a request (“Ask for a credential”).",
    "heading.credential": "Credential: {verdict}",
    "heading.presentation": "Presentation: {verdict}",
    "reason.line": "{check} — {outcome}: {message}",
    "reason.lead": "{check}: {message}",
    "reason.sub": "Credential {i} is {verdict} (details below).",
    "sub.h2": "Credential {i} of {n}",
    "sub.h2_named": "Credential {i} of {n}: {name}",
    "presented.h2": "How it was presented",
    "raw.summary": "Show the full report (JSON)",
    "raw.hidden": "(not shown: its signature does not hold)",
    "error.title": "Could not verify",
    // The verifier's report sentences (verifier/src/core/report-messages.ts), by code; English word
    // for word as the API's `message` (verifier/test/report-messages.test.ts).
    "report.what.credential": "credential",
    "report.what.presentation": "presentation",
    "report.what.status list": "status list",
    "report.what.endorsement": "endorsement",
    "report.not_checked": "Not checked, because {why}.",
    "report.not_checked.unverified": "Not checked, because the token could not be verified.",
    "report.not_checked.unreadable": "Not checked, because the token could not be read.",
    "report.not_checked.not_a_credential": "Not checked, because the token is not a credential.",
    "report.not_checked.object_not_a_credential": "Not checked, because the object is not a credential.",
    "report.not_checked.signature_fails": "Not checked, because the signature does not hold.",
    "report.not_checked.signature_unchecked": "Not checked, because the signature could not be checked.",
    "report.not_checked.proof_fails": "Not checked, because the proof does not hold.",
    "report.not_checked.proof_unchecked": "Not checked, because the proof could not be checked.",
    "report.not_checked.presentation_unreadable": "Not checked, because the presentation could not be read.",
    "report.not_checked.presentation_signature":
      "Not checked, because the presentation's signature does not hold.",
    "report.token.unreadable": "{detail} It cannot be verified.",
    "report.holder.audience_mismatch":
      "The presentation was made for another verifier (audience {audience}), not {expected}.",
    "report.signature.no_issuer": 'The {what} does not name its signer ("iss").',
    "report.signature.key_unavailable": "The signing key could not be obtained: {detail}",
    "report.signature.valid": "The {what} is signed by {signer} and has not been changed since.",
    "report.signature.invalid":
      "The {what}'s signature does not match: it was changed after signing, signed by another key, or its algorithm ({alg}) does not fit the key ({keyType}).",
    "report.validity.not_yet_valid":
      "The {what} is not valid before {from} (checked at {now}, allowing {skew} s clock skew).",
    "report.validity.expired":
      "The {what} expired on {until} (checked at {now}, allowing {skew} s clock skew).",
    "report.validity.no_expiry": "The {what} is within its validity period and has no end date.",
    "report.validity.no_expiry.from":
      "The {what} is within its validity period (valid from {from}) and has no end date.",
    "report.validity.current": "The {what} is within its validity period until {until}.",
    "report.validity.current.from": "The {what} is within its validity period (from {from}) until {until}.",
    "report.issuer.mismatch": "The credential names {named} as issuer, but it was signed by {did}.",
    "report.issuer.registered": "Issued by {name} ({did}), an issuer registered with this service.",
    "report.issuer.registered.retired_at":
      "Issued by {name} ({did}), an issuer registered with this service, signed with an earlier key of {name}, retired at {retiredAt}; its current DID is {currentDid}.",
    "report.issuer.registered.retired":
      "Issued by {name} ({did}), an issuer registered with this service, signed with an earlier key of {name}, since retired; its current DID is {currentDid}.",
    "report.issuer.unregistered":
      "Issued by {did}. This issuer is not registered with this service: the signature is genuine, but who stands behind this DID is not vouched for here.",
    "report.status.active": "Active: not revoked and not suspended according to the issuer's status list.",
    "report.status.active.fetched":
      "Active: not revoked and not suspended according to the issuer's status list (fetched {fetched}).",
    "report.status.active.lists":
      "Active: not revoked and not suspended according to the issuer's status lists.",
    "report.status.active.lists.fetched":
      "Active: not revoked and not suspended according to the issuer's status lists (fetched {fetched}).",
    "report.status.suspended": "This credential is suspended (temporarily not valid).",
    "report.status.suspended.since": "This credential is suspended (temporarily not valid) since {since}.",
    "report.status.revoked": "This credential is revoked (permanently withdrawn).",
    "report.status.revoked.since": "This credential is revoked (permanently withdrawn) since {since}.",
    "report.status.superseded":
      "This credential is superseded (replaced by a corrected or renewed credential).",
    "report.status.superseded.since":
      "This credential is superseded (replaced by a corrected or renewed credential) since {since}.",
    "report.status.superseded.by":
      "This credential is superseded (replaced by a corrected or renewed credential) by {by}.",
    "report.status.superseded.by.since":
      "This credential is superseded (replaced by a corrected or renewed credential) by {by} since {since}.",
    "report.status.archived":
      "This credential is archived (kept for the record; it carries no current status).",
    "report.status.archived.since":
      "This credential is archived (kept for the record; it carries no current status) since {since}.",
    "report.status.no_list":
      "This credential names no status list, so whether it was revoked or suspended cannot be checked.",
    "report.status.failed": "Status could not be established: {detail}",
    "report.status.unknown":
      "{detail} Whether it is revoked or suspended is therefore unknown; this does not mean it is not revoked.",
    "report.anchoring.no_receipt":
      "No log receipt was given and none was found in the log, so when and whether this credential was recorded cannot be checked.",
    "report.anchoring.receipt_malformed": "The log receipt is not well-formed.",
    "report.anchoring.entry_not_object": "The receipt's log entry is not a JSON object.",
    "report.anchoring.entry_mismatch":
      "The receipt records a different credential: its digest is not this credential's.",
    "report.anchoring.entry_other_id": "The receipt's log entry names another credential id.",
    "report.anchoring.entry_other_issuer": "The receipt's log entry names another issuer.",
    "report.anchoring.log_untrusted":
      'The receipt is from the log "{origin}", which this verifier does not know.',
    "report.anchoring.receipt_malformed.detail": "The log receipt is not well-formed ({detail}).",
    "report.anchoring.inclusion_invalid":
      "The inclusion proof does not lead from this entry to the signed checkpoint.",
    "report.anchoring.origin_mismatch":
      "The receipt's checkpoint belongs to another log than the receipt names.",
    "report.anchoring.checkpoint_signature":
      "The receipt's checkpoint is not signed by the log's key: it is forged or from another log.",
    "report.anchoring.proof_hash_malformed":
      "The inclusion proof holds a hash that is not 32 bytes of base64.",
    "report.anchoring.witness_conflict":
      "A witness saw a different tree of this log: {evidence}. The log has shown two histories.",
    "report.anchoring.witness_quorum":
      "Recorded in the log at position {index}, but only {cosigned} of the {required} required witnesses have cosigned this checkpoint or a later one consistent with it, so it is not yet known that everyone sees the same log.",
    "report.anchoring.witnessed": "Cosigned by {cosigned} of the {required} required witnesses.",
    "report.anchoring.no_newer":
      'Recorded in the log "{origin}" at position {index} of {size}; the checkpoint is signed by the log. No newer checkpoint was available to confirm that the log has not been forked.',
    "report.anchoring.no_newer.detail":
      'Recorded in the log "{origin}" at position {index} of {size}; the checkpoint is signed by the log. No newer checkpoint was available to confirm that the log has not been forked ({detail}).',
    "report.anchoring.inconsistent":
      "The receipt's checkpoint (size {size}) is not consistent with the newest known checkpoint (size {newest}): the log shows two different histories.",
    "report.anchoring.no_proof":
      "Recorded in the log at position {index} of {size} (signed checkpoint). Consistency with the newest checkpoint (size {newest}) could not be checked: no proof was available.",
    "report.anchoring.verified":
      'Recorded in the log "{origin}" at position {index}; the inclusion proof and the log\'s signature hold, and the log is consistent with its newest checkpoint (size {newest}).',
    "report.anchoring.lookup_failed":
      "No receipt was given and the log could not be searched for this credential.",
    "report.schema.open_badge":
      "A well-formed Open Badges 3.0 credential from another issuer (its meritlog-specific content is not checked).",
    "report.schema.foreign":
      "A well-formed Verifiable Credential from another issuer (its meritlog-specific content is not checked).",
    "report.schema.unknown_kind":
      "The credential is from a registered issuer but is not one of the meritlog credential types.",
    "report.schema.invalid": "The {kind} does not conform to its type.",
    "report.schema.invalid.at": "The {kind} does not conform to its type (at {path}: {detail}).",
    "report.schema.subject_not_author":
      "This MPU authorship credential names a holder who is not one of the MPU's authors, so it does not record that person's authorship.",
    "report.schema.valid": "A well-formed {kind} credential.",
    "report.schema.valid.endorsement": "A well-formed EndorsementCredential.",
    "report.schema.invalid.endorsement":
      "The EndorsementCredential does not conform to its type (an EndorsementSubject with an id and an endorsementComment, and a name).",
    "report.scope.stated": "Covers: {covers}. Does not cover: {excludes}.",
    "report.scope.stated.covers": "Covers: {covers}.",
    "report.scope.not_stated":
      "The credential does not state its scope (what it covers and does not cover); read it only for what its title and criteria say.",
    "report.scope.missing": "This meritlog credential does not state what it covers.",
    "report.noConversion.missing":
      "The no-conversion notice is missing from this meritlog credential; it has been altered or was not issued by meritlog rules.",
    "report.noConversion.absent":
      "This credential carries no no-conversion notice. It comes from another issuer; nothing in it states what it does not mean, so do not read it as a certification, licence, approval or entitlement.",
    "report.noConversion.altered":
      "The no-conversion notice in this credential is not the published wording; it has been altered.",
    "report.noConversion.present": "The no-conversion notice is present, word for word as published.",
    "report.coAuthorship.invalid_signature":
      "A co-signature of this MPU does not hold ({detail}); the co-authorship it claims is not established.",
    "report.coAuthorship.extra_signer":
      "This MPU carries a co-signature by someone who is not one of its listed authors ({extra}).",
    "report.coAuthorship.incomplete.one":
      "Co-signed by {signed} of {of} authors; {missing} listed author has not signed.",
    "report.coAuthorship.incomplete":
      "Co-signed by {signed} of {of} authors; {missing} listed authors have not signed.",
    "report.coAuthorship.complete":
      "Co-signed by {signed} of {of} authors: every listed author signed this MPU's statement, and nobody else did.",
    "report.endorsements.listed.one":
      "{count} endorsement recorded for this credential, {valid} currently valid: {who}. An endorsement is its endorser's word about this credential; it does not change what the credential means.",
    "report.endorsements.listed":
      "{count} endorsements recorded for this credential, {valid} currently valid: {who}. An endorsement is its endorser's word about this credential; it does not change what the credential means.",
    "report.holder.shared_by_subject":
      "Shared on {sharedAt} by the credential's subject, who proved control of its key when making this link. It does not prove who sends you the link now.",
    "report.validity.valid_when_answered":
      "The presentation was within its validity period when it answered this request on {answeredAt}.",
    "report.holder.bound.credential": "Presented by its subject, {holder}.",
    "report.holder.bound":
      "Signed by the holder {holder} for this request (nonce and audience match), and the holder is the subject of every credential presented.",
    "report.holder.bound.self_asserted":
      "Signed by the holder {holder} for this request (nonce and audience match), and the holder is the subject of every credential presented (or, for a self-asserted one, its issuer).",
    "report.holder.nonce_mismatch":
      "The presentation was not made for this verification request: its nonce differs from the one issued.",
    "report.holder.nonce_replayed":
      "This presentation's nonce was already used: it is a replay of an earlier presentation.",
    "report.holder.nonce_expired": "This presentation's nonce has expired; ask the holder to present again.",
    "report.holder.nonce_unknown": "This presentation's nonce was not issued by this verifier.",
    "report.holder.not_subject.credential": "Presented by {holder}, who is not this credential's subject.",
    "report.holder.not_subject.credential.subject":
      "Presented by {holder}, who is not this credential's subject ({subject}).",
    "report.holder.not_subject":
      "The presentation's signer is not the subject (or, for a self-asserted credential, the named holder and issuer) of {unbound} of its {count} credential(s).",
    "report.signature.header": "{detail}",
    "report.signature.key_not_selected": "{detail}",
    "report.schema.claims_mismatch": "The token's claims disagree with the credential: {detail}",
    "report.schema.not_a_credential.vc": 'The token\'s "vc" claim is not a credential object.',
    "report.schema.not_a_credential": "The object is not a credential.",
    "report.holder.self_asserted": "Asserted by its holder, {holder}, who presents it.",
    "report.coAuthorship.entry_mismatch":
      "A co-signature is not recorded in the log where the credential says ({detail}); the co-authorship it claims is not established.",
    "report.coAuthorship.entries_unavailable":
      "The log entries of the signatures could not be checked ({detail}).",
    "report.coAuthorship.entries_recorded": "Each signature is recorded in the log (entries {leaves}).",
    "report.schema.data_model": "This {what} breaks the VC Data Model 2.0: {detail}.",
    "report.schema.data_model.more": "This {what} breaks the VC Data Model 2.0: {detail} (and {more} more).",
    "report.sd_jwt.too_large": "The SD-JWT is over {max} characters.",
    "report.sd_jwt.malformed": "This is not an SD-JWT (issuer-signed JWT, disclosures, `~`).",
    "report.sd_jwt.shared_with_key_binding":
      "A shared SD-JWT ends with `~`: a key-binding JWT belongs to one verifier's request.",
    "report.sd_jwt.key_binding_missing":
      "The presentation has no key-binding JWT: anyone holding a copy could have sent it.",
    "report.sd_jwt.typ": "The issuer-signed JWT's typ must be vc+sd-jwt, not {typ}.",
    "report.sd_jwt.key_unresolvable": "The SD-JWT's issuer is not a did:key this verifier can read.",
    "report.sd_jwt.kid_mismatch": "The key id does not belong to the issuer named in the SD-JWT.",
    "report.sd_jwt.no_holder_key": "The SD-JWT names no holder key (cnf.jwk) to bind it to.",
    "report.sd_jwt.disclosure_malformed": "A disclosure is not a base64url JSON array.",
    "report.sd_jwt.disclosure_repeated": "A disclosure is given twice.",
    "report.sd_jwt.disclosure_foreign":
      "A disclosure does not belong to this credential: its digest is not among the issuer's commitments.",
    "report.sd_jwt.signature_invalid": "The issuer's signature on the SD-JWT does not hold ({detail}).",
    "report.sd_jwt.key_binding_invalid":
      "The key-binding JWT does not hold ({detail}): it was not made by the credential's holder key for this presentation and nonce.",
    "report.sd_jwt.key_binding_valid":
      "The learner's key (cnf) signed this presentation for this verifier and nonce.",
    "report.sd_jwt.key_binding_valid.at":
      "The learner's key (cnf) signed this presentation for this verifier and nonce when it answered on {answeredAt}.",
    "report.sd_jwt.key_binding_problems": "The key-binding JWT does not hold: {detail}.",
    "report.disclosure.partial":
      "The learner chose not to show: {withheld}. What is shown was signed by the issuer.",
    "report.disclosure.full": "Every disclosable field is shown.",
    "report.signature.valid.sd_jwt":
      "The SD-JWT's issuer signature ({alg}) holds, made with a key of {signer}.",
    "report.signature.di.did_web_malformed": "The did:web identifier is malformed.",
    "report.signature.di.network_disabled":
      "The proof's key belongs to {did}; resolving it needs a fetch of {url}, which is not enabled here.",
    "report.signature.di.fetch_failed": "The DID document at {url} could not be fetched ({why}).",
    "report.signature.di.not_did_document": "The document at {url} is not a DID document for {did}.",
    "report.signature.di.not_assertion_method":
      "{vm} is not an assertionMethod of {did}: that key may not sign credentials for it.",
    "report.signature.di.not_ed25519": "{vm} is not an Ed25519 key; these proofs need one.",
    "report.signature.di.no_proof": "The credential carries no proof.",
    "report.signature.di.several_proofs": "Only credentials with exactly one proof are checked.",
    "report.signature.di.suite_unsupported":
      "Proofs of type {type} are not checked here (supported: eddsa-rdfc-2022 and Ed25519Signature2020).",
    "report.signature.di.key_method":
      "The proof's key {vm} is neither an Ed25519 did:key nor a did:web key; other DID methods are not resolved for Data Integrity proofs here.",
    "report.signature.di.valid": "The {suite} Data Integrity proof holds, made with a key of {signer}.",
    "report.signature.di.context_unknown":
      "The credential uses the JSON-LD context {url}, which this verifier does not bundle; it is never fetched, so the proof could not be checked.",
    "report.signature.di.invalid":
      "The {suite} Data Integrity proof does not hold: the credential was changed after it was signed, or not signed by {signer}.",
    "report.signature.di.invalid.why":
      "The {suite} Data Integrity proof does not hold ({detail}): the credential was changed after it was signed, or not signed by {signer}.",
    "report.signature.self_asserted":
      "A self-asserted credential of {signer}, secured by the presentation it signed (VC Data Model 2.0 §4.13.4).",
    // The details a sentence quotes as {detail} or {why} (verifier report-details.ts), word for word.
    "report.detail.jws.not_string": "The token is not a string.",
    "report.detail.jws.too_large": "The token is longer than {max} characters.",
    "report.detail.jws.segments":
      "The token does not have exactly three dot-separated parts (header.payload.signature).",
    "report.detail.jws.header_base64": "The token header is not valid base64url.",
    "report.detail.jws.payload_base64": "The token payload is not valid base64url.",
    "report.detail.jws.signature_base64": "The token signature is not valid base64url.",
    "report.detail.jws.header_json": "The token header is not a UTF-8 JSON object.",
    "report.detail.jws.payload_json": "The token payload is not valid UTF-8 JSON.",
    "report.detail.jws.payload_object": "The token payload is not a JSON object.",
    "report.detail.jws.unreadable": "The token could not be read.",
    "report.detail.header.alg_not_allowed": 'The token uses algorithm "{alg}"; only {allowed} are accepted.',
    "report.detail.header.alg_not_allowed.one":
      'The token uses algorithm "{alg}"; only {allowed} is accepted.',
    "report.detail.header.member":
      'The token header has a member "{member}" that is not allowed (only {allowed}).',
    "report.detail.header.typ": 'The token header "typ" must be "{typ}" or "{typ2}" when present.',
    "report.detail.header.typ.one": 'The token header "typ" must be "{typ}" when present.',
    "report.detail.header.typ.required": 'The token header "typ" must be "{typ}".',
    "report.detail.header.cty": 'The token header "cty" must be "{cty}" when present.',
    "report.detail.header.kid": 'The token header "kid" is not a string.',
    "report.detail.header.jwk":
      'The token header "jwk" is not a public key of a supported type (Ed25519, P-256, P-384, RSA ≥ {bits} bits).',
    "report.detail.did.not_a_did": "The issuer is not identified by a DID.",
    "report.detail.did.invalid": "The did:key is invalid.",
    "report.detail.did.not_did_key": "Not a did:key identifier.",
    "report.detail.did.multibase": 'A did:key must use multibase base58btc ("z").',
    "report.detail.did.base58": "The did:key is not valid base58btc.",
    "report.detail.did.ed25519_length": "A {type} did:key carries a 32-byte key.",
    "report.detail.did.p256_length": "A {type} did:key carries a 33-byte compressed point.",
    "report.detail.did.key_type":
      "Only Ed25519 (multicodec 0xed01) and P-256 (0x1200) did:key identifiers are supported.",
    "report.detail.did.jwk_invalid":
      "The did:jwk does not encode a public key of a supported type (Ed25519, P-256, P-384, RSA ≥ {bits} bits).",
    "report.detail.did.web_malformed": "The did:web identifier is malformed.",
    "report.detail.did.web_not_fetched":
      "The issuer uses did:web; resolving it needs a network fetch of {url}, which is not enabled here.",
    "report.detail.did.web_fetch_failed": "The issuer's DID document at {url} could not be fetched ({why}).",
    "report.detail.did.web_other_did": "The DID document at {url} is not a document for {did}.",
    "report.detail.did.method": 'DID method "{method}" is not supported (did:key, did:jwk and did:web are).',
    "report.detail.kid.not_url": "The key id is not a URL.",
    "report.detail.kid.other_origin":
      'The key id "{kid}" is not on the issuer\'s own https origin ({issuer}).',
    "report.detail.kid.not_fetched":
      "The issuer's key is published at {url}; fetching it is not enabled here.",
    "report.detail.kid.fetch_failed": "The issuer's key at {url} could not be fetched ({why}).",
    "report.detail.kid.not_in_set": 'The key id "{kid}" names no key of the published key set.',
    "report.detail.kid.other_signer": 'The key id "{kid}" does not belong to the signer {did}.',
    "report.detail.kid.not_a_method": 'The key id "{kid}" is not a verification method of {did}.',
    "report.detail.key.unsupported":
      "The signer's DID has no key of a supported type (Ed25519, P-256, P-384, RSA ≥ {bits} bits).",
    "report.detail.key.ambiguous":
      "The signer's DID has several keys and the token does not say which one (kid).",
    "report.detail.key.none": "The signer's DID has no usable key.",
    "report.detail.key.embedded": "The key embedded in the token header is not the signer's DID key.",
    "report.detail.fetch.http": "HTTP {status}",
    "report.detail.fetch.timeout": "no answer within {ms} ms",
    "report.detail.fetch.timed_out.status": "status list fetch timed out after {ms} ms",
    "report.detail.fetch.timed_out.checkpoint": "checkpoint fetch timed out after {ms} ms",
    "report.detail.fetch.timed_out.did_web": "did:web fetch timed out after {ms} ms",
    "report.detail.fetch.timed_out.jwks": "JWK Set fetch timed out after {ms} ms",
    "report.detail.fetch.too_large": "the answer is larger than {bytes} bytes",
    "report.detail.fetch.no_address": "{host} has no address",
    "report.detail.fetch.unresolved": "{host} could not be resolved ({why})",
    "report.detail.fetch.credentials": "URLs with credentials are not fetched",
    "report.detail.fetch.not_url": "not a URL",
    "report.detail.fetch.scheme": "{scheme} URLs are not fetched (https only)",
    "report.detail.fetch.scheme.self": "{scheme} URLs are not fetched (https only; http only to {self})",
    "report.detail.fetch.redirect": "redirected to {origin}; redirects to other hosts are not followed",
    "report.detail.fetch.did_not_json": "the DID document at {url} is not JSON",
    "report.detail.fetch.keys_not_json": "the key set at {url} is not JSON",
    "report.detail.fetch.log_untrusted": 'log "{origin}" is not trusted here; its checkpoint was not fetched',
    "report.detail.error": "error",
    "report.detail.di.invalid_signature": "Invalid signature.",
    "report.detail.status.not_fetched":
      "The status list at {url} was not fetched: fetching is not enabled here.",
    "report.detail.status.fetch_failed": "The status list at {url} could not be fetched ({why}).",
    "report.detail.status.not_jwt": "The status list at {url} is not a readable VC-JWT ({code}).",
    "report.detail.status.no_issuer": "The status list at {url} does not name its issuer.",
    "report.detail.status.two_issuers": "The status list at {url} names two different issuers.",
    "report.detail.status.other_issuer":
      "The status list at {url} is issued by {listIssuer}, not by the credential's issuer {did}.",
    "report.detail.status.signature": "The status list's signature does not hold: {detail}",
    "report.detail.status.not_a_list": "The document at {url} is not a Bitstring Status List credential.",
    "report.detail.status.not_yet_valid": "The status list at {url} is not valid before {from}.",
    "report.detail.status.expired":
      "The status list at {url} expired on {until}; a current one could not be obtained.",
    "report.detail.status.encoded_list":
      "The status list at {url} has an encodedList that is not multibase base64url.",
    "report.detail.status.decompress": "The status list at {url} could not be decompressed.",
    "report.detail.status.unchecked": "The status list at {url} could not be checked.",
    "report.detail.status.entry_not_object": "A status entry is not an object.",
    "report.detail.status.entry_type": 'Status entries of type "{type}" are not supported.',
    "report.detail.status.entry_purpose": 'Status purpose "{purpose}" is not checked.',
    "report.detail.status.entry_url": "A status entry lacks a valid list URL or index.",
    "report.detail.status.entry_size": "Only one-bit revocation and suspension entries are supported.",
    "report.detail.status.status_size": "The status entry's statusSize is not an integer from 1 to 8.",
    "report.detail.status.no_message":
      "A message status entry names no statusMessage, so its value has no meaning.",
    "report.detail.status.wrong_purpose": "The list at {url} is not a {purpose} list.",
    "report.detail.status.too_short": "The list at {url} is shorter than the minimum 131,072 entries.",
    "report.detail.status.index": "Index {index} is outside the list at {url}.",
    "report.detail.status.unreadable_value":
      "The list at {url} gives this credential the status {value}, which this verifier cannot read as active, suspended or revoked.",
    "report.detail.status.unreadable_value.message":
      'The list at {url} gives this credential the status {value} ("{message}"), which this verifier cannot read as active, suspended or revoked.',
    "report.detail.receipt.not_object": "receipt is not an object",
    "report.detail.receipt.fields": "receipt needs string origin, entry and checkpoint",
    "report.detail.receipt.leaf_index": "leafIndex is not a non-negative integer",
    "report.detail.receipt.proof_list": "inclusionProof is not a list of hashes",
    "report.detail.receipt.proof_hash": "inclusionProof holds a value that is not a base64 SHA-256 hash",
    "report.detail.anchoring.latest_unfetched": "the log's latest checkpoint could not be fetched ({why})",
    "report.detail.claims.iss": '"iss" ({iss}) is not the credential\'s issuer ({issuer}).',
    "report.detail.claims.sub": '"sub" is not the credential\'s subject id.',
    "report.detail.claims.jti": '"jti" is not the credential\'s id.',
    "report.detail.claims.valid_from": "The credential's start date is not a valid date-time.",
    "report.detail.claims.valid_until": "The credential's end date is not a valid date-time.",
    "report.detail.claims.nbf_type": '"nbf" is not a number of seconds.',
    "report.detail.claims.exp_type": '"exp" is not a number of seconds.',
    "report.detail.claims.nbf": '"nbf" does not match the credential\'s start date.',
    "report.detail.claims.exp": '"exp" does not match the credential\'s end date.',
    "report.detail.vcdm.context_missing": "@context is missing (VC Data Model 2.0 §4.3)",
    "report.detail.vcdm.context_first": "the first @context must be {url} (§4.3)",
    "report.detail.vcdm.context_item": "each further @context must be a URL or an object (§4.3)",
    "report.detail.vcdm.id": "id must be a single URL (§4.4)",
    "report.detail.vcdm.type_missing": "type must be present, one or more strings (§4.5)",
    "report.detail.vcdm.type_required": 'type must include "{type}" (§4.5)',
    "report.detail.vcdm.text_value": "{name} must be a string or language value object (§4.6)",
    "report.detail.vcdm.issuer_missing": "issuer must be present (§4.7)",
    "report.detail.vcdm.issuer_id": "an issuer object must have an id that is a URL (§4.7)",
    "report.detail.vcdm.issuer_text_value":
      "the issuer's {name} must be a string or language value object (§4.6)",
    "report.detail.vcdm.issuer": "issuer must be a URL or an object with an id URL (§4.7)",
    "report.detail.vcdm.subject_missing": "credentialSubject must be present (§4.8)",
    "report.detail.vcdm.subject_none": "credentialSubject must hold at least one subject (§4.8)",
    "report.detail.vcdm.subject_object": "each credential subject must be an object (§4.8)",
    "report.detail.vcdm.subject_empty":
      "a credential subject must make at least one claim; it is empty (§4.8)",
    "report.detail.vcdm.subject_id": "a credential subject's id must be a URL (§4.8)",
    "report.detail.vcdm.date": "{name} must be an XML Schema dateTimeStamp, with a time zone (§4.9)",
    "report.detail.vcdm.dates_order": "validFrom must not be later than validUntil (§4.9)",
    "report.detail.vcdm.entries_none": "{name} must hold at least one entry",
    "report.detail.vcdm.entry_object": "each {name} entry must be an object",
    "report.detail.vcdm.entry_type": "each {name} entry must have a type",
    "report.detail.vcdm.entry_id": "a {name} entry's id must be a URL",
    "report.detail.vcdm.holder": "holder must be a URL or an object with an id URL (§4.13)",
    "report.detail.vcdm.vp_credential":
      "each verifiableCredential must be an object; a bare token must be wrapped as an EnvelopedVerifiableCredential (§4.13.1)",
    "report.detail.vcdm.enveloped_id": "an EnvelopedVerifiableCredential's id must be a data: URL (§4.13.1)",
    "report.detail.jsonld.protected":
      "a @context redefines a protected term (JSON-LD 1.1 §4.1.11); a JSON-LD processor must refuse it (§5.2)",
    "report.detail.jsonld.iri_mapping":
      "a @context maps a term to something that is not an absolute IRI, so it is not processable as a JSON-LD context (§4.3)",
    "report.detail.jsonld.unprocessable":
      "a @context is not processable as a JSON-LD context ({code}) (§4.3)",
    "report.detail.jsonld.undefined_type":
      'type "{type}" is neither a URL nor a term its @context defines (§4.5)',
    "report.detail.schema.expected": "Invalid input: expected {expected}, received {received}",
    "report.detail.schema.invalid": "Invalid input",
    "report.detail.schema.option": "Invalid option: expected one of {options}",
    "report.detail.schema.unrecognized_key": 'Unrecognized key: "{key}"',
    "report.detail.schema.unrecognized_keys": "Unrecognized keys: {keys}",
    "report.detail.schema.too_small.chars": "Too small: expected string to have >={min} characters",
    "report.detail.schema.too_big.chars": "Too big: expected string to have <={max} characters",
    "report.detail.schema.too_small.items": "Too small: expected array to have >={min} items",
    "report.detail.schema.too_big.items": "Too big: expected array to have <={max} items",
    "report.detail.schema.too_small.value": "Too small: expected {type} to be >={min}",
    "report.detail.schema.too_big.value": "Too big: expected {type} to be <={max}",
    "report.detail.schema.pattern": "Invalid string: must match pattern {pattern}",
    "report.detail.schema.url": "Invalid URL",
    "report.detail.schema.date_time":
      "must be an ISO 8601 date-time with a time zone (e.g. 2028-01-01T00:00:00Z)",
    "report.detail.schema.kind": "type must name exactly one of {kinds}",
    "report.detail.schema.activity_dates": "activityEndDate must not be before activityStartDate",
    "report.detail.schema.valid_until": "validUntil must be later than validFrom",
    "report.detail.schema.image_https": "must be an https URL or a data: image",
    "report.detail.schema.image_https_plain":
      "must be an https URL (without user or password) or a data: image",
    "report.detail.schema.image_base64": "the data: image is not valid base64",
    "report.detail.schema.image_type": "the data: image is not a {type} file",
    "report.detail.schema.image_size": "a data: image must be at most {max} characters (64 KB)",
    "report.detail.schema.max_chars": "at most {max} characters",
    "report.detail.cosign.of": "the co-signature of {author}…: {why}",
    "report.detail.cosign.missing": "its signature is missing",
    "report.detail.cosign.unreadable": "its signature is not a readable JWS",
    "report.detail.cosign.header": "its signature header is not an EdDSA JWS header",
    "report.detail.cosign.other_key": "its signature names another key",
    "report.detail.cosign.author_key": "the author is not an Ed25519 did:key",
    "report.detail.cosign.not_ed25519": "its signature is not an Ed25519 signature",
    "report.detail.cosign.invalid": "its signature does not hold",
    "report.detail.cosign.other_statement": "it signed a different statement",
    "report.detail.cosign.entry": "log entry {index}: {why}",
    "report.detail.cosign.no_entry": "the co-signature of {author}… names no log entry",
    "report.detail.cosign.entry_unreadable": "log entry {index} could not be read",
    "report.detail.cosign.entry_other": "log entry {index} does not record the co-signature of {author}…",
    "report.detail.entry.receipt": "its receipt is not well-formed",
    "report.detail.entry.untrusted": 'the log "{origin}" is not trusted here',
    "report.detail.entry.proof": "its inclusion proof or checkpoint does not hold",
    "report.detail.entry.not_object": "the entry is not a JSON object",
    "report.detail.sd_jwt.signature": "Verify Error: Invalid JWT Signature",
    "report.detail.sd_jwt.kb_signature": "Verify Error: Invalid Key Binding Jwt Signature",
    "report.detail.sd_jwt.kb_nonce": "Verify Error: Invalid Key Binding Jwt",
    "report.detail.sd_jwt.no_kb": "no key binding",
    "report.detail.sd_jwt.other_verifier": "it is addressed to another verifier",
    "report.detail.sd_jwt.not_fresh": "it is not fresh",
    "report.detail.sd_jwt.nonce_replayed": "its nonce is replayed",
    "report.detail.sd_jwt.nonce_expired": "its nonce is expired",
    "report.detail.sd_jwt.nonce_unknown": "its nonce is unknown",
    "report.detail.list": "{first}; {rest}",
  },
  fr: {
    "lang.name": "Français",
    "page.title": "Vérifier une attestation · meritlog",
    "page.skip": "Aller au résultat",
    "page.h1": "Vérifier une attestation",
    "page.lead":
      "Vérifiez qui a émis une attestation, ce qu'elle couvre et ne couvre pas, si elle est toujours en vigueur et si elle est inscrite dans le journal public. Rien de ce que vous collez ici n'est conservé. Pour être sûr que la personne avec qui vous traitez en est titulaire, demandez-lui une attestation (ci-dessous).",
    "form.label": "Attestation ou présentation",
    "form.hint1": "Collez le long texte que l'on vous a donné. Il commence en général par",
    "form.hint2": "Un lien vers cette page peut le remplir pour vous, et vous pouvez déposer un fichier ici.",
    "form.receipt_summary": "J'ai aussi un reçu du journal (facultatif)",
    "form.receipt_label": "Reçu du journal (JSON)",
    "form.receipt_hint": "Sans reçu, l'attestation est recherchée dans le journal.",
    "form.verify": "Vérifier",
    "form.verifying": "Vérification…",
    "form.clear": "Effacer",
    "form.file": "Ouvrir un fichier…",
    "form.empty": "Collez d'abord une attestation ou une présentation.",
    "form.no_nonce":
      "Cette présentation n'a pas été faite pour une demande de vérification (elle n'a ni nonce ni audience) ; elle ne peut donc pas être vérifiée ici. Demandez-en une nouvelle au titulaire.",
    "form.bad_receipt": "Le reçu du journal n'est pas du JSON valide. Retirez-le ou collez-le à nouveau.",
    "form.too_large": "Ce fichier est trop volumineux pour être une attestation.",
    "form.unreadable_file":
      "Ce fichier ne contient aucune attestation ni présentation que cette page puisse lire.",
    "net.status": "Le serveur a répondu {status}.",
    "net.unreachable":
      "Le service de vérification n'a pas pu être joint. Vérifiez votre connexion et réessayez.",
    "ask.h2": "Demander une attestation",
    "ask.hint":
      "Créez un lien de demande (et un code QR) pour un apprenant. Son portefeuille prouve que les attestations sont les siennes, et la réponse apparaît sur cette page. Vous pourrez rouvrir le résultat plus tard depuis la même adresse.",
    "ask.purpose": "Pourquoi vous demandez",
    "ask.purpose_hint":
      "L'apprenant le lit avant de répondre, par exemple « Candidature au poste de mécanicien de pompes ».",
    "ask.type": "Type d'attestation",
    "ask.type_any": "Tous",
    "ask.type_micro": "Micro-attestation",
    "ask.type_attribution": "Contribution (attribution)",
    "ask.type_mpu": "Paternité d'une unité de production",
    "ask.submit": "Créer une demande",
    "ask.purpose_missing": "Dites pourquoi vous demandez : l'apprenant le voit avant de répondre.",
    "ask.send_link": "Envoyez ce lien à l'apprenant",
    "ask.copy": "Copier le lien",
    "ask.copied": "Lien copié.",
    "ask.copy_failed": "La copie a échoué ; sélectionnez le lien et copiez-le.",
    "ask.qr_alt": "Code QR du lien de demande, à scanner par l'apprenant avec son portefeuille",
    "ask.open_until":
      "La demande est ouverte jusqu'au {date}. Gardez cette page ouverte, ou ajoutez-la à vos favoris : la réponse s'affiche ici.",
    "ask.waiting": "En attente de la réponse de l'apprenant…",
    "ask.retrying": "Le service n'a pas pu être joint ; nouvel essai…",
    "ask.answered": "Répondu. Le rapport ci-dessous vient d'être vérifié.",
    "ask.answered_on": "Répondu le {date}. Le rapport ci-dessous vient d'être vérifié.",
    "ask.expired": "Cette demande a expiré sans réponse. Créez-en une nouvelle.",
    "result.h2": "Résultat",
    footer:
      "meritlog enregistre l'apprentissage et les contributions à des fins de provenance uniquement. Une attestation valide est une déclaration signée et enregistrée de son émetteur — pas une certification, une licence, une approbation ni un droit.",

    "share.title": "Attestation partagée · meritlog",
    "share.h1": "Attestation partagée",
    "share.lead":
      "Quelqu'un a partagé cette attestation avec vous. Elle est vérifiée à nouveau à chaque ouverture de cette page : le statut ci-dessous est celui de l'heure indiquée.",
    "share.recheck": "Vérifier à nouveau",
    "share.checking": "Vérification…",
    "share.meta":
      "Partagée le {shared} ; le lien fonctionne jusqu'au {until}. Vérifiée à l'instant : {checked}.",
    "share.withdrawn": "Ce partage a été retiré",
    "share.withdrawn_text":
      "La personne qui a partagé cette attestation a retiré le lien. Demandez-lui-en un nouveau si vous en avez encore besoin.",
    "share.expired": "Ce partage a expiré",
    "share.expired_text":
      "Le lien était valable pour une durée limitée, qui est passée. Demandez-en un nouveau à la personne qui l'a partagé.",
    "share.not_found": "Partage introuvable",
    "share.not_found_text":
      "Ce lien ne mène à aucune attestation partagée. Vérifiez que vous l'avez copié en entier.",
    "share.failed": "Impossible d'ouvrir ce partage",
    "share.unreachable": "Le service n'a pas pu être joint. Vérifiez votre connexion et réessayez.",

    "check.signature": "Signature",
    "check.holder": "Présentée par son titulaire",
    "check.disclosure": "Ce que le titulaire a choisi de montrer",
    "checks.withheld": "Non montré par le titulaire : {fields}.",
    "field.credentialSubject.achievement.description": "ce qu'est la réussite",
    "field.credentialSubject.achievement.criteria.narrative": "comment elle a été obtenue (critères)",
    "field.credentialSubject.result": "résultats",
    "field.credentialSubject.contribution.description": "ce que la personne a apporté",
    "field.evidence": "preuves",
    "field.description": "ce qu'est la réussite",
    "check.issuer": "Émetteur",
    "check.schema": "Forme",
    "check.validity": "Période de validité",
    "check.status": "Statut",
    "check.anchoring": "Inscrite dans le journal public",
    "check.scope": "Portée",
    "check.noConversion": "Avis de non-conversion",
    "check.coAuthorship": "Co-autorat",
    "check.endorsements": "Recommandations",
    "verdict.valid": "Valide",
    "verdict.valid-with-warnings": "Valide, avec des avertissements",
    "verdict.invalid": "Non valide",
    "state.active": "Active",
    "state.suspended": "Suspendue (temporairement non valide)",
    "state.revoked": "Révoquée (retirée définitivement)",
    "state.superseded": "Remplacée (par une attestation corrigée ou renouvelée)",
    "state.archived": "Archivée (conservée pour mémoire, sans statut en vigueur)",
    "state.unknown": "Inconnu (n'a pas pu être vérifié)",
    "state.not_withdrawn": "Non retirée par l'émetteur (mais non valide : voir ci-dessus)",
    "outcome.fail": "Échec",
    "outcome.unknown": "N'a pas pu être vérifié",
    "outcome.warn": "Réussi, avec un avertissement",
    "outcome.ok": "Réussi",
    "date.utc": "{date} UTC",
    "notice.h2": "Ce que cette attestation ne signifie pas",
    "notice.unreadable":
      "L'avis de non-conversion n'a pas pu être lu, car l'attestation elle-même n'a pas pu être vérifiée.",
    "notice.verbatim": "Affiché mot pour mot, tel que l'émetteur l'a signé (en anglais).",
    "notice.warning": "Attention : {message}",
    "notice.translation_label": "Traduction (non signée ; seul le texte anglais signé ci-dessus fait foi) :",
    "notice.v1_source": NOTICE_V1,
    "notice.v1_translation":
      "Cette attestation est un relevé d'apprentissage ou de contribution, conservé à des fins de provenance uniquement. " +
      "Elle ne crée pas, et ne doit pas être lue comme créant, une certification, une accréditation, une licence, un diplôme, " +
      "un emploi, un droit à une rémunération ou à un paiement, un statut de fournisseur ou de soumissionnaire aux marchés publics, " +
      "une capacité à être financé, une assurabilité ou une aptitude à l'investissement, une approbation gouvernementale ou d'une " +
      "autorité publique, une approbation de sécurité ou environnementale, un consentement communautaire ou autochtone, " +
      "une autorisation de déploiement ou un pouvoir d'exécution. " +
      "Elle ne peut être ni vendue, ni échangée, ni transférée, ni rachetée. Elle ne signifie que ce qu'indiquent sa portée, " +
      "ses preuves et son niveau d'examen, et seulement tant que son statut enregistré est actif.",
    "fact.credential": "Attestation",
    "fact.issuer": "Émise par",
    "fact.registered": "Émetteur enregistré ici",
    "fact.yes": "Oui",
    "fact.no": "Non",
    "fact.subject": "Émise à",
    "fact.valid_from": "Valide à partir du",
    "fact.valid_until": "Valide jusqu'au",
    "fact.no_end": "Aucune date de fin indiquée",
    "fact.status": "Statut",
    "fact.checked": "Vérifiée le",
    "image.alt": "Image du badge de {title}",
    "image.remote":
      "Image du badge à l'adresse {url} (SHA-256 {digest}) ; elle n'est pas chargée ici, car cette page ne charge rien d'autres sites.",
    "scope.h3": "Ce qu'elle couvre",
    "scope.covers": "Couvre :",
    "scope.no_covers": "L'attestation n'indique pas ce qu'elle couvre.",
    "scope.excludes": "Ne couvre pas :",
    "scope.review": "Niveau d'examen",
    "scope.assessment": "Évaluation",
    "scope.criteria": "Critères",
    "scope.renewal": "Renouvellement",
    "scope.verification": "Vérification du travail",
    "scope.licence": "Licence",
    "scope.limitations": "Limites :",
    "scope.authors": "Auteurs :",
    "scope.evidence": "Preuves :",
    "scope.digest": "empreinte {digest}",
    "checks.h": "Chaque vérification",
    "checks.english_note":
      "Certaines explications ne sont données par le vérificateur qu'en anglais ; elles sont signalées comme telles.",
    "checks.checked": "vérifié le {date}",
    "checks.list": "liste « {purpose} » obtenue le {date}",
    "checks.list_until": "liste « {purpose} » obtenue le {date}, valable jusqu'au {until}",
    "checks.history": "Historique enregistré :",
    "checks.clock": "Horloge utilisée : {date}, avec une tolérance de {skew} s d'écart d'horloge.",
    "checks.entry": "Entrée {index} d'un journal de {size} entrées.",
    "checks.entry_origin": "Entrée {index} d'un journal de {size} entrées ({origin}).",
    "checks.code": "code : {code}",
    "unsigned.h3": "Son contenu n'est pas affiché",
    "unsigned.text":
      "La signature ne tient pas : rien de ce que dit cette attestation n'est digne de confiance — ni son titre, ni son titulaire, ni ce qu'elle couvre. Seules les vérifications suivent.",
    "lead.incomplete_credential":
      "Ceci ne ressemble pas à une attestation complète. Vérifiez que vous l'avez copiée en entier, du premier au dernier caractère.",
    "lead.incomplete_presentation":
      "Ceci ne ressemble pas à une présentation complète. Vérifiez que vous l'avez copiée en entier, du premier au dernier caractère.",
    "lead.sub_invalid": "L'attestation {i} sur {n} n'est pas valide.",
    "lead.sub_invalid_named": "L'attestation {i} sur {n} (« {name} ») n'est pas valide.",
    "lead.sub_warn": "L'attestation {i} sur {n} n'est valide qu'avec des avertissements.",
    "lead.sub_warn_named": "L'attestation {i} sur {n} (« {name} ») n'est valide qu'avec des avertissements.",
    "lead.dont_rely_credential": "Ne vous fiez pas à cette attestation.",
    "lead.dont_rely_presentation": "Ne vous fiez pas à cette présentation.",
    "lead.presentation_ok":
      "Authentique, en vigueur et inscrite dans le journal public, et présentée par la personne à qui chaque attestation a été émise, pour cette demande.",
    "lead.shared_by_subject":
      "Authentique, en vigueur et inscrite dans le journal public. La personne à qui elle a été émise a créé ce lien avec sa propre clé ; cela ne prouve pas qui vous a envoyé le lien.",
    "lead.key_bound":
      "Authentique, en vigueur et inscrite dans le journal public, et présentée par la personne à qui elle a été émise, pour cette vérification. Ce qu'elle a choisi de ne pas montrer est indiqué plus bas.",
    "lead.bare":
      "Authentique, en vigueur et inscrite dans le journal public — mais une attestation seule ne prouve pas que la personne qui l'envoie est celle à qui elle a été émise. Pour le savoir, demandez-lui de répondre à une demande (« Demander une attestation »).",
    "heading.credential": "Attestation : {verdict}",
    "heading.presentation": "Présentation : {verdict}",
    "reason.line": "{check} — {outcome} : {message}",
    "reason.lead": "{check} : {message}",
    "reason.sub": "L'attestation {i} est : {verdict} (détails ci-dessous).",
    "sub.h2": "Attestation {i} sur {n}",
    "sub.h2_named": "Attestation {i} sur {n} : {name}",
    "presented.h2": "Comment elle a été présentée",
    "raw.summary": "Afficher le rapport complet (JSON)",
    "raw.hidden": "(non affiché : sa signature ne tient pas)",
    "error.title": "Vérification impossible",
    // The verifier's report sentences (verifier/src/core/report-messages.ts), by code; English word
    // The verifier's report sentences, translated; {detail} and {why} are said from their codes
    // (report.detail.*, below) when the report carries them, else they stay English.
    "report.what.credential": "attestation",
    "report.what.presentation": "présentation",
    "report.what.status list": "liste de statuts",
    "report.what.endorsement": "recommandation",
    "report.not_checked": "Non vérifié, car {why}.",
    "report.not_checked.unverified": "Non vérifié, car le jeton n'a pas pu être vérifié.",
    "report.not_checked.unreadable": "Non vérifié, car le jeton n'a pas pu être lu.",
    "report.not_checked.not_a_credential": "Non vérifié, car le jeton n'est pas une attestation.",
    "report.not_checked.object_not_a_credential": "Non vérifié, car l'objet n'est pas une attestation.",
    "report.not_checked.signature_fails": "Non vérifié, car la signature n'est pas valable.",
    "report.not_checked.signature_unchecked": "Non vérifié, car la signature n'a pas pu être vérifiée.",
    "report.not_checked.proof_fails": "Non vérifié, car la preuve n'est pas valable.",
    "report.not_checked.proof_unchecked": "Non vérifié, car la preuve n'a pas pu être vérifiée.",
    "report.not_checked.presentation_unreadable": "Non vérifié, car la présentation n'a pas pu être lue.",
    "report.not_checked.presentation_signature":
      "Non vérifié, car la signature de la présentation n'est pas valable.",
    "report.token.unreadable": "{detail} Il ne peut pas être vérifié.",
    "report.holder.audience_mismatch":
      "La présentation a été faite pour un autre vérificateur (destinataire {audience}), pas pour {expected}.",
    "report.signature.no_issuer": "Cette {what} ne nomme pas son signataire (« iss »).",
    "report.signature.key_unavailable": "La clé de signature n'a pas pu être obtenue : {detail}",
    "report.signature.valid": "Cette {what} est signée par {signer} et n'a pas été modifiée depuis.",
    "report.signature.invalid":
      "La signature de cette {what} ne correspond pas : elle a été modifiée après signature, signée par une autre clé, ou son algorithme ({alg}) ne convient pas à la clé ({keyType}).",
    "report.validity.not_yet_valid":
      "Cette {what} n'est pas valide avant le {from} (vérifié le {now}, avec une tolérance d'horloge de {skew} s).",
    "report.validity.expired":
      "Cette {what} a expiré le {until} (vérifié le {now}, avec une tolérance d'horloge de {skew} s).",
    "report.validity.no_expiry": "Cette {what} est dans sa période de validité et n'a pas de date de fin.",
    "report.validity.no_expiry.from":
      "Cette {what} est dans sa période de validité (valide à partir du {from}) et n'a pas de date de fin.",
    "report.validity.current": "Cette {what} est dans sa période de validité jusqu'au {until}.",
    "report.validity.current.from":
      "Cette {what} est dans sa période de validité (à partir du {from}) jusqu'au {until}.",
    "report.issuer.mismatch": "L'attestation nomme {named} comme émetteur, mais elle a été signée par {did}.",
    "report.issuer.registered": "Émise par {name} ({did}), un émetteur enregistré auprès de ce service.",
    "report.issuer.registered.retired_at":
      "Émise par {name} ({did}), un émetteur enregistré auprès de ce service, signée avec une ancienne clé de {name}, retirée le {retiredAt} ; son DID actuel est {currentDid}.",
    "report.issuer.registered.retired":
      "Émise par {name} ({did}), un émetteur enregistré auprès de ce service, signée avec une ancienne clé de {name}, retirée depuis ; son DID actuel est {currentDid}.",
    "report.issuer.unregistered":
      "Émise par {did}. Cet émetteur n'est pas enregistré auprès de ce service : la signature est authentique, mais personne ici ne se porte garant de qui se trouve derrière ce DID.",
    "report.status.active": "En vigueur : ni révoquée ni suspendue selon la liste de statuts de l'émetteur.",
    "report.status.active.fetched":
      "En vigueur : ni révoquée ni suspendue selon la liste de statuts de l'émetteur (obtenue le {fetched}).",
    "report.status.active.lists":
      "En vigueur : ni révoquée ni suspendue selon les listes de statuts de l'émetteur.",
    "report.status.active.lists.fetched":
      "En vigueur : ni révoquée ni suspendue selon les listes de statuts de l'émetteur (obtenues le {fetched}).",
    "report.status.suspended": "Cette attestation est suspendue (temporairement non valide).",
    "report.status.suspended.since":
      "Cette attestation est suspendue (temporairement non valide) depuis le {since}.",
    "report.status.revoked": "Cette attestation est révoquée (retirée définitivement).",
    "report.status.revoked.since":
      "Cette attestation est révoquée (retirée définitivement) depuis le {since}.",
    "report.status.superseded":
      "Cette attestation est remplacée (par une attestation corrigée ou renouvelée).",
    "report.status.superseded.since":
      "Cette attestation est remplacée (par une attestation corrigée ou renouvelée) depuis le {since}.",
    "report.status.superseded.by":
      "Cette attestation est remplacée (par une attestation corrigée ou renouvelée) par {by}.",
    "report.status.superseded.by.since":
      "Cette attestation est remplacée (par une attestation corrigée ou renouvelée) par {by} depuis le {since}.",
    "report.status.archived":
      "Cette attestation est archivée (conservée pour mémoire ; elle n'a aucun statut en cours).",
    "report.status.archived.since":
      "Cette attestation est archivée (conservée pour mémoire ; elle n'a aucun statut en cours) depuis le {since}.",
    "report.status.no_list":
      "Cette attestation ne nomme aucune liste de statuts : on ne peut donc pas vérifier si elle a été révoquée ou suspendue.",
    "report.status.failed": "Le statut n'a pas pu être établi : {detail}",
    "report.status.unknown":
      "{detail} On ne sait donc pas si l'attestation est révoquée ou suspendue ; cela ne veut pas dire qu'elle ne l'est pas.",
    "report.anchoring.no_receipt":
      "Aucun reçu du journal n'a été fourni et aucun n'a été trouvé dans le journal : on ne peut donc pas vérifier si ni quand cette attestation a été enregistrée.",
    "report.anchoring.receipt_malformed": "Le reçu du journal est mal formé.",
    "report.anchoring.entry_not_object": "L'entrée de journal du reçu n'est pas un objet JSON.",
    "report.anchoring.entry_mismatch":
      "Le reçu enregistre une autre attestation : son empreinte n'est pas celle de cette attestation.",
    "report.anchoring.entry_other_id":
      "L'entrée de journal du reçu nomme un autre identifiant d'attestation.",
    "report.anchoring.entry_other_issuer": "L'entrée de journal du reçu nomme un autre émetteur.",
    "report.anchoring.log_untrusted":
      "Le reçu provient du journal « {origin} », que ce vérificateur ne connaît pas.",
    "report.anchoring.receipt_malformed.detail": "Le reçu du journal est mal formé ({detail}).",
    "report.anchoring.inclusion_invalid":
      "La preuve d'inclusion ne mène pas de cette entrée au point de contrôle signé.",
    "report.anchoring.origin_mismatch":
      "Le point de contrôle du reçu appartient à un autre journal que celui que nomme le reçu.",
    "report.anchoring.checkpoint_signature":
      "Le point de contrôle du reçu n'est pas signé par la clé du journal : il est falsifié ou provient d'un autre journal.",
    "report.anchoring.proof_hash_malformed":
      "La preuve d'inclusion contient une empreinte qui n'est pas de 32 octets en base64.",
    "report.anchoring.witness_conflict":
      "Un témoin a vu un autre arbre de ce journal : {evidence}. Le journal a montré deux historiques.",
    "report.anchoring.witness_quorum":
      "Enregistrée dans le journal à la position {index}, mais seuls {cosigned} des {required} témoins requis ont cosigné ce point de contrôle ou un point ultérieur cohérent avec lui : on ne sait donc pas encore si tout le monde voit le même journal.",
    "report.anchoring.witnessed": "Cosigné par {cosigned} des {required} témoins requis.",
    "report.anchoring.no_newer":
      "Enregistrée dans le journal « {origin} » à la position {index} sur {size} ; le point de contrôle est signé par le journal. Aucun point de contrôle plus récent n'était disponible pour confirmer que le journal n'a pas bifurqué.",
    "report.anchoring.no_newer.detail":
      "Enregistrée dans le journal « {origin} » à la position {index} sur {size} ; le point de contrôle est signé par le journal. Aucun point de contrôle plus récent n'était disponible pour confirmer que le journal n'a pas bifurqué ({detail}).",
    "report.anchoring.inconsistent":
      "Le point de contrôle du reçu (taille {size}) n'est pas cohérent avec le plus récent connu (taille {newest}) : le journal montre deux historiques différents.",
    "report.anchoring.no_proof":
      "Enregistrée dans le journal à la position {index} sur {size} (point de contrôle signé). La cohérence avec le point de contrôle le plus récent (taille {newest}) n'a pas pu être vérifiée : aucune preuve n'était disponible.",
    "report.anchoring.verified":
      "Enregistrée dans le journal « {origin} » à la position {index} ; la preuve d'inclusion et la signature du journal sont valables, et le journal est cohérent avec son point de contrôle le plus récent (taille {newest}).",
    "report.anchoring.lookup_failed":
      "Aucun reçu n'a été fourni et le journal n'a pas pu être consulté pour cette attestation.",
    "report.schema.open_badge":
      "Une attestation Open Badges 3.0 bien formée d'un autre émetteur (son contenu propre à meritlog n'est pas vérifié).",
    "report.schema.foreign":
      "Une attestation vérifiable bien formée d'un autre émetteur (son contenu propre à meritlog n'est pas vérifié).",
    "report.schema.unknown_kind":
      "L'attestation vient d'un émetteur enregistré mais n'est d'aucun des types d'attestation meritlog.",
    "report.schema.invalid": "Cette attestation ({kind}) n'est pas conforme à son type.",
    "report.schema.invalid.at":
      "Cette attestation ({kind}) n'est pas conforme à son type (au champ {path} : {detail}).",
    "report.schema.subject_not_author":
      "Cette attestation de paternité de MPU nomme un titulaire qui ne figure pas parmi les auteurs de la MPU : elle n'enregistre donc pas la paternité de cette personne.",
    "report.schema.valid": "Une attestation {kind} bien formée.",
    "report.schema.valid.endorsement": "Une recommandation (EndorsementCredential) bien formée.",
    "report.schema.invalid.endorsement":
      "La recommandation (EndorsementCredential) n'est pas conforme à son type (un EndorsementSubject avec un id et un endorsementComment, et un nom).",
    "report.scope.stated": "Couvre : {covers}. Ne couvre pas : {excludes}.",
    "report.scope.stated.covers": "Couvre : {covers}.",
    "report.scope.not_stated":
      "L'attestation n'indique pas sa portée (ce qu'elle couvre et ne couvre pas) ; ne la lisez que pour ce que disent son titre et ses critères.",
    "report.scope.missing": "Cette attestation meritlog n'indique pas ce qu'elle couvre.",
    "report.noConversion.missing":
      "L'avis de non-conversion manque dans cette attestation meritlog : elle a été modifiée ou n'a pas été émise selon les règles de meritlog.",
    "report.noConversion.absent":
      "Cette attestation ne porte aucun avis de non-conversion. Elle vient d'un autre émetteur ; rien n'y dit ce qu'elle ne signifie pas : ne la lisez donc pas comme une habilitation, une licence, une approbation ou un droit.",
    "report.noConversion.altered":
      "L'avis de non-conversion de cette attestation n'est pas le texte publié : il a été modifié.",
    "report.noConversion.present": "L'avis de non-conversion est présent, mot pour mot tel que publié.",
    "report.coAuthorship.invalid_signature":
      "Une cosignature de cette MPU n'est pas valable ({detail}) ; le co-autorat qu'elle revendique n'est pas établi.",
    "report.coAuthorship.extra_signer":
      "Cette MPU porte une cosignature d'une personne qui ne figure pas parmi ses auteurs ({extra}).",
    "report.coAuthorship.incomplete.one":
      "Cosignée par {signed} des {of} auteurs ; {missing} auteur indiqué n'a pas signé.",
    "report.coAuthorship.incomplete":
      "Cosignée par {signed} des {of} auteurs ; {missing} auteurs indiqués n'ont pas signé.",
    "report.coAuthorship.complete":
      "Cosignée par {signed} des {of} auteurs : chaque auteur indiqué a signé la déclaration de cette MPU, et personne d'autre.",
    "report.endorsements.listed.one":
      "{count} recommandation enregistrée pour cette attestation, {valid} valable actuellement : {who}. Une recommandation est la parole de son auteur sur cette attestation ; elle ne change pas ce que l'attestation signifie.",
    "report.endorsements.listed":
      "{count} recommandations enregistrées pour cette attestation, {valid} valables actuellement : {who}. Une recommandation est la parole de son auteur sur cette attestation ; elle ne change pas ce que l'attestation signifie.",
    "report.holder.shared_by_subject":
      "Partagée le {sharedAt} par le titulaire de l'attestation, qui a prouvé détenir sa clé en créant ce lien. Cela ne prouve pas qui vous envoie le lien maintenant.",
    "report.validity.valid_when_answered":
      "La présentation était dans sa période de validité quand elle a répondu à cette demande, le {answeredAt}.",
    "report.holder.bound.credential": "Présentée par son titulaire, {holder}.",
    "report.holder.bound":
      "Signée par le titulaire {holder} pour cette demande (le nonce et le destinataire correspondent), et le titulaire est le sujet de chaque attestation présentée.",
    "report.holder.bound.self_asserted":
      "Signée par le titulaire {holder} pour cette demande (le nonce et le destinataire correspondent), et le titulaire est le sujet de chaque attestation présentée (ou, pour une attestation auto-déclarée, son émetteur).",
    "report.holder.nonce_mismatch":
      "La présentation n'a pas été faite pour cette demande de vérification : son nonce diffère de celui qui a été émis.",
    "report.holder.nonce_replayed":
      "Le nonce de cette présentation a déjà servi : c'est la répétition d'une présentation antérieure.",
    "report.holder.nonce_expired":
      "Le nonce de cette présentation a expiré ; demandez au titulaire de présenter à nouveau.",
    "report.holder.nonce_unknown": "Le nonce de cette présentation n'a pas été émis par ce vérificateur.",
    "report.holder.not_subject.credential":
      "Présentée par {holder}, qui n'est pas le titulaire de cette attestation.",
    "report.holder.not_subject.credential.subject":
      "Présentée par {holder}, qui n'est pas le titulaire de cette attestation ({subject}).",
    "report.holder.not_subject":
      "Le signataire de la présentation n'est pas le titulaire (ou, pour une attestation auto-déclarée, le titulaire et l'émetteur nommés) de {unbound} de ses {count} attestation(s).",
    "report.signature.header": "{detail}",
    "report.signature.key_not_selected": "{detail}",
    "report.schema.claims_mismatch": "Les déclarations du jeton contredisent l'attestation : {detail}",
    "report.schema.not_a_credential.vc": "La déclaration « vc » du jeton n'est pas un objet attestation.",
    "report.schema.not_a_credential": "L'objet n'est pas une attestation.",
    "report.holder.self_asserted": "Déclarée par son titulaire, {holder}, qui la présente.",
    "report.coAuthorship.entry_mismatch":
      "Une cosignature n'est pas inscrite au journal là où l'attestation l'indique ({detail}) ; la co-autorité qu'elle revendique n'est pas établie.",
    "report.coAuthorship.entries_unavailable":
      "Les entrées du journal des signatures n'ont pas pu être vérifiées ({detail}).",
    "report.coAuthorship.entries_recorded": "Chaque signature est inscrite au journal (entrées {leaves}).",
    "report.schema.data_model": "Cette {what} enfreint le modèle de données VC 2.0 : {detail}.",
    "report.schema.data_model.more":
      "Cette {what} enfreint le modèle de données VC 2.0 : {detail} (et {more} autre(s)).",
    "report.sd_jwt.too_large": "Le SD-JWT dépasse {max} caractères.",
    "report.sd_jwt.malformed": "Ce n'est pas un SD-JWT (JWT signé par l'émetteur, divulgations, `~`).",
    "report.sd_jwt.shared_with_key_binding":
      "Un SD-JWT partagé se termine par `~` : un JWT de liaison de clé appartient à la demande d'un seul vérificateur.",
    "report.sd_jwt.key_binding_missing":
      "La présentation n'a pas de JWT de liaison de clé : quiconque en détient une copie aurait pu l'envoyer.",
    "report.sd_jwt.typ": "Le typ du JWT signé par l'émetteur doit être vc+sd-jwt, pas {typ}.",
    "report.sd_jwt.key_unresolvable":
      "L'émetteur du SD-JWT n'est pas un did:key que ce vérificateur sait lire.",
    "report.sd_jwt.kid_mismatch": "L'identifiant de clé n'appartient pas à l'émetteur nommé dans le SD-JWT.",
    "report.sd_jwt.no_holder_key": "Le SD-JWT ne nomme aucune clé de titulaire (cnf.jwk) à laquelle le lier.",
    "report.sd_jwt.disclosure_malformed": "Une divulgation n'est pas un tableau JSON en base64url.",
    "report.sd_jwt.disclosure_repeated": "Une divulgation est donnée deux fois.",
    "report.sd_jwt.disclosure_foreign":
      "Une divulgation n'appartient pas à cette attestation : son empreinte ne figure pas parmi les engagements de l'émetteur.",
    "report.sd_jwt.signature_invalid":
      "La signature de l'émetteur sur le SD-JWT n'est pas valable ({detail}).",
    "report.sd_jwt.key_binding_invalid":
      "Le JWT de liaison de clé n'est pas valable ({detail}) : il n'a pas été fait par la clé du titulaire de l'attestation pour cette présentation et ce nonce.",
    "report.sd_jwt.key_binding_valid":
      "La clé de l'apprenant (cnf) a signé cette présentation pour ce vérificateur et ce nonce.",
    "report.sd_jwt.key_binding_valid.at":
      "La clé de l'apprenant (cnf) a signé cette présentation pour ce vérificateur et ce nonce lorsqu'elle a répondu le {answeredAt}.",
    "report.sd_jwt.key_binding_problems": "Le JWT de liaison de clé n'est pas valable : {detail}.",
    "report.disclosure.partial":
      "L'apprenant a choisi de ne pas montrer : {withheld}. Ce qui est montré a été signé par l'émetteur.",
    "report.disclosure.full": "Tous les champs divulgables sont montrés.",
    "report.signature.valid.sd_jwt":
      "La signature de l'émetteur sur le SD-JWT ({alg}) est valable, faite avec une clé de {signer}.",
    "report.signature.di.did_web_malformed": "L'identifiant did:web est mal formé.",
    "report.signature.di.network_disabled":
      "La clé de la preuve appartient à {did} ; la résoudre demande de télécharger {url}, ce qui n'est pas activé ici.",
    "report.signature.di.fetch_failed": "Le document DID à {url} n'a pas pu être téléchargé ({why}).",
    "report.signature.di.not_did_document": "Le document à {url} n'est pas un document DID de {did}.",
    "report.signature.di.not_assertion_method":
      "{vm} n'est pas une assertionMethod de {did} : cette clé ne peut pas signer d'attestations en son nom.",
    "report.signature.di.not_ed25519": "{vm} n'est pas une clé Ed25519 ; ces preuves en demandent une.",
    "report.signature.di.no_proof": "L'attestation ne porte aucune preuve.",
    "report.signature.di.several_proofs":
      "Seules les attestations qui portent exactement une preuve sont vérifiées.",
    "report.signature.di.suite_unsupported":
      "Les preuves de type {type} ne sont pas vérifiées ici (prises en charge : eddsa-rdfc-2022 et Ed25519Signature2020).",
    "report.signature.di.key_method":
      "La clé de la preuve, {vm}, n'est ni un did:key Ed25519 ni une clé did:web ; les autres méthodes DID ne sont pas résolues ici pour les preuves Data Integrity.",
    "report.signature.di.valid":
      "La preuve Data Integrity {suite} est valable, faite avec une clé de {signer}.",
    "report.signature.di.context_unknown":
      "L'attestation utilise le contexte JSON-LD {url}, que ce vérificateur n'embarque pas ; il n'est jamais téléchargé, donc la preuve n'a pas pu être vérifiée.",
    "report.signature.di.invalid":
      "La preuve Data Integrity {suite} n'est pas valable : l'attestation a été modifiée après sa signature, ou n'a pas été signée par {signer}.",
    "report.signature.di.invalid.why":
      "La preuve Data Integrity {suite} n'est pas valable ({detail}) : l'attestation a été modifiée après sa signature, ou n'a pas été signée par {signer}.",
    "report.signature.self_asserted":
      "Une attestation auto-déclarée de {signer}, protégée par la présentation qu'il a signée (modèle de données VC 2.0 §4.13.4).",
    // The details a sentence quotes as {detail} or {why} (verifier report-details.ts).
    "report.detail.jws.not_string": "Le jeton n'est pas une chaîne de caractères.",
    "report.detail.jws.too_large": "Le jeton dépasse {max} caractères.",
    "report.detail.jws.segments":
      "Le jeton n'a pas exactement trois parties séparées par des points (en-tête.contenu.signature).",
    "report.detail.jws.header_base64": "L'en-tête du jeton n'est pas du base64url valable.",
    "report.detail.jws.payload_base64": "Le contenu du jeton n'est pas du base64url valable.",
    "report.detail.jws.signature_base64": "La signature du jeton n'est pas du base64url valable.",
    "report.detail.jws.header_json": "L'en-tête du jeton n'est pas un objet JSON en UTF-8.",
    "report.detail.jws.payload_json": "Le contenu du jeton n'est pas du JSON valable en UTF-8.",
    "report.detail.jws.payload_object": "Le contenu du jeton n'est pas un objet JSON.",
    "report.detail.jws.unreadable": "Le jeton n'a pas pu être lu.",
    "report.detail.header.alg_not_allowed":
      "Le jeton utilise l'algorithme « {alg} » ; seuls {allowed} sont acceptés.",
    "report.detail.header.alg_not_allowed.one":
      "Le jeton utilise l'algorithme « {alg} » ; seul {allowed} est accepté.",
    "report.detail.header.member":
      "L'en-tête du jeton a un membre « {member} » qui n'est pas permis (seuls {allowed} le sont).",
    "report.detail.header.typ":
      "Le « typ » de l'en-tête du jeton doit être « {typ} » ou « {typ2} » quand il est présent.",
    "report.detail.header.typ.one":
      "Le « typ » de l'en-tête du jeton doit être « {typ} » quand il est présent.",
    "report.detail.header.typ.required": "Le « typ » de l'en-tête du jeton doit être « {typ} ».",
    "report.detail.header.cty": "Le « cty » de l'en-tête du jeton doit être « {cty} » quand il est présent.",
    "report.detail.header.kid": "Le « kid » de l'en-tête du jeton n'est pas une chaîne de caractères.",
    "report.detail.header.jwk":
      "Le « jwk » de l'en-tête du jeton n'est pas une clé publique d'un type pris en charge (Ed25519, P-256, P-384, RSA ≥ {bits} bits).",
    "report.detail.did.not_a_did": "L'émetteur n'est pas identifié par un DID.",
    "report.detail.did.invalid": "Le did:key n'est pas valable.",
    "report.detail.did.not_did_key": "Ce n'est pas un identifiant did:key.",
    "report.detail.did.multibase": "Un did:key doit utiliser le multibase base58btc (« z »).",
    "report.detail.did.base58": "Le did:key n'est pas du base58btc valable.",
    "report.detail.did.ed25519_length": "Un did:key {type} porte une clé de 32 octets.",
    "report.detail.did.p256_length": "Un did:key {type} porte un point compressé de 33 octets.",
    "report.detail.did.key_type":
      "Seuls les identifiants did:key Ed25519 (multicodec 0xed01) et P-256 (0x1200) sont pris en charge.",
    "report.detail.did.jwk_invalid":
      "Le did:jwk ne code pas une clé publique d'un type pris en charge (Ed25519, P-256, P-384, RSA ≥ {bits} bits).",
    "report.detail.did.web_malformed": "L'identifiant did:web est mal formé.",
    "report.detail.did.web_not_fetched":
      "L'émetteur utilise did:web ; le résoudre demande de télécharger {url}, ce qui n'est pas activé ici.",
    "report.detail.did.web_fetch_failed":
      "Le document DID de l'émetteur à {url} n'a pas pu être téléchargé ({why}).",
    "report.detail.did.web_other_did": "Le document DID à {url} n'est pas celui de {did}.",
    "report.detail.did.method":
      "La méthode DID « {method} » n'est pas prise en charge (did:key, did:jwk et did:web le sont).",
    "report.detail.kid.not_url": "L'identifiant de clé n'est pas une URL.",
    "report.detail.kid.other_origin":
      "L'identifiant de clé « {kid} » n'est pas sur l'origine https de l'émetteur ({issuer}).",
    "report.detail.kid.not_fetched":
      "La clé de l'émetteur est publiée à {url} ; son téléchargement n'est pas activé ici.",
    "report.detail.kid.fetch_failed": "La clé de l'émetteur à {url} n'a pas pu être téléchargée ({why}).",
    "report.detail.kid.not_in_set":
      "L'identifiant de clé « {kid} » ne nomme aucune clé du jeu de clés publié.",
    "report.detail.kid.other_signer": "L'identifiant de clé « {kid} » n'appartient pas au signataire {did}.",
    "report.detail.kid.not_a_method":
      "L'identifiant de clé « {kid} » n'est pas une méthode de vérification de {did}.",
    "report.detail.key.unsupported":
      "Le DID du signataire n'a aucune clé d'un type pris en charge (Ed25519, P-256, P-384, RSA ≥ {bits} bits).",
    "report.detail.key.ambiguous":
      "Le DID du signataire a plusieurs clés et le jeton ne dit pas laquelle (kid).",
    "report.detail.key.none": "Le DID du signataire n'a aucune clé utilisable.",
    "report.detail.key.embedded":
      "La clé incluse dans l'en-tête du jeton n'est pas la clé du DID du signataire.",
    "report.detail.fetch.http": "HTTP {status}",
    "report.detail.fetch.timeout": "pas de réponse en {ms} ms",
    "report.detail.fetch.timed_out.status": "pas de liste de statuts en {ms} ms",
    "report.detail.fetch.timed_out.checkpoint": "pas de point de contrôle en {ms} ms",
    "report.detail.fetch.timed_out.did_web": "pas de document did:web en {ms} ms",
    "report.detail.fetch.timed_out.jwks": "pas de jeu de clés JWK en {ms} ms",
    "report.detail.fetch.too_large": "la réponse dépasse {bytes} octets",
    "report.detail.fetch.no_address": "{host} n'a pas d'adresse",
    "report.detail.fetch.unresolved": "{host} n'a pas pu être résolu ({why})",
    "report.detail.fetch.credentials": "les URL avec identifiants ne sont pas téléchargées",
    "report.detail.fetch.not_url": "ce n'est pas une URL",
    "report.detail.fetch.scheme": "les URL {scheme} ne sont pas téléchargées (https seulement)",
    "report.detail.fetch.scheme.self":
      "les URL {scheme} ne sont pas téléchargées (https seulement ; http seulement vers {self})",
    "report.detail.fetch.redirect":
      "redirigé vers {origin} ; les redirections vers d'autres hôtes ne sont pas suivies",
    "report.detail.fetch.did_not_json": "le document DID à {url} n'est pas du JSON",
    "report.detail.fetch.keys_not_json": "le jeu de clés à {url} n'est pas du JSON",
    "report.detail.fetch.log_untrusted":
      "le journal « {origin} » n'est pas reconnu ici ; son point de contrôle n'a pas été téléchargé",
    "report.detail.error": "erreur",
    "report.detail.di.invalid_signature": "signature non valable.",
    "report.detail.status.not_fetched":
      "La liste de statuts à {url} n'a pas été téléchargée : le téléchargement n'est pas activé ici.",
    "report.detail.status.fetch_failed": "La liste de statuts à {url} n'a pas pu être téléchargée ({why}).",
    "report.detail.status.not_jwt": "La liste de statuts à {url} n'est pas un VC-JWT lisible ({code}).",
    "report.detail.status.no_issuer": "La liste de statuts à {url} ne nomme pas son émetteur.",
    "report.detail.status.two_issuers": "La liste de statuts à {url} nomme deux émetteurs différents.",
    "report.detail.status.other_issuer":
      "La liste de statuts à {url} est émise par {listIssuer}, pas par l'émetteur de l'attestation, {did}.",
    "report.detail.status.signature": "La signature de la liste de statuts n'est pas valable : {detail}",
    "report.detail.status.not_a_list": "Le document à {url} n'est pas une attestation Bitstring Status List.",
    "report.detail.status.not_yet_valid": "La liste de statuts à {url} n'est pas valable avant le {from}.",
    "report.detail.status.expired":
      "La liste de statuts à {url} a expiré le {until} ; aucune liste à jour n'a pu être obtenue.",
    "report.detail.status.encoded_list":
      "La liste de statuts à {url} a un encodedList qui n'est pas du multibase base64url.",
    "report.detail.status.decompress": "La liste de statuts à {url} n'a pas pu être décompressée.",
    "report.detail.status.unchecked": "La liste de statuts à {url} n'a pas pu être vérifiée.",
    "report.detail.status.entry_not_object": "Une entrée de statut n'est pas un objet.",
    "report.detail.status.entry_type":
      "Les entrées de statut de type « {type} » ne sont pas prises en charge.",
    "report.detail.status.entry_purpose": "La finalité de statut « {purpose} » n'est pas vérifiée.",
    "report.detail.status.entry_url": "Une entrée de statut n'a pas d'URL de liste ou d'indice valable.",
    "report.detail.status.entry_size":
      "Seules les entrées de révocation et de suspension sur un bit sont prises en charge.",
    "report.detail.status.status_size": "Le statusSize de l'entrée de statut n'est pas un entier de 1 à 8.",
    "report.detail.status.no_message":
      "Une entrée de statut à messages ne nomme aucun statusMessage : sa valeur n'a donc pas de sens.",
    "report.detail.status.wrong_purpose": "La liste à {url} n'est pas une liste de finalité « {purpose} ».",
    "report.detail.status.too_short": "La liste à {url} compte moins de 131 072 entrées, le minimum.",
    "report.detail.status.index": "L'indice {index} est hors de la liste à {url}.",
    "report.detail.status.unreadable_value":
      "La liste à {url} donne à cette attestation le statut {value}, que ce vérificateur ne sait pas lire comme en vigueur, suspendu ou révoqué.",
    "report.detail.status.unreadable_value.message":
      "La liste à {url} donne à cette attestation le statut {value} (« {message} »), que ce vérificateur ne sait pas lire comme en vigueur, suspendu ou révoqué.",
    "report.detail.receipt.not_object": "le reçu n'est pas un objet",
    "report.detail.receipt.fields": "le reçu doit avoir origin, entry et checkpoint en chaînes de caractères",
    "report.detail.receipt.leaf_index": "leafIndex n'est pas un entier positif ou nul",
    "report.detail.receipt.proof_list": "inclusionProof n'est pas une liste d'empreintes",
    "report.detail.receipt.proof_hash":
      "inclusionProof contient une valeur qui n'est pas une empreinte SHA-256 en base64",
    "report.detail.anchoring.latest_unfetched":
      "le dernier point de contrôle du journal n'a pas pu être téléchargé ({why})",
    "report.detail.claims.iss": "« iss » ({iss}) n'est pas l'émetteur de l'attestation ({issuer}).",
    "report.detail.claims.sub": "« sub » n'est pas l'identifiant du sujet de l'attestation.",
    "report.detail.claims.jti": "« jti » n'est pas l'identifiant de l'attestation.",
    "report.detail.claims.valid_from": "La date de début de l'attestation n'est pas une date-heure valable.",
    "report.detail.claims.valid_until": "La date de fin de l'attestation n'est pas une date-heure valable.",
    "report.detail.claims.nbf_type": "« nbf » n'est pas un nombre de secondes.",
    "report.detail.claims.exp_type": "« exp » n'est pas un nombre de secondes.",
    "report.detail.claims.nbf": "« nbf » ne correspond pas à la date de début de l'attestation.",
    "report.detail.claims.exp": "« exp » ne correspond pas à la date de fin de l'attestation.",
    "report.detail.vcdm.context_missing": "@context manque (modèle de données VC 2.0 §4.3)",
    "report.detail.vcdm.context_first": "le premier @context doit être {url} (§4.3)",
    "report.detail.vcdm.context_item": "chaque @context suivant doit être une URL ou un objet (§4.3)",
    "report.detail.vcdm.id": "id doit être une seule URL (§4.4)",
    "report.detail.vcdm.type_missing": "type doit être présent, une ou plusieurs chaînes (§4.5)",
    "report.detail.vcdm.type_required": "type doit inclure « {type} » (§4.5)",
    "report.detail.vcdm.text_value": "{name} doit être une chaîne ou un objet valeur-langue (§4.6)",
    "report.detail.vcdm.issuer_missing": "issuer doit être présent (§4.7)",
    "report.detail.vcdm.issuer_id": "un objet issuer doit avoir un id qui est une URL (§4.7)",
    "report.detail.vcdm.issuer_text_value":
      "le {name} de l'émetteur doit être une chaîne ou un objet valeur-langue (§4.6)",
    "report.detail.vcdm.issuer": "issuer doit être une URL ou un objet avec un id qui est une URL (§4.7)",
    "report.detail.vcdm.subject_missing": "credentialSubject doit être présent (§4.8)",
    "report.detail.vcdm.subject_none": "credentialSubject doit contenir au moins un sujet (§4.8)",
    "report.detail.vcdm.subject_object": "chaque sujet de l'attestation doit être un objet (§4.8)",
    "report.detail.vcdm.subject_empty":
      "un sujet de l'attestation doit faire au moins une déclaration ; celui-ci est vide (§4.8)",
    "report.detail.vcdm.subject_id": "l'id d'un sujet de l'attestation doit être une URL (§4.8)",
    "report.detail.vcdm.date": "{name} doit être un dateTimeStamp XML Schema, avec un fuseau horaire (§4.9)",
    "report.detail.vcdm.dates_order": "validFrom ne doit pas être postérieur à validUntil (§4.9)",
    "report.detail.vcdm.entries_none": "{name} doit contenir au moins une entrée",
    "report.detail.vcdm.entry_object": "chaque entrée de {name} doit être un objet",
    "report.detail.vcdm.entry_type": "chaque entrée de {name} doit avoir un type",
    "report.detail.vcdm.entry_id": "l'id d'une entrée de {name} doit être une URL",
    "report.detail.vcdm.holder": "holder doit être une URL ou un objet avec un id qui est une URL (§4.13)",
    "report.detail.vcdm.vp_credential":
      "chaque verifiableCredential doit être un objet ; un jeton nu doit être enveloppé dans une EnvelopedVerifiableCredential (§4.13.1)",
    "report.detail.vcdm.enveloped_id":
      "l'id d'une EnvelopedVerifiableCredential doit être une URL data: (§4.13.1)",
    "report.detail.jsonld.protected":
      "un @context redéfinit un terme protégé (JSON-LD 1.1 §4.1.11) ; un processeur JSON-LD doit le refuser (§5.2)",
    "report.detail.jsonld.iri_mapping":
      "un @context associe un terme à autre chose qu'un IRI absolu : il n'est donc pas traitable comme contexte JSON-LD (§4.3)",
    "report.detail.jsonld.unprocessable":
      "un @context n'est pas traitable comme contexte JSON-LD ({code}) (§4.3)",
    "report.detail.jsonld.undefined_type":
      "le type « {type} » n'est ni une URL ni un terme que son @context définit (§4.5)",
    "report.detail.schema.expected": "valeur non valable : {expected} attendu, {received} reçu",
    "report.detail.schema.invalid": "valeur non valable",
    "report.detail.schema.option": "option non valable : l'une de {options} attendue",
    "report.detail.schema.unrecognized_key": "clé non reconnue : « {key} »",
    "report.detail.schema.unrecognized_keys": "clés non reconnues : {keys}",
    "report.detail.schema.too_small.chars": "trop court : au moins {min} caractères attendus",
    "report.detail.schema.too_big.chars": "trop long : au plus {max} caractères attendus",
    "report.detail.schema.too_small.items": "trop court : au moins {min} éléments attendus",
    "report.detail.schema.too_big.items": "trop long : au plus {max} éléments attendus",
    "report.detail.schema.too_small.value": "trop petit : {type} d'au moins {min} attendu",
    "report.detail.schema.too_big.value": "trop grand : {type} d'au plus {max} attendu",
    "report.detail.schema.pattern": "chaîne non valable : doit suivre le motif {pattern}",
    "report.detail.schema.url": "URL non valable",
    "report.detail.schema.date_time":
      "doit être une date-heure ISO 8601 avec un fuseau horaire (par exemple 2028-01-01T00:00:00Z)",
    "report.detail.schema.kind": "type doit nommer exactement un type parmi {kinds}",
    "report.detail.schema.activity_dates": "activityEndDate ne doit pas précéder activityStartDate",
    "report.detail.schema.valid_until": "validUntil doit être postérieur à validFrom",
    "report.detail.schema.image_https": "doit être une URL https ou une image data:",
    "report.detail.schema.image_https_plain":
      "doit être une URL https (sans utilisateur ni mot de passe) ou une image data:",
    "report.detail.schema.image_base64": "l'image data: n'est pas du base64 valable",
    "report.detail.schema.image_type": "l'image data: n'est pas un fichier {type}",
    "report.detail.schema.image_size": "une image data: doit faire au plus {max} caractères (64 Ko)",
    "report.detail.schema.max_chars": "au plus {max} caractères",
    "report.detail.cosign.of": "la cosignature de {author}… : {why}",
    "report.detail.cosign.missing": "sa signature manque",
    "report.detail.cosign.unreadable": "sa signature n'est pas un JWS lisible",
    "report.detail.cosign.header": "l'en-tête de sa signature n'est pas un en-tête JWS EdDSA",
    "report.detail.cosign.other_key": "sa signature nomme une autre clé",
    "report.detail.cosign.author_key": "l'auteur n'est pas un did:key Ed25519",
    "report.detail.cosign.not_ed25519": "sa signature n'est pas une signature Ed25519",
    "report.detail.cosign.invalid": "sa signature n'est pas valable",
    "report.detail.cosign.other_statement": "elle a signé une autre déclaration",
    "report.detail.cosign.entry": "entrée {index} du journal : {why}",
    "report.detail.cosign.no_entry": "la cosignature de {author}… ne nomme aucune entrée du journal",
    "report.detail.cosign.entry_unreadable": "l'entrée {index} du journal n'a pas pu être lue",
    "report.detail.cosign.entry_other":
      "l'entrée {index} du journal n'enregistre pas la cosignature de {author}…",
    "report.detail.entry.receipt": "son reçu est mal formé",
    "report.detail.entry.untrusted": "le journal « {origin} » n'est pas reconnu ici",
    "report.detail.entry.proof": "sa preuve d'inclusion ou son point de contrôle n'est pas valable",
    "report.detail.entry.not_object": "l'entrée n'est pas un objet JSON",
    "report.detail.sd_jwt.signature": "erreur de vérification : signature du JWT non valable",
    "report.detail.sd_jwt.kb_signature":
      "erreur de vérification : signature du JWT de liaison de clé non valable",
    "report.detail.sd_jwt.kb_nonce": "erreur de vérification : JWT de liaison de clé non valable",
    "report.detail.sd_jwt.no_kb": "pas de liaison de clé",
    "report.detail.sd_jwt.other_verifier": "il est adressé à un autre vérificateur",
    "report.detail.sd_jwt.not_fresh": "il n'est pas récent",
    "report.detail.sd_jwt.nonce_replayed": "son nonce a déjà servi",
    "report.detail.sd_jwt.nonce_expired": "son nonce a expiré",
    "report.detail.sd_jwt.nonce_unknown": "son nonce est inconnu",
    "report.detail.list": "{first} ; {rest}",
  },
};

/**
 * The wallet's status and anchoring sentences that quote a detail, said without it: the wallet
 * verifies in the browser with the verifier's core alone, so its reports' details have no codes
 * (the server codes them, verifier report-details.ts) and would be English. It reads these in
 * place of the full sentences (server/src/report-catalogue.ts); English needs none.
 */
export const WALLET_BRIEF = {
  fr: {
    "report.status.failed": "Le statut n'a pas pu être établi.",
    "report.status.unknown":
      "La liste de statuts n'a pas pu être lue. On ne sait donc pas si l'attestation est révoquée ou suspendue ; cela ne veut pas dire qu'elle ne l'est pas.",
    "report.anchoring.receipt_malformed.detail": "Le reçu du journal est mal formé.",
    "report.anchoring.no_newer.detail":
      "Enregistrée dans le journal « {origin} » à la position {index} sur {size} ; le point de contrôle est signé par le journal. Aucun point de contrôle plus récent n'était disponible pour confirmer que le journal n'a pas bifurqué.",
  },
};
