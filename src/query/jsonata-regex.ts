// The regex engine JSONata runs its regular expressions on (`jsonata(expr, { RegexEngine })`): regex literals
// and the regexes given to $match, $replace, $split and $contains. JSONata builds one per evaluation of a
// regex literal, from the RegExp its parser made, and then only sets `lastIndex` and calls `exec` (with `g`
// semantics: the search starts at lastIndex, which moves to the end of the match). This class does the same
// on RE2 (linear-regex.ts), so results keep JSONata's shape ({match, index, groups}) and `$replace`'s order.
import type { RE2JS, Matcher } from "re2js";
import { compileLinearRegex, UnsupportedRegexError } from "./linear-regex.ts";

// A regex literal is parsed once per compiled expression: its RE2 program (or why there is none) is kept
// with the RegExp object JSONata's parser made.
const compiled = new WeakMap<RegExp, RE2JS | UnsupportedRegexError>();

function re2For(native: RegExp): RE2JS {
  let entry = compiled.get(native);
  if (entry === undefined) {
    try {
      entry = compileLinearRegex(native.source, "javascript", {
        ignoreCase: native.ignoreCase,
        multiline: native.multiline,
        dotAll: native.dotAll,
      });
    } catch (error) {
      if (!(error instanceof UnsupportedRegexError)) throw error;
      entry = error;
    }
    compiled.set(native, entry);
  }
  if (entry instanceof UnsupportedRegexError) throw entry;
  return entry;
}

/** What `exec` returns: the match and its groups (undefined for a group that took no part), with its index. */
export type Re2ExecResult = Array<string | undefined> & { index: number; input: string };

/** A RegExp look-alike for JSONata: `lastIndex` and `exec` with the global flag's behaviour. */
export class Re2RegExp {
  lastIndex = 0;
  private readonly re2: RE2JS;
  private matcher: Matcher | undefined;
  private input: string | undefined;

  constructor(native: RegExp) {
    this.re2 = re2For(native);
  }

  exec(input: string): Re2ExecResult | null {
    if (this.lastIndex > input.length) {
      this.lastIndex = 0;
      return null;
    }
    if (this.matcher === undefined || this.input !== input) {
      this.matcher = this.re2.matcher(input);
      this.input = input;
    }
    const matcher = this.matcher;
    if (!matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: Array<string | undefined> = [];
    for (let g = 0; g <= matcher.groupCount(); g++) groups.push(matcher.group(g) ?? undefined);
    const result = Object.assign(groups, { index: matcher.start(), input });
    this.lastIndex = matcher.end();
    return result;
  }
}
