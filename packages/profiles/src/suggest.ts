/**
 * Candidate names close to `name`, best first: same name in another case, then small typos (edit distance, scaled
 * to the name's length), then names that start with it or that it starts with. At most `max`.
 */
export function suggestProfiles(name: string, candidates: string[], max = 3): string[] {
  const wanted = name.toLowerCase();
  const limit = wanted.length <= 3 ? 1 : wanted.length <= 6 ? 2 : 3;
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === name) continue;
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower, limit);
    if (distance <= limit) {
      scored.push({ candidate, score: distance });
    } else if (wanted.length >= 2 && (lower.startsWith(wanted) || (lower.length >= 2 && wanted.startsWith(lower)))) {
      scored.push({ candidate, score: limit + 1 });
    }
  }
  scored.sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0));
  return scored.slice(0, Math.max(0, max)).map((s) => s.candidate);
}

/** Levenshtein distance, giving up (returning limit + 1) as soon as it must exceed `limit`: configs can be large. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
