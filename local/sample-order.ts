// Sample deliveries for `npm start` and the tests: fixtures from test/fixtures, and a curl line to paste.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A parsed copy of `test/fixtures/<name>` to edit into a sample delivery. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const sampleFixture = (name: string): any => JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', name), 'utf8'));

/** A ready-to-paste curl command; `data` is curl's --data-binary argument (`@file` sends a file's exact bytes). */
export function curlCommand(url: string, headers: Record<string, string>, data: string): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const flags = Object.entries(headers).map(([k, v]) => `-H ${quote(`${k}: ${v}`)}`).join(' \\\n     ');
  return `curl -sS -X POST ${quote(url)} \\\n     ${flags} \\\n     --data-binary ${quote(data)}`;
}
