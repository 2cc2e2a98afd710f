// What the delivery function needs on AWS to send SMS through End User Messaging: the origination
// identity's ARN (and optional configuration set and price cap) as stack parameters, and
// sms-voice:SendTextMessage on that one identity. No "*": the SNS channel's grant reaches any number in
// the world from any sender, this one only sends from the merchant's own registered identity.
import type { DeployBinding } from '#adapters/module-kit';

/** A phone number, pool or sender ID of End User Messaging SMS, by ARN (a sender ID's ends in `/<country>`). */
export const ORIGINATION_IDENTITY_ARN = '^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:[0-9]{12}:(phone-number|pool|sender-id)/[A-Za-z0-9_+/-]{1,200}$';
/** A configuration set name (the API also takes its ARN; the grant below builds the ARN from the name). */
export const CONFIGURATION_SET_NAME = '^[A-Za-z0-9_-]{1,64}$';
/** US dollars, as SendTextMessage's MaxPrice takes them: "0.10", ".25", "1.5000". */
export const MAX_PRICE = '^[0-9]{0,2}\\.[0-9]{2,5}$';

/** The same pattern, or nothing (a parameter left empty means "not set"). */
const orEmpty = (pattern: string) => `^(${pattern.slice(1, -1)})?$`;

export const eumSmsDeploy: DeployBinding = {
  parameters: {
    EumSmsOriginationIdentityArn: {
      description:
        'ARN of the End User Messaging SMS origination identity the customer SMS go out from: a phone number, a pool or a sender ID ' +
        '(arn:aws:sms-voice:<region>:<account>:phone-number/phone-…, pool/pool-…, or sender-id/<SenderId>/<ISO country>), in the stack\'s region',
      allowedPattern: ORIGINATION_IDENTITY_ARN,
    },
    EumSmsConfigurationSet: {
      description: 'End User Messaging SMS configuration set (event destinations for delivery events), by name; empty for none',
      default: '',
      allowedPattern: orEmpty(CONFIGURATION_SET_NAME),
    },
    EumSmsMaxPrice: {
      description: 'Price cap of one customer SMS in US dollars (SendTextMessage MaxPrice, e.g. 0.10): a dearer message is refused, not sent; empty for none',
      default: '',
      allowedPattern: orEmpty(MAX_PRICE),
    },
  },
  env: {
    EUM_SMS_ORIGINATION_IDENTITY: { parameter: 'EumSmsOriginationIdentityArn' },
    EUM_SMS_CONFIGURATION_SET: { parameter: 'EumSmsConfigurationSet' },
    EUM_SMS_MAX_PRICE: { parameter: 'EumSmsMaxPrice' },
  },
  statements: [
    {
      actions: ['sms-voice:SendTextMessage'],
      resources: [
        '${param:EumSmsOriginationIdentityArn}',
        // The configuration set of a send is one of SendTextMessage's resource types; without one this
        // ARN (configuration-set/ with no name) matches nothing. See docs/channels.md for what is unconfirmed.
        'arn:${Partition}:sms-voice:${Region}:${AccountId}:configuration-set/${param:EumSmsConfigurationSet}',
      ],
      why: 'End User Messaging SMS SendTextMessage from the one origination identity given to the stack (and its configuration set, when one is given).',
    },
  ],
};
