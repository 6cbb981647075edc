/** Damerau-Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const above = d[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** Names close to `wanted`: small edit distance, or one contains the other. Best first, at most `limit`. */
export function closestMatches(wanted: string, names: string[], limit = 3): string[] {
  const scored = names
    .map((name) => {
      const distance = editDistance(wanted, name);
      const contains = name.includes(wanted) || wanted.includes(name);
      const tolerance = Math.max(1, Math.floor(Math.max(wanted.length, name.length) / 3));
      return { name, score: contains ? Math.min(distance, 1) : distance, close: contains || distance <= tolerance };
    })
    .filter((candidate) => candidate.close)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((candidate) => candidate.name);
}
