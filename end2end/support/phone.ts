// Reading the phone's IndexedDB (`jalon`) from a test, as the app left it.
import type { Page } from '@playwright/test';

type Query = 'count' | 'keys' | 'all';

/** Runs one read on one object store of the phone's database. */
export function readStore<T>(page: Page, store: string, query: Query): Promise<T> {
  return page.evaluate(
    ([store, query]) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('jalon');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const os = open.result.transaction(store).objectStore(store);
          const req = query === 'count' ? os.count() : query === 'keys' ? os.getAllKeys() : os.getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result as T);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    [store, query] as const,
  );
}

export const storeCount = (page: Page, store: string) => readStore<number>(page, store, 'count');
export const storeKeys = (page: Page, store: string) => readStore<string[]>(page, store, 'keys');
