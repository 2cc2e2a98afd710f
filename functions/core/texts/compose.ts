// A customer message's facts in words: a subject and the lines of its body, in the order's language.
// The only place a code value (or the reveal link standing in for it) is put into words; channels
// decide how the lines are laid out.
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
  /** Link messages: which line is the bare reveal URL, and the label a channel able to show a button gives it. */
  link?: { line: number; label: string };
}

export function composeText(message: CustomerMessage): ComposedText {
  const p = phrasesFor(message.locale);
  if (message.kind === 'BACKORDER') {
    return { subject: p.backorderSubject(message.orderReference), lines: [p.greeting(message.customerName), p.backorderBody(message.orderReference)] };
  }
  const lines = [p.greeting(message.customerName), p.thanks(message.orderReference, message.productName)];
  const subject = p.codeSubject(message.orderReference);
  // The link wins over a code set by mistake beside it: a link message must never carry the code too.
  if (message.reveal) {
    const line = lines.push(p.revealLinkIntro, message.reveal.url) - 1;
    lines.push(p.revealLinkValidUntil(message.reveal.expiresAt.slice(0, 10)));
    return { subject, lines, link: { line, label: p.revealLinkButton } };
  }
  const code = message.code;
  if (code) {
    lines.push(p.code(code.code));
    if (code.pin) lines.push(p.pin(code.pin));
    if (code.serial) lines.push(p.serial(code.serial));
    if (code.expiresAt) lines.push(p.validUntil(code.expiresAt.slice(0, 10)));
  }
  return { subject, lines };
}

/** Subject and plain-text body (lines joined by newlines): SMS, the recorder, an e-mail's text part. */
export function composePlainText(message: CustomerMessage): { subject: string; body: string } {
  const { subject, lines } = composeText(message);
  return { subject, body: lines.join('\n') };
}
