// Port of the customer side: the facts of a message go in, each channel renders them its way
// (an SMS text, a WhatsApp template with parameters, an e-mail with subject and HTML).
import type { CodeMaterial, Contact, Locale } from '../model';

export type MessageKind = 'CODE' | 'BACKORDER';

/** What a customer message says, before any channel words it. */
export interface CustomerMessage {
  kind: MessageKind;
  locale: Locale;
  to: Contact;
  /** Correlation for the channel's records: `<storeId>/<orderId>/<unitId>` (CODE) or `<storeId>/<orderId>`. Never the code. */
  ref: string;
  /** The reference the customer knows the order by. */
  orderReference: string;
  customerName?: string;
  productName?: string;
  /** CODE messages: the code itself, the only secret a message carries. */
  code?: CodeMaterial;
  /**
   * CODE messages sent as a link instead (the store's choice per channel): the one-time reveal page,
   * and until when it opens. A message carries `code` or `reveal`, never both.
   */
  reveal?: { url: string; expiresAt: string };
}

/** What the channel's provider said when it accepted the message. */
export interface ChannelReceipt {
  /** The provider's id for the message (SNS MessageId, WhatsApp wamid, SES MessageId). */
  providerMessageId?: string;
}

/**
 * A way to reach the customer (SMS, WhatsApp, e-mail, the local recorder). `send` throws `ChannelError`
 * (core/errors.ts) saying whether the failure is permanent, transient or of unknown outcome.
 */
export interface DeliveryChannel {
  readonly name: string;
  /** Whether this contact can be reached at all (a valid mobile number for SMS, an address for e-mail). */
  canReach(to: Contact): boolean;
  send(message: CustomerMessage): Promise<ChannelReceipt>;
}

/** One channel of a store's chain, and whether it carries a reveal link rather than the code. */
export interface ChannelStep {
  channel: DeliveryChannel;
  link: boolean;
}

/**
 * The channels a store's customers are reached through, in the order they are tried (e.g. WhatsApp →
 * SMS → e-mail): the merchant's choice per store, limited to the channels deployed.
 */
export interface ChannelChains {
  chainFor(storeId: string): Promise<ChannelStep[]>;
}
