// StringMatches patterns, from "Choice workflow state" (AWS docs, state-choice.html): `*` matches any run of
// characters (including none); `\*` is a literal asterisk and `\\` a literal backslash. Every other character,
// including regex metacharacters, stands for itself.

/** Compiles a StringMatches pattern to a predicate over whole strings. */
export function compileStringMatches(pattern: string): (value: string) => boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) {
      // A backslash escapes the next character, whatever it is.
      source += escapeRegex(pattern[i + 1]!);
      i++;
    } else if (ch === "*") {
      source += "[\\s\\S]*";
    } else {
      source += escapeRegex(ch);
    }
  }
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(value);
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}
