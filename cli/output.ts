// Human output: aligned plain-text tables (no colours, so they paste into tickets) and small formatters.

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | undefined;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

/** Renders rows as a table with a header line; empty cells show as "-". */
export function renderTable<Row>(rows: Row[], columns: Array<Column<Row>>): string {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

const cell = (value: string | number | undefined): string =>
  value === undefined || value === '' ? '-' : typeof value === 'number' ? formatCount(value) : value;

export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** A bounded count: "≥10,000" when the count stopped at its cap. */
export const formatBounded = (count: number, capped: boolean): string => `${capped ? '≥' : ''}${formatCount(count)}`;

export const plural = (n: number, word: string, many = `${word}s`): string => `${formatCount(n)} ${n === 1 ? word : many}`;

/** Key: value lines, aligned; undefined values are left out. */
export function renderFields(fields: Array<[string, string | number | undefined]>): string {
  const shown = fields.filter(([, v]) => v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width + 1)}  ${typeof v === 'number' ? formatCount(v) : v}`).join('\n') + '\n';
}
