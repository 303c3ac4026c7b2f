// Definition text (JSON, or YAML for local authoring) to a value plus a pointer -> line:column map.
// AWS reads definitions as strict JSON and rejects syntax errors and duplicate fields with
// INVALID_JSON_DESCRIPTION (ValidateStateMachineDefinitionDiagnostic, AWS API reference).
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
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

/** Parses definition text (JSON, or YAML when it does not start like JSON); never throws. */
export function parseDefinitionText(text: string): ParsedDefinition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locate = (pointer: string): SourcePosition | undefined => locateInDocument(doc, lineCounter, pointer);
  const diagnostics: Diagnostic[] = [];
  const looksLikeJson = /^\s*[[{"]/.test(text);

  for (const err of doc.errors) {
    const [start] = err.pos;
    const pos = lineCounter.linePos(start);
    const duplicate = err.code === "DUPLICATE_KEY";
    const message = duplicate ? `Duplicate field '${keyAt(text, start)}'` : firstLine(err.message);
    diagnostics.push({ code: "INVALID_JSON_DESCRIPTION", message, path: "", line: pos.line, column: pos.col, severity: "ERROR" });
  }

  if (looksLikeJson) {
    // AWS accepts strict JSON only: YAML's flow syntax is looser (trailing commas, bare words).
    try {
      const value: unknown = JSON.parse(text);
      // Valid JSON: only YAML's duplicate-key findings still apply (its other complaints, e.g. tabs, do not).
      const duplicates = diagnostics.filter((d) => d.message.startsWith("Duplicate field"));
      return { value, locate, diagnostics: duplicates };
    } catch (e) {
      if (diagnostics.length === 0) diagnostics.push(jsonSyntaxDiagnostic(text, e));
      return { value: undefined, locate, diagnostics };
    }
  }
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

function locateInDocument(doc: Document, lineCounter: LineCounter, pointer: string): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let at: number | undefined = (doc.contents as Node | null)?.range?.[0];
  for (const segment of pointerSegments(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return undefined;
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
