import "./zod-jitless.js";
import "./style.css";
import { IdbStore } from "./idb-store.js";
import { WalletApp } from "./app.js";
import { DEFAULT_ITERATIONS } from "./crypto-box.js";
import { PACKED_FRAGMENT, unpackPresentation } from "./compact-vp.js";

/** Entry point: open IndexedDB and start the wallet. A test build may lower the KDF cost via `?kdf=`. */
async function main(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  // A scanned presentation QR code: unpack and hand it to the verify page; the wallet stays closed.
  if (location.hash.startsWith(`#${PACKED_FRAGMENT}`)) {
    root.textContent = "Opening the verify page…";
    try {
      const vp = await unpackPresentation(location.hash.slice(1 + PACKED_FRAGMENT.length));
      location.replace(`${location.origin}/verify/#vp=${vp}`);
    } catch {
      root.textContent = "This presentation code is damaged. Ask the holder to share it again.";
    }
    return;
  }
  if (!globalThis.crypto?.subtle || !globalThis.indexedDB) {
    root.textContent =
      "This browser cannot run the wallet safely (it lacks WebCrypto or IndexedDB). Please use a current browser over https.";
    return;
  }
  let store: IdbStore;
  try {
    store = await IdbStore.open();
  } catch {
    root.textContent =
      "This browser does not let the wallet keep data (IndexedDB is blocked, for example in some private windows). Open the wallet in a normal window.";
    return;
  }
  const app = new WalletApp({ store, root, iterations: DEFAULT_ITERATIONS });
  await app.start();
}

void main();
