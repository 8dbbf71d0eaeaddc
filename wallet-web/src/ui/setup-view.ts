import { h, field } from "./dom.js";
import { MIN_PASSPHRASE_LENGTH } from "../keystore.js";
import { t } from "../i18n.js";

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
        if (p1.value !== p2.value) return a.say(t("setup.mismatch"), "error");
        void a.create(p1.value);
      },
    },
    h("h2", { id: "create-title" }, t("setup.create_title")),
    accountName(),
    h("p", {}, t("setup.create_text")),
    field("new-pass", t("setup.choose"), p1, t("setup.choose_hint", { n: MIN_PASSPHRASE_LENGTH })),
    field("new-pass2", t("setup.again"), p2),
    h("button", { type: "submit", class: "primary" }, t("setup.create")),
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
        if (!f) return a.say(t("setup.no_file"), "error");
        await a.restore(await f.text(), pass.value);
      },
    },
    h("h2", { id: "restore-title" }, t("setup.restore_title")),
    accountName(),
    h("p", {}, t("setup.restore_text")),
    h(
      "div",
      { class: "field" },
      h("label", { for: "restore-file" }, t("setup.restore_file")),
      Object.assign(file, { id: "restore-file" }),
    ),
    field("restore-pass", t("setup.restore_pass"), pass),
    h("button", { type: "submit" }, t("setup.restore")),
  );
}

/** Returning: unlock with the passphrase. */
export function unlockView(a: SetupActions): HTMLElement {
  const pass = passInput("current-password");
  const wipe = h(
    "details",
    { class: "danger-zone" },
    h("summary", {}, t("setup.forgot")),
    h("p", {}, t("setup.forgot_text")),
    h(
      "button",
      {
        type: "button",
        class: "danger",
        onclick: () => {
          if (window.confirm(t("setup.delete_confirm"))) void a.wipe();
        },
      },
      t("setup.delete"),
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
    h("h2", { id: "unlock-title" }, t("setup.unlock_title")),
    accountName(),
    field("unlock-pass", t("setup.passphrase"), pass),
    h("button", { type: "submit", class: "primary" }, t("setup.unlock")),
    wipe,
  );
}
