import { h, replace } from "./ui/dom.js";
import { WalletError } from "./errors.js";
import type { KvStore } from "./kv-store.js";
import { createWallet, deleteEverything, hasWallet, unlockWallet, type WalletSession } from "./keystore.js";
import { exportBackup, importBackup } from "./backup.js";
import { parseOfferInput } from "./offer.js";
import { claimOffer } from "./claim.js";
import { buildPresentation, parseChallengeInput, presentationLink, type Challenge } from "./presentation.js";
import { ServerApi } from "./server-api.js";
import { checkCredential, loadTrust, refreshCredential } from "./status-refresh.js";
import { reconcile, watchLog } from "./checkpoint-watch.js";
import { jwtDigest, scanLog } from "./log-history.js";
import { packPresentation, PACKED_FRAGMENT } from "./compact-vp.js";
import { credentialOfJwt } from "./credential-view.js";
import { startAutoLock } from "./auto-lock.js";
import { createView, unlockView } from "./ui/setup-view.js";
import { portfolioView } from "./ui/portfolio-view.js";
import { detailView } from "./ui/detail-view.js";
import { receiveView } from "./ui/receive-view.js";
import { presentView } from "./ui/present-view.js";
import { shareView } from "./ui/share-view.js";
import { requestView } from "./ui/request-view.js";
import {
  answerRequest,
  createShare,
  fetchRequest,
  requestUriOf,
  withdrawShare,
  type PresentationRequest,
} from "./sharing.js";
import { backupView } from "./ui/backup-view.js";
import { short } from "./ui/format.js";
import { pathwaysView, type PathwaysViewState } from "./ui/pathways-view.js";
import { loadPathwayProgress } from "./pathways.js";
import type { HistoryItem, LogView, ShareRecord, StoredCredential } from "./records.js";
import { buildExportBundle, credentialFile, importExportBundle } from "./portable.js";
import { portableView, saveFile } from "./ui/portable-view.js";

type Screen = "portfolio" | "pathways" | "receive" | "present" | "request" | "backup" | { detail: string };
const TABS: { id: Exclude<Screen, { detail: string }>; label: string }[] = [
  { id: "portfolio", label: "My credentials" },
  { id: "pathways", label: "Pathways" },
  { id: "receive", label: "Receive" },
  { id: "present", label: "Share" },
  { id: "request", label: "Requests" },
  { id: "backup", label: "Backup" },
];

export interface AppOptions {
  store: KvStore;
  root: HTMLElement;
  /** PBKDF2 iterations for new wallets and backups (default 600,000). */
  iterations?: number;
}

/** The wallet's controller: owns the session and renders one screen at a time. */
export class WalletApp {
  private session: WalletSession | undefined;
  private creds: StoredCredential[] = [];
  private logs: LogView[] = [];
  private shares: ShareRecord[] = [];
  private pendingRequest = "";
  private openedRequest: PresentationRequest | undefined;
  private screen: Screen = "portfolio";
  private stopAutoLock: (() => void) | undefined;
  private pathways: PathwaysViewState = { loading: false, progress: [], problems: [] };
  private pendingOffer = "";
  private busy = false;
  private readonly main: HTMLElement;
  private readonly live: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly who: HTMLElement;

  constructor(private readonly o: AppOptions) {
    this.live = h("div", { id: "messages", role: "status", "aria-live": "polite", class: "messages" });
    this.nav = h("nav", { "aria-label": "Wallet sections" });
    this.who = h("div", { class: "who" });
    this.main = h("main", { id: "main", tabindex: "-1" });
    replace(
      o.root,
      h("a", { href: "#main", class: "skip" }, "Skip to content"),
      h("header", { class: "top" }, h("h1", {}, "meritlog wallet"), this.who),
      this.nav,
      this.live,
      this.main,
    );
  }

  private get api(): ServerApi {
    return new ServerApi(location.origin);
  }

  /** Shows a message in the live region (read out by screen readers). */
  say(text: string, kind: "info" | "error" | "ok" = "info"): void {
    const prefix = kind === "error" ? "✖ " : kind === "ok" ? "✔ " : "";
    this.live.className = `messages ${kind}`;
    this.live.replaceChildren(h("p", {}, prefix + text));
  }

  private fail(e: unknown): void {
    this.say(
      e instanceof WalletError
        ? e.message
        : `Something went wrong: ${e instanceof Error ? e.message : String(e)}`,
      "error",
    );
  }

  async start(): Promise<void> {
    this.pendingOffer = this.readOfferFromHash();
    this.pendingRequest = this.readRequestFromHash();
    window.addEventListener("hashchange", () => {
      const request = this.readRequestFromHash();
      if (request) {
        this.pendingRequest = request;
        if (this.session) void this.openPendingRequest();
        return;
      }
      const offer = this.readOfferFromHash();
      if (!offer) return;
      this.pendingOffer = offer;
      if (this.session) void this.receive(offer);
    });
    await this.renderLocked();
  }

  private readOfferFromHash(): string {
    if (!location.hash.startsWith("#offer=")) return "";
    const value = location.href;
    history.replaceState(null, "", location.pathname + location.search);
    return value;
  }

  /** A verifier's request link (`#request_uri=…`, OpenID4VP request by reference). */
  private readRequestFromHash(): string {
    if (!location.hash.startsWith("#request_uri=")) return "";
    const value = location.href;
    history.replaceState(null, "", location.pathname + location.search);
    return value;
  }

  private async openPendingRequest(): Promise<void> {
    const link = this.pendingRequest;
    this.pendingRequest = "";
    const r = await this.openRequest(link);
    if (!r) return;
    this.openedRequest = r;
    this.show("request");
  }

  private async renderLocked(): Promise<void> {
    this.nav.replaceChildren();
    this.who.replaceChildren();
    const actions = {
      create: (p: string) =>
        this.guard(async () =>
          this.opened(await createWallet(this.o.store, p, this.iter()), "Your wallet is ready."),
        ),
      unlock: (p: string) =>
        this.guard(async () => this.opened(await unlockWallet(this.o.store, p), "Unlocked.")),
      restore: (text: string, p: string) =>
        this.guard(async () => {
          if (await hasWallet(this.o.store))
            throw new WalletError(
              "wallet.exists",
              "This browser already has a wallet. Delete it first to restore another.",
            );
          this.say("Restoring…");
          await this.opened(
            await importBackup(this.o.store, text, p, this.iter()),
            "Wallet restored from the backup.",
          );
        }),
      wipe: () => this.wipe(),
      say: (t: string, k?: "info" | "error" | "ok") => this.say(t, k),
    };
    replace(this.main, (await hasWallet(this.o.store)) ? unlockView(actions) : createView(actions));
    if (this.pendingOffer) this.say("Unlock or create your wallet to receive the offered credential.");
    if (this.pendingRequest) this.say("Unlock or create your wallet to answer the request.");
    this.main.querySelector<HTMLInputElement>("input")?.focus();
  }

  private iter(): { iterations?: number } {
    return this.o.iterations ? { iterations: this.o.iterations } : {};
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.main.setAttribute("aria-busy", "true");
    try {
      await fn();
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
      this.main.removeAttribute("aria-busy");
    }
  }

  private async opened(session: WalletSession, message: string): Promise<void> {
    this.session = session;
    this.stopAutoLock?.();
    this.stopAutoLock = startAutoLock(() => this.lock("Locked after a period of inactivity."));
    await this.load();
    this.who.replaceChildren(
      h("span", { class: "muted", title: session.did }, `Holder: ${short(session.did, 28)}`),
      h("button", { type: "button", onclick: () => this.lock("Locked.") }, "Lock"),
    );
    this.show("portfolio");
    this.say(message, "ok");
    if (this.pendingOffer) {
      const offer = this.pendingOffer;
      this.pendingOffer = "";
      this.busy = false;
      await this.receive(offer);
    }
    if (this.pendingRequest) {
      this.busy = false;
      await this.openPendingRequest();
    }
  }

  lock(message: string): void {
    this.session?.lock();
    this.session = undefined;
    this.creds = [];
    this.logs = [];
    this.shares = [];
    this.openedRequest = undefined;
    this.stopAutoLock?.();
    void this.renderLocked().then(() => this.say(message));
  }

  private async wipe(): Promise<void> {
    this.session?.lock();
    this.session = undefined;
    this.stopAutoLock?.();
    await deleteEverything(this.o.store);
    await this.renderLocked();
    this.say("Everything was deleted from this browser.", "ok");
  }

  /** Asks the issuers of held credentials for their pathways, then shows the progress. */
  private async loadPathways(): Promise<void> {
    this.pathways = { ...this.pathways, loading: true };
    if (this.screen === "pathways") this.render();
    const r = await loadPathwayProgress(this.creds, location.origin);
    this.pathways = { loading: false, ...r };
    if (this.screen === "pathways") this.render();
  }

  private async load(): Promise<void> {
    if (!this.session) return;
    this.creds = await this.session.credentials();
    this.logs = await this.session.logViews();
    this.shares = await this.session.shares();
  }

  show(screen: Screen): void {
    this.screen = screen;
    this.live.replaceChildren();
    const current = typeof screen === "string" ? screen : "portfolio";
    this.nav.replaceChildren(
      h(
        "ul",
        {},
        ...TABS.map((t) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                "aria-current": t.id === current ? "page" : undefined,
                onclick: () => this.show(t.id),
              },
              t.label,
            ),
          ),
        ),
      ),
    );
    this.render();
    this.main.focus({ preventScroll: false });
  }

  private render(): void {
    const s = this.session;
    if (!s) return;
    const screen = this.screen;
    if (typeof screen === "object") {
      const rec = this.creds.find((c) => c.id === screen.detail);
      if (rec)
        return replace(
          this.main,
          detailView(
            rec,
            () => this.show("portfolio"),
            (on) => void this.setNeverShare(rec.id, on),
          ),
        );
      this.screen = "portfolio";
    }
    switch (this.screen) {
      case "receive":
        return replace(
          this.main,
          receiveView({ receive: (i) => this.receive(i), say: (t, k) => this.say(t, k) }),
        );
      case "present":
        return replace(
          this.main,
          shareView(this.creds, this.shares, {
            share: (ids, e) => this.share(ids, e),
            withdraw: (r) => this.withdraw(r),
            say: (t, k) => this.say(t, k),
          }),
          h(
            "details",
            { class: "card one-time" },
            h("summary", {}, "Present for a one-time check (10 minutes)"),
            presentView(this.creds, {
              present: (ids, c) => this.present(ids, c),
              say: (t, k) => this.say(t, k),
            }),
          ),
        );
      case "request": {
        const pending = this.openedRequest;
        this.openedRequest = undefined;
        return replace(
          this.main,
          requestView(
            this.creds,
            {
              open: (l) => this.openRequest(l),
              answer: (r, ids) => this.answer(r, ids),
              say: (t, k) => this.say(t, k),
            },
            pending,
          ),
        );
      }
      case "pathways":
        if (
          !this.pathways.loading &&
          this.pathways.progress.length === 0 &&
          this.pathways.problems.length === 0
        )
          void this.loadPathways();
        return replace(
          this.main,
          pathwaysView(this.pathways, () => void this.loadPathways()),
        );
      case "backup":
        return replace(
          this.main,
          backupView({
            did: s.did,
            backup: (p) => this.backup(p),
            wipe: () => this.wipe(),
            lock: () => this.lock("Locked."),
            extra: portableView(this.creds, {
              downloadCredential: (c) => {
                const f = credentialFile(c);
                saveFile(f.name, f.type, f.text);
              },
              exportBundle: (ids) => this.exportBundle(ids),
              importBundle: (text) => this.importBundle(text),
              say: (t, k) => this.say(t, k),
            }),
          }),
        );
      default:
        return replace(
          this.main,
          portfolioView(this.creds, this.logs, {
            open: (id) => this.show({ detail: id }),
            remove: (id) => this.remove(id),
            refresh: () => this.refresh(),
            receive: () => this.show("receive"),
          }),
        );
    }
  }

  /** The claim flow: offer → token → credential, then verification, then storage. */
  async receive(input: string): Promise<void> {
    await this.guard(async () => {
      const s = this.session;
      if (!s) throw new WalletError("wallet.locked", "Unlock the wallet first.");
      const ref = parseOfferInput(input, location.origin);
      this.say("Contacting the issuer…");
      const claimed = await claimOffer(ref, s, {
        fetch: (u, i) => fetch(u, i),
        ownOrigin: location.origin,
        askTxCode: async (spec) =>
          window.prompt(spec.description ?? "Type the code your issuer gave you with this link"),
      });
      this.say("Checking the credential and its public log record…");
      const api = new ServerApi(claimed.credentialIssuer);
      const view = this.logs.find((l) => l.baseUrl === claimed.credentialIssuer);
      const trust = await loadTrust(api, view);
      const now = new Date();
      const check = await checkCredential(claimed.jwt, claimed.receipt, {
        api,
        trust,
        ...(view ? { view } : {}),
        holderDid: s.did,
        now,
      });
      if (check.refusal) {
        this.show("receive");
        throw new WalletError("claim.verification_failed", `The credential was not stored. ${check.refusal}`);
      }
      const cred = credentialOfJwt(claimed.jwt);
      const rec: StoredCredential = {
        id: String(cred.id ?? cred.jti),
        jwt: claimed.jwt,
        ...(claimed.receipt ? { receipt: claimed.receipt } : {}),
        source: claimed.credentialIssuer,
        addedAt: now.toISOString(),
        status: check.status,
        ...(check.anchoring ? { anchoring: check.anchoring } : {}),
        history: [],
      };
      await s.putCredential(rec);
      // Remember the receipt's checkpoint for split-view protection (pins the log key on first use).
      if (claimed.receipt) {
        const outcome = await reconcile(view, claimed.receipt.checkpoint, {
          origin: trust.logKey.origin,
          baseUrl: claimed.credentialIssuer,
          verifierKey: trust.logKey.verifierKey,
          source: api,
          now,
        });
        const scannedTo = outcome.view.scannedTo;
        await s.putLogView(
          scannedTo !== undefined && scannedTo > claimed.receipt.leafIndex
            ? { ...outcome.view, scannedTo: claimed.receipt.leafIndex }
            : outcome.view,
        );
      }
      await this.load();
      this.show("portfolio");
      this.say(
        `Received and verified: ${String((cred.name as string | undefined) ?? "credential")}. It is stored, encrypted, in this wallet.`,
        "ok",
      );
    });
  }

  /** Refresh: split-view check of every known log, then every credential's status. */
  async refresh(): Promise<void> {
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      this.say("Checking status and the public log…");
      const now = new Date();
      const sources = new Set([
        ...this.creds.map((c) => c.source ?? location.origin),
        ...this.logs.map((l) => l.baseUrl),
      ]);
      const problems: string[] = [];
      for (const base of sources) {
        const api = new ServerApi(base);
        let view = this.logs.find((l) => l.baseUrl === base);
        let trust;
        try {
          trust = await loadTrust(api, view);
        } catch (e) {
          problems.push(`${new URL(base).host} could not be reached`);
          for (const c of this.creds.filter((c) => (c.source ?? location.origin) === base)) {
            await s.putCredential({
              ...c,
              status: {
                state: "unknown",
                checkedAt: now.toISOString(),
                message: e instanceof Error ? e.message : "unreachable",
              },
            });
          }
          continue;
        }
        const outcome = await watchLog(view, {
          origin: trust.logKey.origin,
          baseUrl: base,
          verifierKey: trust.logKey.verifierKey,
          source: api,
          now,
        });
        if (!outcome.ok) problems.push(outcome.message);
        if (outcome.ok || outcome.code !== "log.unreachable") {
          view = outcome.view;
          await s.putLogView(view);
        }
        const mine = this.creds.filter((c) => (c.source ?? location.origin) === base);
        // Lifecycle events from the public log, read like a monitor (only from a view that verified).
        let found = new Map<string, HistoryItem[]>();
        if (outcome.ok && view && !view.warning) {
          const wanted = new Map<string, string>();
          for (const c of mine) wanted.set(c.id, await jwtDigest(c.jwt));
          const from = view.scannedTo ?? Math.min(...mine.map((c) => c.receipt?.leafIndex ?? 0), view.size);
          try {
            const scan = await scanLog(view, from, wanted, api);
            found = scan.events;
            view = { ...view, scannedTo: scan.scannedTo };
            await s.putLogView(view);
            if (!scan.complete)
              problems.push("the log history is long; the rest is read on the next refresh");
          } catch (e) {
            problems.push(`the log history could not be read (${e instanceof Error ? e.message : "error"})`);
          }
        }
        for (const c of mine) {
          await s.putCredential(
            await refreshCredential(c, {
              api,
              trust,
              ...(view && !view.warning ? { view } : {}),
              holderDid: s.did,
              now,
              newEvents: found.get(c.id) ?? [],
            }),
          );
        }
      }
      await this.load();
      this.render();
      if (this.logs.some((l) => l.warning))
        this.say("Warning: a public log showed an inconsistent history. See the warning above.", "error");
      else if (problems.length) this.say(`Status refreshed with problems: ${problems.join("; ")}.`, "error");
      else this.say("Status refreshed.", "ok");
    });
  }

  private async remove(id: string): Promise<void> {
    await this.guard(async () => {
      await this.session?.deleteCredential(id);
      await this.load();
      this.show("portfolio");
      this.say("The credential was deleted from this wallet.", "ok");
    });
  }

  /** One lasting link per chosen credential, made at the server that issued it (where its status lives). */
  private async share(ids: string[], expiresIn: number | undefined): Promise<ShareRecord[] | undefined> {
    let out: ShareRecord[] | undefined;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      this.say("Creating the link…");
      const made: ShareRecord[] = [];
      for (const c of this.creds.filter((x) => ids.includes(x.id))) {
        const base = c.source ?? location.origin;
        const created = await createShare(base, c.jwt, c.id, s, expiresIn, (u, i) => fetch(u, i));
        let title = c.id;
        try {
          title = String(credentialOfJwt(c.jwt).name ?? c.id);
        } catch {
          /* keep the id */
        }
        const rec: ShareRecord = {
          ...created,
          baseUrl: base,
          credentialId: c.id,
          title,
          sharedAt: new Date().toISOString(),
        };
        await s.putShare(rec);
        made.push(rec);
      }
      this.shares = await s.shares();
      out = made;
      this.say(made.length === 1 ? "Link created." : `${made.length} links created.`, "ok");
    });
    return out;
  }

  private async withdraw(rec: ShareRecord): Promise<boolean> {
    let ok = false;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      await withdrawShare(rec.baseUrl, rec.id, rec.credentialId, s, (u, i) => fetch(u, i));
      await s.putShare({ ...rec, withdrawnAt: new Date().toISOString() });
      this.shares = await s.shares();
      ok = true;
      this.say(`The link to ${rec.title} was withdrawn; it no longer opens.`, "ok");
    });
    return ok;
  }

  private async openRequest(link: string): Promise<PresentationRequest | undefined> {
    let out: PresentationRequest | undefined;
    await this.guard(async () => {
      this.say("Reading the request…");
      out = await fetchRequest(requestUriOf(link), (u, i) => fetch(u, i));
      this.say(`Request from ${new URL(out.clientId).host}: ${out.purpose}`, "info");
    });
    return out;
  }

  private async answer(r: PresentationRequest, ids: string[]): Promise<{ verdict: string } | undefined> {
    let out: { verdict: string } | undefined;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      this.say("Sending…");
      const jwts = this.creds.filter((c) => ids.includes(c.id)).map((c) => c.jwt);
      const vp = await buildPresentation(s, jwts, { nonce: r.nonce, audience: r.audience });
      out = await answerRequest(r, vp, (u, i) => fetch(u, i));
      this.say(
        `Sent ${jwts.length} credential${jwts.length === 1 ? "" : "s"} to ${new URL(r.clientId).host}.`,
        "ok",
      );
    });
    return out;
  }

  private async present(
    ids: string[],
    challengeInput: string,
  ): Promise<{ link: string; vp: string; qrLink?: string } | undefined> {
    let out: { link: string; vp: string; qrLink?: string } | undefined;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      let challenge: Challenge;
      let verifyPage = `${location.origin}/verify/`;
      if (challengeInput.trim()) {
        challenge = parseChallengeInput(challengeInput);
        const u = challengeInput.trim();
        if (/^https?:\/\//.test(u)) verifyPage = u.split(/[#?]/)[0]!;
      } else {
        this.say("Getting a challenge from the verifier…");
        challenge = await this.api.challenge();
      }
      const jwts = this.creds.filter((c) => ids.includes(c.id)).map((c) => c.jwt);
      const vp = await buildPresentation(s, jwts, challenge);
      out = { vp, link: presentationLink(verifyPage, vp) };
      // A QR code cannot hold the link itself (credential JWTs are large); for this service's own
      // verify page, the compact form opens /wallet/#vpz=…, which unpacks and forwards (main.ts).
      if (verifyPage === `${location.origin}/verify/`) {
        const packed = await packPresentation(vp).catch(() => undefined);
        if (packed) out.qrLink = `${location.origin}/wallet/#${PACKED_FRAGMENT}${packed}`;
      }
      this.say(`Presentation created with ${jwts.length} credential${jwts.length === 1 ? "" : "s"}.`, "ok");
    });
    return out;
  }

  private async backup(passphrase: string): Promise<void> {
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      // The passphrase must open this wallet: a typo would otherwise produce an unopenable backup.
      const check = await unlockWallet(this.o.store, passphrase);
      check.lock();
      const text = await exportBackup(s, passphrase, this.iter());
      const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      const link = h("a", {
        href: url,
        download: `meritlog-wallet-backup-${new Date().toISOString().slice(0, 10)}.json`,
      });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.say("The encrypted backup file was downloaded.", "ok");
    });
  }

  /** Portability (portable.ts): the learner's signed bundle over the chosen credentials. */
  private async exportBundle(ids: string[]): Promise<void> {
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      const chosen = this.creds.filter((c) => ids.includes(c.id));
      const jwt = await buildExportBundle(s, chosen, location.origin);
      saveFile(`meritlog-record-${new Date().toISOString().slice(0, 10)}.jwt`, "application/jwt", jwt);
      this.say(
        `The signed bundle with ${chosen.length} credential${chosen.length === 1 ? "" : "s"} was downloaded.`,
        "ok",
      );
    });
  }

  private async importBundle(text: string): Promise<StoredCredential[] | undefined> {
    let out: StoredCredential[] | undefined;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      this.say("Checking the bundle, every credential, its log receipt and its status…");
      const r = await importExportBundle(s, text, { ownOrigin: location.origin, logs: this.logs });
      await this.load();
      out = r.imported;
      this.say(
        `Imported ${r.imported.length} verified credential${r.imported.length === 1 ? "" : "s"}` +
          (r.skipped.length ? ` (${r.skipped.length} already held)` : "") +
          (r.holder !== s.did
            ? "; they belong to another holder key, so this wallet shows them but cannot present them."
            : "."),
        "ok",
      );
    });
    return out;
  }

  /** The per-credential "never share" setting, stored with the credential (records.ts). */
  private async setNeverShare(id: string, on: boolean): Promise<void> {
    await this.guard(async () => {
      const rec = this.creds.find((c) => c.id === id);
      if (!rec || !this.session) return;
      const { neverShare: _drop, ...rest } = rec;
      await this.session.putCredential(on ? { ...rest, neverShare: true } : rest);
      await this.load();
      this.say(on ? "It will never be offered for sharing." : "It can be shared again.", "ok");
    });
  }
}
