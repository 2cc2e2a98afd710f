// Customer-facing texts in Arabic and English. The only place a code value is put into words.
import type { CodeMaterial, Locale } from './model';

interface CodeMessageInput {
  locale: Locale;
  orderReference: string;
  productName?: string;
  customerName?: string;
  material: CodeMaterial;
}

const lines = (...parts: Array<string | undefined | false>) => parts.filter(Boolean).join('\n');

export function renderCodeMessage({ locale, orderReference, productName, customerName, material }: CodeMessageInput) {
  if (locale === 'ar') {
    return {
      subject: `رمزك للطلب رقم ${orderReference}`,
      body: lines(
        customerName ? `مرحباً ${customerName}،` : 'مرحباً،',
        `شكراً لطلبك رقم ${orderReference}${productName ? ` (${productName})` : ''}.`,
        `الرمز: ${material.code}`,
        material.pin && `الرقم السري (PIN): ${material.pin}`,
        material.serial && `الرقم التسلسلي: ${material.serial}`,
        material.expiresAt && `صالح حتى: ${material.expiresAt.slice(0, 10)}`,
      ),
    };
  }
  return {
    subject: `Your code for order ${orderReference}`,
    body: lines(
      customerName ? `Hello ${customerName},` : 'Hello,',
      `Thank you for order ${orderReference}${productName ? ` (${productName})` : ''}.`,
      `Code: ${material.code}`,
      material.pin && `PIN: ${material.pin}`,
      material.serial && `Serial: ${material.serial}`,
      material.expiresAt && `Valid until: ${material.expiresAt.slice(0, 10)}`,
    ),
  };
}

export function renderBackorderMessage(locale: Locale, orderReference: string, customerName?: string) {
  if (locale === 'ar') {
    return {
      subject: `طلبك رقم ${orderReference} قيد التجهيز`,
      body: lines(
        customerName ? `مرحباً ${customerName}،` : 'مرحباً،',
        `تم استلام الدفع لطلبك رقم ${orderReference}. رمزك في الطريق وسيصلك في رسالة خلال وقت قصير.`,
      ),
    };
  }
  return {
    subject: `Your order ${orderReference} is on its way`,
    body: lines(
      customerName ? `Hello ${customerName},` : 'Hello,',
      `We received your payment for order ${orderReference}. Your code is on its way and will arrive in a separate message shortly.`,
    ),
  };
}
