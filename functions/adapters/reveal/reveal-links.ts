// Issues one-time reveal links: a fresh token per link, only its digest stored (with what the page
// shows), the token handed back inside the URL and nowhere else: not in the grant, a log or an error.
import type { Locale } from '#core/model';
import type { OrderUnit } from '#core/ports/orders';
import type { RevealLink, RevealLinks, RevealStore } from '#core/ports/reveals';
import type { Clock } from '#core/ports/runtime';
import { generateRevealToken, hashRevealToken } from '#functions/reveal/reveal-token';

export interface RevealLinkOptions {
  /** Origin of the reveal route (`GET /c/{token}`); undefined: this deployment cannot issue links. */
  baseUrl?: string;
  /** How long a link opens after it was issued. */
  ttlHours: number;
}

export class RevealLinksUnavailableError extends Error {
  override readonly name = 'RevealLinksUnavailableError';
}

export class TokenRevealLinks implements RevealLinks {
  private readonly baseUrl?: string;

  constructor(
    private readonly store: Pick<RevealStore, 'putGrant'>,
    private readonly clock: Clock,
    private readonly options: RevealLinkOptions,
    private readonly drawToken: () => string = generateRevealToken,
  ) {
    // The API Gateway stage URL ends with '/', the route starts with one.
    this.baseUrl = options.baseUrl?.replace(/\/+$/, '');
  }

  async issue(unit: OrderUnit, facts: { locale: Locale; orderReference: string; productName?: string }): Promise<RevealLink> {
    if (this.baseUrl === undefined) throw new RevealLinksUnavailableError('No reveal route is configured (REVEAL_BASE_URL): send the code itself');
    if (!unit.codeId) throw new Error(`Unit ${unit.storeId}/${unit.orderId}/${unit.unitId} holds no code: there is nothing to link to`);
    const token = this.drawToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.options.ttlHours * 3_600_000).toISOString();
    await this.store.putGrant({
      digest: hashRevealToken(token),
      storeId: unit.storeId,
      orderId: unit.orderId,
      unitId: unit.unitId,
      sku: unit.sku,
      codeId: unit.codeId,
      ...(unit.codeKey && { codeKey: unit.codeKey }),
      locale: facts.locale,
      orderReference: facts.orderReference,
      productName: facts.productName ?? unit.productName,
      issuedAt: now.toISOString(),
      expiresAt,
    });
    return { url: `${this.baseUrl}/c/${token}`, expiresAt };
  }
}
