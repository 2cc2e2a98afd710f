// Shared by the channel tests: catching ChannelErrors (kept, so a last test can check none quotes a
// code), a plain HTTP server that answers what a test tells it, and an address where nothing listens.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelError } from '#core/errors';

/** The ChannelError `attempt` rejects with, appended to `seen`. Fails the test on anything else. */
export async function channelFailure(attempt: Promise<unknown>, seen: ChannelError[]): Promise<ChannelError> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelError);
  seen.push(err as ChannelError);
  return err as ChannelError;
}

export interface RawServer {
  url: string;
  stop(): Promise<void>;
}

/** Answers every request (after reading its body) with `handler`. */
export async function startRawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RawServer> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A loopback URL whose port was just closed: connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.close();
  await once(server, 'close');
  return url;
}
