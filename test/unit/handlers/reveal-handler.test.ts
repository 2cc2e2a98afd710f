// The reveal function's handler: the token from the path parameter, the page in the order's language
// (else the browser's), a GET that only looks and a POST that reveals, and an address that keeps
// missing (by either method) is turned away without a lookup.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { NewUnit } from '#core/ports/orders';
import { deliverAsLink, tokenOf } from '#test/contract/link-delivery';
import { harness, T0 } from '#test/fakes/harness';

const h = harness();
jest.mock('#wiring/reveal-deps', () => ({ revealDeps: async () => h.deps }));

const unit: NewUnit = { storeId: 'S1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: 'SKU-1', receivedAt: T0 };
const event = (token: string | undefined, sourceIp: string, acceptLanguage?: string, method: 'GET' | 'POST' = 'GET'): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: `${method} /c/{token}`,
    rawPath: `/c/${token ?? ''}`,
    rawQueryString: '',
    headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {},
    ...(token === undefined ? {} : { pathParameters: { token } }),
    requestContext: { http: { method, path: `/c/${token}`, protocol: 'HTTP/1.1', sourceIp, userAgent: 'test' } },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

let rawHandler: typeof import('#functions/reveal/handler').rawHandler;
let MISS_LIMIT: typeof import('#functions/reveal/handler').MISS_LIMIT;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  ({ rawHandler, MISS_LIMIT } = await import('#functions/reveal/handler'));
  h.stock.seedCodes('SKU-1', 'CODE-A');
});

let orders = 0;
/** A fresh delivered unit sent as a link (a code of its own in stock first): its token and the code value behind it. */
async function linkedUnit(locale: 'ar' | 'en' = 'ar') {
  const n = ++orders;
  h.stock.seedCodes('SKU-1', `CODE-${n}`);
  const { link, unit: delivered } = await deliverAsLink(h.deps, { ...unit, orderId: `O${n}` }, { locale, orderReference: `R-${n}`, at: T0 });
  const { code } = await h.stock.readCode({ sku: 'SKU-1', codeId: delivered.codeId! });
  return { token: tokenOf(link), code, unit: { storeId: 'S1', orderId: `O${n}`, unitId: 'L1#1' } };
}
const formAction = (res: { headers?: Record<string, unknown> }) => /form-action ([^;]+)/.exec(String(res.headers?.['Content-Security-Policy']))?.[1];

describe('reveal handler', () => {
  afterEach(() => jest.restoreAllMocks());

  it('GET answers the page with the button in the order\'s language, spending nothing; its POST shows the code once; then the spent page', async () => {
    const { token, code, unit: ref } = await linkedUnit('ar');
    const opened = await rawHandler(event(token, '10.0.0.1', 'en-US'));
    expect(opened).toMatchObject({ statusCode: 200, headers: { 'Content-Language': 'ar', 'Cache-Control': 'no-store' } });
    expect(opened.body).toContain('<form method="post" class="show">');
    expect(opened.body).not.toContain(code);
    expect(formAction(opened)).toBe("'self'");
    expect(h.world.unit(ref.storeId, ref.orderId, ref.unitId)?.revealedAt).toBeUndefined();

    const first = await rawHandler(event(token, '10.0.0.1', 'en-US', 'POST'));
    expect(first).toMatchObject({ statusCode: 200, headers: { 'Content-Language': 'ar', 'Cache-Control': 'no-store' } });
    expect(first.body).toContain(code);
    expect(formAction(first)).toBe("'none'");
    expect(h.world.unit(ref.storeId, ref.orderId, ref.unitId)?.revealedAt).toBeDefined();
    // A reload of the code page re-POSTs; opening the link again GETs: both get the spent page.
    for (const method of ['POST', 'GET'] as const) {
      const again = await rawHandler(event(token, '10.0.0.1', 'en-US', method));
      expect(again.statusCode).toBe(410);
      expect(again.body).not.toContain(code);
    }
  });

  it('a link preview or mail scanner GETs it three times first: the customer\'s POST still shows the code', async () => {
    const { token, code } = await linkedUnit('en');
    const readCode = jest.spyOn(h.stock, 'readCode');
    const markRevealed = jest.spyOn(h.reveals, 'markRevealed');
    for (const bot of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) {
      const preview = await rawHandler(event(token, bot));
      expect(preview.statusCode).toBe(200);
      expect(preview.body).not.toContain(code);
    }
    expect(readCode).not.toHaveBeenCalled();
    expect(markRevealed).not.toHaveBeenCalled();
    const customer = await rawHandler(event(token, '10.0.0.5', 'en', 'POST'));
    expect(customer).toMatchObject({ statusCode: 200, headers: { 'Content-Language': 'en' } });
    expect(customer.body).toContain(code);
  });

  it('a POST of an unknown or malformed token gets the very page a GET gets', async () => {
    for (const token of ['junk', 'E'.repeat(24)]) {
      const [get, post] = [await rawHandler(event(token, '10.0.0.6', 'en')), await rawHandler(event(token, '10.0.0.7', 'en', 'POST'))];
      expect(post).toEqual(get);
      expect(post.statusCode).toBe(404);
    }
  });

  it('an expired link: the same expired page to GET and POST, and nothing read out', async () => {
    const { token, code } = await linkedUnit('en');
    h.clock.advanceSeconds(721 * 3600);
    const readCode = jest.spyOn(h.stock, 'readCode');
    const [get, post] = [await rawHandler(event(token, '10.0.0.8')), await rawHandler(event(token, '10.0.0.8', undefined, 'POST'))];
    expect(post).toEqual(get);
    expect(get.statusCode).toBe(410);
    expect(get.body).not.toContain(code);
    expect(readCode).not.toHaveBeenCalled();
  });

  it('misses count the same by either method: GET and POST misses together trip the throttle for both', async () => {
    for (let i = 0; i < MISS_LIMIT.limit; i++) {
      expect((await rawHandler(event(`miss-${i}`, '10.0.0.9', 'en', i % 2 ? 'POST' : 'GET'))).statusCode).toBe(404);
    }
    for (const method of ['GET', 'POST'] as const) expect((await rawHandler(event('F'.repeat(24), '10.0.0.9', 'en', method))).statusCode).toBe(429);
  });

  it(`after ${MISS_LIMIT?.limit ?? 5} misses from one address: 429 with Retry-After, without a lookup; others are not affected`, async () => {
    const getGrant = jest.spyOn(h.reveals, 'getGrant');
    for (let i = 0; i < MISS_LIMIT.limit; i++) {
      const miss = await rawHandler(event(i % 2 ? 'B'.repeat(24) : 'junk', '10.0.0.2', 'en'));
      expect(miss).toMatchObject({ statusCode: 404, headers: { 'Content-Language': 'en' } });
    }
    const lookups = getGrant.mock.calls.length;
    const throttled = await rawHandler(event('C'.repeat(24), '10.0.0.2', 'ar'));
    expect(throttled).toMatchObject({ statusCode: 429, headers: { 'Content-Language': 'ar', 'Retry-After': expect.stringMatching(/^\d+$/) } });
    expect(Number(throttled.headers!['Retry-After'])).toBeLessThanOrEqual(MISS_LIMIT.windowSeconds);
    expect(getGrant.mock.calls.length).toBe(lookups);
    expect((await rawHandler(event('D'.repeat(24), '10.0.0.3'))).statusCode).toBe(404);
  });

  it('a request without the path parameter is a miss like any other', async () => {
    expect(await rawHandler(event(undefined, '10.0.0.4'))).toMatchObject({ statusCode: 404, headers: { 'Content-Language': 'ar' } });
  });
});
