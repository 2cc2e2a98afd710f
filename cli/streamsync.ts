// The merchant/operator CLI: `npx tsx cli/streamsync.ts <command>` (or `npm run cli -- <command>`).
// `run(argv, io)` is the whole program as a function, so tests call it without spawning a process.
import { Command, CommanderError } from 'commander';
import { version } from '../package.json';
import { registerAudit } from './commands/audit';
import { registerDlq } from './commands/dlq';
import { registerImport } from './commands/import';
import { registerOrders } from './commands/orders';
import { registerProduct } from './commands/product';
import { registerSku } from './commands/sku';
import { registerStock } from './commands/stock';
import { registerStores } from './commands/stores';
import { registerSuppliers } from './commands/suppliers';
import { CliError, EXIT } from './errors';
import { Session, type CliIo } from './session';

export type { CliIo } from './session';

function buildProgram(session: Session): Command {
  const program = new Command('streamsync')
    .description('StreamSync operator CLI: import codes, manage SKUs and product mappings, check stock, audit, look up orders, redrive the DLQ.')
    .version(version, '-V, --version', 'print the CLI version')
    .option('--local', 'use the local pipeline that `npm start` is running (reads .local/runtime.json)')
    .option('--json', 'print machine-readable JSON on stdout instead of tables')
    .configureOutput({ writeOut: (text) => session.io.stdout(text), writeErr: (text) => session.io.stderr(text) })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Connection: --local talks to \`npm start\` on this machine. Without it the CLI uses the deployed stack:
set TABLE_NAME (stack output TableName), AWS_REGION and AWS credentials; the code key is read from
Secrets Manager. Code values are never printed.

Exit codes: 0 ok, 1 the command failed (bad file, unknown SKU, audit mismatch), 2 bad usage.

Example:
  $ npx tsx cli/streamsync.ts --local stock
`,
    );
  // Subcommands inherit output, exitOverride and showHelpAfterError from here, so declare them after.
  registerSku(program, session);
  registerProduct(program, session);
  registerImport(program, session);
  registerStock(program, session);
  registerSuppliers(program, session);
  registerAudit(program, session);
  registerOrders(program, session);
  registerStores(program, session);
  registerDlq(program, session);
  return program;
}

/**
 * Runs one CLI invocation and resolves to its exit code; never calls process.exit.
 * @param argv the arguments after the program name, e.g. `['--local', 'stock']`.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const session = new Session(io);
  try {
    await buildProgram(session).parseAsync(argv, { from: 'user' });
    return session.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version requests end here too; commander has already printed them (or the usage error).
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof CliError) {
      session.err(`error: ${err.message}`);
      return err.exitCode;
    }
    session.err(`error: ${describeUnexpected(err)}`);
    return EXIT.FAILED;
  } finally {
    await session.close();
  }
}

/** SDK and network failures: name and message only (no stack, no request dump). */
function describeUnexpected(err: unknown): string {
  const e = err as { name?: string; message?: string };
  const hint =
    e.name === 'ResourceNotFoundException'
      ? ' (is TABLE_NAME right, and AWS_REGION the stack\'s region?)'
      : e.name === 'CredentialsProviderError'
        ? ' (set AWS credentials, e.g. AWS_PROFILE, or use --local)'
        : '';
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}${hint}`;
}

if (require.main === module) {
  // Node 20 is supported by this project; the SDK's upgrade notice is noise on an operator's terminal.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // `… | head` closes the pipe early: stop quietly, as other CLIs do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode ?? 0);
    });
  }
  run(process.argv.slice(2), {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    progress: process.stderr.isTTY ? process.stderr : undefined,
  }).then((code) => {
    process.exitCode = code;
  });
}
