import { parseIssueRequest } from "@meritlog/schemas";
import type { ServiceContext } from "./context.js";
import {
  anchorOrRelease,
  issuedRecordOps,
  issueResult,
  prepareCredential,
  prepareInWorker,
  type IssueResult,
  type PreparedCredential,
} from "./issuance.js";
import type { CredentialRecord } from "./records.js";

/** Most items in one `POST /v1/credentials/batch` or `POST /v1/offers/batch` (docs/API.md). */
export const BATCH_MAX_ITEMS = 1000;

/** One item's outcome: issued, or the error that refused it (rendered as a problem by the route). */
export type BatchOutcome = { index: number; result: IssueResult } | { index: number; error: unknown };

/**
 * Issues a batch (docs/API.md "What an issuer has issued"): each item is validated, built and
 * signed on its own (a refused item does not stop the others); then every valid item's `issue`
 * entry is appended in the same tick, so the log's group commit takes them together (one synced
 * write and one signed checkpoint, as long as the batch fits `MERITLOG_BATCH_MAX_SIZE`); then all
 * records are stored in one synced LevelDB batch. Resolves only after that write: a credential
 * whose anchoring failed is reported as that item's error and its status index released; no
 * record is stored for it, and none is acknowledged before every record is on disk.
 */
export async function issueBatch(
  ctx: ServiceContext,
  issuerId: string,
  items: readonly unknown[],
): Promise<BatchOutcome[]> {
  const out: BatchOutcome[] = [];
  const prepared: { index: number; p: PreparedCredential }[] = [];
  if (ctx.workers) {
    // MERITLOG_ISSUANCE_WORKERS: parse, claims, build and sign in the worker threads, all items in
    // flight at once, so the other core signs while this one anchors and stores.
    const settled = await Promise.allSettled(items.map((item) => prepareInWorker(ctx, issuerId, item, {})));
    settled.forEach((s, index) =>
      s.status === "fulfilled" ? prepared.push({ index, p: s.value }) : out.push({ index, error: s.reason }),
    );
  } else {
    for (let index = 0; index < items.length; index++) {
      try {
        prepared.push({ index, p: await prepareCredential(ctx, issuerId, parseIssueRequest(items[index])) });
      } catch (error) {
        out.push({ index, error });
      }
    }
  }
  // All appends are queued before the first await returns: one group commit for the lot.
  const anchored = await Promise.allSettled(prepared.map(({ p }) => anchorOrRelease(ctx, issuerId, p)));
  const stored: { index: number; rec: CredentialRecord; payload: PreparedCredential["payload"] }[] = [];
  anchored.forEach((a, i) => {
    const { index, p } = prepared[i]!;
    if (a.status === "fulfilled") stored.push({ index, rec: a.value, payload: p.payload });
    else out.push({ index, error: a.reason });
  });
  if (stored.length > 0)
    await ctx.writer.write(stored.flatMap((s) => issuedRecordOps(ctx, s.rec, s.payload)));
  for (const s of stored) out.push({ index: s.index, result: issueResult(s.rec) });
  return out.sort((a, b) => a.index - b.index);
}
