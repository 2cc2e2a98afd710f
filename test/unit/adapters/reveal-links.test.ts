// TokenRevealLinks: a fresh token per link, in the URL only; the grant holds its digest and what the
// page shows; no route configured means no link at all.
import { RevealLinksUnavailableError, TokenRevealLinks } from '#adapters/reveal/reveal-links';
import { revealTokens } from '#adapters/reveal/reveal-tokens';
import type { OrderUnit } from '#core/ports/orders';
import type { RevealGrant } from '#core/ports/reveals';
import { hashRevealToken } from '#functions/reveal/reveal-token';

const NOW = '2025-03-01T10:00:00.000Z';
const unit: OrderUnit = { storeId: 'S1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: 'SKU-1', state: 'RESERVED', codeId: 'C1', receivedAt: NOW, productName: 'Card 50' };
const facts = { locale: 'en' as const, orderReference: 'R-1' };

function links(baseUrl: string | undefined, ttlHours = 720) {
  const grants: RevealGrant[] = [];
  const issuer = new TokenRevealLinks({ putGrant: async (g) => void grants.push(g) }, { now: () => new Date(NOW) }, { baseUrl, ttlHours });
  return { issuer, grants };
}

describe('TokenRevealLinks', () => {
  it('puts the token in the URL on the reveal route and only its digest in the grant', async () => {
    const { issuer, grants } = links('https://abc.execute-api.me-south-1.amazonaws.com/');
    const link = await issuer.issue(unit, facts);
    const token = link.url.split('/').pop()!;
    expect(link).toEqual({ url: `https://abc.execute-api.me-south-1.amazonaws.com/c/${token}`, expiresAt: '2025-03-31T10:00:00.000Z' });
    expect(grants).toEqual([
      { digest: hashRevealToken(token), storeId: 'S1', orderId: 'O1', unitId: 'L1#1', sku: 'SKU-1', codeId: 'C1', locale: 'en', orderReference: 'R-1', productName: 'Card 50', issuedAt: NOW, expiresAt: link.expiresAt },
    ]);
    expect(JSON.stringify(grants)).not.toContain(token);
    expect(revealTokens.digestOf(token)).toBe(grants[0].digest);
  });

  it('draws a new token for every link, also for the same unit', async () => {
    const { issuer, grants } = links('http://127.0.0.1:3000', 1);
    const [a, b] = [await issuer.issue(unit, facts), await issuer.issue(unit, { ...facts, productName: 'Other name' })];
    expect(a.url).not.toBe(b.url);
    expect(a.expiresAt).toBe('2025-03-01T11:00:00.000Z');
    expect(grants.map((g) => g.productName)).toEqual(['Card 50', 'Other name']);
  });

  it('issues nothing without a reveal route or without a code, and names no token in the error', async () => {
    await expect(links(undefined).issuer.issue(unit, facts)).rejects.toBeInstanceOf(RevealLinksUnavailableError);
    const { issuer, grants } = links('https://r.test');
    await expect(issuer.issue({ ...unit, codeId: undefined }, facts)).rejects.toThrow('Unit S1/O1/L1#1 holds no code');
    expect(grants).toEqual([]);
  });

  it('digestOf refuses what cannot be a token before any lookup', () => {
    expect(revealTokens.digestOf('../etc/passwd')).toBeUndefined();
    expect(revealTokens.digestOf('A'.repeat(23))).toBeUndefined();
    expect(revealTokens.digestOf('A'.repeat(24))).toBe(hashRevealToken('A'.repeat(24)));
  });
});
