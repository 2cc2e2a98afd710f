// Customer texts: every detail of the code in both languages, or the reveal link in its place; a backorder
// notice never holds a code.
import { composePlainText, composeText } from '#core/texts/compose';
import type { CodeMaterial, Locale } from '#core/model';

const to = { phone: '+966500000001' };
const renderCodeMessage = (m: { locale: Locale; orderReference: string; productName?: string; customerName?: string; material: CodeMaterial }) =>
  composePlainText({ kind: 'CODE', ref: 'S/O/L#1', to, locale: m.locale, orderReference: m.orderReference, productName: m.productName, customerName: m.customerName, code: m.material });
const renderBackorderMessage = (locale: Locale, orderReference: string, customerName?: string) =>
  composePlainText({ kind: 'BACKORDER', ref: 'S/O', to, locale, orderReference, customerName });

const material: CodeMaterial = { code: 'GC-7Q2X-99LM', pin: '4821', serial: 'SN-000123', expiresAt: '2026-12-31T23:59:59Z' };

describe('composePlainText: CODE', () => {
  it('English: code, PIN, serial, expiry date and order reference', () => {
    const { subject, body } = renderCodeMessage({ locale: 'en', orderReference: 'R-1001', productName: 'iTunes 50', customerName: 'Sara', material });
    expect(subject).toBe('Your code for order R-1001');
    expect(body.split('\n')).toEqual([
      'Hello Sara,',
      'Thank you for order R-1001 (iTunes 50).',
      'Code: GC-7Q2X-99LM',
      'PIN: 4821',
      'Serial: SN-000123',
      'Valid until: 2026-12-31',
    ]);
  });

  it('Arabic: the same details under Arabic labels', () => {
    const { subject, body } = renderCodeMessage({ locale: 'ar', orderReference: 'R-1001', productName: 'iTunes 50', customerName: 'سارة', material });
    expect(subject).toBe('رمزك للطلب رقم R-1001');
    expect(body.split('\n')).toEqual([
      'مرحباً سارة،',
      'شكراً لطلبك رقم R-1001 (iTunes 50).',
      'الرمز: GC-7Q2X-99LM',
      'الرقم السري (PIN): 4821',
      'الرقم التسلسلي: SN-000123',
      'صالح حتى: 2026-12-31',
    ]);
  });

  it.each(['ar', 'en'] as const)('%s: leaves out what the code does not have, and never prints "undefined"', (locale) => {
    const { body } = renderCodeMessage({ locale, orderReference: 'R-2', material: { code: 'ONLY-CODE' } });
    expect(body).toContain('ONLY-CODE');
    expect(body).toContain('R-2');
    expect(body).not.toMatch(/undefined|PIN|Serial|Valid until|التسلسلي|صالح/);
    expect(body.split('\n')).toHaveLength(3);
  });
});

describe('composeText: CODE as a reveal link', () => {
  const reveal = { url: 'https://api.example/c/AbCdEfGhIjKlMnOpQrStUvWx', expiresAt: '2026-07-14T09:30:00Z' };
  const linkMessage = (locale: Locale) =>
    ({ kind: 'CODE', ref: 'S/O/L#1', to, locale, orderReference: 'R-1001', productName: 'iTunes 50', customerName: 'Sara', reveal }) as const;

  it.each([
    ['en', ['Hello Sara,', 'Thank you for order R-1001 (iTunes 50).', 'Open your code (the page shows it once):', reveal.url, 'Link valid until 2026-07-14'], 'Open your code'],
    ['ar', ['مرحباً Sara،', 'شكراً لطلبك رقم R-1001 (iTunes 50).', 'افتح رمزك من الرابط التالي (تعرضه الصفحة مرة واحدة فقط):', reveal.url, 'الرابط صالح حتى 2026-07-14'], 'افتح رمزك'],
  ] as const)('%s: the link on its own line where the code lines go, then the link’s expiry date', (locale, lines, label) => {
    const composed = composeText(linkMessage(locale));
    expect(composed.lines).toEqual(lines);
    expect(composed.link).toEqual({ line: 3, label });
    expect(composePlainText(linkMessage(locale)).body).toBe(lines.join('\n'));
  });

  it.each(['ar', 'en'] as const)('%s: no code line even when a code is set beside the link by mistake', (locale) => {
    const { subject, lines } = composeText({ ...linkMessage(locale), code: material });
    const text = `${subject}\n${lines.join('\n')}`;
    for (const secret of [material.code, material.pin!, material.serial!]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Code:|PIN|Serial|Valid until|الرمز:|الرقم السري|الرقم التسلسلي|صالح حتى:|undefined/);
  });

  it('a code message has no link', () => {
    expect(composeText({ kind: 'CODE', ref: 'S/O/L#1', to, locale: 'en', orderReference: 'R-1', code: material }).link).toBeUndefined();
  });
});

describe('composePlainText: BACKORDER', () => {
  it.each([
    ['en', 'Your order R-7 is on its way', /We received your payment for order R-7/],
    ['ar', 'طلبك رقم R-7 قيد التجهيز', /تم استلام الدفع لطلبك رقم R-7/],
  ] as const)('%s: names the order reference and the customer', (locale, subject, sentence) => {
    const rendered = renderBackorderMessage(locale, 'R-7', 'Omar');
    expect(rendered.subject).toBe(subject);
    expect(rendered.body).toMatch(sentence);
    expect(rendered.body).toContain('Omar');
  });

  it.each(['ar', 'en'] as const)('%s: has no code, PIN or serial line', (locale) => {
    const { subject, body } = renderBackorderMessage(locale, 'R-7');
    expect(`${subject}\n${body}`).not.toMatch(/Code:|PIN|Serial|الرمز:|الرقم السري|الرقم التسلسلي/);
    expect(body).not.toContain('undefined');
  });
});
