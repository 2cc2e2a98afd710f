// Customer SMS through AWS End User Messaging SMS (SendTextMessage), from one origination identity (a
// phone number, pool or sender ID, by ARN) and no other: the role may send from that identity only.
// One attempt per message: the delivery core owns retries and fallbacks.
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { isMobileNumber } from '#core/contact';
import { ChannelError } from '#core/errors';
import type { Contact } from '#core/model';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composePlainText } from '#core/texts/compose';
import { eumFailure } from './eum-errors';
import { eumSdk } from './eum-sdk';

export interface EumSmsOptions {
  /** ARN of the phone number, pool or sender ID the SMS goes out from. */
  originationIdentity: string;
  /** Configuration set (event destinations: delivery receipts), by name; none when unset. */
  configurationSet?: string;
  /** Price cap of one message in US dollars, e.g. "0.10" (see index.ts); none when unset. */
  maxPrice?: string;
  /** Seconds the service keeps trying to hand the SMS to the carrier (AWS's default: 72 hours). */
  timeToLiveSeconds?: number;
}

/**
 * Context values (key `ref`) as this adapter sends them: the service logs them to the configuration
 * set's event destinations, so delivery events can name the unit. 1–800 characters without white space
 * (the limits the fake enforces: our reading of the API reference); a ref outside them is left out.
 */
const CONTEXT_VALUE = /^\S{1,800}$/;

export class EumSmsChannel implements DeliveryChannel {
  readonly name = 'sms-eum';

  private client?: PinpointSMSVoiceV2Client;

  /** `eum` makes the client on the first send (see eum-sdk.ts). */
  constructor(private readonly eum: () => PinpointSMSVoiceV2Client, private readonly options: EumSmsOptions) {}

  canReach(to: Contact): boolean {
    return isMobileNumber(to.phone);
  }

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    const phone = message.to.phone;
    if (!isMobileNumber(phone)) throw new ChannelError(`sms-eum: no mobile number for ${message.ref}`, 'PERMANENT', 'NO_PHONE');
    const { configurationSet, maxPrice, timeToLiveSeconds } = this.options;
    this.client ??= this.eum();
    const command = new (eumSdk().SendTextMessageCommand)({
      DestinationPhoneNumber: phone,
      OriginationIdentity: this.options.originationIdentity,
      MessageBody: composePlainText(message).body,
      MessageType: 'TRANSACTIONAL',
      ...(configurationSet && { ConfigurationSetName: configurationSet }),
      // The ref only, never the code: Context ends up in event logs.
      ...(CONTEXT_VALUE.test(message.ref) && { Context: { ref: message.ref } }),
      ...(maxPrice && { MaxPrice: maxPrice }),
      ...(timeToLiveSeconds !== undefined && { TimeToLive: timeToLiveSeconds }),
    });
    let messageId: string | undefined;
    try {
      messageId = (await this.client.send(command)).MessageId;
    } catch (err) {
      throw eumFailure(message.ref, err);
    }
    return { providerMessageId: messageId };
  }
}
