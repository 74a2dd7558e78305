// tidy(fn) and keep(t): deterministic memory as tfjs users know it. Every tensor created while
// `fn` runs and not reachable from its result (tensors returned directly or nested in arrays,
// Maps and objects) is disposed when `fn` returns or throws. Scopes nest: what a scope returns
// belongs to the enclosing one. Works on every device (a disposed tensor throws DisposedError).

import { ArgumentError } from "./errors.js";
import { adoptInParent, inScope, keepStorage, type ScopedStorage } from "./scope.js";
import { Tensor } from "./tensor.js";

/**
 * @example
 * const y = tidy(() => model.forward(x.add(1)));   // x.add(1) is freed, y is not
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new ArgumentError("tidy", "fn", "a function", typeof fn);
  const { result, allocated } = inScope(fn);
  const returned = storagesIn(result);
  if (result instanceof Promise) {
    for (const s of allocated) s.dispose();
    throw new ArgumentError(
      "tidy",
      "fn",
      "a synchronous function (tensors of an async one cannot be tracked)",
      "a function returning a Promise",
    );
  }
  const survivors: ScopedStorage[] = [];
  for (const s of allocated) {
    if (returned.has(s)) survivors.push(s);
    else s.dispose();
  }
  adoptInParent(survivors);
  return result;
}

/** Exempts `t` (its storage, so every view of it) from every enclosing and later tidy(). */
export function keep<T extends Tensor>(t: T): T {
  if (!(t instanceof Tensor)) throw new ArgumentError("keep", "t", "a Tensor", typeof t);
  if (!t.isSymbolic) keepStorage(t.storage);
  return t;
}

/** The storages of every tensor reachable from `value` through arrays, Maps, Sets and object properties. */
function storagesIn(value: unknown): Set<ScopedStorage> {
  const found = new Set<ScopedStorage>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== "object" || v === null || seen.has(v) || ArrayBuffer.isView(v)) return;
    seen.add(v);
    if (v instanceof Tensor) {
      if (!v.isSymbolic) found.add(v.storage);
    } else if (v instanceof Map || v instanceof Set) {
      for (const x of v.values()) visit(x);
    } else {
      for (const x of Object.values(v)) visit(x);
    }
  };
  visit(value);
  return found;
}
