import { h, replace } from "./ui/dom.js";
import { WalletError } from "./errors.js";
import type { KvStore } from "./kv-store.js";
import { createWallet, deleteEverything, hasWallet, unlockWallet, type WalletSession } from "./keystore.js";
import { exportBackup, importBackup } from "./backup.js";
import { parseOfferInput } from "./offer.js";
import { claimOffer } from "./claim.js";
import { buildPresentation, parseChallengeInput, presentationLink, type Challenge } from "./presentation.js";
import { disclosedSdJwt, isSdJwtFormOf, presentSdJwt } from "./selective-disclosure.js";
import { feedbackFromFragment, readFeedback } from "./feedback.js";
import { ServerApi } from "./server-api.js";
import { checkCredential, loadTrust, refreshCredential } from "./status-refresh.js";
import { reconcile, watchLog } from "./checkpoint-watch.js";
import { jwtDigest, scanLog } from "./log-history.js";
import { packPresentation, PACKED_FRAGMENT } from "./compact-vp.js";
import { credentialOfJwt, describe } from "./credential-view.js";
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
import { DEFAULT_FILTER, type PortfolioFilter } from "./ui/portfolio-view.js";
import { startStatusSchedule } from "./status-schedule.js";
import { markSeen, noteChange, reasonFromReport } from "./status-change.js";
import { language, setLanguage, t, type WalletKey } from "./i18n.js";
import { pathwaysView, type PathwaysViewState } from "./ui/pathways-view.js";
import { loadPathwayProgress } from "./pathways.js";
import type { HistoryItem, LogView, ShareRecord, StoredCredential } from "./records.js";
import { buildExportBundle, credentialFile, importExportBundle } from "./portable.js";
import { portableView, saveFile } from "./ui/portable-view.js";
import { decideCosign, parseCosignLink, readCosign, type CosignLink, type MpuProgress } from "./cosign.js";
import { cosignView } from "./ui/cosign-view.js";

type Screen =
  "portfolio" | "pathways" | "receive" | "present" | "request" | "backup" | "cosign" | { detail: string };
const TABS: Exclude<Screen, { detail: string } | "cosign">[] = [
  "portfolio",
  "pathways",
  "receive",
  "present",
  "request",
  "backup",
];

/** Errors whose message was written through the catalogue (already in the holder's language). */
const LOCALIZED = new WeakSet<WalletError>();
const localized = (e: WalletError): WalletError => (LOCALIZED.add(e), e);

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
  private pendingFeedback = "";
  private openedRequest: PresentationRequest | undefined;
  private screen: Screen = "portfolio";
  private stopAutoLock: (() => void) | undefined;
  private pathways: PathwaysViewState = { loading: false, progress: [], problems: [] };
  private pathwaysAsked = false;
  private stopSchedule: (() => void) | undefined;
  private filter: PortfolioFilter = { ...DEFAULT_FILTER };
  /** The card whose Details was opened, to return to it. */
  private returnTo = "";
  private pendingOffer = "";
  /** A co-signing link opened before unlock, and the MPU being co-signed (cosign.ts). */
  private pendingCosign: CosignLink | undefined;
  private cosign: { link: CosignLink; p: MpuProgress } | undefined;
  private busy = false;
  private checking: Promise<void> | undefined;
  private readonly main: HTMLElement;
  private readonly live: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly who: HTMLElement;

  private readonly bar: HTMLElement;
  private readonly closeMessage: HTMLElement;

  constructor(private readonly o: AppOptions) {
    this.live = h("div", { id: "messages", role: "status", "aria-live": "polite", class: "messages" });
    this.nav = h("nav", {});
    this.who = h("div", { class: "who-inner" });
    this.main = h("main", { id: "main", tabindex: "-1" });
    // The message bar sticks to the top of the viewport, so a message is seen where the person is
    // (on a phone the page is usually scrolled far below the header); the live region announces it.
    this.closeMessage = h(
      "button",
      { type: "button", class: "close", onclick: () => this.clearMessage() },
      "×",
    );
    this.bar = h("div", { class: "message-bar", hidden: true }, this.live, this.closeMessage);
    this.chrome();
  }

  /** Header, skip link and message bar in the current language (rebuilt on a language switch). */
  private chrome(): void {
    document.title = t("app.title");
    this.nav.setAttribute("aria-label", t("nav.label"));
    this.closeMessage.setAttribute("aria-label", t("msg.close"));
    const other = language() === "fr" ? "en" : "fr";
    replace(
      this.o.root,
      h("a", { href: "#main", class: "skip" }, t("app.skip")),
      h(
        "header",
        { class: "top" },
        h("h1", {}, t("app.title")),
        h(
          "div",
          { class: "who" },
          this.who,
          h(
            "button",
            {
              type: "button",
              class: "lang",
              lang: other,
              id: "lang-switch",
              onclick: () => this.switchLanguage(other),
            },
            t("lang.switch"),
          ),
        ),
      ),
      this.nav,
      this.bar,
      this.main,
    );
  }

  /** Re-renders everything in the other language; the current screen and filters stay. */
  switchLanguage(lang: "en" | "fr"): void {
    setLanguage(lang);
    this.chrome();
    if (this.session) {
      this.header();
      this.show(this.screen, true);
    } else void this.renderLocked();
    document.getElementById("lang-switch")?.focus();
  }

  private header(): void {
    const s = this.session;
    if (!s) return;
    this.who.replaceChildren(
      h("span", { class: "muted", title: s.did }, t("app.holder", { did: short(s.did, 28) })),
      h("button", { type: "button", onclick: () => this.lock(t("msg.locked")) }, t("app.lock")),
    );
  }

  private get api(): ServerApi {
    return new ServerApi(location.origin);
  }

  /** Shows a message in the live region (read out by screen readers). */
  say(text: string, kind: "info" | "error" | "ok" = "info", detailEn?: string): void {
    const prefix = kind === "error" ? "✖ " : kind === "ok" ? "✔ " : "";
    this.live.className = `messages ${kind}`;
    this.bar.hidden = false;
    this.live.replaceChildren(
      h("p", {}, prefix + text, detailEn ? [" ", h("span", { lang: "en" }, `(${detailEn})`)] : null),
    );
  }

  private clearMessage(): void {
    this.live.replaceChildren();
    this.bar.hidden = true;
  }

  /**
   * A failure in the holder's language. Wallet modules write their sentences in English, keyed by a
   * stable code: in another language the code's sentence leads and the English detail follows,
   * marked as English. Errors this controller wrote through the catalogue are shown as they are.
   */
  private fail(e: unknown): void {
    if (!(e instanceof WalletError))
      return this.say(t("msg.wrong", { message: e instanceof Error ? e.message : String(e) }), "error");
    if (language() === "en" || LOCALIZED.has(e)) return this.say(e.message, "error");
    this.say(t(`err.${e.code}` as WalletKey), "error", e.message);
  }

  async start(): Promise<void> {
    this.pendingOffer = this.takeHash("#offer=");
    this.pendingRequest = this.takeHash("#request_uri=");
    this.pendingCosign = parseCosignLink(this.takeHash("#mpu="));
    this.pendingFeedback = this.takeHash("#feedback=");
    window.addEventListener("hashchange", () => {
      const fb = this.takeHash("#feedback=");
      if (fb) {
        this.pendingFeedback = fb;
        if (this.session) void this.receiveFeedback();
        return;
      }
      const cosign = parseCosignLink(this.takeHash("#mpu="));
      if (cosign) {
        this.pendingCosign = cosign;
        if (this.session) void this.openCosign();
        return;
      }
      const request = this.takeHash("#request_uri=");
      if (request) {
        this.pendingRequest = request;
        if (this.session) void this.openPendingRequest();
        return;
      }
      const offer = this.takeHash("#offer=");
      if (!offer) return;
      this.pendingOffer = offer;
      if (this.session) void this.receive(offer);
    });
    await this.renderLocked();
  }

  /**
   * The page address when its fragment starts with `prefix`: an offer (`#offer=`), a verifier's
   * request (`#request_uri=`, OpenID4VP request by reference) or a co-signing link (`#mpu=`).
   * The fragment is then cleared from the address bar.
   */
  private takeHash(prefix: string): string {
    if (!location.hash.startsWith(prefix)) return "";
    const value = location.href;
    history.replaceState(null, "", location.pathname + location.search);
    return value;
  }

  /** Checks feedback like any credential (signature, anchoring, status) and keeps it with the credential it is about. */
  private async receiveFeedback(): Promise<void> {
    const hash = this.pendingFeedback;
    this.pendingFeedback = "";
    await this.guard(async () => {
      const s = this.session;
      const link = feedbackFromFragment(new URL(hash).hash);
      if (!s || !link) return;
      const { about, record } = readFeedback(link.jwt, link.receipt, s.did);
      const rec = this.creds.find((c) => c.id === about);
      if (!rec) throw localized(new WalletError("encoding.malformed", t("feedback.unknown")));
      const api = new ServerApi(rec.source ?? location.origin);
      const view = this.logs.find((l) => l.baseUrl === api.baseUrl);
      const check = await checkCredential(link.jwt, link.receipt, {
        api,
        trust: await loadTrust(api, view),
        ...(view ? { view } : {}),
        holderDid: s.did,
        now: new Date(),
      });
      if (check.refusal)
        throw localized(
          new WalletError("claim.verification_failed", t("msg.not_stored", { why: check.refusal })),
        );
      await s.putCredential({
        ...rec,
        feedback: [...(rec.feedback ?? []).filter((f) => f.id !== record.id), record],
      });
      await this.load();
      this.show({ detail: rec.id });
      this.say(t("feedback.received", { who: record.issuerName ?? record.issuer }), "ok");
    });
  }

  /** Reads the pending co-signing link's MPU and shows its statement. */
  private async openCosign(): Promise<void> {
    const link = this.pendingCosign ?? this.cosign?.link;
    this.pendingCosign = undefined;
    if (!link) return;
    await this.guard(async () => {
      this.cosign = { link, p: await readCosign(link, (u, i) => fetch(u, i)) };
      this.show("cosign");
    });
  }

  /** Signs the statement, or declines it with a reason, with the holder key. */
  private async cosignDecision(reason?: string): Promise<void> {
    const c = this.cosign;
    const s = this.session;
    if (!c || !s) return;
    await this.guard(async () => {
      c.p = await decideCosign(c.link, c.p, s, (u, i) => fetch(u, i), reason);
      this.show("cosign");
      if (reason === undefined) this.say(t("msg.cosign_signed"), "ok");
    });
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
        this.guard(async () => this.opened(await createWallet(this.o.store, p, this.iter()), t("msg.ready"))),
      unlock: (p: string) =>
        this.guard(async () => this.opened(await unlockWallet(this.o.store, p), t("msg.unlocked"))),
      restore: (text: string, p: string) =>
        this.guard(async () => {
          if (await hasWallet(this.o.store))
            throw localized(new WalletError("wallet.exists", t("msg.exists")));
          this.say(t("msg.restoring"));
          await this.opened(await importBackup(this.o.store, text, p, this.iter()), t("msg.restored"));
        }),
      wipe: () => this.wipe(),
      say: (t: string, k?: "info" | "error" | "ok") => this.say(t, k),
    };
    replace(this.main, (await hasWallet(this.o.store)) ? unlockView(actions) : createView(actions));
    if (this.pendingOffer) this.say(t("msg.pending_offer"));
    if (this.pendingRequest) this.say(t("msg.pending_request"));
    if (this.pendingFeedback) this.say(t("feedback.pending"));
    if (this.pendingCosign) this.say(t("msg.pending_request"));
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
    this.stopAutoLock = startAutoLock(() => this.lock(t("msg.locked_idle")));
    await this.load();
    this.header();
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
    if (this.pendingFeedback) {
      this.busy = false;
      await this.receiveFeedback();
    }
    if (this.pendingCosign) {
      this.busy = false;
      await this.openCosign();
    }
    // Status is re-checked now (unlock, create, restore), then on focus and every few minutes.
    this.stopSchedule?.();
    this.stopSchedule = startStatusSchedule({ refresh: () => this.checkStatus(true) });
    void this.checkStatus(true).catch(() => undefined);
  }

  lock(message: string): void {
    this.session?.lock();
    this.session = undefined;
    this.creds = [];
    this.logs = [];
    this.shares = [];
    this.openedRequest = undefined;
    this.stopAutoLock?.();
    this.stopSchedule?.();
    this.who.replaceChildren();
    void this.renderLocked().then(() => this.say(message));
  }

  private async wipe(): Promise<void> {
    this.session?.lock();
    this.session = undefined;
    this.stopAutoLock?.();
    this.stopSchedule?.();
    this.who.replaceChildren();
    await deleteEverything(this.o.store);
    await this.renderLocked();
    this.say(t("msg.wiped"), "ok");
  }

  /** Asks the issuers of held credentials for their pathways, then shows the progress. */
  private async loadPathways(): Promise<void> {
    this.pathways = { ...this.pathways, loading: true };
    this.pathwaysAsked = true;
    if (this.screen === "pathways") this.render();
    const r = await loadPathwayProgress(this.creds, location.origin);
    this.pathways = { loading: false, ...r };
    if (this.screen === "pathways") this.render();
  }

  private async load(): Promise<void> {
    if (!this.session) return;
    this.creds = await this.session.credentials();
    this.pathwaysAsked = false;
    this.logs = await this.session.logViews();
    this.shares = await this.session.shares();
  }

  /** Shows a screen; `keepMessage` keeps the current message (a language switch, a refresh). */
  show(screen: Screen, keepMessage = false): void {
    const from = this.screen;
    this.screen = screen;
    if (!keepMessage) this.clearMessage();
    const current = typeof screen === "string" ? screen : "portfolio";
    this.nav.replaceChildren(
      h(
        "ul",
        {},
        ...TABS.map((id) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                "aria-current": id === current ? "page" : undefined,
                onclick: () => this.show(id),
              },
              t(`tab.${id}` as WalletKey),
            ),
          ),
        ),
      ),
    );
    this.render();
    // A new screen starts at its top, with focus on its title (on a phone the list may have been
    // scrolled far down; without this "Details" opened at the bottom of the page). Back from
    // Details returns to the card it was opened from.
    if (typeof screen === "object") {
      this.returnTo = screen.detail;
      const title = this.main.querySelector<HTMLElement>("#detail-title");
      window.scrollTo(0, 0);
      title?.focus({ preventScroll: true });
      return;
    }
    if (screen === "portfolio" && typeof from === "object" && this.returnTo) {
      const card = [...this.main.querySelectorAll<HTMLElement>("[data-credential-id]")].find(
        (c) => c.dataset.credentialId === this.returnTo,
      );
      const button = card?.querySelector<HTMLElement>(".actions button");
      if (button) {
        button.focus({ preventScroll: true });
        card!.scrollIntoView({ block: "start" });
        return;
      }
    }
    if (!keepMessage) window.scrollTo(0, 0);
    this.main.focus({ preventScroll: true });
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
      case "cosign":
        if (this.cosign)
          return replace(
            this.main,
            cosignView(this.cosign.p, s.did, {
              sign: () => void this.cosignDecision(),
              decline: (reason) => void this.cosignDecision(reason),
              refresh: () => void this.openCosign(),
            }),
          );
        this.screen = "portfolio";
        return this.render();
      case "receive":
        return replace(
          this.main,
          receiveView({ receive: (i) => this.receive(i), say: (t, k) => this.say(t, k) }),
        );
      case "present":
        return replace(
          this.main,
          shareView(this.creds, this.shares, {
            share: (ids, e, reveal) => this.share(ids, e, reveal),
            withdraw: (r) => this.withdraw(r),
            say: (t, k) => this.say(t, k),
          }),
          h(
            "details",
            { class: "card one-time" },
            h("summary", {}, t("present.one_time")),
            presentView(this.creds, {
              present: (ids, c, reveal, fb) => this.present(ids, c, reveal, fb),
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
              answer: (r, ids, reveal, fb) => this.answer(r, ids, reveal, fb),
              say: (t, k) => this.say(t, k),
            },
            pending,
          ),
        );
      }
      case "pathways":
        // Asked once per change of the held credentials: an empty answer must not ask again on every render.
        if (!this.pathways.loading && !this.pathwaysAsked) void this.loadPathways();
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
            lock: () => this.lock(t("msg.locked")),
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
          portfolioView(
            this.creds,
            this.logs,
            {
              open: (id) => this.show({ detail: id }),
              remove: (id) => this.remove(id),
              refresh: () => this.refresh(),
              receive: () => this.show("receive"),
              seen: (id) => this.seen(id),
            },
            this.filter,
          ),
        );
    }
  }

  /** The claim flow: offer → token → credential, then verification, then storage. */
  async receive(input: string): Promise<void> {
    await this.guard(async () => {
      const s = this.session;
      if (!s) throw localized(new WalletError("wallet.locked", t("msg.unlock_first")));
      const ref = parseOfferInput(input, location.origin);
      this.say(t("msg.contacting"));
      const claimed = await claimOffer(ref, s, {
        fetch: (u, i) => fetch(u, i),
        ownOrigin: location.origin,
        askTxCode: async (spec) => window.prompt(spec.description ?? t("msg.tx_code")),
      });
      this.say(t("msg.checking_new"));
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
        throw localized(
          new WalletError("claim.verification_failed", t("msg.not_stored", { why: check.refusal })),
        );
      }
      const cred = credentialOfJwt(claimed.jwt);
      const rec: StoredCredential = {
        id: String(cred.id ?? cred.jti),
        jwt: claimed.jwt,
        ...(claimed.sdJwt && isSdJwtFormOf(claimed.sdJwt, claimed.jwt, s.did)
          ? { sdJwt: claimed.sdJwt }
          : {}),
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
      this.say(t("msg.received", { title: describe(cred).title }), "ok");
    });
  }

  /** The Refresh button: a status check whose outcome is always said. */
  async refresh(): Promise<void> {
    await this.guard(() => this.checkStatus(false));
  }

  /** The holder has read a change note: it goes away (it stays in the credential's history). */
  private async seen(id: string): Promise<void> {
    const s = this.session;
    const rec = this.creds.find((c) => c.id === id);
    if (!s || !rec) return;
    await s.putCredential(markSeen(rec));
    await this.load();
    this.render();
    this.main.querySelector<HTMLElement>(`[data-credential-id="${CSS.escape(id)}"] h3`)?.focus();
  }

  /**
   * Split-view check of every known log, then every credential's status, with a change note on
   * each credential whose established state changed (status-change.ts). `auto` (unlock, focus,
   * timer) runs beside the holder's own actions: it never blocks them, re-reads each record just
   * before writing it (so a deletion or an acknowledged note made meanwhile is kept), re-renders
   * only the list and detail screens (never a form being filled in), and speaks only of changes.
   */
  private async checkStatus(auto: boolean): Promise<void> {
    // An automatic check never queues behind another; the holder's own press waits for a
    // running one and then checks again (its outcome is always said).
    while (this.checking) {
      if (auto) return;
      await this.checking;
    }
    const s = this.session;
    if (!s) return;
    let done!: () => void;
    this.checking = new Promise<void>((r) => (done = r));
    try {
      if (!auto) this.say(t("msg.checking"));
      const now = new Date();
      const sources = new Set([
        ...this.creds.map((c) => c.source ?? location.origin),
        ...this.logs.map((l) => l.baseUrl),
      ]);
      const problems: string[] = [];
      const changed: string[] = [];
      const store = async (next: StoredCredential): Promise<void> => {
        if (this.session !== s) return;
        const latest = (await s.credentials()).find((c) => c.id === next.id);
        if (!latest) return; // deleted meanwhile
        const merged = noteChange(
          latest,
          {
            ...latest,
            status: next.status,
            history: next.history ?? [],
            ...(next.anchoring ? { anchoring: next.anchoring } : {}),
          },
          now,
        );
        if (merged.change && merged.change !== latest.change) changed.push(merged.id);
        await s.putCredential(merged);
      };
      for (const base of sources) {
        const api = new ServerApi(base);
        let view = this.logs.find((l) => l.baseUrl === base);
        const mine = this.creds.filter((c) => (c.source ?? location.origin) === base);
        let trust;
        try {
          trust = await loadTrust(api, view);
        } catch (e) {
          problems.push(t("msg.unreachable", { host: new URL(base).host }));
          for (const c of mine)
            await store({
              ...c,
              status: {
                state: "unknown",
                checkedAt: now.toISOString(),
                message: e instanceof Error ? e.message : "unreachable",
              },
            });
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
        // Lifecycle events from the public log, read like a monitor (only from a view that verified).
        let found = new Map<string, HistoryItem[]>();
        if (outcome.ok && view && !view.warning && mine.length) {
          const wanted = new Map<string, string>();
          for (const c of mine) wanted.set(c.id, await jwtDigest(c.jwt));
          const from = view.scannedTo ?? Math.min(...mine.map((c) => c.receipt?.leafIndex ?? 0), view.size);
          try {
            const scan = await scanLog(view, from, wanted, api);
            found = scan.events;
            view = { ...view, scannedTo: scan.scannedTo };
            await s.putLogView(view);
            if (!scan.complete) problems.push(t("msg.log_long"));
          } catch (e) {
            problems.push(t("msg.log_unreadable", { message: e instanceof Error ? e.message : "error" }));
          }
        }
        for (const c of mine) {
          const next = await refreshCredential(c, {
            api,
            trust,
            ...(view && !view.warning ? { view } : {}),
            holderDid: s.did,
            now,
            newEvents: found.get(c.id) ?? [],
          });
          const st = next.status.state;
          // The public reason code lives in the issuer's record, not in status lists or log
          // entries: ask the credential's own issuer service for its report, only when not active.
          if (st !== "active" && st !== "unknown") {
            const prev = c.status;
            if (prev.state === st && prev.reason)
              next.status = {
                ...next.status,
                reason: prev.reason,
                ...(prev.since ? { since: prev.since } : {}),
              };
            else {
              const r = reasonFromReport(await api.verifyReport(c.jwt).catch(() => undefined), st);
              next.status = { ...next.status, ...r };
            }
          }
          await store(next);
        }
      }
      if (this.session !== s) return;
      await this.load();
      const onList = this.screen === "portfolio" || typeof this.screen === "object";
      if (!auto || onList) this.rerender();
      const titles = changed.map((id) => this.titleOf(id));
      const changes = titles.length ? t("msg.changed", { n: titles.length, titles: titles.join(", ") }) : "";
      if (this.logs.some((l) => l.warning)) this.say(t("msg.split_view"), "error");
      else if (!auto && problems.length)
        this.say(
          `${t("msg.refresh_problems", { problems: problems.join("; ") })} ${changes}`.trim(),
          "error",
        );
      else if (!auto) this.say(`${t("msg.refreshed")} ${changes}`.trim(), "ok");
      else if (changes) this.say(changes, "info");
    } finally {
      this.checking = undefined;
      done();
    }
  }

  /** Re-renders the current screen without moving the reader (focus and scroll stay). */
  private rerender(): void {
    const y = window.scrollY;
    const focused = document.activeElement?.id;
    this.render();
    window.scrollTo(0, y);
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  }

  private titleOf(id: string): string {
    const c = this.creds.find((x) => x.id === id);
    try {
      return c ? describe(credentialOfJwt(c.jwt)).title : id;
    } catch {
      return id;
    }
  }

  private async remove(id: string): Promise<void> {
    await this.guard(async () => {
      // A running status check re-reads each record before it writes it back; a deletion between
      // its read and its write would be undone, so the deletion waits for it (IndexedDB keeps the
      // order of the deletion and any later check's read).
      while (this.checking) await this.checking;
      await this.session?.deleteCredential(id);
      await this.load();
      this.show("portfolio");
      this.say(t("msg.deleted"), "ok");
    });
  }

  /** One lasting link per chosen credential, made at the server that issued it (where its status lives). */
  private async share(
    ids: string[],
    expiresIn: number | undefined,
    reveal?: string[],
  ): Promise<ShareRecord[] | undefined> {
    let out: ShareRecord[] | undefined;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      this.say(t("msg.creating_link"));
      const made: ShareRecord[] = [];
      for (const c of this.creds.filter((x) => ids.includes(x.id))) {
        const base = c.source ?? location.origin;
        // One credential with fields withheld: the link holds its SD-JWT with the kept disclosures.
        const shared = reveal && ids.length === 1 && c.sdJwt ? disclosedSdJwt(c.sdJwt, reveal) : c.jwt;
        const created = await createShare(base, shared, c.id, s, expiresIn, (u, i) => fetch(u, i));
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
      this.say(made.length === 1 ? t("msg.link_made") : t("msg.links_made", { n: made.length }), "ok");
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
      this.say(t("msg.withdrawn", { title: rec.title }), "ok");
    });
    return ok;
  }

  private async openRequest(link: string): Promise<PresentationRequest | undefined> {
    let out: PresentationRequest | undefined;
    await this.guard(async () => {
      this.say(t("msg.reading_request"));
      out = await fetchRequest(requestUriOf(link), (u, i) => fetch(u, i));
      this.say(t("msg.request_from", { host: new URL(out.clientId).host, purpose: out.purpose }), "info");
    });
    return out;
  }

  /**
   * A VP-JWT of the chosen credentials (with the feedback the learner added), or (`reveal` given)
   * one SD-JWT revealing only those paths. Feedback travels only in a VP-JWT, beside the whole
   * credential: the two choices cannot be combined.
   */
  private async presentation(
    s: WalletSession,
    ids: string[],
    c: Challenge,
    reveal?: string[],
    feedback: string[] = [],
  ): Promise<string> {
    const chosen = this.creds.filter((x) => ids.includes(x.id));
    const sd = chosen.length === 1 ? chosen[0]!.sdJwt : undefined;
    if (reveal && sd) {
      if (feedback.length)
        throw localized(new WalletError("challenge.malformed", t("reveal.feedback_whole")));
      return await presentSdJwt(sd, reveal, s, c);
    }
    const added = chosen.flatMap((x) =>
      (x.feedback ?? []).filter((f) => feedback.includes(f.id)).map((f) => f.jwt),
    );
    return await buildPresentation(s, [...chosen.map((x) => x.jwt), ...added], c);
  }

  private async answer(
    r: PresentationRequest,
    ids: string[],
    reveal?: string[],
    feedback?: string[],
  ): Promise<{ verdict: string; withheld?: string[] } | undefined> {
    let out: { verdict: string; withheld?: string[] } | undefined;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      this.say(t("msg.sending"));
      const vp = await this.presentation(s, ids, { nonce: r.nonce, audience: r.audience }, reveal, feedback);
      out = await answerRequest(r, vp, (u, i) => fetch(u, i));
      this.say(t("msg.sent", { n: ids.length, host: new URL(r.clientId).host }), "ok");
    });
    return out;
  }

  private async present(
    ids: string[],
    challengeInput: string,
    reveal?: string[],
    feedback?: string[],
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
        this.say(t("msg.challenge"));
        challenge = await this.api.challenge();
      }
      const vp = await this.presentation(s, ids, challenge, reveal, feedback);
      out = { vp, link: presentationLink(verifyPage, vp) };
      // A QR code cannot hold the link itself (credential JWTs are large); for this service's own
      // verify page, the compact form opens /wallet/#vpz=…, which unpacks and forwards (main.ts).
      // (An SD-JWT presentation is one credential: its link is the QR code.)
      if (verifyPage === `${location.origin}/verify/` && !vp.includes("~")) {
        const packed = await packPresentation(vp).catch(() => undefined);
        if (packed) out.qrLink = `${location.origin}/wallet/#${PACKED_FRAGMENT}${packed}`;
      }
      this.say(t("msg.presented", { n: ids.length }), "ok");
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
      this.say(t("msg.backup_done"), "ok");
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
      this.say(t(chosen.length === 1 ? "port.done_one" : "port.done_many", { n: chosen.length }), "ok");
    });
  }

  private async importBundle(text: string): Promise<StoredCredential[] | undefined> {
    let out: StoredCredential[] | undefined;
    await this.guard(async () => {
      const s = this.session;
      if (!s) return;
      this.say(t("port.checking"));
      const r = await importExportBundle(s, text, { ownOrigin: location.origin, logs: this.logs });
      await this.load();
      out = r.imported;
      this.say(
        t(r.imported.length === 1 ? "port.imported_msg_one" : "port.imported_msg_many", {
          n: r.imported.length,
        }) +
          (r.skipped.length ? ` ${t("port.skipped", { n: r.skipped.length })}` : "") +
          (r.holder !== s.did ? ` ${t("port.other_holder")}` : ""),
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
