// Local hooks of the e-mail channel (never bundled): the fake SES endpoint, and the env that points
// the SDK at it. AWS_ENDPOINT_URL_SESV2 is the SDK's own per-service endpoint variable, as the local
// runtime already uses for DynamoDB, SQS and SNS, so the adapter has no endpoint setting of its own.
import type { RunningFake } from '#adapters/module-kit';
import type { ChannelLocal, OutboxSink } from '../channel-module';
import { startFakeSes, type FakeSes, type FakeSesOptions } from './fake/fake-ses';

export const LOCAL_FROM_ADDRESS = 'StreamSync demo store <codes@streamsync.local>';

export interface RunningSesFake extends RunningFake {
  readonly fake: FakeSes;
}

export async function startFakeEmail(outbox: OutboxSink, options: FakeSesOptions = {}): Promise<RunningSesFake> {
  const fake = await startFakeSes((entry) => outbox.record(entry), options);
  return {
    env: { AWS_ENDPOINT_URL_SESV2: fake.url, SES_FROM_ADDRESS: LOCAL_FROM_ADDRESS },
    fake,
    stop: () => fake.stop(),
  };
}

export const startFake: ChannelLocal['startFake'] = (outbox, options) => startFakeEmail(outbox, options as FakeSesOptions);
