// RecorderChannel: POSTs each customer message to the local recorder (a loopback server here).
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecorderChannel } from '#adapters/channels/recorder/recorder-channel';
import type { CustomerMessage } from '#core/ports/channel';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let baseUrl: string;
let received: Received[];
let status: number;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{"ok":true}' : '{"ok":false}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  received = [];
  status = 201;
});

const message: CustomerMessage = {
  to: { name: 'Sara', phone: '+966501234567' },
  locale: 'en',
  kind: 'CODE',
  ref: 'S1/O1/L1#1',
  orderReference: 'R-1',
  code: { code: 'GC-SECRET-1' },
};
/** What the outbox receives: the message worded as an SMS would be. */
const recorded = { channel: 'recorder', kind: 'CODE', locale: 'en', to: message.to, ref: message.ref, subject: 'Your code for order R-1', body: 'Hello,\nThank you for order R-1.\nCode: GC-SECRET-1' };

describe('RecorderChannel', () => {
  it('POSTs the message as JSON to <baseUrl>/messages', async () => {
    const channel = new RecorderChannel(baseUrl);
    expect(channel.name).toBe('recorder');
    await channel.send(message);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/messages' });
    expect(received[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0].body)).toEqual(recorded);
  });

  it('throws on a non-2xx answer, naming the status and ref but not the message body', async () => {
    expect.assertions(3);
    status = 500;
    const attempt = new RecorderChannel(baseUrl).send(message);
    await expect(attempt).rejects.toThrow('Recorder answered 500 for S1/O1/L1#1');
    await attempt.catch((err: Error) => expect(err.message).not.toContain('GC-SECRET-1'));
    expect(received).toHaveLength(1);
  });

  it('rejects when nothing listens at the URL', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await expect(new RecorderChannel(`http://127.0.0.1:${port}`).send(message)).rejects.toThrow();
  });
});
