// Regular expressions from workflow definitions (JSONPath filter patterns `=~`, JSONata regex literals) run on
// RE2 (the `re2js` package), which matches in time linear in the input: a backtracking engine takes
// exponential time on patterns such as /(a+)+$/ and would block the event loop for good.
//
// The pattern is translated from its dialect (JavaScript for JSONata, java.util.regex for Jayway's filters)
// to RE2's syntax so that it means what it means in that dialect. Constructs RE2 cannot run in linear time
// (backreferences, lookahead, atomic groups, possessive quantifiers) are refused with an error naming them.
// Lookbehind without capturing groups runs (re2js's linear-time LOOKBEHINDS mode). Remaining differences:
// case-insensitive matching folds Unicode letters as RE2 does (Java without UNICODE_CASE folds ASCII only),
// `\S` inside a character class is RE2's (not \t\n\f\r and space), and repeat counts are capped at 1000.
import { RE2JS, RE2JSException } from "re2js";

/** Whose syntax a pattern is written in. */
export type RegexDialect = "javascript" | "java";

export interface RegexFlags {
  readonly ignoreCase?: boolean;
  readonly multiline?: boolean;
  /** `.` matches line terminators too (JavaScript `s`, Java DOTALL). */
  readonly dotAll?: boolean;
  /** Java's UNIX_LINES (`d`): only `\n` ends a line for `.`. */
  readonly unixLines?: boolean;
}

/** A pattern this engine cannot run; the message names the construct or RE2's objection. */
export class UnsupportedRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedRegexError";
  }
}

const ENGINE = "Stepwright's linear-time regular expression engine (RE2)";

// JavaScript's \s: WhiteSpace and LineTerminator (ECMA-262, CharacterClassEscape).
const JS_SPACE = "\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
// java.util.regex's \s without UNICODE_CHARACTER_CLASS: [ \t\n\x0B\f\r].
const JAVA_SPACE = "\\t\\n\\x0B\\f\\r ";
// What `.` does not match without dotAll: JavaScript's line terminators; Java's (UNIX_LINES: only \n).
const JS_NOT_DOT = "\\n\\r\\x{2028}\\x{2029}";
const JAVA_NOT_DOT = "\\n\\r\\x{85}\\x{2028}\\x{2029}";

/** Compiles a pattern for RE2; throws UnsupportedRegexError when it cannot run there. */
export function compileLinearRegex(source: string, dialect: RegexDialect, flags: RegexFlags = {}): RE2JS {
  const translated = translate(source, dialect, flags);
  let re2Flags = RE2JS.LOOKBEHINDS;
  if (flags.ignoreCase) re2Flags |= RE2JS.CASE_INSENSITIVE;
  if (flags.multiline) re2Flags |= RE2JS.MULTILINE;
  if (flags.dotAll) re2Flags |= RE2JS.DOTALL;
  try {
    return RE2JS.compile(translated, re2Flags);
  } catch (error) {
    if (error instanceof RE2JSException) {
      throw new UnsupportedRegexError(`The regular expression /${source}/ cannot run on ${ENGINE}: ${error.message}`);
    }
    throw error;
  }
}

function unsupported(source: string, construct: string): UnsupportedRegexError {
  return new UnsupportedRegexError(`The regular expression /${source}/ uses ${construct}, which ${ENGINE} does not support`);
}

/** Rewrites a pattern into RE2 syntax with the dialect's meaning, refusing what RE2 cannot run. */
function translate(source: string, dialect: RegexDialect, flags: RegexFlags): string {
  const js = dialect === "javascript";
  const space = js ? JS_SPACE : JAVA_SPACE;
  const notDot = js ? JS_NOT_DOT : flags.unixLines ? "\\n" : JAVA_NOT_DOT;
  let out = "";
  let inClass = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? "";
    if (c === "\\") {
      const next = source[i + 1];
      if (next === undefined) {
        out += c;
        i++;
        continue;
      }
      if (!js && next === "Q") {
        // Java's \Q...\E quotes everything up to \E (RE2 has the same syntax; copied as is).
        const end = source.indexOf("\\E", i + 2);
        const stop = end < 0 ? source.length : end + 2;
        out += source.slice(i, stop);
        i = stop;
        continue;
      }
      const [text, used] = translateEscape(source, i, next, inClass, js, space);
      out += text;
      i += used;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      else if (!js && (c === "[" || source.startsWith("&&", i))) {
        throw unsupported(source, "a nested character class or class intersection ([a-z&&[^e]])");
      }
      out += c;
      i++;
      continue;
    }
    if (c === "[") {
      // JavaScript's empty class matches nothing and [^] anything; re2js's translateRegExp spells them for RE2.
      if (js && (source.startsWith("[]", i) || source.startsWith("[^]", i))) {
        const text = source.startsWith("[]", i) ? "[]" : "[^]";
        out += RE2JS.translateRegExp(text);
        i += text.length;
        continue;
      }
      inClass = true;
      out += c;
      i++;
      // A `]` right after `[` or `[^` is a literal in Java (in JavaScript it closed the class, handled above).
      if (source[i] === "^") {
        out += "^";
        i++;
      }
      if (!js && source[i] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && source[i + 1] === "?") {
      const group = source.slice(i, i + 4);
      if (group.startsWith("(?=")) throw unsupported(source, "a lookahead (?=...)");
      if (group.startsWith("(?!")) throw unsupported(source, "a negative lookahead (?!...)");
      if (group.startsWith("(?>")) throw unsupported(source, "an atomic group (?>...)");
      if (group.startsWith("(?<") && group !== "(?<=" && group !== "(?<!") {
        // A named group: RE2 spells it (?P<name>...).
        out += "(?P<";
        i += 3;
        continue;
      }
    }
    if ((c === "+" || c === "*" || c === "?") && source[i + 1] === "+" && !js) {
      throw unsupported(source, `a possessive quantifier (${c}+)`);
    }
    if (c === "." && !flags.dotAll) {
      out += `[^${notDot}]`;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The escape at `at` (a backslash, then `next`) in RE2 syntax, and how many characters of the source it used. */
function translateEscape(
  source: string,
  at: number,
  next: string,
  inClass: boolean,
  js: boolean,
  space: string,
): [text: string, used: number] {
  if (next >= "1" && next <= "9" && !inClass) throw unsupported(source, `a backreference (\\${next})`);
  switch (next) {
    case "k":
      if (source[at + 2] === "<") throw unsupported(source, "a named backreference (\\k<name>)");
      return [js ? "k" : "\\k", 2];
    case "s":
      return [inClass ? space : `[${space}]`, 2];
    case "S":
      return [inClass ? "\\S" : `[^${space}]`, 2];
    case "b":
      // In a class, \b is the backspace character in both dialects.
      return [inClass ? "\\x08" : "\\b", 2];
    case "u": {
      const hex = /^[0-9A-Fa-f]{4}/.exec(source.slice(at + 2, at + 6));
      if (hex !== null) return [`\\x{${hex[0]}}`, 6];
      return [js ? "u" : "\\u", 2];
    }
    case "c": {
      const letter = source[at + 2];
      if (letter !== undefined && /^[A-Za-z]$/.test(letter)) return [`\\x{${(letter.charCodeAt(0) % 32).toString(16)}}`, 3];
      return [js ? "c" : "\\c", 2];
    }
    case "0": {
      if (js) return ["\\x00", 2];
      // Java's \0 takes one to three octal digits (at most \0377).
      const octal = /^[0-3]?[0-7]{1,2}/.exec(source.slice(at + 2, at + 5)) ?? /^[0-7]/.exec(source.slice(at + 2, at + 3));
      if (octal === null) return ["\\0", 2];
      return [`\\x{${parseInt(octal[0], 8).toString(16)}}`, 2 + octal[0].length];
    }
    case "e":
      return [js ? "e" : "\\x1B", 2];
    case "/":
      return ["/", 2];
  }
  if (js && /^[A-Za-z]$/.test(next) && !"dDwWBfnrtvx".includes(next)) {
    // Other letters escape to themselves in JavaScript (no `u` flag), while RE2 gives some a meaning
    // (\A, \z, \Q, \p, \C ...).
    return [next, 2];
  }
  return [`\\${next}`, 2];
}
