/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours). */
export function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The command `word` was probably meant to be: within two edits, or undefined. */
export function closestCommand(word: string, commands: Iterable<string>): string | undefined {
  let best: { command: string; score: number } | undefined;
  for (const command of commands) {
    const score = distance(word.toLowerCase(), command);
    if (score <= 2 && score < word.length && (!best || score < best.score)) best = { command, score };
  }
  return best?.command;
}
