// Local hooks of the End User Messaging SMS channel (never bundled): the fake SendTextMessage endpoint,
// and the env that points the adapter at it. EUM_SMS_ENDPOINT_URL is the adapter's own setting, set here
// only, so nothing else the local runtime runs is pointed at this fake.
import type { RunningFake } from '#adapters/module-kit';
import type { ChannelLocal, OutboxSink } from '../channel-module';
import { LOCAL_ORIGINATION_IDENTITY, startFakeEumSms, type FakeEumSms, type FakeEumSmsOptions } from './fake/fake-eum-sms';

export { LOCAL_ORIGINATION_IDENTITY };

export interface RunningEumSmsFake extends RunningFake {
  readonly fake: FakeEumSms;
}

export async function startFakeSmsEum(outbox: OutboxSink, options: FakeEumSmsOptions = {}): Promise<RunningEumSmsFake> {
  const fake = await startFakeEumSms((entry) => outbox.record(entry), options);
  return {
    env: { EUM_SMS_ENDPOINT_URL: fake.url, EUM_SMS_ORIGINATION_IDENTITY: options.originationIdentities?.[0] ?? LOCAL_ORIGINATION_IDENTITY },
    fake,
    stop: () => fake.stop(),
  };
}

export const startFake: ChannelLocal['startFake'] = (outbox, options) => startFakeSmsEum(outbox, options as FakeEumSmsOptions);
