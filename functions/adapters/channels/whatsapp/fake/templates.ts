// The templates the fake Graph API treats as approved: the wording docs/channels.md suggests submitting
// in WhatsApp Manager, one name with an Arabic and an English translation each.

export interface FakeTemplate {
  /** What the fake records in the outbox as the message kind. */
  kind: 'CODE' | 'BACKORDER';
  /** Body with {{1}}…{{n}} placeholders. */
  body: string;
  /** Label of the copy-code button; absent: the template has none. */
  copyCodeButton?: string;
}

/** name → language code → template. */
export type FakeTemplates = Record<string, Record<string, FakeTemplate>>;

export const DEMO_TEMPLATES: FakeTemplates = {
  streamsync_code: {
    ar: { kind: 'CODE', body: 'شكراً لطلبك رقم {{1}} ({{2}}).\nالرمز: {{3}}', copyCodeButton: 'نسخ الرمز' },
    en: { kind: 'CODE', body: 'Thank you for order {{1}} ({{2}}).\nCode: {{3}}', copyCodeButton: 'Copy code' },
  },
  // Text after the link: third-party guides (not Meta's pages) say a body may not end with a variable.
  streamsync_code_link: {
    ar: { kind: 'CODE', body: 'شكراً لطلبك رقم {{1}} ({{2}}).\nافتح رمزك من الرابط التالي: {{3}}\nتعرض الصفحة الرمز مرة واحدة فقط، فانسخه واحتفظ به في مكان آمن.' },
    en: { kind: 'CODE', body: 'Thank you for order {{1}} ({{2}}).\nOpen your code here: {{3}}\nThe page shows the code only once, so copy it and keep it somewhere safe.' },
  },
  streamsync_backorder: {
    ar: { kind: 'BACKORDER', body: 'تم استلام الدفع لطلبك رقم {{1}}. رمزك في الطريق وسيصلك في رسالة خلال وقت قصير.' },
    en: { kind: 'BACKORDER', body: 'We received your payment for order {{1}}. Your code is on its way and will arrive in a separate message shortly.' },
  },
};

/** Number of distinct placeholders a body expects. */
export const placeholderCount = (body: string): number => new Set(body.match(/\{\{\d+\}\}/g) ?? []).size;

export const render = (body: string, values: readonly string[]): string => body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => values[Number(n) - 1] ?? '');
