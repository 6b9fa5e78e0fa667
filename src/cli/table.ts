/** A hand-rolled aligned table (kubectl style: no borders, two spaces between columns). */

export interface TableOptions {
  /** Bold headers (only on a colour terminal). */
  readonly color?: boolean;
  /** Minimum column widths, so rows streamed later line up with the first batch. */
  readonly minWidths?: readonly number[];
}

/** Width of each column over headers and rows. */
export function columnWidths(headers: readonly string[], rows: readonly (readonly string[])[], min: readonly number[] = []): number[] {
  return headers.map((h, i) => Math.max(h.length, min[i] ?? 0, ...rows.map((r) => (r[i] ?? '').length)));
}

/** One line of the table; the last column is not padded. */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
    .join('   ')
    .trimEnd();
}

/** Header plus rows as aligned text, each line ending with a newline. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  const widths = columnWidths(headers, rows, opts.minWidths);
  const head = formatRow(headers, widths);
  const lines = [opts.color ? `\x1b[1m${head}\x1b[0m` : head, ...rows.map((r) => formatRow(r, widths))];
  return `${lines.join('\n')}\n`;
}
