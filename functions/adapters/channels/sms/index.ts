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
    /**
     * Only the local runtime sets it (the fake SNS SMS of ./local): SMS only, so the alerts topic stays
     * on the SNS emulator at AWS_ENDPOINT_URL_SNS. Unset on AWS: the SDK's regional endpoint.
     */
    SMS_ENDPOINT_URL: z.optional(z.string().check(z.regex(/^https?:\/\/[^\s/]+/))),
    /** Per publish; a timeout is an unknown outcome for the core, never a blind resend. */
    SMS_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(30_000)), 5_000),
  }),
  // One attempt: the SDK's own retries would resend an SMS whose answer was lost; the core decides
  // what happens after a failure (retry later, the next channel, or a hold).
  create: (config, runtime) =>
    new SnsSmsChannel(
      runtime.traced(
        new SNSClient({
          maxAttempts: 1,
          requestHandler: { connectionTimeout: 2_000, requestTimeout: config.SMS_TIMEOUT_MS, throwOnRequestTimeout: true },
          ...(config.SMS_ENDPOINT_URL && { endpoint: config.SMS_ENDPOINT_URL }),
        }),
      ),
      config.SMS_SENDER_ID,
    ),
  deploy: {
    statements: [
      {
        actions: ['sns:Publish'],
        resources: ['*'],
        why: 'SNS SMS: Publish to a phone number has no resource ARN, so sns:Publish must be allowed on "*" (AWS documented). The alerts topic is granted separately by ARN.',
      },
    ],
  },
  local: () => import('./local'),
});
