// The local outbox: every customer message a local channel fake accepted, viewable over HTTP. The
// recorder channel posts to it; other channel fakes record into it in-process.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { OutboxEntry, OutboxSink } from '#adapters/channels/channel-module';

export interface RecordedMessage extends OutboxEntry {
  seq: number;
  receivedAt: string;
}

export interface Recorder extends OutboxSink {
  url: string;
  messages(): RecordedMessage[];
  /** Resolves when `predicate` holds for the outbox, or rejects after `timeoutMs`. */
  waitFor(predicate: (messages: RecordedMessage[]) => boolean, timeoutMs: number): Promise<RecordedMessage[]>;
  /**
   * Share (0..1) of sends answered 503 without recording: a flaky SMS provider, for failure tests.
   * `perRefLimit` caps the refusals of one message ref, so a test can bound retries below the DLQ's.
   */
  setFailureRate(rate: number, perRefLimit?: number): void;
  /** Sends refused so far because of the failure rate. */
  readonly refused: number;
  /** Recipients (E.164) the "provider" refuses for good (422), as a real SMS provider refuses a dead number. */
  rejectRecipients(phones: string[]): void;
  /** Delay before each answer (a slow provider). */
  setLatency(ms: number): void;
  /** The next `count` sends are recorded (the customer got them) and then their answer is lost: an unknown outcome. */
  loseAnswers(count: number): void;
  /** Calls `listener` for every message recorded from now on; returns the unsubscribe function. */
  onMessage(listener: (message: RecordedMessage) => void): () => void;
  stop(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

// http(s) only, matched in the raw text (so no escaped entity can end a URL early), without a trailing
// full stop or bracket. The capture group makes split() keep the URLs, at the odd indexes.
const URL_IN_TEXT = /(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)])/;

/** The body escaped, with its URLs clickable: whoever runs `npm start` opens a reveal link as the customer would. */
const linkify = (text: string) =>
  text
    .split(URL_IN_TEXT)
    .map((part, i) => (i % 2 === 1 ? `<a href="${escapeHtml(part)}" rel="noreferrer" target="_blank">${escapeHtml(part)}</a>` : escapeHtml(part)))
    .join('');

function renderPage(messages: RecordedMessage[]): string {
  const rows = messages
    .slice()
    .reverse()
    .map(
      (m) =>
        `<tr><td>${m.seq}</td><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.channel)}</td><td>${escapeHtml(m.kind)}</td><td>${escapeHtml(m.to.phone ?? m.to.email ?? '')}</td>` +
        `<td>${escapeHtml(m.ref)}</td><td dir="auto"><b>${escapeHtml(m.subject)}</b><pre dir="auto">${linkify(m.body)}</pre></td></tr>`,
    )
    .join('');
  return `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="2"><title>StreamSync outbox</title>
<style>body{font-family:system-ui;margin:2em}td{border-bottom:1px solid #ddd;padding:.4em;vertical-align:top}pre{margin:.3em 0;white-space:pre-wrap}</style>
<h1>StreamSync local outbox</h1><p>${messages.length} message(s). JSON: <a href="/messages">/messages</a></p>
<table><tr><th>#</th><th>time</th><th>channel</th><th>kind</th><th>to</th><th>ref</th><th>message</th></tr>${rows}</table>`;
}

export async function startRecorder(port = 0): Promise<Recorder> {
  const outbox: RecordedMessage[] = [];
  const waiters = new Set<() => void>();
  const listeners = new Set<(message: RecordedMessage) => void>();
  let failureRate = 0;
  let perRefLimit = Infinity;
  let refused = 0;
  let latencyMs = 0;
  let answersToLose = 0;
  const rejected = new Set<string>();
  const refusedByRef = new Map<string, number>();
  const record = (entry: OutboxEntry): RecordedMessage => {
    const recorded = { ...entry, seq: outbox.length + 1, receivedAt: new Date().toISOString() };
    outbox.push(recorded);
    listeners.forEach((listener) => listener(recorded));
    waiters.forEach((wake) => wake());
    return recorded;
  };
  const server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/messages') {
      const message = JSON.parse(await readBody(req)) as OutboxEntry;
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      // What an SMS provider refuses outright: no number, or not a mobile number in E.164.
      if (!/^\+[1-9]\d{7,14}$/.test(message.to?.phone ?? '')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"ok":false,"error":"not a mobile number"}');
        return;
      }
      if (rejected.has(message.to.phone!)) {
        res.writeHead(422, { 'content-type': 'application/json' }).end('{"ok":false,"error":"recipient unreachable"}');
        return;
      }
      const refusedBefore = refusedByRef.get(message.ref) ?? 0;
      if (refusedBefore < perRefLimit && Math.random() < failureRate) {
        refused++;
        refusedByRef.set(message.ref, refusedBefore + 1);
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"ok":false,"error":"provider unavailable"}');
        return;
      }
      const recorded = record(message);
      if (answersToLose > 0) {
        answersToLose--;
        req.socket.destroy();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, seq: recorded.seq }));
    } else if (req.method === 'GET' && req.url?.startsWith('/messages')) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(outbox, null, 2));
    } else if (req.method === 'GET' && (req.url === '/' || req.url === '/outbox')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderPage(outbox));
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    record: (entry) => void record(entry),
    messages: () => [...outbox],
    setFailureRate: (rate, limit = Infinity) => {
      failureRate = rate;
      perRefLimit = limit;
    },
    get refused() {
      return refused;
    },
    rejectRecipients: (phones) => phones.forEach((p) => rejected.add(p)),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    loseAnswers: (count) => {
      answersToLose = count;
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(outbox)) return;
          cleanup();
          resolve([...outbox]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Outbox condition not met within ${timeoutMs} ms (${outbox.length} messages)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
