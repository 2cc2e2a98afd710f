// Local hooks of Pigeon (never bundled): a stand-in for the loft's SNS topic on node:http that answers
// Publish as SNS does (query protocol, XML) and puts each flight into the local outbox.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelLocal } from '#adapters/channels/channel-module';
import type { PigeonFlight } from './pigeon-channel';

const LOFT_TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:pigeon-loft';

const xml = (res: ServerResponse, status: number, body: string) =>
  res.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0"?>\n${body}`);

const snsError = (res: ServerResponse, status: number, code: string, message: string) =>
  xml(res, status, `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export const startFake: ChannelLocal['startFake'] = async (outbox) => {
  const publish = (form: URLSearchParams, res: ServerResponse) => {
    if (form.get('Action') !== 'Publish') return snsError(res, 400, 'InvalidAction', 'Only Publish is faked');
    if (form.get('TopicArn') !== LOFT_TOPIC_ARN) return snsError(res, 404, 'NotFound', 'Topic does not exist');
    let flight: PigeonFlight;
    try {
      flight = JSON.parse(form.get('Message') ?? '') as PigeonFlight;
    } catch {
      return snsError(res, 400, 'InvalidParameter', 'Message is not a pigeon flight');
    }
    outbox.record({ channel: 'pigeon', kind: flight.kind, locale: flight.locale, to: flight.to, ref: flight.ref, subject: flight.subject, body: flight.body });
    xml(res, 200, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`);
  };
  const server = createServer((req, res) => {
    readForm(req)
      .then((form) => publish(form, res))
      .catch(() => res.headersSent || snsError(res, 500, 'InternalError', 'The fake failed'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    env: { PIGEON_SNS_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, PIGEON_TOPIC_ARN: LOFT_TOPIC_ARN },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
};
