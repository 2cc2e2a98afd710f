// `import`: a merchant's codes CSV → the SKU's stock. The whole file is validated first; one bad row
// and nothing is written. Re-importing the same file is safe: codes already held are counted, not added.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { CodeMaterial } from '#core/model';
import { CODE_COLUMNS, formatProblem, parseCodesCsv, type CsvProblem } from '../codes-csv';
import { CliError, EXIT } from '../errors';
import { identifier, label } from '../options';
import { formatBounded, formatCount, plural } from '../output';
import type { GlobalOptions, Session } from '../session';
import { availableOf, requireSkuConfig } from '../skus';

/** Codes written per addCodes call: the progress bar's step, and enough batches for the store's parallel writers. */
export const IMPORT_CHUNK = 1000;
/** Files this large get a progress bar (on a terminal only). */
const PROGRESS_FROM = 1000;
/** Problems printed as text; --json lists them all. */
const MAX_PRINTED_PROBLEMS = 100;

interface ImportOptions extends GlobalOptions {
  sku: string;
  file: string;
  source?: string;
  dryRun?: boolean;
}

export function registerImport(program: Command, session: Session): void {
  program
    .command('import')
    .description('Import codes for a SKU from a CSV file. Every row is validated first: if any row is bad, nothing is written.')
    .requiredOption('--sku <sku>', 'SKU the codes belong to; it must exist (see `sku set`)', identifier)
    .requiredOption(
      '--file <codes.csv>',
      `CSV with a header row. Columns: ${CODE_COLUMNS.join(', ')}. Only code is required; expires_at is an ISO 8601 date ` +
        '(YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ); format is text (default), image or url',
    )
    .option('--source <label>', 'where the codes came from, stored with each code (default: "import:<file name>")', label)
    .option('--dry-run', 'validate the file and check the SKU, but write nothing')
    .addHelpText(
      'after',
      `
Codes already in stock (same value) are skipped and reported as "already present", so an import can be
re-run after a failure. Duplicates inside the file are an error. Error messages give the line and the
column, never a code value.

Example:
  $ npx tsx cli/streamsync.ts --local import --sku ITUNES-SA-50 --file codes.csv
`,
    )
    .action(async (_options: unknown, command: Command) => {
      await importCodes(session, command.optsWithGlobals<ImportOptions>());
    });
}

async function importCodes(session: Session, options: ImportOptions): Promise<void> {
  const text = readText(options.file);
  const parsed = parseCodesCsv(text);
  if (parsed.problems.length > 0) {
    reportProblems(session, options, parsed.problems);
    session.exitCode = EXIT.FAILED;
    return;
  }
  const connection = await session.connect(options);
  const deps = await connection.deps();
  await requireSkuConfig(deps, options.sku, options);
  const source = options.source ?? `import:${basename(options.file)}`;
  const summary = { sku: options.sku, file: options.file, source, rows: parsed.rows, codes: parsed.codes.length, dryRun: Boolean(options.dryRun) };
  if (options.dryRun) {
    if (options.json) session.json({ ok: true, ...summary, inserted: 0, alreadyPresent: 0 });
    else session.out(`Dry run: ${plural(parsed.codes.length, 'code')} in ${options.file} are valid for SKU ${options.sku}. Nothing was written.`);
    return;
  }

  const result = await addWithProgress(session, parsed.codes, (chunk) => deps.stock.addCodes(options.sku, chunk, source));
  const stock = await availableOf(deps, options.sku);
  if (options.json) {
    session.json({ ok: true, ...summary, inserted: result.inserted, alreadyPresent: result.duplicates, ...stock });
    return;
  }
  session.out(
    `Imported ${options.file} into ${options.sku} (source "${source}"): ${formatCount(result.inserted)} new, ` +
      `${formatCount(result.duplicates)} already present.\nAvailable now: ${formatBounded(stock.available, stock.availableCapped)}`,
  );
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable')}`);
  }
}

function reportProblems(session: Session, options: ImportOptions, problems: CsvProblem[]): void {
  const headline = `${options.file}: ${plural(problems.length, 'problem')}; nothing was imported.`;
  if (options.json) {
    session.json({ ok: false, sku: options.sku, file: options.file, problems });
    session.err(headline);
    return;
  }
  const shown = problems.slice(0, MAX_PRINTED_PROBLEMS).map((p) => `  ${formatProblem(p)}`);
  const more = problems.length > MAX_PRINTED_PROBLEMS ? [`  … and ${formatCount(problems.length - MAX_PRINTED_PROBLEMS)} more (--json lists all)`] : [];
  session.err([headline, ...shown, ...more].join('\n'));
}

/** Writes in chunks so a large file shows progress; addCodes is idempotent, so a re-run resumes. */
async function addWithProgress(
  session: Session,
  codes: CodeMaterial[],
  add: (chunk: CodeMaterial[]) => Promise<{ inserted: number; duplicates: number }>,
): Promise<{ inserted: number; duplicates: number }> {
  const stream = session.io.progress;
  const bar =
    stream && codes.length >= PROGRESS_FROM
      ? new SingleBar({ stream, format: 'Importing [{bar}] {value}/{total} codes', hideCursor: true, clearOnComplete: true }, Presets.shades_classic)
      : undefined;
  bar?.start(codes.length, 0);
  const total = { inserted: 0, duplicates: 0 };
  try {
    for (let i = 0; i < codes.length; i += IMPORT_CHUNK) {
      const result = await add(codes.slice(i, i + IMPORT_CHUNK));
      total.inserted += result.inserted;
      total.duplicates += result.duplicates;
      bar?.update(Math.min(codes.length, i + IMPORT_CHUNK));
    }
  } catch (err) {
    bar?.stop();
    throw new CliError(
      `Import stopped after ${formatCount(total.inserted + total.duplicates)} of ${formatCount(codes.length)} codes ` +
        `(${(err as Error).name}: ${(err as Error).message}). Nothing is lost: run the same command again to finish (codes already stored are skipped).`,
    );
  }
  bar?.stop();
  return total;
}
