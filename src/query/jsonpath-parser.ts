// Parses JSONPath text into a PathAst. AWS evaluates JSONPath with Jayway JsonPath, so this follows
// Jayway's syntax ("Paths" in AWS docs, amazon-states-language-paths.html) plus the `$$` and `$var` roots.
import type {
  FilterExpr,
  FilterLiteral,
  FilterOperand,
  FilterOperator,
  PathAst,
  PathFunction,
  PathRoot,
  Segment,
  Selector,
} from "./jsonpath-ast.ts";

/** Thrown by compilePath for text that is not a valid path; the message names the problem. */
export class PathSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PathSyntaxError";
  }
}

const FUNCTIONS: ReadonlySet<string> = new Set(["length", "size", "min", "max", "avg", "sum", "stddev"]);
// Characters that end a dot-notation name inside a filter expression.
const FILTER_NAME_END = " \t\n\r)=!<>&|,";
const UNSUPPORTED_FILTER_OPERATORS = ["=~", " in ", " nin ", " subsetof ", " anyof ", " noneof ", " size ", " empty "];

/** Parses a whole path (`$...`, `$$...`, `$name...`). */
export function parsePath(source: string): PathAst {
  const parser = new PathParser(source);
  const ast = parser.path(false);
  if (parser.pos < source.length) parser.fail(`unexpected character '${source[parser.pos]}'`);
  return ast;
}

class PathParser {
  readonly src: string;
  pos = 0;
  constructor(src: string) {
    this.src = src;
  }

  fail(problem: string, at: number = this.pos): never {
    throw new PathSyntaxError(`Invalid JSONPath '${this.src}': ${problem} at position ${at}`);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  private skipSpaces(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  private expect(char: string): void {
    this.skipSpaces();
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
      if (c !== "." && c !== "[") {
        if (inFilter) break;
        this.fail(`unexpected character '${c}'`);
      }
      if (fn !== undefined) this.fail(`function ${fn}() must end the path`);
      const step = this.segment(inFilter);
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

  private segment(inFilter: boolean): Segment | PathFunction {
    if (this.peek() === "[") return { selector: this.bracket(), descendant: false };
    this.pos++; // '.'
    let descendant = false;
    if (this.peek() === ".") {
      descendant = true;
      this.pos++;
      if (this.peek() === "[") return { selector: this.bracket(), descendant };
    }
    if (this.peek() === "*") {
      this.pos++;
      return { selector: { kind: "wildcard" }, descendant };
    }
    const start = this.pos;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === "." || c === "[" || c === "(") break;
      if (inFilter && FILTER_NAME_END.includes(c)) break;
      if (/\s/.test(c)) this.fail("use bracket notation ['my prop'] for a name with blank characters");
      this.pos++;
    }
    const name = this.src.slice(start, this.pos);
    if (name === "") this.fail(this.pos >= this.src.length ? "the path must not end with '.'" : "empty property name");
    if (this.peek() === "(") {
      if (descendant || !FUNCTIONS.has(name)) this.fail(`function '${name}' is not supported`, start);
      this.pos++;
      this.expect(")");
      return name as PathFunction;
    }
    return { selector: { kind: "name", name }, descendant };
  }

  private bracket(): Selector {
    const open = this.pos;
    this.pos++; // '['
    this.skipSpaces();
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
      const text = this.src.slice(exprStart, this.pos).trim();
      this.expect(")");
      selector = { kind: "filter", expr, text };
    } else if (c === "'" || c === '"') {
      const names = [this.quoted()];
      this.skipSpaces();
      while (this.peek() === ",") {
        this.pos++;
        this.skipSpaces();
        if (this.peek() !== "'" && this.peek() !== '"') this.fail("expected a quoted property name");
        names.push(this.quoted());
        this.skipSpaces();
      }
      selector = names.length === 1 ? { kind: "name", name: names[0]! } : { kind: "names", names };
    } else if (c === "-" || c === ":" || /[0-9]/.test(c)) {
      selector = this.numeric();
    } else {
      this.fail(c === "" ? "unclosed '['" : `unexpected character '${c}' in brackets`, open);
    }
    this.expect("]");
    return selector;
  }

  /** A quoted name. Like AWS, a backslash only protects the next character: the name keeps it. */
  private quoted(): string {
    const quote = this.peek();
    const start = ++this.pos;
    while (this.pos < this.src.length && this.peek() !== quote) this.pos += this.peek() === "\\" ? 2 : 1;
    if (this.pos >= this.src.length) this.fail("unterminated quoted name", start - 1);
    const name = this.src.slice(start, this.pos);
    this.pos++;
    return name;
  }

  private integer(): number | undefined {
    this.skipSpaces();
    const text = /^-?[0-9]+/.exec(this.src.slice(this.pos))?.[0];
    if (text === undefined) return undefined;
    this.pos += text.length;
    this.skipSpaces();
    return Number(text);
  }

  private numeric(): Selector {
    const first = this.integer();
    if (this.peek() === ":") {
      this.pos++;
      const end = this.integer();
      // Jayway reads only `from:to`; a step after a second ':' is accepted and ignored.
      if (this.peek() === ":") {
        this.pos++;
        this.integer();
      }
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

  // ----- filter expressions: [?( ... )] -----

  private orExpr(): FilterExpr {
    let left = this.andExpr();
    for (this.skipSpaces(); this.src.startsWith("||", this.pos); this.skipSpaces()) {
      this.pos += 2;
      left = { kind: "or", left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): FilterExpr {
    let left = this.unaryExpr();
    for (this.skipSpaces(); this.src.startsWith("&&", this.pos); this.skipSpaces()) {
      this.pos += 2;
      left = { kind: "and", left, right: this.unaryExpr() };
    }
    return left;
  }

  private unaryExpr(): FilterExpr {
    this.skipSpaces();
    if (this.peek() === "!" && this.peek(1) !== "=") {
      this.pos++;
      return { kind: "not", operand: this.unaryExpr() };
    }
    if (this.peek() === "(") {
      this.pos++;
      const inner = this.orExpr();
      this.expect(")");
      return inner;
    }
    const left = this.operand();
    this.skipSpaces();
    const op = /^(==|!=|<=|>=|<|>)/.exec(this.src.slice(this.pos))?.[0] as FilterOperator | undefined;
    if (op === undefined) {
      const rest = ` ${this.src.slice(this.pos)}`;
      const unsupported = UNSUPPORTED_FILTER_OPERATORS.find((u) => rest.startsWith(u) || rest.startsWith(` ${u}`));
      if (unsupported !== undefined) this.fail(`filter operator '${unsupported.trim()}' is not supported yet`);
      if (left.kind === "literal") this.fail("a filter literal must be compared with something");
      return { kind: "exists", operand: left };
    }
    this.pos += op.length;
    return { kind: "compare", op, left, right: this.operand() };
  }

  private operand(): FilterOperand {
    this.skipSpaces();
    const c = this.peek();
    if (c === "@") {
      // `@` is the current item: a path whose root is that item.
      this.pos++;
      return { kind: "current", path: { root: { kind: "input" }, ...this.steps(true) } };
    }
    if (c === "$") return { kind: "root", path: this.path(true) };
    if (c === "'" || c === '"') return { kind: "literal", value: this.quoted() };
    const literal = /^(-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)/.exec(this.src.slice(this.pos))?.[0];
    if (literal === undefined) this.fail(c === "" ? "the filter is not closed" : `unexpected '${c}' in filter`);
    this.pos += literal.length;
    const value: FilterLiteral = JSON.parse(literal) as FilterLiteral;
    return { kind: "literal", value };
  }
}
