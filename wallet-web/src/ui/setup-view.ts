import { h, field } from "./dom.js";
import { MIN_PASSPHRASE_LENGTH } from "../keystore.js";

export interface SetupActions {
  create(passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  restore(fileText: string, passphrase: string): Promise<void>;
  wipe(): Promise<void>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

/** Lets password managers file the passphrase under one name (never shown, never focused). */
function accountName(): HTMLInputElement {
  return h("input", {
    type: "text",
    autocomplete: "username",
    value: "meritlog wallet",
    hidden: true,
    tabindex: "-1",
    "aria-hidden": "true",
  });
}

function passInput(autocomplete: string): HTMLInputElement {
  return h("input", {
    type: "password",
    autocomplete,
    required: true,
    minlength: MIN_PASSPHRASE_LENGTH,
    spellcheck: "false",
  });
}

/** First run: create a wallet, or restore one from an encrypted backup file. */
export function createView(a: SetupActions): HTMLElement {
  const p1 = passInput("new-password");
  const p2 = passInput("new-password");
  const form = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "create-title",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (p1.value !== p2.value) return a.say("The two passphrases are not the same.", "error");
        void a.create(p1.value);
      },
    },
    h("h2", { id: "create-title" }, "Create your wallet"),
    accountName(),
    h(
      "p",
      {},
      "Your wallet keeps your credentials in this browser, locked with a passphrase only you know. Nothing is sent anywhere unless you choose to share it.",
    ),
    field(
      "new-pass",
      "Choose a passphrase",
      p1,
      `At least ${MIN_PASSPHRASE_LENGTH} characters. If you forget it, nobody can open the wallet — keep a backup.`,
    ),
    field("new-pass2", "Type the passphrase again", p2),
    h("button", { type: "submit", class: "primary" }, "Create wallet"),
  );
  return h("div", { class: "stack" }, form, restoreForm(a));
}

function restoreForm(a: SetupActions): HTMLElement {
  const file = h("input", { type: "file", accept: ".json,application/json" });
  const pass = passInput("current-password");
  return h(
    "form",
    {
      class: "card",
      "aria-labelledby": "restore-title",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const f = file.files?.[0];
        if (!f) return a.say("Choose the backup file first.", "error");
        await a.restore(await f.text(), pass.value);
      },
    },
    h("h2", { id: "restore-title" }, "Restore from a backup"),
    accountName(),
    h(
      "p",
      {},
      "Moving to a new browser or device? Choose the encrypted backup file you saved, and enter the passphrase that protects it.",
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "restore-file" }, "Backup file"),
      Object.assign(file, { id: "restore-file" }),
    ),
    field("restore-pass", "Backup passphrase", pass),
    h("button", { type: "submit" }, "Restore wallet"),
  );
}

/** Returning: unlock with the passphrase. */
export function unlockView(a: SetupActions): HTMLElement {
  const pass = passInput("current-password");
  const wipe = h(
    "details",
    { class: "danger-zone" },
    h("summary", {}, "Forgot the passphrase?"),
    h(
      "p",
      {},
      "Without the passphrase the wallet cannot be opened. You can delete it and restore from a backup file, or start again.",
    ),
    h(
      "button",
      {
        type: "button",
        class: "danger",
        onclick: () => {
          if (
            window.confirm(
              "Delete this wallet and everything in it from this browser? This cannot be undone.",
            )
          )
            void a.wipe();
        },
      },
      "Delete this wallet",
    ),
  );
  return h(
    "form",
    {
      class: "card",
      "aria-labelledby": "unlock-title",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void a.unlock(pass.value);
      },
    },
    h("h2", { id: "unlock-title" }, "Unlock your wallet"),
    accountName(),
    field("unlock-pass", "Passphrase", pass),
    h("button", { type: "submit", class: "primary" }, "Unlock"),
    wipe,
  );
}
