// Local fake of Amazon SES v2 SendEmail (POST /v2/email/outbound-emails, the REST JSON the SDK sends)
// on node:http, for `npm start` and the adapter tests. Records what it accepts into the outbox and
// answers { MessageId }; refuses as SES does (x-amzn-ErrorType header, JSON body) when told to.
import { closeServer, listenOnLocalhost } from '#local/fake-http';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { OutboxEntry } from '../../channel-module';

export interface FakeSesOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Delay before every answer. */
  latencyMs?: number;
  /** Recipients (lower-case) refused with this SES error name, e.g. MessageRejected, TooManyRequestsException. */
  failRecipients?: Record<string, string>;
}

export interface AcceptedEmail {
  messageId: string;
  /** The request body as received. */
  request: SendEmailBody;
}

export interface FakeSes {
  url: string;
  accepted(): AcceptedEmail[];
  setOptions(partial: Partial<FakeSesOptions>): void;
  stop(): Promise<void>;
}

interface Text {
  Data?: string;
  Charset?: string;
}

export interface SendEmailBody {
  FromEmailAddress?: string;
  ConfigurationSetName?: string;
  Destination?: { ToAddresses?: string[] };
  Content?: { Simple?: { Subject?: Text; Body?: { Text?: Text; Html?: Text }; Headers?: Array<{ Name?: string; Value?: string }> } };
  EmailTags?: Array<{ Name?: string; Value?: string }>;
}

const STATUS_OF: Readonly<Record<string, number>> = {
  TooManyRequestsException: 429,
  NotFoundException: 404,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

export async function startFakeSes(record: (entry: OutboxEntry) => void, initial: FakeSesOptions = {}): Promise<FakeSes> {
  let options: FakeSesOptions = { ...initial };
  const accepted: AcceptedEmail[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 'InternalFailure', 'internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://fake').pathname !== '/v2/email/outbound-emails') {
      return refuse(res, 'NotFoundException', 'Unknown operation');
    }
    // Any SigV4 signature is accepted; an unsigned call is not an SDK call.
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) return refuse(res, 'AccessDeniedException', 'Missing Authentication Token', 403);
    let body: SendEmailBody;
    try {
      body = JSON.parse(raw) as SendEmailBody;
    } catch {
      return refuse(res, 'BadRequestException', 'Request body is not JSON');
    }
    const problem = invalid(body);
    if (problem) return refuse(res, 'BadRequestException', problem);
    const to = body.Destination!.ToAddresses!;
    const failure = to.map((address) => options.failRecipients?.[address.toLowerCase()]).find((name) => name !== undefined);
    if (failure) return refuse(res, failure, `Refused for this recipient (${failure})`);

    const messageId = `0100${Date.now().toString(16)}-${randomUUID()}-000000`;
    accepted.push({ messageId, request: body });
    record(outboxEntryOf(body));
    send(res, 200, { MessageId: messageId });
  }

  const base = await listenOnLocalhost(server, options.port);
  return {
    url: base,
    accepted: () => [...accepted],
    setOptions(partial) {
      options = { ...options, ...partial };
    },
    stop: () =>
      closeServer(server),
  };
}

/** What SES would refuse as a BadRequest, in words; undefined when the request is sendable. */
function invalid(body: SendEmailBody): string | undefined {
  if (!body.FromEmailAddress?.includes('@')) return 'FromEmailAddress is required';
  const to = body.Destination?.ToAddresses;
  if (!Array.isArray(to) || to.length === 0 || to.length > 50) return 'Destination.ToAddresses must have 1 to 50 addresses';
  const simple = body.Content?.Simple;
  if (!simple) return 'Content.Simple is required (this fake sends no templates or raw messages)';
  if (!simple.Subject?.Data) return 'Subject is required';
  if (!simple.Body?.Text?.Data && !simple.Body?.Html?.Data) return 'Body needs Text or Html';
  const badTag = (body.EmailTags ?? []).find((t) => !/^[A-Za-z0-9_-]{1,256}$/.test(t.Name ?? '') || !/^[A-Za-z0-9_.@-]{1,256}$/.test(t.Value ?? ''));
  if (badTag) return 'Tag names and values may contain only ASCII letters, digits, underscores and dashes';
  return undefined;
}

function outboxEntryOf(body: SendEmailBody): OutboxEntry {
  const simple = body.Content!.Simple!;
  const lang = /<html[^>]*\blang="([a-z]{2})"/i.exec(simple.Body?.Html?.Data ?? '')?.[1];
  return {
    channel: 'email',
    kind: body.EmailTags?.find((t) => t.Name === 'kind')?.Value ?? 'UNKNOWN',
    locale: lang ?? 'en',
    to: { email: body.Destination!.ToAddresses!.join(', ') },
    ref: simple.Headers?.find((h) => h.Name?.toLowerCase() === 'x-streamsync-ref')?.Value ?? '',
    subject: simple.Subject!.Data!,
    body: simple.Body?.Text?.Data ?? '',
  };
}

function refuse(res: ServerResponse, name: string, message: string, status = STATUS_OF[name] ?? 400): void {
  const text = JSON.stringify({ message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': name, 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
