// Local fake of Meta's WhatsApp Cloud API (POST /v{N}.0/{phone-number-id}/messages) on node:http, for
// `npm start` and the adapter tests: checks the token, the path and the template message, answers as
// Meta does, records what it accepts into the outbox and posts signed status webhooks back.
import { closeServer, listenOnLocalhost } from '#local/fake-http';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { OutboxEntry } from '../../channel-module';
import type { MessageStatus } from '../status-callbacks';
import { checkTemplateMessage, type CheckedMessage } from './message-check';
import { metaError, type MetaErrorAnswer } from './meta-error';
import { postStatus } from './status-webhooks';
import { DEMO_TEMPLATES, type FakeTemplates } from './templates';

export interface FakeWhatsAppOptions {
  /** Default 0: a free port. */
  port?: number;
  /** The only bearer token accepted (others: 401, code 190). */
  token?: string;
  phoneNumberId?: string;
  /** Lowest Graph version still served; older ones are refused like unknown paths. Default 20. */
  minGraphVersion?: number;
  templates?: FakeTemplates;
  /** Delay before every answer. */
  latencyMs?: number;
  /** 0..1: share of sends refused with `failureCode` before anything is checked. */
  failureRate?: number;
  /** Default 131000 (something went wrong). */
  failureCode?: number;
  /** Recipients (digits, with or without '+') always refused with this code, e.g. 131026 (not on WhatsApp). */
  failRecipients?: Record<string, number>;
  /** Recipients whose message is accepted, then reported `failed` with this code by status webhook. */
  failAfterAccept?: Record<string, number>;
  /** Where status webhooks go; none are sent without it. */
  callbackUrl?: string;
  appSecret?: string;
  /** Statuses posted for an accepted message, in order. Default sent, delivered, read. */
  statuses?: MessageStatus[];
  /** One-shot: the next valid message is accepted and recorded, then its answer is lost. */
  loseNextAnswer?: 'reset' | 'hang';
}

export interface AcceptedMessage extends CheckedMessage {
  wamid: string;
  /** The request body as received. */
  request: unknown;
}

export interface FakeWhatsApp {
  url: string;
  accepted(): AcceptedMessage[];
  /** Bodies of every request that reached the messages endpoint, accepted or not. */
  requests(): unknown[];
  /** Status webhooks posted, and how many the receiver did not take. */
  webhooks(): { sent: number; refused: number };
  /** Resolves when every status webhook started so far has been posted. */
  settled(): Promise<void>;
  setOptions(partial: Partial<FakeWhatsAppOptions>): void;
  stop(): Promise<void>;
}

const PATH = /^\/(v(\d+)\.0)\/([^/]+)\/messages\/?$/;

export async function startFakeGraphApi(record: (entry: OutboxEntry) => void, initial: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  let options: FakeWhatsAppOptions = { ...initial };
  const accepted: AcceptedMessage[] = [];
  const requests: unknown[] = [];
  const webhooks = { sent: 0, refused: 0 };
  const pending = new Set<Promise<void>>();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, metaError(1));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const path = PATH.exec(new URL(req.url ?? '/', 'http://fake').pathname);
    if (req.method !== 'POST' || !path || Number(path[2]) < (options.minGraphVersion ?? 20)) {
      return answer(res, metaError(2500, `Unknown path components: ${req.url ?? ''}`));
    }
    if (req.headers.authorization !== `Bearer ${options.token ?? ''}` || !options.token) return answer(res, metaError(190));
    if (path[3] !== options.phoneNumberId) return answer(res, metaError(100, `Object with ID '${path[3]}' does not exist`, 33));
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(res, metaError(100, 'The request body is not JSON'));
    }
    requests.push(body);
    if ((options.failureRate ?? 0) > 0 && Math.random() < (options.failureRate ?? 0)) return answer(res, metaError(options.failureCode ?? 131000));
    const checked = checkTemplateMessage(body, options.templates ?? DEMO_TEMPLATES);
    if ('refusal' in checked) return answer(res, metaError(checked.refusal.code, checked.refusal.details));
    const message = checked.message;
    const refusedWith = options.failRecipients?.[message.to] ?? options.failRecipients?.[`+${message.to}`];
    if (refusedWith !== undefined) return answer(res, metaError(refusedWith, `Recipient ${message.to} cannot receive this message`));

    const wamid = `wamid.${randomBytes(24).toString('base64url')}`;
    accepted.push({ ...message, wamid, request: body });
    record(outboxEntryOf(message));
    notify(wamid, message);
    const lost = options.loseNextAnswer;
    if (lost) {
      options = { ...options, loseNextAnswer: undefined };
      if (lost === 'reset') req.socket.destroy();
      return; // 'hang': accepted, never answered
    }
    send(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: message.to, wa_id: message.to }], messages: [{ id: wamid, message_status: 'accepted' }] });
  }

  function notify(wamid: string, message: CheckedMessage): void {
    const { callbackUrl, appSecret } = options;
    if (!callbackUrl || !appSecret) return;
    const target = { url: callbackUrl, appSecret, phoneNumberId: options.phoneNumberId ?? '' };
    const failCode = options.failAfterAccept?.[message.to] ?? options.failAfterAccept?.[`+${message.to}`];
    const statuses: MessageStatus[] = failCode === undefined ? (options.statuses ?? ['sent', 'delivered', 'read']) : ['failed'];
    const run = (async () => {
      for (const status of statuses) {
        const ok = await postStatus(target, { wamid, to: message.to, ref: message.ref, status, errorCode: failCode });
        webhooks.sent += 1;
        if (!ok) webhooks.refused += 1;
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  }

  const base = await listenOnLocalhost(server, options.port);

  return {
    url: base,
    accepted: () => [...accepted],
    requests: () => [...requests],
    webhooks: () => ({ ...webhooks }),
    settled: async () => {
      await Promise.all([...pending]);
    },
    setOptions(partial) {
      options = { ...options, ...partial };
    },
    stop: async () => {
      await Promise.all([...pending]);
      await closeServer(server);
    },
  };
}

function outboxEntryOf(message: CheckedMessage): OutboxEntry {
  const button = message.copyCode !== undefined && message.template.copyCodeButton ? `\n[${message.template.copyCodeButton}]` : '';
  return {
    channel: 'whatsapp',
    kind: message.template.kind,
    locale: message.language,
    to: { phone: `+${message.to}` },
    ref: message.ref ?? '',
    subject: message.templateName,
    body: message.rendered + button,
  };
}

function answer(res: ServerResponse, error: MetaErrorAnswer): void {
  send(res, error.status, error.body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
