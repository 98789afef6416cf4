/**
 * "Did you mean": the candidate a mistyped word was most likely meant to be (pure, no I/O).
 * Edit distance with adjacent swaps (Damerau–Levenshtein, optimal string alignment), as
 * commander's own command suggestions do; a candidate counts when the distance is at most 40%
 * of the word's length (`stagin` → `staging`, `prod` ↛ `staging`), or when one word starts with
 * the other (`prod` → `production`).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = lc.startsWith(w) || w.startsWith(lc) ? Math.min(1, distance(w, lc)) : distance(w, lc);
    if (d < bestDistance && (d <= Math.max(1, Math.floor(w.length * 0.4)) || lc.startsWith(w) || w.startsWith(lc))) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
