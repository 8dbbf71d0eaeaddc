import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "@meritlog/core/node";
import type { VerifierCache } from "./core/index.js";
import { keepDecodedCredential } from "./core/verify-credential.js";
import type { DecodeJob, DecodeReply } from "./node-decode-worker.js";

/** Jobs one thread may have in hand before the event loop decodes the next ones itself. */
const MAX_QUEUED = 256;

interface Slot {
  w: Worker;
  /** Jobs waiting for this turn of the event loop to end, sent as one message. */
  outbox: DecodeJob[];
  /** Jobs sent to this thread and not answered yet, by id. */
  jobs: Map<number, { jwt: string; done: () => void }>;
  /** When the thread was started (a dead thread is replaced at most once a second). */
  bornAt: number;
  /** Whether the thread has loaded its module (until then the event loop decodes: that takes 0.1 s to seconds). */
  online: boolean;
  /** Settles when the thread is online or dead. */
  settled: Promise<void>;
  dead?: unknown;
}

/**
 * Worker threads that decode credential JWTs not seen lately for the verifier (issue 10, the
 * cold path: a credential's decoding, normal form, digest and schema check cost the event loop
 * about as much again as the rest of its verification), so the event loop keeps only what reads
 * its own state (signature hand-over, issuer, status, anchoring, the report). What a thread
 * answers is kept in the verifier cache, where `verifyCredential` finds it, as if it had
 * decoded the token itself; a token a thread cannot decode, and every failure of a thread, leaves
 * the decoding to `verifyCredential` on the event loop, so the report is the same either way.
 */
export class DecodePool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private next = 0;
  private closed = false;

  /** The threads start with the first job, so a process that never verifies never starts them. */
  constructor(
    private readonly threads: number,
    private readonly cache: VerifierCache,
  ) {}

  /** Worker threads started so far (0 until the first job). */
  get started(): number {
    return this.slots.length;
  }

  /**
   * Resolves once the decoding of `jwt` is in the cache, or once it is known that a thread will
   * not put it there (the event loop then decodes it). Never rejects.
   */
  keep(jwt: string): Promise<void> {
    if (this.closed || this.threads < 1) return Promise.resolve();
    this.start();
    // A thread that died is replaced, at most once a second, so one that cannot start is not
    // respawned for every request.
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if (s.dead !== undefined && Date.now() - s.bornAt >= 1000) this.slots[i] = this.spawn();
    }
    const slot = this.slots[this.next++ % this.slots.length]!;
    // A thread that falls behind (another process took the core) is not waited for beyond a bound.
    if (!slot.online || slot.dead !== undefined || slot.jobs.size >= MAX_QUEUED) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve) => {
      slot.jobs.set(id, { jwt, done: resolve });
      if (slot.outbox.push({ id, jwt }) === 1) setImmediate(() => this.send(slot));
    });
  }

  /** Starts the threads (once) and resolves when each runs; keep() uses a thread only from then on. */
  async online(): Promise<void> {
    this.start();
    await Promise.all(this.slots.map((s) => s.settled));
  }

  private start(): void {
    if (this.slots.length === 0 && !this.closed)
      for (let i = 0; i < this.threads; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const w = startModuleWorker(new URL("./node-decode-worker.js", import.meta.url), import.meta.url);
    // An idle pool does not keep the process alive.
    w.unref();
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const slot: Slot = { w, outbox: [], jobs: new Map(), bornAt: Date.now(), online: false, settled };
    w.on("message", (replies: DecodeReply[] | "ready") => {
      if (replies === "ready") {
        slot.online = true;
        settle();
        return;
      }
      for (const r of replies) {
        const job = slot.jobs.get(r.id);
        if (!job) continue;
        slot.jobs.delete(r.id);
        const schema = r.kept?.schema[1];
        if (schema && r.parsed !== undefined)
          Object.defineProperty(schema, "parsed", { value: r.parsed, enumerable: false });
        try {
          if (r.kept) {
            r.kept.d.raw = job.jwt;
            keepDecodedCredential(this.cache, job.jwt, r.kept);
          }
        } catch {
          // Not kept: verifyCredential decodes the token itself.
        }
        job.done();
      }
    });
    // Only this thread's jobs fall back to the event loop; the others' go on.
    const fail = (e: unknown) => {
      slot.dead ??= e;
      settle();
      for (const job of slot.jobs.values()) job.done();
      slot.jobs.clear();
      slot.outbox = [];
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`decode worker exited (${code})`)));
    return slot;
  }

  /** Posts a slot's queued jobs as one message. */
  private send(slot: Slot): void {
    const jobs = slot.outbox;
    slot.outbox = [];
    if (jobs.length > 0 && slot.dead === undefined) slot.w.postMessage(jobs);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.slots) s.dead ??= new Error("closed");
    await Promise.all(this.slots.map((s) => s.w.terminate()));
  }
}
