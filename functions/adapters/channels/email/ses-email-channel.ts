// Customer e-mail through Amazon SES v2 SendEmail: a plain-text and an HTML part of the same lines,
// in the order's language. One attempt per message: the delivery core owns retries and fallbacks.
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { ChannelError } from '#core/errors';
import type { Contact } from '#core/model';
import type { ChannelReceipt, CustomerMessage, DeliveryChannel } from '#core/ports/channel';
import { composeText } from '#core/texts/compose';
import { renderEmailHtml } from './email-html';
import { sesFailure } from './ses-errors';
import { sesSdk } from './ses-sdk';

export interface SesEmailOptions {
  /** `Store name <codes@store.example>`: an address of a verified identity. */
  fromAddress: string;
  configurationSet?: string;
}

/** Carries the message ref in the e-mail's headers, so bounce and complaint events can name the unit. */
export const REF_HEADER = 'X-StreamSync-Ref';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
// SES header values: printable ASCII, at most 995 characters.
const HEADER_VALUE = /^[\x20-\x7e]{1,995}$/;

const utf8 = (data: string) => ({ Data: data, Charset: 'UTF-8' });

export class SesEmailChannel implements DeliveryChannel {
  readonly name = 'email';

  private client?: SESv2Client;

  /** `ses` makes the client on the first send (see ses-sdk.ts). */
  constructor(private readonly ses: () => SESv2Client, private readonly options: SesEmailOptions) {}

  canReach(to: Contact): boolean {
    return EMAIL.test(to.email?.trim() ?? '');
  }

  async send(message: CustomerMessage): Promise<ChannelReceipt> {
    const to = message.to.email?.trim();
    if (!to) throw new ChannelError(`email: no e-mail address for ${message.ref}`, 'PERMANENT', 'NO_EMAIL');
    if (!EMAIL.test(to)) throw new ChannelError(`email: the e-mail address of ${message.ref} is malformed`, 'PERMANENT', 'INVALID_EMAIL');
    const { subject, lines, link } = composeText(message);
    this.client ??= this.ses();
    const command = new (sesSdk().SendEmailCommand)({
      FromEmailAddress: this.options.fromAddress,
      Destination: { ToAddresses: [to] },
      Content: {
        Simple: {
          Subject: utf8(subject),
          Body: { Text: utf8(lines.join('\n')), Html: utf8(renderEmailHtml(message.locale, subject, lines, link)) },
          ...(HEADER_VALUE.test(message.ref) ? { Headers: [{ Name: REF_HEADER, Value: message.ref }] } : {}),
        },
      },
      EmailTags: [{ Name: 'kind', Value: message.kind }],
      ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
    });
    let messageId: string | undefined;
    try {
      messageId = (await this.client.send(command)).MessageId;
    } catch (err) {
      throw sesFailure(message.ref, err);
    }
    return { providerMessageId: messageId };
  }
}
