// Customer SMS through AWS End User Messaging SMS (the pinpoint-sms-voice-v2 API) from one origination
// identity, with a grant scoped to it: the alternative to the SNS `sms` channel, whose sns:Publish on "*"
// can text any number from anywhere. docs/channels.md has the why and the setup.
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import * as z from 'zod/mini';
import { defineChannel, type ChannelRuntime } from '../channel-module';
import { CONFIGURATION_SET_NAME, eumSmsDeploy, MAX_PRICE, ORIGINATION_IDENTITY_ARN } from './deploy-binding';
import { eumSdk } from './eum-sdk';
import { EumSmsChannel } from './eum-sms-channel';

// One attempt, and a request timeout that throws: the SDK's retries would resend an SMS whose answer
// was lost (a code twice), and the delivery core decides what follows a failure (retry later, the next
// channel, or a hold). The endpoint is the SDK's regional one unless the local runtime says otherwise.
const eumClient = (runtime: ChannelRuntime, timeoutMs: number, endpoint: string | undefined) => (): PinpointSMSVoiceV2Client =>
  runtime.traced(
    new (eumSdk().PinpointSMSVoiceV2Client)({
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 2_000, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
      ...(endpoint && { endpoint }),
    }),
  );

export const smsEum = defineChannel({
  name: 'sms-eum',
  config: z.object({
    /** ARN of the phone number, pool or sender ID to send from: the only identity the role may use. */
    EUM_SMS_ORIGINATION_IDENTITY: z.string().check(z.regex(new RegExp(ORIGINATION_IDENTITY_ARN))),
    /** Configuration set whose event destinations get the delivery events (with the ref as context); none when unset. */
    EUM_SMS_CONFIGURATION_SET: z.optional(z.string().check(z.regex(new RegExp(CONFIGURATION_SET_NAME)))),
    /**
     * Per-message price cap in US dollars (SendTextMessage `MaxPrice`, e.g. "0.10"): AWS refuses a
     * message whose price would be higher instead of sending it (a ValidationException, PERMANENT; the
     * fake answers reason PRICE_OVER_THRESHOLD). It caps the price of each SMS (an expensive destination
     * a pumping attack would pick, a long multi-part text); the total is capped by the account's monthly
     * SMS spend limit, set in End User Messaging itself. Whether AWS counts it per message or per message
     * part is worded both ways in its references: see docs/channels.md.
     */
    EUM_SMS_MAX_PRICE: z.optional(z.string().check(z.regex(new RegExp(MAX_PRICE)))),
    /** How long the service keeps trying to hand the SMS over, in seconds; AWS's default (72 h) when unset. */
    EUM_SMS_TIME_TO_LIVE_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(5), z.maximum(259_200))),
    /** Only the local runtime sets it (the fake of ./local). Unset on AWS: the SDK's regional endpoint. */
    EUM_SMS_ENDPOINT_URL: z.optional(z.string().check(z.regex(/^https?:\/\/[^\s/]+/))),
    /** Per send; a timeout is an unknown outcome for the core, never a blind resend. */
    EUM_SMS_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(30_000)), 5_000),
  }),
  create: (config, runtime) =>
    new EumSmsChannel(eumClient(runtime, config.EUM_SMS_TIMEOUT_MS, config.EUM_SMS_ENDPOINT_URL), {
      originationIdentity: config.EUM_SMS_ORIGINATION_IDENTITY,
      configurationSet: config.EUM_SMS_CONFIGURATION_SET,
      maxPrice: config.EUM_SMS_MAX_PRICE,
      timeToLiveSeconds: config.EUM_SMS_TIME_TO_LIVE_SECONDS,
    }),
  deploy: eumSmsDeploy,
  local: () => import('./local'),
});
