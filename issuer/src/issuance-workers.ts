import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "@meritlog/core/node";
import { SchemaError, type BuildContext, type SchemaErrorCode } from "@meritlog/schemas";
import type { WorkerJob, WorkerReply } from "./issuance-worker.js";

/**
 * Jobs per message to a worker: enough that the fixed cost of a message (~5–10 µs on each side)
 * is small against the ~100 µs of work per job, few enough to keep the worker's heap small.
 */
const JOBS_PER_MESSAGE = 32;

interface Slot {
  w: Worker;
  inFlight: number;
  kids: Set<string>;
  /** Jobs waiting for this turn of the event loop to end, sent as one message. */
  outbox: WorkerJob[];
  /** Ids of the jobs sent to this thread and not answered yet. */
  jobs: Set<number>;
  /** When the thread was started (a dead thread is replaced at most once a second). */
  bornAt: number;
  dead?: unknown;
}

/**
 * A small pool of worker threads that parse, check, build and sign issuance requests, so that
 * the main event loop keeps only HTTP, status allocation, anchoring and storage. Measured in
 * bench/issuance.bench.ts against the single-loop path (option `issuanceWorkers` of the service).
 */
export class IssuanceWorkers {
  private readonly workers: Slot[] = [];
  private closed = false;
  private readonly pending = new Map<
    number,
    { resolve: (r: WorkerReply & { ok: true }) => void; reject: (e: unknown) => void }
  >();
  private nextId = 1;
  private started = false;
  private readonly count: number;

  /** The threads start with the first job, so a process that never issues never starts them. */
  constructor(count: number) {
    this.count = count;
  }

  /** Worker threads started so far (0 until the first job). */
  get threads(): number {
    return this.workers.length;
  }

  private start(): void {
    this.started = true;
    for (let i = 0; i < this.count; i++) this.workers.push(this.spawnSlot());
  }

  private spawnSlot(): Slot {
    const w = startModuleWorker(new URL("./issuance-worker.js", import.meta.url), import.meta.url);
    const slot: Slot = {
      w,
      inFlight: 0,
      kids: new Set<string>(),
      outbox: [],
      jobs: new Set<number>(),
      bornAt: Date.now(),
    };
    // Replies come back in batches, as the jobs went (one message each way per batch: the
    // fixed cost of a message, ~5–10 µs on each side, is paid once per batch, not per credential).
    w.on("message", (replies: WorkerReply[]) => {
      for (const m of replies) {
        slot.inFlight--;
        slot.jobs.delete(m.id);
        const p = this.pending.get(m.id);
        if (!p) continue;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m);
        else if (m.error.schema && m.error.code) {
          p.reject(
            new SchemaError(m.error.code as SchemaErrorCode, m.error.message, {
              ...(m.error.path ? { path: m.error.path } : {}),
              ...(m.error.issues ? { issues: m.error.issues as never } : {}),
              ...(m.error.rule ? { rule: m.error.rule } : {}),
            }),
          );
        } else p.reject(new Error(m.error.message));
      }
    });
    // Only this thread's jobs fail with it; the others' go on.
    const fail = (e: unknown) => {
      slot.dead ??= e;
      for (const id of slot.jobs) {
        const p = this.pending.get(id);
        this.pending.delete(id);
        p?.reject(e);
      }
      slot.jobs.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`issuance worker exited (${code})`)));
    return slot;
  }

  /**
   * Parses `body` (`parseIssueRequest`: forbidden fields, schema, naming), builds the credential
   * with `ctx` and signs it with the key `kid` (DER PKCS#8, sent to each worker once).
   * @throws SchemaError as the main-thread path would.
   */
  run(
    body: unknown,
    ctx: BuildContext,
    kid: string,
    pkcs8: () => Uint8Array,
    wantCredential = false,
  ): Promise<WorkerReply & { ok: true }> {
    if (!this.started) this.start();
    // A thread that died (a crash, an out-of-memory exit) is replaced, so one failure does not
    // leave issuance failing until a restart; at most once a second, so a thread that cannot start
    // is not respawned for every request.
    for (let i = 0; i < this.workers.length && !this.closed; i++) {
      const s = this.workers[i]!;
      if (s.dead !== undefined && Date.now() - s.bornAt >= 1000) this.workers[i] = this.spawnSlot();
    }
    const live = this.workers.filter((s) => s.dead === undefined);
    if (live.length === 0) return Promise.reject(this.workers[0]?.dead ?? new Error("no issuance workers"));
    const slot = live.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.nextId++;
    const job: WorkerJob = { id, body, ctx, kid, ...(wantCredential ? { wantCredential } : {}) };
    if (!slot.kids.has(kid)) {
      job.key = pkcs8();
      slot.kids.add(kid);
    }
    slot.inFlight++;
    slot.jobs.add(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (slot.outbox.push(job) === 1) setImmediate(() => this.send(slot));
    });
  }

  /**
   * Posts a slot's queued jobs, at most {@link JOBS_PER_MESSAGE} to a message. A batch of 1000
   * sent as one message was deserialized whole in the worker and answered whole: its jobs and
   * replies (~10 MB) lived in the worker's heap through several scavenges, and the main thread
   * got nothing to do until the last signature. In slices, the worker's live data stays small
   * and the main thread takes the first replies while the worker signs the rest.
   */
  private send(slot: Slot): void {
    const jobs = slot.outbox;
    slot.outbox = [];
    if (slot.dead !== undefined) {
      for (const j of jobs) {
        const p = this.pending.get(j.id);
        this.pending.delete(j.id);
        p?.reject(slot.dead);
      }
      return;
    }
    for (let i = 0; i < jobs.length; i += JOBS_PER_MESSAGE)
      slot.w.postMessage(jobs.length <= JOBS_PER_MESSAGE ? jobs : jobs.slice(i, i + JOBS_PER_MESSAGE));
  }

  async close(): Promise<void> {
    this.started = true; // a job after close finds no live worker rather than starting new ones
    this.closed = true;
    for (const s of this.workers) s.dead ??= new Error("closed");
    await Promise.all(this.workers.map((s) => s.w.terminate()));
  }
}
