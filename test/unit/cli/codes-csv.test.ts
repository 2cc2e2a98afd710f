// The codes CSV reader: every rule, with line numbers, and no problem message that quotes a cell.
import { formatProblem, parseCodesCsv, type ParsedCodes } from '#cli/codes-csv';

const NOW = new Date('2026-06-15T12:00:00Z');
const parse = (lines: string[], newline = '\n') => parseCodesCsv(lines.join(newline), { now: NOW });
const SECRET = 'SECRET-CODE-1234';

/** No problem message may contain a value from the file. */
const expectNoLeak = (result: ParsedCodes, ...values: string[]) => {
  const text = result.problems.map(formatProblem).join('\n');
  for (const value of values) expect(text).not.toContain(value);
};

describe('parseCodesCsv', () => {
  it('reads every column, trims cells, skips blank rows and a BOM', () => {
    const result = parseCodesCsv(
      '\ufeffCode, PIN ,serial,expires_at,format\n  AAAA-1  ,1234,SN1,2027-01-31,text\n\n,,,,\nhttps://x.example/r/2,,,2027-01-31T10:00:00+03:00,url\nIMG-3,,,,image\nPLAIN-4,,,,\n',
      { now: NOW },
    );
    expect(result.problems).toEqual([]);
    expect(result.rows).toBe(4);
    expect(result.codes).toEqual([
      { code: 'AAAA-1', pin: '1234', serial: 'SN1', expiresAt: '2027-01-31', format: 'text' },
      { code: 'https://x.example/r/2', expiresAt: '2027-01-31T10:00:00+03:00', format: 'url' },
      { code: 'IMG-3', format: 'image' },
      { code: 'PLAIN-4' },
    ]);
  });

  it('accepts a header with only the code column', () => {
    expect(parse(['code', 'A-1', 'A-2']).codes).toEqual([{ code: 'A-1' }, { code: 'A-2' }]);
  });

  it('reports each bad row with its line and column', () => {
    const result = parse([
      'code,pin,serial,expires_at,format',
      `${SECRET},1,,,`,
      ',5678,,,',
      'B-2,,,2027-02-29,', // not a leap year
      'B-3,,,31/12/2027,',
      'B-4,,,2026-06-14,', // yesterday
      'B-5,,,,jpeg',
      'B-6,,,,url', // url format, but not a URL
      `${SECRET},,,,`,
      'B-8,1,2',
    ]);
    expect(result.problems).toEqual([
      { line: 3, column: 'code', message: 'missing: every row needs a code' },
      { line: 4, column: 'expires_at', message: 'not an ISO 8601 date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ' },
      { line: 5, column: 'expires_at', message: 'not an ISO 8601 date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ' },
      { line: 6, column: 'expires_at', message: 'already expired: an expired code must not be sold' },
      { line: 7, column: 'format', message: 'must be one of text, image, url' },
      { line: 8, column: 'code', message: 'format is url, but the code is not an http(s) URL' },
      { line: 9, column: 'code', message: 'duplicate of the code on line 2' },
      { line: 10, message: '3 fields, but the header names 5 columns' },
    ]);
    expectNoLeak(result, SECRET, 'jpeg', '31/12/2027');
  });

  it('treats a date-only expiry as valid through that day', () => {
    expect(parse(['code,expires_at', 'T-1,2026-06-15']).problems).toEqual([]);
  });

  it('refuses control characters and over-long values', () => {
    const result = parse(['code,pin', '"LINE\nBREAK",1', `${'X'.repeat(8193)},1`, `OK-1,${'9'.repeat(257)}`]);
    expect(result.problems).toEqual([
      { line: 2, column: 'code', message: 'contains a line break or another control character' },
      { line: 4, column: 'code', message: 'longer than 8192 characters' },
      { line: 5, column: 'pin', message: 'longer than 256 characters' },
    ]);
  });

  it('counts lines from where a record starts, with CRLF line ends and quoted line breaks', () => {
    const result = parse(['code,serial', 'A-1,"two\r\nlines"', 'A-2,x', 'A-2,y'], '\r\n');
    expect(result.problems).toEqual([
      { line: 2, column: 'serial', message: 'contains a line break or another control character' },
      { line: 5, column: 'code', message: 'duplicate of the code on line 4' },
    ]);
  });

  it('finds duplicates by the trimmed value, as the stored id does', () => {
    expect(parse(['code', 'D-1', ' D-1 ']).problems).toEqual([{ line: 3, column: 'code', message: 'duplicate of the code on line 2' }]);
  });

  it('refuses a missing or wrong header without quoting it (a headerless file starts with a code)', () => {
    const headerless = parse([`${SECRET},1234`, 'B-1,1']);
    expect(headerless.problems).toEqual([
      { line: 1, message: 'header column 1 is not one of code, pin, serial, expires_at, format (is the header row missing?)' },
      { line: 1, message: 'header column 2 is not one of code, pin, serial, expires_at, format (is the header row missing?)' },
      { line: 1, message: 'the header has no "code" column' },
    ]);
    expectNoLeak(headerless, SECRET);
    expect(parse(['code,pin,code', 'A,1,B']).problems).toEqual([{ line: 1, column: 'code', message: 'header column 3 repeats column 1' }]);
    expect(parse(['pin', '1']).problems).toEqual([{ line: 1, message: 'the header has no "code" column' }]);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(parseCodesCsv('', { now: NOW }).problems).toEqual([{ line: 1, message: expect.stringContaining('the file is empty') }]);
    expect(parse(['code,pin', '']).problems).toEqual([{ line: 1, message: 'no codes: the file has a header but no rows' }]);
  });

  it('reports malformed CSV by line without quoting the field (csv-parse messages would)', () => {
    const closing = parse(['code,pin', 'A-1,1', `"${SECRET}"x,2`]);
    expect(closing.problems).toEqual([
      { line: 3, message: 'characters after the closing quote of a field (a " inside a quoted field must be doubled: ""); rows after it were not checked' },
    ]);
    const opening = parse(['code,pin', `${SECRET}"x,2`]);
    expect(opening.problems).toEqual([{ line: 2, message: expect.stringContaining('a " inside an unquoted field') }]);
    const unclosed = parse(['code,pin', `"${SECRET},2`, 'B-1,3']);
    expect(unclosed.problems).toEqual([{ line: expect.any(Number), message: expect.stringContaining('a quoted field is never closed') }]);
    for (const result of [closing, opening, unclosed]) {
      expect(result.codes).toEqual([]);
      expectNoLeak(result, SECRET);
    }
  });

  it('formats a problem as line, column and message', () => {
    expect(formatProblem({ line: 4, column: 'format', message: 'must be one of text, image, url' })).toBe('line 4, column format: must be one of text, image, url');
    expect(formatProblem({ line: 1, message: 'the header has no "code" column' })).toBe('line 1: the header has no "code" column');
  });
});
