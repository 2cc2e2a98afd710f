// SMS through Amazon SNS: the channel deployed by default.
import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { defineChannel } from '../channel-module';
import { SnsSmsChannel } from './sns-sms-channel';

export const sms = defineChannel({
  name: 'sms',
  config: z.object({
    /** Registered alphanumeric sender id (Saudi Arabia requires one for application-to-person SMS). */
    SMS_SENDER_ID: z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{1,11}$/))),
  }),
  create: (config, runtime) => new SnsSmsChannel(runtime.traced(new SNSClient({})), config.SMS_SENDER_ID),
  deploy: {
    statements: [
      {
        actions: ['sns:Publish'],
        resources: ['*'],
        why: 'SNS SMS: Publish to a phone number has no resource ARN, so sns:Publish must be allowed on "*" (AWS documented). The alerts topic is granted separately by ARN.',
      },
    ],
  },
});
