import "./zod-jitless.js";
import "./style.css";
import { IdbStore } from "./idb-store.js";
import { WalletApp } from "./app.js";
import { DEFAULT_ITERATIONS } from "./crypto-box.js";
import { PACKED_FRAGMENT, unpackPresentation } from "./compact-vp.js";
import { initLanguage, t } from "./i18n.js";

/** Entry point: open IndexedDB and start the wallet. A test build may lower the KDF cost via `?kdf=`. */
async function main(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  initLanguage();
  // A scanned presentation QR code: unpack and hand it to the verify page; the wallet stays closed.
  if (location.hash.startsWith(`#${PACKED_FRAGMENT}`)) {
    root.textContent = t("main.opening_verify");
    try {
      const vp = await unpackPresentation(location.hash.slice(1 + PACKED_FRAGMENT.length));
      location.replace(`${location.origin}/verify/#vp=${vp}`);
    } catch {
      root.textContent = t("main.damaged");
    }
    return;
  }
  if (!globalThis.crypto?.subtle || !globalThis.indexedDB) {
    root.textContent = t("main.unsupported");
    return;
  }
  let store: IdbStore;
  try {
    store = await IdbStore.open();
  } catch {
    root.textContent = t("main.no_storage");
    return;
  }
  const app = new WalletApp({ store, root, iterations: DEFAULT_ITERATIONS });
  await app.start();
}

void main();
