// Allocation scopes: the stack behind tidy() (tidy.ts). Every storage registers itself with the
// innermost open scope when it is made; the scope's owner decides, when it closes, which of
// them to dispose. A leaf module: storage.ts calls trackStorage from its constructor.

/** What a scope needs of a storage (storage.ts's Storage; typed here to stay a leaf). */
export interface ScopedStorage {
  dispose(): void;
}

const open: ScopedStorage[][] = [];
const kept = new WeakSet<ScopedStorage>();

/** Records a new storage in the innermost open scope (none open: the caller owns it). */
export function trackStorage(storage: ScopedStorage): void {
  open[open.length - 1]?.push(storage);
}

/** Marks a storage that no scope may dispose (keep()). */
export function keepStorage(storage: ScopedStorage): void {
  kept.add(storage);
}

/**
 * Runs `fn` in a new scope and returns its result with every storage allocated meanwhile (kept
 * ones excepted). On a throw, those storages are disposed before the error propagates.
 */
export function inScope<T>(fn: () => T): { result: T; allocated: ScopedStorage[] } {
  const allocated: ScopedStorage[] = [];
  open.push(allocated);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    for (const s of allocated) if (!kept.has(s)) s.dispose();
    throw e;
  } finally {
    open.pop();
  }
  return { result, allocated: allocated.filter((s) => !kept.has(s)) };
}

/** Hands storages that outlive a closing scope to the enclosing one (none: to the caller). */
export function adoptInParent(storages: Iterable<ScopedStorage>): void {
  const parent = open[open.length - 1];
  if (parent) for (const s of storages) parent.push(s);
}
