// One CLI invocation: where output goes, the global options, and the connection (opened on first use).
import { openConnection, type Connection } from './connection';
import { renderTable, type Column } from './output';

/** Where the CLI writes. Tests pass collectors; `streamsync.ts` passes the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Stream for progress bars: given only when stderr is a terminal, so pipes and CI stay clean. */
  progress?: NodeJS.WritableStream;
  /** Directory whose `.local/runtime.json` `--local` reads (default: the process's working directory). */
  cwd?: string;
}

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  local?: boolean;
  json?: boolean;
}

export class Session {
  private connection?: Promise<Connection>;
  /** Set by a command that ran to the end but failed (an audit mismatch, a rejected file). */
  exitCode = 0;

  constructor(readonly io: CliIo) {}

  connect(options: GlobalOptions): Promise<Connection> {
    return (this.connection ??= openConnection({ local: options.local, cwd: this.io.cwd ?? process.cwd() }));
  }

  async close(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    connection?.close();
  }

  out(text: string): void {
    this.io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    this.io.stderr(text.endsWith('\n') ? text : `${text}\n`);
  }

  json(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A listing: JSON with --json, `whenEmpty` when there is nothing, else a table. */
  list<Row>(rows: Row[], options: GlobalOptions, whenEmpty: string, columns: Array<Column<Row>>): void {
    if (options.json) this.json(rows);
    else this.out(rows.length === 0 ? whenEmpty : renderTable(rows, columns));
  }
}
