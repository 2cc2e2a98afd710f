// Local hooks of the SMS channel (never bundled): the fake SNS SMS endpoint, and the env that points the
// adapter at it. SMS_ENDPOINT_URL, not AWS_ENDPOINT_URL_SNS: that one points the SDK at the SNS
// emulator, which has the alerts topic but no SMS.
import type { RunningFake } from '#adapters/module-kit';
import type { ChannelLocal, OutboxSink } from '../channel-module';
import { startFakeSnsSms, type FakeSnsSms, type FakeSnsSmsOptions } from './fake/fake-sns-sms';

export interface RunningSmsFake extends RunningFake {
  readonly fake: FakeSnsSms;
}

export async function startFakeSms(outbox: OutboxSink, options: FakeSnsSmsOptions = {}): Promise<RunningSmsFake> {
  const fake = await startFakeSnsSms((entry) => outbox.record(entry), options);
  return {
    env: { SMS_ENDPOINT_URL: fake.url },
    fake,
    stop: () => fake.stop(),
  };
}

export const startFake: ChannelLocal['startFake'] = (outbox, options) => startFakeSms(outbox, options as FakeSnsSmsOptions);
