// The log's side of C2SP tlog-witness: after the log has signed a checkpoint (durably, inside the
// group commit), ask each configured witness to cosign it, with a timeout, and publish the
// checkpoint with the cosignatures that came back. As in Tessera and Sigsum, witnessing is outside
// the durable write path: appends resolve with the log-signed checkpoint whether or not a witness
// answers, so an unreachable witness never blocks the log; it only leaves checkpoints uncosigned.
import { LedgerError } from "./errors.js";
import type { AppendResult, TransparencyLog } from "./log.js";
import { parseCheckpoint } from "./verify/checkpoint.js";
import { parseCosignerKey, verifyCosignatures, type CosignerKey } from "./verify/cosignature.js";
import { parseNote } from "./verify/note.js";
import type { Receipt } from "./verify/receipt.js";
import { nodeEd25519Verify } from "./witness.js";
import { formatAddCheckpoint } from "./verify/witness-request.js";

/** One witness the log asks: its cosigner key and its submission prefix (`<url>/add-checkpoint`). */
export interface WitnessEndpoint {
  key: CosignerKey;
  url: string;
}

/**
 * Parses `MERITLOG_WITNESSES`: comma-separated `<name>+<hex key id>+<base64(0x04||key)>=<url>`.
 * The key ends at the first `=http://` or `=https://` (a 33-byte key's base64 has no '=' padding).
 * @throws LedgerError `log.malformed_key`
 */
export function parseWitnessList(text: string | undefined): WitnessEndpoint[] {
  if (text === undefined || text.trim() === "") return [];
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((item) => {
      const found = [item.indexOf("=http://"), item.indexOf("=https://")].filter((i) => i >= 0);
      const eq = found.length > 0 ? Math.min(...found) : item.indexOf("=");
      if (eq < 0)
        throw new LedgerError("log.malformed_key", `witness "${item.slice(0, 80)}" has no "=<url>"`);
      const key = parseCosignerKey(item.slice(0, eq));
      let url: URL;
      try {
        url = new URL(item.slice(eq + 1));
      } catch {
        throw new LedgerError("log.malformed_key", `witness ${key.name} has no valid URL`);
      }
      if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new LedgerError("log.malformed_key", `witness ${key.name} URL must be http or https`);
      return { key, url: url.toString().replace(/\/+$/, "") };
    });
}

/** What the last attempt with one witness did (for logs and `/healthz`-style status). */
export interface WitnessAttempt {
  name: string;
  size: number;
  ok: boolean;
  /** HTTP status, or undefined when the request failed (timeout, refused). */
  status?: number;
  detail?: string;
}

export interface WitnessingOptions {
  log: TransparencyLog;
  witnesses: readonly WitnessEndpoint[];
  /** Per request to a witness (default 5000 ms). */
  timeoutMs?: number;
  /**
   * How long an append waits, after it is durable, for the cosignatures of its checkpoint before
   * resolving with the log-signed one (default 0: never wait). Bounded, so appends never hang.
   */
  waitMs?: number;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Called after each attempt (the server logs failures). */
  onAttempt?: (a: WitnessAttempt) => void;
  /** While a witness's cosignature is missing, ask again this often even without appends (default 30000 ms). */
  retryMs?: number;
}

/** A log whose published checkpoint carries witness cosignatures. */
export interface WitnessedLog extends TransparencyLog {
  /** The witnesses' cosigner vkeys, in configuration order. */
  readonly witnesses: readonly string[];
  /** Resolves when no witnessing round is running or queued (tests, shutdown). */
  settled(): Promise<void>;
  /** The last attempt per witness name. */
  attempts(): WitnessAttempt[];
}

const CACHE = 64; // cosigned checkpoints remembered by size, for receipts

/**
 * Wraps `log` so that every new checkpoint is sent to `witnesses`. `checkpoint()` returns the
 * newest checkpoint that went through a witnessing round, with the cosignatures it got (the
 * log-signed checkpoint itself until the first round ends, or when no witness is configured);
 * `receipt()` carries cosignatures when its checkpoint has them.
 */
export function witnessLog(o: WitnessingOptions): WitnessedLog {
  const log = o.log;
  const witnesses = o.witnesses;
  const timeoutMs = o.timeoutMs ?? 5000;
  const waitMs = o.waitMs ?? 0;
  const doFetch = o.fetch ?? fetch;
  /** The witness's latest cosigned size as far as we know (learnt from 200 and 409 answers). */
  const known = new Map<string, number>();
  const last = new Map<string, WitnessAttempt>();
  const cosigned = new Map<number, string>(); // tree size → note with cosignatures
  let published: string | undefined;
  /** The log-signed note of the last round, and whether a witness did not cosign it. */
  let lastNote: string | undefined;
  let missing = false;
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  const waiters: { size: number; resolve: () => void }[] = [];

  const sizeOf = (note: string): number => parseCheckpoint(parseNote(note).body).size;

  async function ask(w: WitnessEndpoint, note: string, size: number): Promise<string> {
    let old = known.get(w.key.name) ?? 0;
    const report = (a: Omit<WitnessAttempt, "name" | "size">): void => {
      const at: WitnessAttempt = { name: w.key.name, size, ...a };
      last.set(w.key.name, at);
      o.onAttempt?.(at);
    };
    // At most two tries: the second after a 409 told us the witness's size.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (old > size) {
        report({
          ok: false,
          detail: `the witness has cosigned size ${old}, above this checkpoint's ${size}`,
        });
        return "";
      }
      let body: string;
      try {
        const proof = old === 0 || old === size ? [] : await log.consistencyProof(old, size);
        body = formatAddCheckpoint({ oldSize: old, proof, checkpoint: note });
      } catch (e) {
        report({
          ok: false,
          detail: `no consistency proof from ${old}: ${e instanceof Error ? e.message : String(e)}`,
        });
        return "";
      }
      let res: Response;
      let text: string;
      // One controller held by a ref'd-until-cleared timer, not AbortSignal.any(AbortSignal.timeout):
      // a dependent signal nobody holds strongly can be garbage-collected before it fires, and a
      // fetch that only listens to it then hangs the round for good (seen under coverage in CI).
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      const onStop = (): void => abort.abort(new Error("the log is closing"));
      stop.signal.addEventListener("abort", onStop, { once: true });
      try {
        const answer = (async () => {
          const r = await doFetch(`${w.url}/add-checkpoint`, {
            method: "POST",
            headers: { "content-type": "text/plain; charset=utf-8" },
            body,
            signal: abort.signal,
          });
          return { r, t: (await r.text()).slice(0, 64 * 1024) };
        })();
        // Race the abort too, so a fetch that ignores its signal still costs only the timeout.
        const aborted = new Promise<never>((_resolve, reject) => {
          if (abort.signal.aborted) reject(abort.signal.reason as Error);
          abort.signal.addEventListener("abort", () => reject(abort.signal.reason as Error), { once: true });
        });
        answer.catch(() => undefined);
        ({ r: res, t: text } = await Promise.race([answer, aborted]));
      } catch (e) {
        report({ ok: false, detail: e instanceof Error ? e.message : String(e) });
        return "";
      } finally {
        clearTimeout(timer);
        stop.signal.removeEventListener("abort", onStop);
      }
      if (res.status === 409 && (res.headers.get("content-type") ?? "").startsWith("text/x.tlog.size")) {
        const m = /^(0|[1-9][0-9]*)\n$/.exec(text);
        if (m === null) {
          report({ ok: false, status: 409, detail: "malformed text/x.tlog.size body" });
          return "";
        }
        old = Number(m[1]);
        known.set(w.key.name, old);
        continue;
      }
      if (res.status !== 200) {
        report({ ok: false, status: res.status, detail: text.slice(0, 300) });
        return "";
      }
      // "The client MAY concatenate it to the checkpoint, and use a note verification function
      // configured with the witness keys it trusts": keep only this witness's verified line.
      const r = verifyCosignatures(note + text, [w.key], { verify: nodeEd25519Verify });
      const line = r.cosigners[0]?.line;
      if (!r.ok || line === undefined) {
        report({
          ok: false,
          status: 200,
          detail: `the witness's answer holds no valid cosignature (${r.message})`,
        });
        return "";
      }
      known.set(w.key.name, size);
      report({ ok: true, status: 200 });
      return line;
    }
    report({ ok: false, status: 409, detail: "the witness's size kept changing" });
    return "";
  }

  async function round(): Promise<void> {
    const note = log.checkpoint();
    const size = sizeOf(note);
    if (note === lastNote && !missing) return;
    lastNote = note;
    const lines = await Promise.all(witnesses.map((w) => ask(w, note, size)));
    missing = lines.some((l) => l === "");
    const full = note + lines.join("");
    cosigned.set(size, full);
    if (cosigned.size > CACHE) cosigned.delete(cosigned.keys().next().value!);
    if (published === undefined || sizeOf(published) <= size) published = full;
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.size <= size) waiters.splice(i, 1)[0]!.resolve();
    }
  }

  function kick(): void {
    if (witnesses.length === 0 || closed) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await round();
        } catch (e) {
          o.onAttempt?.({
            name: "*",
            size: log.size,
            ok: false,
            detail: e instanceof Error ? e.message : String(e),
          });
        }
      } while (again && !closed);
      running = undefined;
      for (const w of waiters.splice(0)) w.resolve();
    })();
  }

  function waitFor(size: number): Promise<void> {
    if (waitMs <= 0 || witnesses.length === 0) return Promise.resolve();
    if (published !== undefined && sizeOf(published) >= size && cosigned.has(size)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const w = { size, resolve };
      waiters.push(w);
      setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }, waitMs).unref?.();
    });
  }

  kick(); // the checkpoint the log opened with
  const retry =
    witnesses.length === 0 ? undefined : setInterval(() => missing && kick(), o.retryMs ?? 30_000);
  retry?.unref?.();

  const wrapped: WitnessedLog = {
    get origin() {
      return log.origin;
    },
    get verifierKey() {
      return log.verifierKey;
    },
    get size() {
      return log.size;
    },
    get rootHash() {
      return log.rootHash;
    },
    witnesses: witnesses.map((w) => w.key.verifierKey),
    async append(entry: Uint8Array): Promise<AppendResult> {
      const r = await log.append(entry);
      kick();
      await waitFor(r.treeSize);
      const full = cosigned.get(r.treeSize);
      return full !== undefined && full.startsWith(r.checkpoint) ? { ...r, checkpoint: full } : r;
    },
    receipt(entry: Uint8Array, r: AppendResult): Receipt {
      const rec = log.receipt(entry, r);
      const full = cosigned.get(r.treeSize);
      // Same log-signed note (same size and root) → the cosigned copy is the same checkpoint.
      if (full !== undefined && full.startsWith(rec.checkpoint)) rec.checkpoint = full;
      return rec;
    },
    checkpoint(): string {
      if (witnesses.length === 0 || published === undefined) return log.checkpoint();
      return published;
    },
    inclusionProof: (i, s) => log.inclusionProof(i, s),
    consistencyProof: (a, b) => log.consistencyProof(a, b),
    entry: (i) => log.entry(i),
    tile: (l, i, w) => log.tile(l, i, w),
    entryBundle: (i, w) => log.entryBundle(i, w),
    async close(): Promise<void> {
      await log.close();
      closed = true;
      if (retry !== undefined) clearInterval(retry);
      stop.abort();
      await running;
    },
    settled: async () => {
      while (running !== undefined) await running;
    },
    attempts: () => [...last.values()],
  };
  return wrapped;
}
