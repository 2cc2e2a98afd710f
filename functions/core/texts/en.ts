// English customer texts.
import type { Phrases } from './phrases';

export const en: Phrases = {
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  codeSubject: (ref) => `Your code for order ${ref}`,
  thanks: (ref, product) => `Thank you for order ${ref}${product ? ` (${product})` : ''}.`,
  code: (value) => `Code: ${value}`,
  pin: (value) => `PIN: ${value}`,
  serial: (value) => `Serial: ${value}`,
  validUntil: (date) => `Valid until: ${date}`,
  backorderSubject: (ref) => `Your order ${ref} is on its way`,
  backorderBody: (ref) => `We received your payment for order ${ref}. Your code is on its way and will arrive in a separate message shortly.`,
};
