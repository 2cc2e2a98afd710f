// A customer message as a WhatsApp template message: the JSON body of POST /{phone-number-id}/messages.
// Templates are written and approved in WhatsApp Manager; we only fill their parameters, so the words
// around them live at Meta (docs/channels.md has the texts to submit).
import { ChannelError } from '#core/errors';
import type { Locale } from '#core/model';
import type { CustomerMessage } from '#core/ports/channel';
import { phrasesFor } from '#core/texts/compose';

/** Template names per kind and locale (one Meta template usually has both languages under one name). */
export interface TemplateNames {
  code: Record<Locale, string>;
  backorder: Record<Locale, string>;
  /** CODE messages sent as a one-time reveal link (`message.reveal`) instead of the code. */
  link: Record<Locale, string>;
}

/** Longest code a copy-code button takes (Meta's limit, *unconfirmed*): longer codes are in the body only. */
export const COPY_CODE_MAX_LENGTH = 15;

interface TextParameter {
  type: 'text';
  text: string;
}

type Component =
  | { type: 'body'; parameters: TextParameter[] }
  | { type: 'button'; sub_type: 'copy_code'; index: 0; parameters: [{ type: 'coupon_code'; coupon_code: string }] };

export interface TemplateMessage {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  /** E.164 digits without the '+'. */
  to: string;
  type: 'template';
  /** Echoed in status webhooks: the message ref, never the code. */
  biz_opaque_callback_data: string;
  template: {
    name: string;
    language: { code: Locale; policy: 'deterministic' };
    components: Component[];
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The recipient as the Cloud API wants it, or a PERMANENT error before any request is made. */
export function recipientOf(message: CustomerMessage): string {
  const phone = message.to.phone?.trim();
  if (!phone) throw new ChannelError(`whatsapp: no phone number for ${message.ref}`, 'PERMANENT', 'NO_PHONE');
  if (!E164.test(phone)) throw new ChannelError(`whatsapp: phone number of ${message.ref} is not E.164`, 'PERMANENT', 'INVALID_PHONE');
  return phone.slice(1);
}

// Meta refuses parameters with newlines, tabs or more than four consecutive spaces (132000 family),
// and empty ones: a product name typed by a merchant must not make the message undeliverable.
function param(value: string | undefined): TextParameter {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return { type: 'text', text: text === '' ? '-' : text };
}

export function templateMessage(message: CustomerMessage, to: string, names: TemplateNames): TemplateMessage {
  const envelope = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    biz_opaque_callback_data: message.ref,
  } as const;
  const language = { code: message.locale, policy: 'deterministic' } as const;

  if (message.kind === 'BACKORDER') {
    const components: Component[] = [{ type: 'body', parameters: [param(message.orderReference)] }];
    return { ...envelope, template: { name: names.backorder[message.locale], language, components } };
  }

  if (message.reveal) return { ...envelope, template: { name: names.link[message.locale], language, components: linkComponents(message, message.reveal.url) } };

  const code = message.code;
  if (!code || code.code.trim() === '') throw new ChannelError(`whatsapp: CODE message ${message.ref} has no code`, 'PERMANENT', 'NO_CODE');
  // The PIN goes with the code in one parameter, so one template fits codes with and without a PIN.
  const codeText = code.pin ? `${code.code} — ${phrasesFor(message.locale).pin(code.pin)}` : code.code;
  const components: Component[] = [{ type: 'body', parameters: [param(message.orderReference), param(message.productName), param(codeText)] }];
  if (code.code.length <= COPY_CODE_MAX_LENGTH) {
    components.push({ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: code.code }] });
  }
  return { ...envelope, template: { name: names.code[message.locale], language, components } };
}

// Body only: the message holds no code, so there is nothing for a copy-code button to copy, and the
// link template is approved without one.
function linkComponents(message: CustomerMessage, url: string): Component[] {
  if (url.trim() === '') throw new ChannelError(`whatsapp: CODE message ${message.ref} has an empty reveal link`, 'PERMANENT', 'NO_LINK');
  return [{ type: 'body', parameters: [param(message.orderReference), param(message.productName), param(url)] }];
}
