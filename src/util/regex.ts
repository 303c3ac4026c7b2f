// Reading a regular expression's match: a group the pattern always captures (not under `?` or one side of `|`)
// is set whenever the pattern matched; this says so once, and fails loudly if a pattern ever changes under it.

/** Group `i` of `match`, which the pattern captures whenever it matches. */
export function captured(match: RegExpExecArray, i: number): string {
  const value = match[i];
  if (value === undefined) throw new Error(`pattern ${match.input}: group ${i} did not capture`);
  return value;
}
