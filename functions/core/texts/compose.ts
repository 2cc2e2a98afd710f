// A customer message's facts in words: a subject and the lines of its body, in the order's language.
// The only place a code value is put into words; channels decide how the lines are laid out.
import type { Locale } from '../model';
import type { CustomerMessage } from '../ports/channel';
import { ar } from './ar';
import { en } from './en';
import type { Phrases } from './phrases';

const PHRASES: Record<Locale, Phrases> = { ar, en };

export const phrasesFor = (locale: Locale): Phrases => PHRASES[locale];

export interface ComposedText {
  subject: string;
  lines: string[];
}

export function composeText(message: CustomerMessage): ComposedText {
  const p = phrasesFor(message.locale);
  if (message.kind === 'BACKORDER') {
    return { subject: p.backorderSubject(message.orderReference), lines: [p.greeting(message.customerName), p.backorderBody(message.orderReference)] };
  }
  const code = message.code;
  const lines = [p.greeting(message.customerName), p.thanks(message.orderReference, message.productName)];
  if (code) {
    lines.push(p.code(code.code));
    if (code.pin) lines.push(p.pin(code.pin));
    if (code.serial) lines.push(p.serial(code.serial));
    if (code.expiresAt) lines.push(p.validUntil(code.expiresAt.slice(0, 10)));
  }
  return { subject: p.codeSubject(message.orderReference), lines };
}

/** Subject and plain-text body (lines joined by newlines): SMS, the recorder, an e-mail's text part. */
export function composePlainText(message: CustomerMessage): { subject: string; body: string } {
  const { subject, lines } = composeText(message);
  return { subject, body: lines.join('\n') };
}
