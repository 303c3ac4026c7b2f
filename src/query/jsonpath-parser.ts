// Parses JSONPath text into a PathAst. AWS evaluates JSONPath with Jayway JsonPath, so this follows
// Jayway's PathCompiler and FilterCompiler ("Paths" in AWS docs, amazon-states-language-paths.html) plus
// the `$$` and `$var` roots. Two forms that AWS accepts in published definitions are older Jayway syntax:
// script indexes `[(@.length-1)]` and unquoted words in filters (`[?(@.code==es)]`, compared as strings).
import type {
  FilterExpr,
  FilterOperand,
  FilterOperator,
  PathAst,
  PathFunction,
  PathRoot,
  Segment,
  Selector,
} from "./jsonpath-ast.ts";
import {
  bigDecimalText,
  isJavaPatternSyntax,
  JAVA_PATTERN_FLAGS,
  parsePermissiveJson,
  unescapeJava,
} from "./jsonpath-java.ts";

/** Thrown by compilePath for text that is not a valid path; the message names the problem. */
export class PathSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PathSyntaxError";
  }
}

const FUNCTIONS: readonly PathFunction[] = ["length", "size", "min", "max", "avg", "sum", "stddev", "keys", "first", "last"];
// Inside a filter a path ends at a blank, a relational operator character or a closing parenthesis (Jayway's readPath).
const FILTER_PATH_END = " <>=~!)";
const OPERATOR_CHARS = "<>=~!";
const SYMBOL_OPERATORS: readonly FilterOperator[] = ["==", "!=", "===", "!==", "<", "<=", ">", ">=", "=~"];
const WORD_OPERATORS: readonly FilterOperator[] = [
  "in", "nin", "subsetof", "anyof", "noneof", "contains", "all", "size", "empty", "exists", "type", "matches",
];
// Characters that end an unquoted filter literal (a number, true/false/null or a bare word).
const WORD_END = " \t\n\r()&|<>=!~'\"";
// Jayway's number characters; a word of these that BigDecimal reads is a number.
// No digit can be read two ways: linear on a long run of digits (see BIG_DECIMAL in jsonpath-java.ts).
const NUMBER_LITERAL = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * Parses a whole path (`$...`, `$$...`, `$name...`). Blanks (U+0020 only) around the whole path are ignored, as
 * Jayway's PathCompiler ignores them (`CharacterIndex.trim()` before compiling): `"$$.Execution.Name "` runs on
 * AWS (a published sample); blanks inside a path keep Jayway's rules (an error in a dot-notation name, allowed
 * inside brackets and filters).
 */
export function parsePath(source: string): PathAst {
  let start = 0;
  let end = source.length;
  while (start < end && source[start] === " ") start++;
  while (end > start && source[end - 1] === " ") end--;
  const parser = new PathParser(start === 0 && end === source.length ? source : source.slice(start, end), source, start);
  const ast = parser.path(false);
  if (parser.pos < parser.src.length) parser.fail(`unexpected character '${parser.src[parser.pos]}'`);
  return ast;
}

class PathParser {
  /** The text parsed: the source without its surrounding blanks. */
  readonly src: string;
  /** The source as written (for messages) and where `src` starts in it. */
  private readonly written: string;
  private readonly offset: number;
  pos = 0;
  constructor(src: string, written: string = src, offset = 0) {
    this.src = src;
    this.written = written;
    this.offset = offset;
  }

  fail(problem: string, at: number = this.pos): never {
    throw new PathSyntaxError(`Invalid JSONPath '${this.written}': ${problem} at position ${at + this.offset}`);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  /** Jayway skips only spaces between tokens (a tab is an ordinary character). */
  private skipBlanks(): void {
    while (this.src[this.pos] === " ") this.pos++;
  }

  private expect(char: string, skipBlanks = true): void {
    if (skipBlanks) this.skipBlanks();
    if (this.peek() !== char) this.fail(this.peek() === "" ? `expected '${char}' but the path ended` : `expected '${char}'`);
    this.pos++;
  }

  /** A root followed by segments; inside a filter the path ends at the first character that cannot continue it. */
  path(inFilter: boolean): PathAst {
    const root = this.root();
    return { root, ...this.steps(inFilter) };
  }

  /** The segments after a root, and an optional trailing function such as `.length()`. */
  private steps(inFilter: boolean): { segments: Segment[]; fn: PathFunction | undefined } {
    const segments: Segment[] = [];
    let fn: PathFunction | undefined;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (inFilter && FILTER_PATH_END.includes(c)) break;
      if (fn !== undefined) this.fail(`function ${fn}() must end the path`);
      let step: Segment | PathFunction;
      if (c === ".") step = this.dotStep(inFilter);
      else if (c === "[") step = { selector: this.bracket(), descendant: false };
      // As in Jayway, a name, `*` or function may follow a bracket or a wildcard without a dot: `$['a']b`.
      else if (segments.length > 0 && c !== " ") step = this.bareStep(inFilter, false);
      else this.fail(c === " " ? "unexpected blank" : `unexpected character '${c}'`);
      if (typeof step === "string") fn = step;
      else segments.push(step);
    }
    return { segments, fn };
  }

  private root(): PathRoot {
    if (this.peek() !== "$") this.fail("a path must start with '$'");
    this.pos++;
    if (this.peek() === "$") {
      this.pos++;
      return { kind: "context" };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos))?.[0];
    if (name === undefined) return { kind: "input" };
    this.pos += name.length;
    return { kind: "variable", name };
  }

  /** `.name`, `.*`, `.fn()`, `.[...]` (a dot before a bracket is allowed) or the same after `..`. */
  private dotStep(inFilter: boolean): Segment | PathFunction {
    this.pos++; // '.'
    let descendant = false;
    if (this.peek() === ".") {
      descendant = true;
      this.pos++;
    }
    if (this.pos >= this.src.length) this.fail("the path must not end with '.' or '..'");
    if (this.peek() === ".") this.fail("unexpected '.'");
    if (this.peek() === "[") return { selector: this.bracket(), descendant };
    return this.bareStep(inFilter, descendant);
  }

  /** `*`, a property name (anything up to `.`, `[`, `(`; no blanks) or a function call `name()`. */
  private bareStep(inFilter: boolean, descendant: boolean): Segment | PathFunction {
    if (this.peek() === "*") {
      this.pos++;
      return { selector: { kind: "wildcard" }, descendant };
    }
    const start = this.pos;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === "." || c === "[" || c === "(" || c === " " || (inFilter && FILTER_PATH_END.includes(c))) break;
      this.pos++;
    }
    const name = this.src.slice(start, this.pos);
    if (!inFilter && this.peek() === " ") this.fail("use bracket notation ['my prop'] for a name with blank characters");
    if (name === "") this.fail(this.pos >= this.src.length ? "the path must not end with '.'" : "empty property name");
    if (this.peek() === "(") {
      const fn = FUNCTIONS.find((f) => f === name);
      if (descendant || fn === undefined) this.fail(`function '${name}' is not supported`, start);
      this.pos++;
      // In a filter a blank ends the path, so `length( )` is not a call there.
      this.expect(")", !inFilter);
      return fn;
    }
    return { selector: { kind: "name", name }, descendant };
  }

  private bracket(): Selector {
    const open = this.pos;
    this.pos++; // '['
    this.skipBlanks();
    const c = this.peek();
    let selector: Selector;
    if (c === "*") {
      this.pos++;
      selector = { kind: "wildcard" };
    } else if (c === "?") {
      this.pos++;
      this.expect("(");
      const exprStart = this.pos;
      const expr = this.orExpr();
      this.skipBlanks();
      const text = this.src.slice(exprStart, this.pos).trim();
      this.expect(")");
      selector = { kind: "filter", expr, text };
    } else if (c === "'" || c === '"') {
      selector = this.names();
    } else if (c === "(") {
      selector = this.script();
    } else if (c === "-" || c === ":" || /[0-9]/.test(c)) {
      selector = this.numeric();
    } else {
      this.fail(c === "" ? "unclosed '['" : `unexpected character '${c}' in brackets`, open);
    }
    this.expect("]");
    return selector;
  }

  /** `['a']` or `['a', 'b']`; every name uses the quote of the first. */
  private names(): Selector {
    const quote = this.peek();
    const first = this.quoted();
    const names = [first];
    this.skipBlanks();
    while (this.peek() === ",") {
      this.pos++;
      this.skipBlanks();
      if (this.peek() !== quote) this.fail("expected a quoted property name");
      names.push(this.quoted());
      this.skipBlanks();
    }
    return names.length === 1 ? { kind: "name", name: first } : { kind: "names", names };
  }

  /** A quoted name. Like AWS, a backslash only protects the next character: the name keeps it. */
  private quoted(): string {
    const quote = this.peek();
    const start = ++this.pos;
    while (this.pos < this.src.length && this.peek() !== quote) this.pos += this.peek() === "\\" ? 2 : 1;
    if (this.pos >= this.src.length) this.fail("unterminated quoted text", start - 1);
    const name = this.src.slice(start, this.pos);
    this.pos++;
    return name;
  }

  private integer(): number | undefined {
    this.skipBlanks();
    const text = /^-?[0-9]+/.exec(this.src.slice(this.pos))?.[0];
    if (text === undefined) return undefined;
    this.pos += text.length;
    this.skipBlanks();
    return Number(text);
  }

  private numeric(): Selector {
    const at = this.pos;
    const first = this.integer();
    if (this.peek() === ":") {
      this.pos++;
      const end = this.integer();
      // Jayway reads only `from:to`; a step after a second ':' is accepted and ignored.
      if (this.peek() === ":") {
        this.pos++;
        this.integer();
      }
      if (first === undefined && end === undefined) this.fail("a slice needs a start or an end", at);
      return { kind: "slice", start: first, end };
    }
    if (first === undefined) this.fail("expected an array index");
    const indexes = [first];
    while (this.peek() === ",") {
      this.pos++;
      const next = this.integer();
      if (next === undefined) this.fail("expected an array index");
      indexes.push(next);
    }
    return indexes.length === 1 ? { kind: "index", index: first } : { kind: "indexes", indexes };
  }

  /** A script index `(@.length - 1)` (also `@.size()`), with any number of `+ n` / `- n` terms. */
  private script(): Selector {
    this.pos++; // '('
    this.skipBlanks();
    const head = /^@\.(?:length|size)(?:\(\))?/.exec(this.src.slice(this.pos))?.[0];
    if (head === undefined) this.fail("a script index must read (@.length - n)");
    this.pos += head.length;
    let offset = 0;
    for (this.skipBlanks(); this.peek() === "+" || this.peek() === "-"; this.skipBlanks()) {
      const sign = this.peek() === "-" ? -1 : 1;
      this.pos++;
      this.skipBlanks();
      const digits = /^[0-9]+/.exec(this.src.slice(this.pos))?.[0];
      if (digits === undefined) this.fail("expected a number");
      this.pos += digits.length;
      offset += sign * Number(digits);
    }
    this.expect(")");
    return { kind: "script", offset };
  }

  // ----- filter expressions: [?( ... )], after Jayway's FilterCompiler -----
  //   LogicalOR   = LogicalAND { '||' LogicalAND }
  //   LogicalAND  = Operand { '&&' Operand }
  //   Operand     = '!' Operand | '(' LogicalOR ')' | Value [ RelationalOperator Value ]

  private orExpr(): FilterExpr {
    let left = this.andExpr();
    for (this.skipBlanks(); this.src.startsWith("||", this.pos); this.skipBlanks()) {
      this.pos += 2;
      left = { kind: "or", left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): FilterExpr {
    let left = this.andOperand();
    for (this.skipBlanks(); this.src.startsWith("&&", this.pos); this.skipBlanks()) {
      this.pos += 2;
      left = { kind: "and", left, right: this.andOperand() };
    }
    return left;
  }

  private andOperand(): FilterExpr {
    this.skipBlanks();
    if (this.peek() === "!") {
      const bang = this.pos;
      this.pos++;
      this.skipBlanks();
      // `!` right before a path belongs to that path (a negated existence check).
      if (this.peek() === "@" || this.peek() === "$") this.pos = bang;
      else return { kind: "not", operand: this.andOperand() };
    }
    if (this.peek() === "(") {
      this.pos++;
      const inner = this.orExpr();
      this.expect(")");
      return inner;
    }
    return this.relation();
  }

  /** `value op value`, or a path alone (an existence check). */
  private relation(): FilterExpr {
    const { operand: left, negated } = this.operand();
    const afterLeft = this.pos;
    const op = this.operator();
    // Jayway drops a `!` before a compared path: `!@.a == 1` is `@.a == 1`.
    if (op !== undefined) return { kind: "compare", op, left, right: this.operand().operand };
    this.pos = afterLeft;
    if (left.kind !== "current" && left.kind !== "root") this.fail("a filter literal must be compared with something");
    const exists: FilterExpr = { kind: "exists", operand: left };
    return negated ? { kind: "not", operand: exists } : exists;
  }

  /** A run of `<>=~!` characters, or a word up to the next blank; undefined when it is no operator. */
  private operator(): FilterOperator | undefined {
    this.skipBlanks();
    const start = this.pos;
    const first = this.peek();
    if (first !== "" && OPERATOR_CHARS.includes(first)) {
      while (this.pos < this.src.length && OPERATOR_CHARS.includes(this.peek())) this.pos++;
      const symbol = this.src.slice(start, this.pos);
      const operator = SYMBOL_OPERATORS.find((o) => o === symbol);
      if (operator !== undefined) return operator;
    } else {
      while (this.pos < this.src.length && this.peek() !== " ") this.pos++;
      const word = this.src.slice(start, this.pos).toLowerCase();
      const operator = WORD_OPERATORS.find((o) => o === word);
      if (operator !== undefined) return operator;
    }
    this.pos = start;
    return undefined;
  }

  private operand(): { operand: FilterOperand; negated: boolean } {
    this.skipBlanks();
    let negated = false;
    if (this.peek() === "!") {
      this.pos++;
      this.skipBlanks();
      if (this.peek() !== "@" && this.peek() !== "$") this.fail("unexpected '!'");
      negated = true;
    }
    const c = this.peek();
    if (c === "@") {
      // `@` is the current item: a path whose root is that item.
      this.pos++;
      return { operand: { kind: "current", path: { root: { kind: "input" }, ...this.steps(true) } }, negated };
    }
    if (c === "$") return { operand: { kind: "root", path: this.path(true) }, negated };
    return { operand: this.literal(), negated: false };
  }

  private literal(): FilterOperand {
    const c = this.peek();
    if (c === "'" || c === '"') return { kind: "literal", value: unescapeJava(this.quoted()) };
    if (c === "/") return this.regex();
    if (c === "[" || c === "{") return this.jsonLiteral();
    const start = this.pos;
    while (this.pos < this.src.length && !WORD_END.includes(this.peek())) this.pos++;
    const word = this.src.slice(start, this.pos);
    if (word === "") this.fail(c === "" ? "the filter is not closed" : `unexpected '${c}' in filter`);
    if (word === "true" || word === "false") return { kind: "literal", value: word === "true" };
    if (word === "null") return { kind: "literal", value: null };
    if (NUMBER_LITERAL.test(word)) return { kind: "literal", value: Number(word), numberText: bigDecimalText(word) };
    // An unquoted word is a string, as AWS accepts it (`[?(@.TargetLanguageCode==es)]` in published definitions).
    return { kind: "literal", value: word };
  }

  /** `/pattern/flags`: the pattern ends at the next unescaped `/`, the flags are Java's (d i x m s u U). */
  private regex(): FilterOperand {
    const start = this.pos;
    let close = start + 1;
    while (close < this.src.length && this.src[close] !== "/") close += this.src[close] === "\\" ? 2 : 1;
    if (close >= this.src.length) this.fail("the regular expression is not closed", start);
    let end = close + 1;
    while (end < this.src.length && JAVA_PATTERN_FLAGS.includes(this.src[end] ?? "")) end++;
    const source = this.src.slice(start + 1, close);
    const flags = this.src.slice(close + 1, end);
    if (!isJavaPatternSyntax(source, flags)) this.fail("invalid regular expression", start);
    this.pos = end;
    return { kind: "regex", source, flags };
  }

  /** `[...]` or `{...}` up to the matching bracket (quoted text skipped), read as json-smart reads it. */
  private jsonLiteral(): FilterOperand {
    const start = this.pos;
    const open = this.peek();
    const close = open === "[" ? "]" : "}";
    let depth = 0;
    for (let i = start; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "'" || c === '"') {
        for (i++; i < this.src.length && this.src[i] !== c; i++) if (this.src[i] === "\\") i++;
      } else if (c === open) depth++;
      else if (c === close && --depth === 0) {
        this.pos = i + 1;
        return { kind: "json", value: parsePermissiveJson(this.src.slice(start, this.pos)) };
      }
    }
    this.fail(`unclosed '${open}'`, start);
  }
}
