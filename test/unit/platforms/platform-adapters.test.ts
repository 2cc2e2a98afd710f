import { moduleConfig } from '#adapters/module-kit';
import type { PlatformModule } from '#adapters/platforms/platform-module';
import { isPlatform, PLATFORMS } from '#adapters/platforms/registry';
import { sallaSignatureHeaders } from '#adapters/platforms/salla/local';
import { toWebhookRequest } from '#local/webhook-signing';
import { zidBasicAuthHeaders } from '#adapters/platforms/zid/local';
import type { Locale } from '#core/model';
import type { PlatformAdapter } from '#core/ports/platform';
import { fixture, rawFixture } from './helpers';

/** Every registered platform's adapter, built from `env` as the webhook's composition builds them. */
const adaptersFrom = (env: NodeJS.ProcessEnv, defaultLocale: Locale = 'ar'): Record<string, PlatformAdapter> =>
  Object.fromEntries(PLATFORMS.map((p: PlatformModule) => [p.name, p.create(moduleConfig(p, env), { defaultLocale })]));
const adapters = adaptersFrom({});

describe('the platform registry', () => {
  it('builds one adapter per platform, keyed by platform', () => {
    expect(Object.keys(adapters).sort()).toEqual(['salla', 'zid']);
    expect(adapters.salla.platform).toBe('salla');
    expect(adapters.zid.platform).toBe('zid');
  });

  it('applies the configured paid rule and default locale', () => {
    expect(adapters.salla.interpret(fixture('salla', 'order-created-paid-credit-card.json')).type).toBe('PAID_ORDER');
    expect(adapters.salla.interpret(fixture('salla', 'order-created-bank-under-review.json')).type).toBe('IGNORE');

    const strict = adaptersFrom({ SALLA_PAID_STATUSES: 'completed', SALLA_UNPAID_PAYMENT_METHODS: 'bank,cod,credit_card' }, 'en');
    expect(strict.salla.interpret(fixture('salla', 'order-created-paid-credit-card.json')).type).toBe('IGNORE');
    const body = fixture('zid', 'order-create-paid.json');
    delete body.language;
    expect(strict.zid.interpret(body)).toMatchObject({ type: 'PAID_ORDER', order: { locale: 'en' } });
  });

  it('isPlatform narrows route parameters', () => {
    expect(isPlatform('salla')).toBe(true);
    expect(isPlatform('zid')).toBe(true);
    expect(isPlatform('Salla')).toBe(false);
    expect(isPlatform(undefined)).toBe(false);
  });
});

describe('signing helpers', () => {
  it('sallaSignatureHeaders carries what a Salla delivery carries and verifies', () => {
    const raw = rawFixture('salla', 'order-created-paid-credit-card.json');
    const headers = sallaSignatureHeaders(raw.toString('utf8'), 'shh');
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      'User-Agent': expect.any(String),
      'X-Salla-Security-Strategy': 'Signature',
      'X-Salla-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(adapters.salla.verify(toWebhookRequest(raw, headers), { secret: 'shh' })).toBe(true);
    expect(adapters.salla.storeIdOf(JSON.parse(raw.toString('utf8')))).toBe('1305146709');
  });

  it('zidBasicAuthHeaders carries Basic credentials that verify', () => {
    const headers = zidBasicAuthHeaders('user', 'p@ss');
    expect(headers.Authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    expect(headers['Content-Type']).toBe('application/json');
    expect(adapters.zid.verify(toWebhookRequest('{}', headers), { username: 'user', password: 'p@ss' })).toBe(true);
  });

  it('toWebhookRequest lower-cases header names and keeps the body bytes', () => {
    const request = toWebhookRequest('{"a":1}', { 'X-Salla-Signature': 'abc', Authorization: 'x' });
    expect(request.headers).toEqual({ 'x-salla-signature': 'abc', authorization: 'x' });
    expect(request.rawBody.toString('utf8')).toBe('{"a":1}');
  });
});
