// Captures everything the code under test writes to stdout/stderr (Powertools logs and metrics,
// console output), so a test can prove no code value ever reaches a log line.
const captured: string[] = [];
const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
const echo = process.env.TEST_ECHO_LOGS === 'true';

function tap(stream: 'out' | 'err') {
  return ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return echo ? (original[stream] as (...a: unknown[]) => boolean)(chunk, ...rest) : true;
  }) as typeof process.stdout.write;
}

process.stdout.write = tap('out');
process.stderr.write = tap('err');
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
for (const method of consoleMethods) {
  // jest replaces console with its own buffered one; route it through the tap too.
  console[method] = (...args: unknown[]) => {
    captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') + '\n');
  };
}

/** Prints a measurement past the capture (to the real stderr), for figures quoted in notes. */
export const report = (text: string): void => void original.err(`${text}\n`);
(globalThis as Record<string, unknown>).__report = report;

/** All output captured so far in this test file. */
export const capturedLogs = (): string => captured.join('');
(globalThis as Record<string, unknown>).__capturedLogs = capturedLogs;

// Hand the streams back when the file's tests are done: jest's reporter may run in this process.
afterAll(() => {
  process.stdout.write = original.out as typeof process.stdout.write;
  process.stderr.write = original.err as typeof process.stderr.write;
});
