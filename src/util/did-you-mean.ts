// "Did you mean ...?" for a misspelled name (a state's Next target, a command-line option or command): the
// closest known name by edit distance, when it is close enough to be a likely typo.

/** Levenshtein distance, case-insensitive (a case slip counts as no edit). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  // One row of the edit-distance table at a time; `diagonal`, `up` and `left` are its three neighbours.
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  let result = y.length;
  for (let i = 0; i < x.length; i++) {
    let diagonal = i;
    let left = i + 1;
    const current = [left];
    for (const [j, up] of previous.slice(1).entries()) {
      left = Math.min(up + 1, left + 1, diagonal + (x.charAt(i) === y.charAt(j) ? 0 : 1));
      diagonal = up;
      current.push(left);
    }
    previous = current;
    result = left;
  }
  return result;
}

/**
 * The known name closest to `name`, or undefined when none is within a third of its length, rounded up (at
 * least 1, at most 3 edits): far-off names are no help.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.ceil(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate === name) continue;
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
