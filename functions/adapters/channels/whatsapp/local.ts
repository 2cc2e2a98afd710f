// Local hooks of the WhatsApp channel (never bundled): the fake Graph API, and the env and secret that
// point the adapter at it.
import type { RunningFake } from '#adapters/module-kit';
import type { ChannelLocal, OutboxSink } from '../channel-module';
import { startFakeGraphApi, type FakeWhatsApp, type FakeWhatsAppOptions } from './fake/fake-graph-api';
import { WHATSAPP_SECRET_NAME, WHATSAPP_WEBHOOK_SECRET_NAME } from './whatsapp-secret';

export const LOCAL_WHATSAPP_TOKEN = 'local-whatsapp-system-user-token';
export const LOCAL_WHATSAPP_APP_SECRET = 'local-whatsapp-app-secret';
export const LOCAL_PHONE_NUMBER_ID = '106540352242922';
/** What the local status route expects in Meta's subscription check (hub.verify_token). */
export const LOCAL_WHATSAPP_VERIFY_TOKEN = 'local-whatsapp-verify-token';

export interface RunningWhatsAppFake extends RunningFake {
  /** Secret values the adapter reads, by name (the local runtime's LOCAL_SECRETS_JSON). */
  readonly secrets: Readonly<Record<string, string>>;
  readonly fake: FakeWhatsApp;
}

export async function startFakeWhatsApp(outbox: OutboxSink, options: FakeWhatsAppOptions = {}): Promise<RunningWhatsAppFake> {
  const fake = await startFakeGraphApi((entry) => outbox.record(entry), {
    token: LOCAL_WHATSAPP_TOKEN,
    phoneNumberId: LOCAL_PHONE_NUMBER_ID,
    appSecret: LOCAL_WHATSAPP_APP_SECRET,
    ...options,
  });
  return {
    env: { WHATSAPP_BASE_URL: fake.url, WHATSAPP_PHONE_NUMBER_ID: options.phoneNumberId ?? LOCAL_PHONE_NUMBER_ID },
    secrets: {
      [WHATSAPP_SECRET_NAME]: JSON.stringify({ token: options.token ?? LOCAL_WHATSAPP_TOKEN }),
      [WHATSAPP_WEBHOOK_SECRET_NAME]: JSON.stringify({ appSecret: options.appSecret ?? LOCAL_WHATSAPP_APP_SECRET, verifyToken: LOCAL_WHATSAPP_VERIFY_TOKEN }),
    },
    fake,
    stop: () => fake.stop(),
  };
}

export const startFake: ChannelLocal['startFake'] = (outbox, options) => startFakeWhatsApp(outbox, options as FakeWhatsAppOptions);
