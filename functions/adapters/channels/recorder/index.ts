// The local outbox as a channel: what `npm start` and the tests deliver through. Never deployed.
import * as z from 'zod/mini';
import { defineChannel } from '../channel-module';
import { RecorderChannel } from './recorder-channel';

export const recorder = defineChannel({
  name: 'recorder',
  config: z.object({ RECORDER_URL: z._default(z.string(), 'http://127.0.0.1:4010') }),
  create: (config) => new RecorderChannel(config.RECORDER_URL),
  local: () => import('./local'),
});
