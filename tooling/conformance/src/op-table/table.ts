// The op table: one entry per op. describeOpTable runs every entry whose op the backend under
// test registers, and fails when a registered op has no entry here.

import type { OpEntry } from "./entry.js";
import { compareEntries } from "./entries/compare.js";
import { elementwiseEntries } from "./entries/elementwise.js";
import { layoutEntries } from "./entries/layout.js";
import { linearEntries } from "./entries/linear.js";
import { reductionEntries } from "./entries/reduction.js";
import { quantizeEntries } from "./entries/quantize.js";

export const opTable: ReadonlyMap<string, OpEntry> = (() => {
  const table = new Map<string, OpEntry>();
  for (const entry of [
    ...elementwiseEntries,
    ...reductionEntries,
    ...compareEntries,
    ...linearEntries,
    ...layoutEntries,
    ...quantizeEntries,
  ]) {
    if (table.has(entry.op)) throw new Error(`op table: two entries for "${entry.op}"`);
    table.set(entry.op, entry);
  }
  return table;
})();
