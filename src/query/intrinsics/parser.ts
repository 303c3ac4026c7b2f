// Parses intrinsic function calls such as `States.Format('Hello {}', $.name)`
// ("Intrinsic functions", AWS docs, intrinsic-functions.html).
import { compileJsonPath, PathSyntaxError } from "../jsonpath.ts";

/** One argument of an intrinsic call. String literals keep their source text (`raw`) for States.Format. */
export type IntrinsicArg =
  | { readonly kind: "string"; readonly value: string; readonly raw: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "call"; readonly call: IntrinsicCall };

/** A parsed call: `name` is the full name, e.g. "States.Format". */
export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly IntrinsicArg[];
}

/** Thrown for text that is not a well-formed intrinsic call. */
export class IntrinsicSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntrinsicSyntaxError";
  }
}

const CALL_START = /^States\.[A-Za-z0-9]+\(/;

/** True when the text starts like an intrinsic call: `States.` + a name + `(`. */
export function isIntrinsicCall(text: string): boolean {
  return CALL_START.test(text.trimStart());
}

/** Parses an intrinsic call; throws IntrinsicSyntaxError naming the problem. */
export function parseIntrinsic(text: string): IntrinsicCall {
  const parser = new IntrinsicParser(text);
  parser.skipSpaces();
  const call = parser.call();
  parser.skipSpaces();
  if (parser.pos < text.length) parser.fail(`unexpected text after the call: '${text.slice(parser.pos)}'`);
  return call;
}

class IntrinsicParser {
  readonly src: string;
  pos = 0;
  constructor(src: string) {
    this.src = src;
  }

  fail(problem: string): never {
    throw new IntrinsicSyntaxError(`Invalid intrinsic function call '${this.src}': ${problem} (at position ${this.pos})`);
  }

  skipSpaces(): void {
    while (/\s/.test(this.src[this.pos] ?? "")) this.pos++;
  }

  call(): IntrinsicCall {
    const name = /^States\.[A-Za-z0-9]+/.exec(this.src.slice(this.pos))?.[0];
    if (name === undefined) this.fail("expected a function name such as States.Format");
    this.pos += name.length;
    if (this.src[this.pos] !== "(") this.fail(`expected '(' after ${name}`);
    this.pos++;
    const args: IntrinsicArg[] = [];
    this.skipSpaces();
    if (this.src[this.pos] === ")") {
      this.pos++;
      return { name, args };
    }
    for (;;) {
      this.skipSpaces();
      args.push(this.argument());
      this.skipSpaces();
      const c = this.src[this.pos];
      this.pos++;
      if (c === ")") return { name, args };
      if (c !== ",") {
        this.pos--;
        this.fail(c === undefined ? `the call to ${name} is not closed` : `expected ',' or ')' but found '${c}'`);
      }
    }
  }

  private argument(): IntrinsicArg {
    const c = this.src[this.pos] ?? "";
    if (c === "'") return this.string();
    if (c === "$") return { kind: "path", path: this.path() };
    if (this.src.startsWith("States.", this.pos)) return { kind: "call", call: this.call() };
    const word = /^(-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)(?![A-Za-z0-9_.])/.exec(this.src.slice(this.pos))?.[0];
    if (word === undefined) this.fail(c === "" ? "missing argument" : `unexpected argument starting with '${c}'`);
    this.pos += word.length;
    if (word === "null") return { kind: "null" };
    if (word === "true" || word === "false") return { kind: "boolean", value: word === "true" };
    return { kind: "number", value: Number(word) };
  }

  /**
   * A single-quoted literal; `\'`, `\{`, `\}` and `\\` stand for the character after the backslash. These four
   * are the only escapes ("Intrinsic functions", intrinsic-functions.html, "Reserved characters": `' { } \` "must
   * be escaped using a backslash"); a backslash before any other character is SCHEMA_VALIDATION_FAILED on AWS.
   */
  private string(): IntrinsicArg {
    const start = ++this.pos;
    let value = "";
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail("unterminated string literal");
      if (c === "'") break;
      if (c === "\\") {
        const next = this.src[this.pos + 1];
        if (next === undefined) this.fail("unterminated string literal");
        if (next !== "'" && next !== "{" && next !== "}" && next !== "\\") {
          this.fail(`invalid escape sequence '\\${next}' in a string literal (only \\', \\{, \\} and \\\\ are allowed)`);
        }
        value += next;
        this.pos += 2;
      } else {
        value += c;
        this.pos++;
      }
    }
    const raw = this.src.slice(start, this.pos);
    this.pos++;
    return { kind: "string", value, raw };
  }

  /** A JSONPath argument: it runs to the next top-level ',' or ')' (brackets and quotes may hold either). */
  private path(): string {
    const start = this.pos;
    let depth = 0;
    let quote = "";
    for (; this.pos < this.src.length; this.pos++) {
      const c = this.src[this.pos] ?? "";
      if (quote !== "") {
        if (c === "\\") this.pos++;
        else if (c === quote) quote = "";
      } else if (c === "'" || c === '"') quote = c;
      else if (c === "[" || c === "(") depth++;
      else if ((c === "]" || c === ")") && depth > 0) depth--;
      else if ((c === "," || c === ")") && depth === 0) break;
    }
    const path = this.src.slice(start, this.pos).trim();
    try {
      compileJsonPath(path);
    } catch (error) {
      if (error instanceof PathSyntaxError) this.fail(error.message);
      throw error;
    }
    return path;
  }
}

/** Prints a call back as intrinsic text (string literals escaped); parsing it gives the same call. */
export function printIntrinsic(call: IntrinsicCall): string {
  return `${call.name}(${call.args.map(printArg).join(", ")})`;
}

function printArg(arg: IntrinsicArg): string {
  switch (arg.kind) {
    case "string":
      return `'${arg.value.replace(/[\\'{}]/g, (c) => `\\${c}`)}'`;
    case "number":
    case "boolean":
      return String(arg.value);
    case "null":
      return "null";
    case "path":
      return arg.path;
    case "call":
      return printIntrinsic(arg.call);
  }
}
