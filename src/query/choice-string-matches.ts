// StringMatches patterns, from "Choice workflow state" (AWS docs, state-choice.html): `*` matches any run of
// characters (including none); `\*` is a literal asterisk and `\\` a literal backslash. Every other character,
// including regex metacharacters, stands for itself.
//
// Matched without a regular expression: a backtracking regex takes exponential time on patterns such as
// `*-*-*-*-*.json` against a long run of dashes, and would block the event loop. The pattern splits at its
// stars into literal segments; the first must start the value, the last must end it, and each one between is
// found left to right with indexOf after the previous one (the leftmost place is always the best place for a
// segment between two stars, so nothing is ever tried twice).

/** Compiles a StringMatches pattern to a predicate over whole strings. */
export function compileStringMatches(pattern: string): (value: string) => boolean {
  const segments = literalSegments(pattern);
  if (segments.length === 1) {
    const only = segments[0] ?? "";
    return (value) => value === only;
  }
  const head = segments[0] ?? "";
  const tail = segments[segments.length - 1] ?? "";
  const middle = segments.slice(1, -1).filter((segment) => segment !== "");
  const fixed = head.length + tail.length;
  return (value) => {
    if (value.length < fixed || !value.startsWith(head) || !value.endsWith(tail)) return false;
    const end = value.length - tail.length;
    let position = head.length;
    for (const segment of middle) {
      const at = value.indexOf(segment, position);
      if (at < 0 || at + segment.length > end) return false;
      position = at + segment.length;
    }
    return true;
  };
}

/** The literal texts between unescaped stars (one more than the stars), escapes resolved. */
function literalSegments(pattern: string): string[] {
  const segments: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? "";
    if (ch === "\\" && i + 1 < pattern.length) {
      // A backslash escapes the next character, whatever it is; a trailing one stands for itself.
      current += pattern[i + 1] ?? "";
      i++;
    } else if (ch === "*") {
      segments.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  segments.push(current);
  return segments;
}
