// Customer e-mail through Amazon SES v2, from a verified sending identity given to the stack.
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod/mini';
import { defineChannel, type ChannelRuntime } from '../channel-module';
import { SesEmailChannel } from './ses-email-channel';
import { sesSdk } from './ses-sdk';

// The endpoint comes from AWS_ENDPOINT_URL_SESV2 when set (the local fake), like every other client.
// One attempt, and a request timeout that throws: the SDK's retries would re-send an e-mail whose
// answer was lost, and the delivery core retries TRANSIENT failures itself.
const sesClient = (runtime: ChannelRuntime, timeoutMs: number) => (): SESv2Client =>
  runtime.traced(new (sesSdk().SESv2Client)({ maxAttempts: 1, requestHandler: { connectionTimeout: 2_000, requestTimeout: timeoutMs, throwOnRequestTimeout: true } }));

export const email = defineChannel({
  name: 'email',
  config: z.object({
    /** `codes@store.example` or `Store <codes@store.example>`, at the verified identity. */
    SES_FROM_ADDRESS: z.string().check(z.trim(), z.minLength(3)),
    /** Event publishing (bounces, complaints, deliveries); none when unset. */
    SES_CONFIGURATION_SET: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
    SES_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(30_000)), 5_000),
  }),
  create: (config, runtime) =>
    new SesEmailChannel(sesClient(runtime, config.SES_TIMEOUT_MS), { fromAddress: config.SES_FROM_ADDRESS, configurationSet: config.SES_CONFIGURATION_SET }),
  deploy: {
    parameters: {
      SesIdentity: {
        description: 'Verified SES sending identity of the customer e-mails: a domain (store.example) or an address',
        allowedPattern: '^[^\\s/*]+$',
      },
      SesFromAddress: {
        description: 'From address of the customer e-mails, at the SES identity (codes@store.example or "Store <codes@store.example>")',
        allowedPattern: '^.*@.+$',
      },
      SesConfigurationSet: {
        description: 'SES configuration set for bounce/complaint events; empty for none',
        default: '',
        allowedPattern: '^[A-Za-z0-9_-]{0,64}$',
      },
    },
    env: {
      SES_FROM_ADDRESS: { parameter: 'SesFromAddress' },
      SES_CONFIGURATION_SET: { parameter: 'SesConfigurationSet' },
    },
    statements: [
      {
        actions: ['ses:SendEmail'],
        resources: [
          'arn:${Partition}:ses:${Region}:${AccountId}:identity/${param:SesIdentity}',
          // SES authorizes the configuration set of a send as a resource too; without one it is unused.
          'arn:${Partition}:ses:${Region}:${AccountId}:configuration-set/${param:SesConfigurationSet}',
        ],
        why: 'SES v2 SendEmail from the one verified sending identity (and its configuration set, when one is given).',
      },
    ],
  },
  local: () => import('./local'),
});
