// Portability (issue 15): the learner takes the whole record elsewhere. Each credential leaves as
// the file its issuer signed (the VC-JWT, byte for byte), and the chosen credentials leave together
// in one bundle the learner signs: a VP-JWT (VC Data Model 1.1 §6.3.1 `vp` claim, EdDSA by the
// wallet's did:key) whose `meritlogRecord` claim carries each credential's log receipt and source.
// Another meritlog wallet imports the bundle only after verifying all of it — the holder signature,
// every credential signature, every receipt against its log, and each status read live; the status
// written in the bundle is the exporter's last view and is never used (docs/API.md "Wallet export
// and import").
import { decodeJwt, MAX_PRESENTATION_JWT_LENGTH, nobleEd25519 } from "@meritlog/verifier/core";
import { WalletError } from "./errors.js";
import { didKeyVerificationMethod, publicKeyFromDidKey } from "./did-key.js";
import { signJwt, type Signer } from "./jwt.js";
import { randomBytes, toHex } from "./encoding.js";
import { checkFetchUrl } from "./offer.js";
import { credentialOfJwt } from "./credential-view.js";
import { ServerApi } from "./server-api.js";
import { reconcile } from "./checkpoint-watch.js";
import type { WalletSession } from "./keystore.js";
import type { LogView, ReceiptData, StatusInfo, StoredCredential } from "./records.js";
import { checkCredential, loadTrust, type Trust, type WalletCheck } from "./status-refresh.js";

/** The audience of an export bundle: no verifier, so it is not accepted as a presentation anywhere. */
export const EXPORT_AUDIENCE = "urn:meritlog:wallet-export";
const EXPORT_TYPE = "MeritlogRecordExport";

interface ExportItem {
  id: string;
  /** The server that issued it (where its status and log live). */
  source: string;
  receipt?: ReceiptData;
  /** The exporter's last view; informative only, an importing wallet re-checks live. */
  status: StatusInfo;
}

/** One credential as a downloadable file: exactly the JWT its issuer signed. */
export function credentialFile(rec: StoredCredential): { name: string; type: string; text: string } {
  let title = "credential";
  try {
    title = String(credentialOfJwt(rec.jwt).name ?? title);
  } catch {
    /* keep the generic name */
  }
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "credential";
  const tail = rec.id.replace(/[^a-zA-Z0-9]/g, "").slice(-8);
  return { name: `${slug}-${tail}.jwt`, type: "application/vc+jwt", text: rec.jwt };
}

/** Signs the export bundle over the chosen credentials with the holder key. */
export async function buildExportBundle(
  holder: { did: string; sign: Signer },
  creds: StoredCredential[],
  ownOrigin: string,
  now = new Date(),
): Promise<string> {
  if (creds.length === 0)
    throw new WalletError("export.malformed", "Choose at least one credential to put in the bundle.");
  const iat = Math.floor(now.getTime() / 1000);
  const items: ExportItem[] = creds.map((c) => ({
    id: c.id,
    source: c.source ?? ownOrigin,
    ...(c.receipt ? { receipt: c.receipt } : {}),
    status: c.status,
  }));
  return signJwt(
    { alg: "EdDSA", typ: "JWT", kid: didKeyVerificationMethod(holder.did) },
    {
      iss: holder.did,
      sub: holder.did,
      aud: EXPORT_AUDIENCE,
      iat,
      jti: `urn:uuid:${toHex(randomBytes(16))}`,
      vp: {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        type: ["VerifiablePresentation", EXPORT_TYPE],
        holder: holder.did,
        verifiableCredential: creds.map((c) => c.jwt),
      },
      meritlogRecord: { v: 1, credentials: items as unknown as never },
    },
    holder.sign,
  );
}

const refuse = (message: string): never => {
  throw new WalletError("import.refused", `The bundle was refused: ${message}`);
};

export interface OpenedBundle {
  holder: string;
  exportedAt: string;
  entries: { jwt: string; item: ExportItem }[];
}

/**
 * Checks the bundle's own layer: a compact JWS signed by the did:key it names (RFC 8037 EdDSA),
 * addressed to {@link EXPORT_AUDIENCE}, with one receipt entry per credential and matching ids.
 * @throws WalletError import.refused with the reason
 */
export async function openExportBundle(text: string, ownOrigin?: string): Promise<OpenedBundle> {
  let d;
  try {
    d = decodeJwt(text.trim(), MAX_PRESENTATION_JWT_LENGTH);
  } catch {
    return refuse("it is not a signed bundle (compact JWT) made by a meritlog wallet.");
  }
  const p = d.payload as Record<string, unknown>;
  const holder = p.iss;
  if (typeof holder !== "string" || !holder.startsWith("did:key:"))
    return refuse("it does not name the learner (did:key) who signed it.");
  if (d.header.alg !== "EdDSA" || d.header.kid !== didKeyVerificationMethod(holder))
    return refuse("its header does not name the learner's key (EdDSA, did:key).");
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyFromDidKey(holder);
  } catch {
    return refuse("the learner's identifier is not an Ed25519 did:key.");
  }
  if (!(await nobleEd25519.verify(d.signature, d.signingInput, publicKey)))
    return refuse("the learner's signature does not verify — the bundle was changed after it was signed.");
  if (p.aud !== EXPORT_AUDIENCE) return refuse("it is not an export bundle (wrong audience).");
  const vp = p.vp as { holder?: unknown; type?: unknown; verifiableCredential?: unknown } | undefined;
  const rec = p.meritlogRecord as { v?: unknown; credentials?: unknown } | undefined;
  if (
    !vp ||
    vp.holder !== holder ||
    !Array.isArray(vp.type) ||
    !vp.type.includes(EXPORT_TYPE) ||
    !Array.isArray(vp.verifiableCredential) ||
    !rec ||
    rec.v !== 1 ||
    !Array.isArray(rec.credentials) ||
    rec.credentials.length !== vp.verifiableCredential.length ||
    vp.verifiableCredential.length === 0
  )
    return refuse("its contents are incomplete (credentials and receipts do not match up).");
  const entries = vp.verifiableCredential.map((jwt, i) => {
    const item = (rec.credentials as unknown[])[i] as Partial<ExportItem> | null;
    if (typeof jwt !== "string" || !item || typeof item.id !== "string" || typeof item.source !== "string")
      return refuse(`credential ${i + 1} is malformed.`);
    let id: string;
    try {
      const c = credentialOfJwt(jwt);
      id = String(c.id ?? c.jti);
    } catch {
      return refuse(`credential ${i + 1} is not a readable credential.`);
    }
    if (id !== item.id) return refuse(`credential ${i + 1} does not match its receipt entry.`);
    try {
      checkFetchUrl(item.source, ownOrigin);
    } catch {
      return refuse(`credential ${i + 1} names an issuer address that is not secure.`);
    }
    return { jwt, item: item as ExportItem };
  });
  return {
    holder,
    exportedAt: typeof p.iat === "number" ? new Date(p.iat * 1000).toISOString() : "",
    entries,
  };
}

/** Checks whose failure is about the credential's current life, not its authenticity: kept, shown. */
const LIFE_CHECKS = new Set(["status", "validity"]);

/**
 * Decides whether one verified credential of the bundle may be imported. The check is the wallet's
 * full verification (signature, issuer, form, receipt against the log, live status); a revoked or
 * expired credential is still the learner's record and is kept with its live status, anything
 * else that fails refuses the bundle.
 */
export function importRefusal(
  check: WalletCheck,
  holder: string,
  receipt: ReceiptData | undefined,
): string | undefined {
  const c = check.report.checks as Record<string, { ok?: unknown; message?: string } | undefined>;
  const failed = Object.entries(c).filter(([k, v]) => v && v.ok === false && !LIFE_CHECKS.has(k));
  if (c.signature?.ok !== true)
    return `its issuer signature does not verify (${c.signature?.message ?? ""}).`;
  if (failed.length) return failed.map(([k, v]) => `${k}: ${v!.message ?? "failed"}`).join("; ");
  if (!receipt) return "it has no log receipt, so its anchoring cannot be checked.";
  if (check.anchoring?.verified !== true)
    return `its log receipt could not be confirmed (${check.anchoring?.message ?? "no anchoring result"}).`;
  const cred = check.report.credential;
  const subject = (cred?.credentialSubject as { id?: unknown } | undefined)?.id ?? cred?.sub;
  if (subject !== holder) return "it was issued to someone other than the learner who signed the bundle.";
  return undefined;
}

export interface ImportOutcome {
  holder: string;
  imported: StoredCredential[];
  /** Ids already held by this wallet (left as they are). */
  skipped: string[];
}

/**
 * Imports a bundle into an unlocked wallet: opens it, verifies every credential in full against
 * its issuer's server (log key pinned as on receipt), and stores nothing unless all of it verified.
 * @throws WalletError import.refused with the reason
 */
export async function importExportBundle(
  session: WalletSession,
  text: string,
  o: { ownOrigin: string; logs: LogView[]; now?: Date; onProgress?: (done: number, of: number) => void },
): Promise<ImportOutcome> {
  const now = o.now ?? new Date();
  const bundle = await openExportBundle(text, o.ownOrigin);
  const held = new Set((await session.credentials()).map((c) => c.id));
  const out: ImportOutcome = { holder: bundle.holder, imported: [], skipped: [] };
  const pins: { base: string; receipt: ReceiptData; trust: Trust; api: ServerApi }[] = [];
  for (const [i, { jwt, item }] of bundle.entries.entries()) {
    o.onProgress?.(i, bundle.entries.length);
    if (held.has(item.id)) {
      out.skipped.push(item.id);
      continue;
    }
    const base = item.source.replace(/\/+$/, "");
    const api = new ServerApi(base);
    const view = o.logs.find((l) => l.baseUrl === base);
    let trust: Trust;
    try {
      trust = await loadTrust(api, view);
    } catch {
      return refuse(
        `the issuer's server ${new URL(base).host} could not be reached to check credential ${i + 1}.`,
      );
    }
    // The receipt's trust comes from the log key (pinned, or read now), never from the bundle.
    const check = await checkCredential(jwt, item.receipt, {
      api,
      trust,
      ...(view ? { view } : {}),
      holderDid: bundle.holder,
      now,
    });
    const why = importRefusal(check, bundle.holder, item.receipt);
    if (why) {
      let name = `credential ${i + 1}`;
      try {
        name = `“${String(credentialOfJwt(jwt).name ?? name)}”`;
      } catch {
        /* keep the position */
      }
      return refuse(`${name}: ${why}`);
    }
    out.imported.push({
      id: item.id,
      jwt,
      ...(item.receipt ? { receipt: item.receipt } : {}),
      source: base,
      addedAt: now.toISOString(),
      status: check.status,
      ...(check.anchoring ? { anchoring: check.anchoring } : {}),
      history: [],
      ...(bundle.holder !== session.did ? { importedFrom: bundle.holder } : {}),
    });
    if (item.receipt) pins.push({ base, receipt: item.receipt, trust, api });
  }
  // Everything verified: store, then remember each log's checkpoint (split-view protection).
  for (const rec of out.imported) await session.putCredential(rec);
  for (const p of pins) {
    const views = await session.logViews();
    const view = views.find((l) => l.baseUrl === p.base);
    const outcome = await reconcile(view, p.receipt.checkpoint, {
      origin: p.trust.logKey.origin,
      baseUrl: p.base,
      verifierKey: p.trust.logKey.verifierKey,
      source: p.api,
      now,
    });
    const scannedTo = outcome.view.scannedTo;
    await session.putLogView(
      scannedTo !== undefined && scannedTo > p.receipt.leafIndex
        ? { ...outcome.view, scannedTo: p.receipt.leafIndex }
        : outcome.view,
    );
  }
  return out;
}
