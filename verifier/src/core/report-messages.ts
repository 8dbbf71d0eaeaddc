// Report sentences with stable codes (issue 12 "Two languages"): each check's English `message`
// stays as the API always said it, and `sentences` names the code and parameters of each of its
// sentences so a page can say it in the reader's language. The English templates of the codes are
// in ../report-sentences.ts (not bundled into browsers); verifier/test/report-messages.test.ts
// keeps them and the sentences said here identical.
import type { ReportSentenceCode } from "../report-sentences.js";

/**
 * A lower-level detail a sentence quotes as its `detail` or `why` parameter (a header rule, a
 * status-list failure, a schema message…): a stable code (`detail.*`, or a sentence code when the
 * detail is a whole report sentence) with parameters, its own details coded in turn. Added by the
 * server (../report-details.ts); the English stays in `params`.
 */
export interface Detail {
  code: string;
  params?: Record<string, string | number>;
  details?: Record<string, Detail>;
}

/** One sentence of a check's message: its stable code and parameters. */
export interface Sentence {
  code: ReportSentenceCode;
  params?: Record<string, string | number>;
  /** The coded form of the `detail` / `why` parameters, where the server could code them. */
  details?: Record<string, Detail>;
}

/** A message as the report carries it: the English text, and the sentences it is made of. */
export interface Said {
  text: string;
  sentences: Sentence[];
}

/**
 * A one-sentence message: its English `text` (as the template of `code` says it) and its code.
 * @example check(true, "schema.valid", say(`A well-formed ${kind} credential.`, "schema.valid", { kind }))
 */
export function say(text: string, code: ReportSentenceCode, params?: Record<string, string | number>): Said {
  return { text, sentences: [params === undefined ? { code } : { code, params }] };
}

const NOT_CHECKED: Readonly<Record<string, ReportSentenceCode>> = {
  "the token could not be verified": "not_checked.unverified",
  "the token could not be read": "not_checked.unreadable",
  "the token is not a credential": "not_checked.not_a_credential",
  "the object is not a credential": "not_checked.object_not_a_credential",
  "the signature does not hold": "not_checked.signature_fails",
  "the signature could not be checked": "not_checked.signature_unchecked",
  "the proof does not hold": "not_checked.proof_fails",
  "the proof could not be checked": "not_checked.proof_unchecked",
  "the presentation could not be read": "not_checked.presentation_unreadable",
  "the presentation's signature does not hold": "not_checked.presentation_signature",
};

/** "Not checked, because {why}." with a code of its own for each reason the verifier gives. */
export function sayNotChecked(why: string): Said {
  const code = NOT_CHECKED[why];
  const text = `Not checked, because ${why}.`;
  return code !== undefined ? say(text, code) : say(text, "not_checked", { why });
}

/**
 * "This {what} breaks the VC Data Model 2.0: {detail}." naming the first defect, and how many more
 * (`schema.data_model.more`).
 */
export function sayDefects(what: "credential" | "presentation", detail: string, more: number): Said {
  return say(
    `This ${what} breaks the VC Data Model 2.0: ${detail}${more > 0 ? ` (and ${more} more)` : ""}.`,
    more > 0 ? "schema.data_model.more" : "schema.data_model",
    more > 0 ? { what, detail, more } : { what, detail },
  );
}
