// "Did you mean ...?" for mistyped commands, options and values.

/** Edits from a to b: insertions, deletions, substitutions and swaps of neighbours ("sco" -> "soc"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates close to `word`: those it abbreviates (a one-letter `-s` matches every name
 * starting with "s"), else those within a third of its length in edits (at least one).
 */
export function closest(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower));
  if (prefixed.length > 0) return prefixed;
  const limit = Math.max(1, Math.floor(word.length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d)
    .map(({ c }) => c);
}

/** "did you mean a or b?", or undefined when nothing is close. */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  show: (c: string) => string = (c) => c,
): string | undefined {
  const near = closest(word, candidates);
  if (near.length === 0) return undefined;
  return `did you mean ${near.map(show).join(" or ")}?`;
}
