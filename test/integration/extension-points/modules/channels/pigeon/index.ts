// Pigeon: customer messages go to the merchant's own courier service through its SNS topic.
import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { defineChannel } from '#adapters/channels/channel-module';
import { PigeonChannel } from './pigeon-channel';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$/;

export const pigeon = defineChannel({
  name: 'pigeon',
  config: z.object({
    /** The loft: the SNS topic the courier service subscribes to. */
    PIGEON_TOPIC_ARN: z.string().check(z.regex(TOPIC_ARN)),
    /** Only the local fake sets it; on AWS the SDK's regional endpoint is right. */
    PIGEON_SNS_ENDPOINT: z.optional(z.string()),
  }),
  create: (config, runtime) =>
    new PigeonChannel(runtime.traced(new SNSClient(config.PIGEON_SNS_ENDPOINT ? { endpoint: config.PIGEON_SNS_ENDPOINT } : {})), config.PIGEON_TOPIC_ARN),
  deploy: {
    parameters: {
      PigeonTopicArn: { description: 'ARN of the SNS topic your courier service (the pigeon loft) subscribes to', allowedPattern: TOPIC_ARN.source },
    },
    env: { PIGEON_TOPIC_ARN: { parameter: 'PigeonTopicArn' } },
    statements: [{ actions: ['sns:Publish'], resources: ['${param:PigeonTopicArn}'], why: 'Pigeon publishes each customer message to the loft topic, that topic only.' }],
  },
  local: () => import('./local'),
});
