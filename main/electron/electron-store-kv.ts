import Store from 'electron-store';
import type { KeyValueStore } from '../core/ports';

/**
 * The KeyValueStore port over electron-store, in `<dataDir>/settings.json`: the same file and shape
 * as the headless shell's store, so `inlet serve` on the same data dir sees the same settings.
 * `dataDir` must be absolute (electron-store 12 refuses anything else outside Electron).
 */
export function electronStoreKv(dataDir: string): KeyValueStore {
  const store = new Store<Record<string, unknown>>({
    cwd: dataDir,
    name: 'settings',
    // Keys are opaque names ('settings', 'verifyToken'), not paths into nested objects.
    accessPropertiesByDotNotation: false,
    // It can hold sealed secrets: owner-only, like the rest of the data dir.
    configFileMode: 0o600,
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
