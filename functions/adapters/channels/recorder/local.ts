// Local hooks of the recorder channel: its "provider" is the outbox itself.
import type { ChannelLocal } from '../channel-module';

export const startFake: ChannelLocal['startFake'] = async (outbox) => ({ env: { RECORDER_URL: outbox.url }, stop: async () => undefined });
