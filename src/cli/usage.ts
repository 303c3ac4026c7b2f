// Help texts, made from the command table (commands.ts): `stepwright help`, `stepwright --help`, `stepwright
// COMMAND --help` and `stepwright help COMMAND`.
import { COMMAND_NAMES, COMMANDS } from "./commands.ts";
import type { CommandName } from "./commands.ts";

const WIDTH = 110;

/** Wraps `text` to WIDTH columns, continuation lines indented by `indent`. */
function wrap(text: string, indent: number, firstWidth: number): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  let room = firstWidth;
  for (const word of words) {
    if (line !== "" && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = WIDTH - indent;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join("\n" + " ".repeat(indent));
}

/** The help of one command: synopsis, summary, every option with its value and meaning. */
export function commandUsage(name: CommandName): string {
  const spec = COMMANDS[name];
  const rows = Object.entries(spec.options).map(([option, o]) => {
    const names = `--${option}${o.short !== undefined ? `, -${o.short}` : ""}${o.value !== undefined ? ` ${o.value}` : ""}`;
    return { names, help: o.help };
  });
  const column = Math.min(34, Math.max(...rows.map((r) => r.names.length)) + 4);
  const lines = [`Usage: stepwright ${name} ${spec.synopsis}`, "", wrap(spec.summary, 0, WIDTH), "", "Options:"];
  for (const row of rows) {
    const lead = `  ${row.names}`;
    const pad = lead.length + 2 > column ? `\n${" ".repeat(column)}` : " ".repeat(column - lead.length);
    lines.push(`${lead}${pad}${wrap(row.help, column, WIDTH - column)}`);
  }
  if (spec.notes !== undefined) lines.push("", ...spec.notes);
  return lines.join("\n") + "\n";
}

/** The overview: every command with its synopsis and summary. */
export function generalUsage(): string {
  const lines = ["Usage:"];
  for (const name of COMMAND_NAMES) lines.push(`  stepwright ${name} ${COMMANDS[name].synopsis}`);
  lines.push("  stepwright --help | --version", "", "Commands:");
  for (const name of COMMAND_NAMES) lines.push(`  ${name.padEnd(10)} ${wrap(COMMANDS[name].summary, 13, WIDTH - 13)}`);
  lines.push("", "`stepwright COMMAND --help` (or `stepwright help COMMAND`) describes a command's options.");
  return lines.join("\n") + "\n";
}
