// Text tables (the CLI's history and coverage tables): each column as wide as its widest cell.

/** The width of each column of `rows` (rows may differ in length). */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows) for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  return widths;
}
