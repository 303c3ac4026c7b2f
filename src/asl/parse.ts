// Definition text (JSON, or YAML for local authoring) to a value plus a pointer -> line:column map.
// AWS reads definitions as strict JSON and rejects syntax errors and duplicate fields with
// INVALID_JSON_DESCRIPTION (ValidateStateMachineDefinitionDiagnostic, AWS API reference).
import type * as Yaml from "yaml";
import type { Document, LineCounter, Node } from "yaml";
import { lazyPackage } from "../util/lazy-package.ts";
import { MAX_JSON_NESTING_DEPTH, nestingDepthMessage } from "../sfn/limits.ts";
import { jsonNestingDepth } from "../util/json-depth.ts";
import { pointerSegments } from "./diagnostics.ts";
import type { Diagnostic } from "./diagnostics.ts";

/** A line and column in the source text, both 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A parsed definition: its value (undefined when unreadable), positions, and syntax problems. */
export interface ParsedDefinition {
  value: unknown;
  /** Where the value at a JSON pointer starts (for an object member: where its key starts). */
  locate(pointer: string): SourcePosition | undefined;
  /** Syntax errors and duplicate keys, as INVALID_JSON_DESCRIPTION diagnostics. */
  diagnostics: Diagnostic[];
}

/** How to read definition text: "json" for a `.json` file (its syntax errors are JSON's), "auto" otherwise. */
export type DefinitionFormat = "json" | "auto";

/** Parses definition text (JSON, or YAML when it does not start like JSON); never throws. */
export function parseDefinitionText(text: string, format: DefinitionFormat = "auto"): ParsedDefinition {
  // Refused before parsing: the YAML parser and the validator recurse once per level.
  const depth = jsonNestingDepth(text, MAX_JSON_NESTING_DEPTH);
  if (depth > MAX_JSON_NESTING_DEPTH) {
    const message = nestingDepthMessage(depth);
    return { value: undefined, locate: () => undefined, diagnostics: [{ code: "INVALID_JSON_DESCRIPTION", message, path: "", severity: "ERROR" }] };
  }
  if (format === "json" || /^\s*[[{"]/.test(text)) {
    // AWS accepts strict JSON only (YAML's flow syntax is looser: trailing commas, bare words). Valid JSON is
    // read by JSON.parse and scanned once for duplicate keys; the YAML document, slow to build for a large
    // definition, is built only if a diagnostic needs a position.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // A .json file is JSON: its error is JSON.parse's, with its line and column, never a YAML parser's.
      if (format === "json") return { value: undefined, locate: () => undefined, diagnostics: [jsonSyntaxDiagnostic(text, e)] };
      const parsed = parseYaml(text);
      if (parsed.diagnostics.length === 0) parsed.diagnostics.push(jsonSyntaxDiagnostic(text, e));
      return { value: undefined, locate: parsed.locate, diagnostics: parsed.diagnostics };
    }
    let document: YamlDocument | undefined;
    const locate = (pointer: string): SourcePosition | undefined => (document ??= parseYaml(text)).locate(pointer);
    const diagnostics = duplicateJsonKeys(text).map((start): Diagnostic => {
      const { line, column } = positionAt(text, start);
      return { code: "INVALID_JSON_DESCRIPTION", message: `Duplicate field '${keyAt(text, start)}'`, path: "", line, column, severity: "ERROR" };
    });
    return { value, locate, diagnostics };
  }
  const { doc, locate, diagnostics } = parseYaml(text);
  if (diagnostics.length > 0) return { value: undefined, locate, diagnostics };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // YAML-only failures (e.g. an alias without its anchor) surface while building the value.
    const message = e instanceof Error ? firstLine(e.message) : String(e);
    diagnostics.push({ code: "INVALID_JSON_DESCRIPTION", message, path: "", severity: "ERROR" });
    return { value: undefined, locate, diagnostics };
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return { value, locate, diagnostics };
  if (text.trim() === "") return { value: undefined, locate, diagnostics };
  // Not a mapping: read it as AWS does, as JSON, and report what its JSON parser (Jackson) reports.
  try {
    return { value: JSON.parse(text) as unknown, locate, diagnostics };
  } catch (e) {
    diagnostics.push(jsonSyntaxDiagnostic(text, e));
    return { value: undefined, locate, diagnostics };
  }
}

/** A YAML document with positions: its syntax problems and duplicate keys as diagnostics. */
interface YamlDocument {
  doc: Document;
  locate(pointer: string): SourcePosition | undefined;
  diagnostics: Diagnostic[];
}

/** The YAML parser, loaded on first use: a JSON definition without problems never needs it (issue 13). */
function yaml(): typeof Yaml {
  return lazyPackage<typeof Yaml>("yaml");
}

function parseYaml(text: string): YamlDocument {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  // YAML's own duplicate-key check compares each key with every earlier key of its map, quadratic in the keys
  // (a 10,000-state definition took seconds): duplicates are found with a set per map instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const index = new MapIndex();
  const locate = (pointer: string): SourcePosition | undefined => locateInDocument(doc, lineCounter, index, pointer);
  const findings = [
    ...doc.errors.map((err) => ({ start: err.pos[0], message: firstLine(err.message) })),
    ...duplicateKeys(doc).map((start) => ({ start, message: `Duplicate field '${keyAt(text, start)}'` })),
  ].sort((a, b) => a.start - b.start);
  const diagnostics = findings.map(({ start, message }): Diagnostic => {
    const pos = lineCounter.linePos(start);
    return { code: "INVALID_JSON_DESCRIPTION", message, path: "", line: pos.line, column: pos.col, severity: "ERROR" };
  });
  return { doc, locate, diagnostics };
}

/** Where each repeated key of an object starts in valid JSON text (keys equal once unescaped), in one pass. */
function duplicateJsonKeys(text: string): number[] {
  const found: number[] = [];
  // One entry per open bracket: the keys seen so far in an object, null for an array.
  const open: Array<Set<string> | null> = [];
  // The last structural character outside strings: a string right after `{` or `,` in an object is a key.
  let previous = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === '"') {
      const start = i;
      let escaped = false;
      for (i++; text[i] !== '"'; i++) {
        if (text[i] === "\\") {
          escaped = true;
          i++;
        }
      }
      const keys = open[open.length - 1];
      if (keys && (previous === "{" || previous === ",")) {
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        if (keys.has(key)) found.push(start);
        else keys.add(key);
      }
      previous = '"';
    } else if (c === "{") {
      open.push(new Set());
      previous = c;
    } else if (c === "[") {
      open.push(null);
      previous = c;
    } else if (c === "}" || c === "]") {
      open.pop();
      previous = c;
    } else if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") {
      previous = c;
    }
  }
  return found;
}

/** The 1-based line and column of an offset (lines end at \n, as YAML's LineCounter counts them). */
function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** The key text starting at an offset (a duplicate key's name). */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest) ?? /^'([^']*)'/.exec(rest);
  if (quoted) return quoted[1] ?? "";
  return (/^[^:\n]*/.exec(rest)?.[0] ?? "").trim();
}

/** A JSON syntax error; for a bare word, Jackson's "Unrecognized token" text that AWS returns verbatim. */
function jsonSyntaxDiagnostic(text: string, e: unknown): Diagnostic {
  const lead = /^\s*/.exec(text)?.[0] ?? "";
  const word = /^[^\s{}[\],:"]+/.exec(text.slice(lead.length))?.[0];
  if (word !== undefined && !/^(true|false|null|-?\d)/.test(word)) {
    const before = text.slice(0, lead.length + word.length);
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    const location = `[Source: (String)${JSON.stringify(text)}; line: ${line}, column: ${column}]`;
    const message =
      `Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at ${location}`;
    return { code: "INVALID_JSON_DESCRIPTION", message, path: "", location, line, column, severity: "ERROR" };
  }
  const message = e instanceof Error ? e.message : String(e);
  const m = /line (\d+) column (\d+)/.exec(message);
  const diagnostic: Diagnostic = { code: "INVALID_JSON_DESCRIPTION", message, path: "", severity: "ERROR" };
  if (m) {
    diagnostic.line = Number(m[1]);
    diagnostic.column = Number(m[2]);
  }
  return diagnostic;
}

/** Where each repeated key of a mapping starts (as YAML's uniqueKeys reports: scalar keys equal in value). */
function duplicateKeys(doc: Document): number[] {
  const { isMap, isScalar, isSeq } = yaml();
  const found: number[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const value = pair.key.value;
          const start = pair.key.range?.[0];
          if (seen.has(value) && start !== undefined) found.push(start);
          seen.add(value);
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  return found.sort((a, b) => a - b);
}

/** The pairs of each mapping by key text, built when first looked in: locating N pointers stays linear. */
class MapIndex {
  private readonly byMap = new WeakMap<object, Map<string, unknown>>();
  pairOf(map: { items: unknown[] }, key: string): unknown {
    const { isPair, isScalar } = yaml();
    let pairs = this.byMap.get(map);
    if (pairs === undefined) {
      pairs = new Map();
      for (const p of map.items) {
        // The first pair with a key wins, as find() did.
        if (isPair(p) && isScalar(p.key) && !pairs.has(String(p.key.value))) pairs.set(String(p.key.value), p);
      }
      this.byMap.set(map, pairs);
    }
    return pairs.get(key);
  }
}

function locateInDocument(doc: Document, lineCounter: LineCounter, index: MapIndex, pointer: string): SourcePosition | undefined {
  const { isMap, isPair, isSeq } = yaml();
  let node: unknown = doc.contents;
  let at: number | undefined = doc.contents?.range?.[0];
  for (const segment of pointerSegments(pointer)) {
    if (isMap(node)) {
      const pair = index.pairOf(node, segment);
      if (!isPair(pair)) return undefined;
      at = (pair.key as Node).range?.[0];
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined || !/^\d+$/.test(segment)) return undefined;
      at = (item as Node).range?.[0];
      node = item;
    } else {
      return undefined;
    }
  }
  if (at === undefined) return undefined;
  const pos = lineCounter.linePos(at);
  return { line: pos.line, column: pos.col };
}
