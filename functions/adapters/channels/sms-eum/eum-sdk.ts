// The End User Messaging SMS SDK (@aws-sdk/client-pinpoint-sms-voice-v2), loaded on first send rather
// than when the module is imported: every delivery function bundles every channel module, and a
// function configured for another channel should not pay for this client at its cold start. require,
// not import(): the bundle is CommonJS, and the runtime-provided SDK is found through NODE_PATH (as
// email/ses-sdk.ts explains).
import type * as Eum from '@aws-sdk/client-pinpoint-sms-voice-v2';

export const eumSdk = (): typeof Eum => require('@aws-sdk/client-pinpoint-sms-voice-v2') as typeof Eum;
