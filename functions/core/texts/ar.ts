// Arabic customer texts (the default locale of Saudi stores).
import type { Phrases } from './phrases';

export const ar: Phrases = {
  greeting: (name) => (name ? `مرحباً ${name}،` : 'مرحباً،'),
  codeSubject: (ref) => `رمزك للطلب رقم ${ref}`,
  thanks: (ref, product) => `شكراً لطلبك رقم ${ref}${product ? ` (${product})` : ''}.`,
  code: (value) => `الرمز: ${value}`,
  pin: (value) => `الرقم السري (PIN): ${value}`,
  serial: (value) => `الرقم التسلسلي: ${value}`,
  validUntil: (date) => `صالح حتى: ${date}`,
  backorderSubject: (ref) => `طلبك رقم ${ref} قيد التجهيز`,
  backorderBody: (ref) => `تم استلام الدفع لطلبك رقم ${ref}. رمزك في الطريق وسيصلك في رسالة خلال وقت قصير.`,
};
