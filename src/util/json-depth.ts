// How deeply JSON text nests, found by one linear scan (no recursion, no parse): untrusted text can be
// refused before anything that recurses per level (JSON.stringify, structuredClone, the YAML parser, the
// engine's path and template code) overflows the stack on it.

/** The deepest array/object nesting in `text`, counting only brackets outside strings; stops early past `stopAbove`. */
export function jsonNestingDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return deepest;
}

/** True when `text` nests arrays/objects deeper than `max` levels. */
export function nestsDeeperThan(text: string, max: number): boolean {
  return jsonNestingDepth(text, max) > max;
}
