// What Jayway JsonPath inherits from Java and the libraries it runs on, redone for the JSONPath filters:
// BigDecimal number text, Java string unescaping, java.util.regex patterns and json-smart's permissive JSON.
import type { Json, JsonObject } from "../util/json.ts";
import { compileLinearRegex, UnsupportedRegexError } from "./linear-regex.ts";

// Written so that no digit can be read two ways (`[0-9]+\.?[0-9]*` backtracks quadratically on a long run of
// digits that fails at its end, and these are matched against strings from the input).
const BIG_DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** True when `new BigDecimal(text)` accepts the text. */
export function isBigDecimal(text: string): boolean {
  return BIG_DECIMAL.test(text);
}

/** `new BigDecimal(text).toString()`: e.g. "1e3" -> "1E+3", "0.50" -> "0.50", "-0" -> "0", "1e-2" -> "0.01". */
export function bigDecimalText(text: string): string {
  const parts = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (parts === null) return text;
  const [, sign, whole = "", fraction = "", exponent = "0"] = parts;
  const digits = (whole + fraction).replace(/^0+(?=[0-9])/, "") || "0";
  const scale = fraction.length - Number(exponent);
  const adjusted = digits.length - 1 - scale;
  let body: string;
  if (scale === 0) body = digits;
  else if (scale > 0 && adjusted >= -6) {
    body =
      digits.length > scale
        ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
        : `0.${"0".repeat(scale - digits.length)}${digits}`;
  } else {
    body = `${digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits}E${adjusted > 0 ? "+" : ""}${adjusted}`;
  }
  return sign === "-" && /[1-9]/.test(digits) ? `-${body}` : body;
}

/**
 * The text Jayway compares when a JSON number meets a string: BigDecimal of the number Jackson read
 * (a Long for integers, else Double.toString). JSON.parse keeps no "1.0" versus "1", so integers print plain.
 */
export function javaNumberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) return bigDecimalText(String(value));
  // Double.toString: "1.0E-5", "1.2345E10" (at least one digit after the point).
  const [mantissa = "", exponent = "0"] = value.toExponential().split("e");
  const javaDouble = `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  return bigDecimalText(javaDouble);
}

/** Jayway's Utils.unescape: `\n`, `\t`, `\'`, `\"`, `\\`, `\uXXXX`...; another escaped character stands for itself. */
export function unescapeJava(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c !== "\\") {
      out += c;
      continue;
    }
    if (i + 1 >= text.length) return `${out}\\`;
    const next = text[++i] ?? "";
    switch (next) {
      case "r":
        out += "\r";
        break;
      case "f":
        out += "\f";
        break;
      case "t":
        out += "\t";
        break;
      case "n":
        out += "\n";
        break;
      case "b":
        out += "\b";
        break;
      case "u": {
        const hex = text.slice(i + 1, i + 5);
        // Jayway fails on a bad \u escape; keep the text as it is instead.
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return out + text.slice(i - 1);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        out += next;
    }
  }
  return out;
}

/** The flags of a Jayway pattern (`/.../flags`), as java.util.regex.Pattern reads them. */
export const JAVA_PATTERN_FLAGS = "dixmsuU";

/** A Jayway filter pattern, matched like Matcher.matches() (the whole input). */
export interface JavaPattern {
  /** True when the pattern matches all of `input`; throws UnsupportedRegexError when RE2 cannot run it. */
  fullMatch(input: string): boolean;
}

/** Java's inline flags at the start (e.g. `(?i)abc`) joined to the `/.../flags`, and the pattern without them. */
function splitFlags(source: string, flags: string): { pattern: string; flags: string } {
  const inline = /^\(\?([dixmsuU]+)\)/.exec(source);
  if (inline !== null) {
    flags += inline[1];
    source = source.slice(inline[0].length);
  }
  return { pattern: flags.includes("x") ? stripPatternComments(source) : source, flags };
}

/**
 * True when the pattern is well-formed (the definition check). JavaScript's parser stands in for Java's: it
 * only parses, so no input is ever matched by a backtracking engine.
 */
export function isJavaPatternSyntax(source: string, flags: string): boolean {
  const split = splitFlags(source, flags);
  try {
    new RegExp(split.pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles a Java regular expression for RE2 (linear-regex.ts). A pattern RE2 cannot run (a backreference, a
 * lookahead ...) compiles to one whose every match throws UnsupportedRegexError naming the construct: the
 * definition is valid (as on AWS), and only evaluating the filter fails.
 */
export function compileJavaPattern(source: string, flags: string): JavaPattern {
  const split = splitFlags(source, flags);
  try {
    const re2 = compileLinearRegex(split.pattern, "java", {
      ignoreCase: split.flags.includes("i"),
      multiline: split.flags.includes("m"),
      dotAll: split.flags.includes("s"),
      unixLines: split.flags.includes("d"),
    });
    return { fullMatch: (input) => re2.testExact(input) };
  } catch (error) {
    if (!(error instanceof UnsupportedRegexError)) throw error;
    return {
      fullMatch: () => {
        throw error;
      },
    };
  }
}

/** Pattern.COMMENTS (`x`): unescaped blanks and `#` comments to the end of the line do not count. */
function stripPatternComments(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? "";
    if (c === "\\") {
      out += source.slice(i, i + 2);
      i++;
    } else if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/**
 * json-smart's permissive JSON (Jayway parses `[...]` and `{...}` filter literals with it): strings in
 * single or double quotes, unquoted words as strings, spare commas. Undefined when the text is not that.
 */
export function parsePermissiveJson(text: string): Json | undefined {
  const reader = new PermissiveJson(text);
  try {
    const value = reader.value();
    reader.blanks();
    return reader.pos === text.length ? value : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

class PermissiveJson {
  readonly text: string;
  pos = 0;
  constructor(text: string) {
    this.text = text;
  }

  blanks(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  value(): Json {
    this.blanks();
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"' || c === "'") return this.string();
    const word = this.word();
    if (word === "") throw new SyntaxError(`unexpected '${c ?? "end"}'`);
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    return /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(word) ? Number(word) : word;
  }

  private array(): Json[] {
    this.pos++;
    const items: Json[] = [];
    for (;;) {
      this.blanks();
      const c = this.text[this.pos];
      if (c === "]") break;
      if (c === ",") this.pos++;
      else items.push(this.value());
      if (this.pos >= this.text.length) throw new SyntaxError("unclosed array");
    }
    this.pos++;
    return items;
  }

  private object(): JsonObject {
    this.pos++;
    const object: JsonObject = {};
    for (;;) {
      this.blanks();
      const c = this.text[this.pos];
      if (c === "}") break;
      if (c === ",") {
        this.pos++;
        continue;
      }
      const key = c === '"' || c === "'" ? this.string() : this.word();
      this.blanks();
      if (key === "" || this.text[this.pos] !== ":") throw new SyntaxError("expected a key and ':'");
      this.pos++;
      Object.defineProperty(object, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      if (this.pos >= this.text.length) throw new SyntaxError("unclosed object");
    }
    this.pos++;
    return object;
  }

  private string(): string {
    const quote = this.text[this.pos];
    const start = ++this.pos;
    while (this.pos < this.text.length && this.text[this.pos] !== quote) this.pos += this.text[this.pos] === "\\" ? 2 : 1;
    if (this.pos >= this.text.length) throw new SyntaxError("unclosed string");
    return unescapeJava(this.text.slice(start, this.pos++));
  }

  /** An unquoted token, up to a structural character (json-smart reads these as strings). */
  private word(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !",:[]{}".includes(this.text[this.pos] ?? "")) this.pos++;
    return this.text.slice(start, this.pos).trim();
  }
}
