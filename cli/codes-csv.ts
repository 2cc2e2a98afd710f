// Reads a merchant's codes CSV into CodeMaterial, validating every row before anything is written.
// Problems name a line and a column, never a cell's content: any cell might hold a code value (a file
// without its header row, or with shifted columns, puts codes where other values are expected).
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { CodeMaterial } from '#core/model';

export const CODE_COLUMNS = ['code', 'pin', 'serial', 'expires_at', 'format'] as const;
export type CodeColumn = (typeof CODE_COLUMNS)[number];

export const CODE_FORMATS = ['text', 'image', 'url'] as const;

/** Longest accepted code value: room for redeem URLs and small inline images, far under the item limit. */
export const MAX_CODE_LENGTH = 8192;
const MAX_FIELD_LENGTH = 256;

export interface CsvProblem {
  /** 1-based line of the file where the record starts. */
  line: number;
  column?: CodeColumn;
  message: string;
}

export interface ParsedCodes {
  codes: CodeMaterial[];
  /** Data rows read (blank rows are skipped and not counted). */
  rows: number;
  problems: CsvProblem[];
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const noControlChars = (s: string) => !CONTROL_CHARS.test(s);
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
const DATE_MESSAGE = 'not an ISO 8601 date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ';

/** A date-only expiry lasts until the end of that day (UTC). */
const expiryInstant = (value: string) => new Date(isoDate.safeParse(value).success ? `${value}T23:59:59.999Z` : value);

const isHttpUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `longer than ${max} characters`)
    .refine(noControlChars, 'contains a line break or another control character')
    .optional();

/** One CSV row. Messages describe the problem only: issues never carry the input (zod's default). */
export function codeRowSchema(now: Date) {
  return z
    .object({
      code: z
        .string({ error: 'missing: every row needs a code' })
        .max(MAX_CODE_LENGTH, `longer than ${MAX_CODE_LENGTH} characters`)
        .refine(noControlChars, 'contains a line break or another control character'),
      pin: optionalText(MAX_FIELD_LENGTH),
      serial: optionalText(MAX_FIELD_LENGTH),
      expires_at: z
        .string()
        .refine((v) => isoDate.safeParse(v).success || isoDateTime.safeParse(v).success, { message: DATE_MESSAGE, abort: true })
        .refine((v) => expiryInstant(v).getTime() > now.getTime(), 'already expired: an expired code must not be sold')
        .optional(),
      format: z.enum(CODE_FORMATS, { error: `must be one of ${CODE_FORMATS.join(', ')}` }).optional(),
    })
    .superRefine((row, ctx) => {
      if (row.format === 'url' && !isHttpUrl(row.code)) {
        ctx.addIssue({ code: 'custom', path: ['code'], message: 'format is url, but the code is not an http(s) URL' });
      }
    });
}

/** What went wrong in csv-parse's terms, without its message (which can quote a field). */
function describeCsvError(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (a " opened on or before this line has no closing ")';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'characters after the closing quote of a field (a " inside a quoted field must be doubled: "")';
    case 'INVALID_OPENING_QUOTE':
      return 'a " inside an unquoted field (quote the whole field and double the inner ")';
    case 'CSV_MAX_RECORD_SIZE':
      return 'record too large';
    default:
      return `malformed CSV (${err.code})`;
  }
}

interface RawRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses and validates a whole codes file. `codes` is only meaningful when `problems` is empty: the
 * caller must not write anything otherwise. Duplicates inside the file are problems too.
 */
export function parseCodesCsv(text: string, options: { now?: Date } = {}): ParsedCodes {
  const now = options.now ?? new Date();
  let records: RawRecord[];
  try {
    // Line numbers from csv-parse drift on CRLF inside quoted fields; plain LF keeps them exact.
    records = parse(text.replace(/\r\n?/g, '\n'), { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as RawRecord[];
  } catch (err) {
    if (err instanceof CsvError) return { codes: [], rows: 0, problems: [{ line: Number(err.lines), message: `${describeCsvError(err)}; rows after it were not checked` }] };
    throw err;
  }
  // A record spanning lines (a quoted line break) is reported at its first line.
  const startLine = (r: RawRecord) => r.info.lines - r.record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
  const isBlank = (r: RawRecord) => r.record.every((field) => field.trim() === '');
  const [header, ...data] = records.filter((r) => !isBlank(r));
  if (!header) {
    return { codes: [], rows: 0, problems: [{ line: 1, message: `the file is empty: expected a header row naming the columns (${CODE_COLUMNS.join(', ')})` }] };
  }

  const headerLine = startLine(header);
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const problems: CsvProblem[] = [];
  columns.forEach((name, i) => {
    if (!(CODE_COLUMNS as readonly string[]).includes(name)) {
      problems.push({ line: headerLine, message: `header column ${i + 1} is not one of ${CODE_COLUMNS.join(', ')} (is the header row missing?)` });
    } else if (columns.indexOf(name) !== i) {
      problems.push({ line: headerLine, column: name as CodeColumn, message: `header column ${i + 1} repeats column ${columns.indexOf(name) + 1}` });
    }
  });
  if (!columns.includes('code')) problems.push({ line: headerLine, message: 'the header has no "code" column' });
  if (problems.length > 0) return { codes: [], rows: data.length, problems };
  if (data.length === 0) return { codes: [], rows: 0, problems: [{ line: headerLine, message: 'no codes: the file has a header but no rows' }] };

  const schema = codeRowSchema(now);
  const codes: CodeMaterial[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of data) {
    const line = startLine(record);
    if (record.record.length !== columns.length) {
      problems.push({ line, message: `${record.record.length} fields, but the header names ${columns.length} columns` });
      continue;
    }
    const row: Partial<Record<CodeColumn, string>> = {};
    columns.forEach((name, i) => {
      const value = record.record[i].trim();
      if (value !== '') row[name as CodeColumn] = value;
    });
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line, column: issue.path[0] as CodeColumn, message: issue.message });
      continue;
    }
    const { code, pin, serial, expires_at: expiresAt, format } = parsed.data;
    const first = firstLineOf.get(code);
    if (first !== undefined) {
      problems.push({ line, column: 'code', message: `duplicate of the code on line ${first}` });
      continue;
    }
    firstLineOf.set(code, line);
    codes.push({ code, ...(pin && { pin }), ...(serial && { serial }), ...(expiresAt && { expiresAt }), ...(format && { format }) });
  }
  return { codes, rows: data.length, problems };
}

/** "line 4, column expires_at: not an ISO 8601 date…" */
export const formatProblem = (p: CsvProblem): string => `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;
