// IAM action patterns of an `--auth` principal's `allow` list: `states:StartExecution`, `states:Describe*`,
// `states:*`, `*`. As in IAM policies, `*` matches any run of characters, `?` any one character, and the match is
// case-insensitive (IAM User Guide, "IAM JSON policy elements: Action"). Our own matcher rather than a glob
// library: globs give `/`, `[...]`, `{...}` and `!` meanings IAM does not have, and compare case-sensitively.

/** A checked action pattern. */
export interface ActionPattern {
  /** The pattern as written in the file. */
  readonly source: string;
  /** True when `action` (`states:StartExecution`) matches. */
  matches(action: string): boolean;
}

/** `service:action` with wildcards, or `*` alone. */
const SHAPE = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;

/** True when `pattern` is a well-formed IAM action pattern. */
export function isActionPattern(pattern: string): boolean {
  return SHAPE.test(pattern);
}

/**
 * Wildcard match in O(pattern × text) worst case with no backtracking blow-up: the classic two-pointer walk that
 * remembers the last `*` and retries from one character further.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      resume = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/** Compiles one pattern; throws an Error naming the problem when it is malformed. */
export function compileActionPattern(source: string): ActionPattern {
  if (!isActionPattern(source)) {
    throw new Error(`'${source}' is not an IAM action pattern (expected 'states:ActionName', wildcards * and ? allowed, or '*').`);
  }
  return { source, matches: (action) => wildcardMatch(source, action) };
}

/** True when any pattern of `allow` matches `action`. */
export function isAllowed(allow: readonly ActionPattern[], action: string): boolean {
  return allow.some((pattern) => pattern.matches(action));
}
