import { existsSync } from "node:fs";
import type { VerificationReport } from "@meritlog/verifier/core";
import { str, usageError, type LeafCommand } from "../command.js";
import { api, parseUserJson, print, readUserFile } from "../context.js";

const USAGE = `usage: meritlog verify JWT|FILE|LINK [--receipt FILE] [--nonce N --audience A] [--json]

Verifies a credential (VC-JWT) or a presentation (VP-JWT) with the running server (POST /v1/verify)
and prints the report. The argument is the JWT itself, a file holding it (or JSON with a "jwt",
"credential" or "presentation" member, as the API and wallet write them), or a /verify link
(#vp=… or #credential=…). Which of the two it is, is read from the token itself:
  credential     --receipt FILE checks it against that receipt (else the log is looked up)
  presentation   checked against the nonce and audience it was made for (they travel inside it);
                 --nonce and --audience demand specific ones (both, or neither)
--json prints the report as JSON. Exit 0 only for "valid", 1 for any other verdict.`;

type Input = { jwt: string; nonce?: string; audience?: string };

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** A JWT, a /verify link's fragment or query, a file with a JWT, or API/wallet JSON with one. */
async function readInput(arg: string): Promise<Input> {
  const s = arg.trim();
  // A file named like a JWT (`my.credential.json`) is read as the file it is.
  if (JWT.test(s) && !existsSync(arg)) return { jwt: s };
  const link = /[#?&](vp|credential)=([A-Za-z0-9_.-]+)/.exec(s);
  if (link && /^https?:\/\//.test(s)) return { jwt: link[2]! };
  const text = (await readUserFile(arg)).trim();
  if (!text.startsWith("{")) return { jwt: text };
  const j = parseUserJson(text, arg) as Record<string, unknown>;
  const jwt = [j.jwt, j.credential, j.presentation].find((v): v is string => typeof v === "string");
  if (jwt === undefined)
    throw usageError(`${arg}: JSON without a "jwt", "credential" or "presentation" member`, USAGE);
  return {
    jwt,
    ...(typeof j.nonce === "string" ? { nonce: j.nonce } : {}),
    ...(typeof j.audience === "string" ? { audience: j.audience } : {}),
  };
}

/**
 * Whether the token is a presentation, read from its own header and payload: a VP-JWT has a `vp`
 * claim (VC-JWT 1.1) or `typ: vp+jwt` / a VerifiablePresentation type (VC Data Model 2.0 §4.13).
 * A token that does not decode is sent as a credential, so the report says what is wrong with it.
 */
async function presentationClaims(jwt: string): Promise<{ nonce?: string; audience?: string } | undefined> {
  const { decodeJwt } = await import("@meritlog/verifier/core");
  let decoded: ReturnType<typeof decodeJwt>;
  try {
    decoded = decodeJwt(jwt, Number.MAX_SAFE_INTEGER);
  } catch {
    return undefined;
  }
  const { header, payload } = decoded;
  const type = (payload.vp as { type?: unknown } | undefined)?.type ?? payload.type;
  const types = Array.isArray(type) ? type : [type];
  if (payload.vp === undefined && header.typ !== "vp+jwt" && !types.includes("VerifiablePresentation"))
    return undefined;
  const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
  return {
    ...(typeof payload.nonce === "string" ? { nonce: payload.nonce } : {}),
    ...(typeof aud === "string" ? { audience: aud } : {}),
  };
}

/** `meritlog verify`: the report of a credential or presentation; exit 0 only for "valid". */
export const verify: LeafCommand = {
  name: "verify",
  summary: 'verify a credential or presentation; exit 0 only for "valid"',
  usage: USAGE,
  options: {
    receipt: { type: "string" },
    json: { type: "boolean" },
    nonce: { type: "string" },
    audience: { type: "string" },
  },
  positionals: { min: 1, max: 1 },
  async run(p) {
    const input = await readInput(p.positionals[0]!);
    const nonceFlag = str(p, "nonce") ?? input.nonce;
    const audienceFlag = str(p, "audience") ?? input.audience;
    const receiptFile = str(p, "receipt");
    if ((nonceFlag === undefined) !== (audienceFlag === undefined))
      throw usageError("--nonce and --audience go together", USAGE);
    const vp = await presentationClaims(input.jwt);
    let body: Record<string, unknown>;
    if (vp) {
      if (receiptFile !== undefined)
        throw usageError(
          "this is a presentation; --receipt is for a credential (each credential of a presentation is looked up in the log)",
          USAGE,
        );
      const nonce = nonceFlag ?? vp.nonce;
      const audience = audienceFlag ?? vp.audience;
      if (nonce === undefined || audience === undefined) {
        throw usageError(
          "this is a presentation without a nonce and audience of its own: give --nonce N --audience A (the challenge from GET /v1/challenges it answers)",
          USAGE,
        );
      }
      body = { presentation: input.jwt, nonce, audience };
    } else {
      if (nonceFlag !== undefined)
        throw usageError(
          "this is a credential, not a presentation: --nonce and --audience are for presentations",
          USAGE,
        );
      const receipt =
        receiptFile === undefined ? undefined : parseUserJson(await readUserFile(receiptFile), receiptFile);
      body = { credential: input.jwt, ...(receipt !== undefined ? { receipt } : {}) };
    }
    const report = (await api("POST", "/v1/verify", undefined, body)) as VerificationReport;
    const { renderReportText } = await import("@meritlog/verifier/core");
    print(p.values.json ? report : renderReportText(report));
    return report.verdict === "valid" ? 0 : 1;
  },
};
