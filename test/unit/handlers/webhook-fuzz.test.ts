// Fuzzed webhooks through the real webhook function (handler.ts's rawHandler, given the event API
// Gateway builds from the raw request): forged and malformed requests, hostile field values, replays.
// Every request gets a 2xx or a 4xx, never a 5xx or anything that tells how the function is built, and
// an unauthenticated one never reaches the queue. 10,000 generated cases in the properties that hold
// today (the replays send theirs 2 to 4 times). The seed is fixed, so CI sees the same requests every
// run; change it locally to explore.
import fc from 'fast-check';
import {
  forgeryStatus,
  genuineCase,
  hugeQuantityCase,
  malformedCase,
  manyLinesCase,
  notUtf8Case,
  sallaForgery,
  toDelivery,
  wrongRoute,
  zidForgery,
  type AnyCase,
} from './fuzz/cases';
import { MARKER } from './fuzz/values';
import { expectSafeAnswer, STORES, startWebhook, type Answer, type AnswerBody, type Delivery, type FuzzPlatform, type WebhookUnderTest } from './fuzz/webhook-harness';

const SEED = 20_250_314;
/** Generous: the properties send about 11,000 requests, and CI machines are shared. */
const TIMEOUT_MS = 120_000;

let webhook: WebhookUnderTest;
beforeAll(async () => {
  webhook = await startWebhook();
});
afterAll(() => webhook.stop());

const check = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => Promise<void>) =>
  fc.assert(fc.asyncProperty(arbitrary, predicate), { seed: SEED, numRuns });

async function send(c: AnyCase): Promise<{ answer: Answer; body: AnswerBody }> {
  const delivery = toDelivery(c, webhook);
  const answer = await webhook.deliver(delivery);
  return { answer, body: expectSafeAnswer(answer, delivery, MARKER) };
}

const bothPlatforms = <T>(arbitrary: (platform: FuzzPlatform) => fc.Arbitrary<T>) => fc.oneof(arbitrary('salla'), arbitrary('zid'));

interface EnqueuedOrder {
  kind: string;
  platform: string;
  storeId: string;
  lines?: Array<{ quantity: number }>;
}
const messages = (answer: Answer): EnqueuedOrder[] => answer.enqueued.map((m) => JSON.parse(m) as EnqueuedOrder);

/** The smallest line the issue calls huge; a lower ceiling in the HELD rule still satisfies the property. */
const HUGE_UNITS = 1_000_000;

// A property is only as good as its oracle: each check must reject what it claims to.
describe('the answer checks', () => {
  const delivery: Delivery = { path: '/webhooks/salla', headers: { Authorization: STORES.salla.demo.secret.secret }, body: Buffer.from('{}') };
  const answer = (statusCode: number, body: unknown, extra: Partial<Answer> = {}): Answer => ({
    statusCode,
    contentType: 'application/json',
    text: typeof body === 'string' ? body : JSON.stringify(body),
    enqueued: [],
    refused: [],
    catalogReads: 0,
    ...extra,
  });
  it.each([
    ['a 5xx', answer(503, { ok: false, error: 'x' }), /5xx/],
    ['a retry-later 4xx', answer(429, { ok: false, error: 'x' }), /retry-later/],
    ['a 3xx', answer(302, { ok: false }), /neither 2xx nor 4xx/],
    ['a body that is not JSON', answer(400, 'Bad Request'), /not JSON/],
    ['an answer not labelled JSON', answer(400, { ok: false }, { contentType: 'text/plain' }), /application\/json/],
    ['ok disagreeing with the status', answer(400, { ok: true }), /disagrees/],
    ['a stack frame', answer(400, { ok: false, error: 'at receiveWebhook (/var/task/index.js:12:7)' }), /stack frame/],
    ['a file path', answer(400, { ok: false, error: 'in functions/webhook/handler.ts' }), /file path/],
    ['an error class', answer(400, { ok: false, error: 'TypeError: x is undefined' }), /error class/],
    ['a failure dressed as an answer', answer(400, { ok: false, error: 'temporarily unavailable: x' }), /dressed/],
    ['the marker echoed', answer(400, { ok: false, error: `near ${MARKER}` }), /marker/],
    ['a credential echoed', answer(401, { ok: false, error: STORES.salla.demo.secret.secret }), /credential/],
    ['a message for a 4xx', answer(400, { ok: false }, { enqueued: ['{}'] }), /1 message/],
    ['no message for ENQUEUED', answer(200, { ok: true, result: { outcome: 'ENQUEUED' } }), /0 message/],
    ['a refused message', answer(200, { ok: true, result: { outcome: 'IGNORED' } }, { refused: ['too big'] }), /must not take/],
  ])('reject %s', (_name, bad, why) => {
    expect(() => expectSafeAnswer(bad, delivery, MARKER)).toThrow(why);
  });

  it('accept a plain 200 and a plain 401', () => {
    expect(expectSafeAnswer(answer(200, { ok: true, result: { outcome: 'ENQUEUED' } }, { enqueued: ['{}'] }), delivery, MARKER).ok).toBe(true);
    expect(expectSafeAnswer(answer(401, { ok: false, error: 'signature or credentials do not match' }), delivery, MARKER).ok).toBe(false);
  });
});

describe('webhook fuzz', () => {
  it('a forged Salla delivery (signature, token, strategy header, store) is 401, or 400 without a store, and reads and enqueues nothing', async () => {
    await check(sallaForgery, 2000, async (c) => {
      const { answer } = await send(c);
      expect(answer.statusCode).toBe(forgeryStatus(c));
      expect(answer.enqueued).toEqual([]);
      expect(answer.catalogReads).toBe(0);
    });
  }, TIMEOUT_MS);

  it('a forged Zid delivery (Basic Auth, store) is 401, or 400 without a store, and reads and enqueues nothing', async () => {
    await check(zidForgery, 1500, async (c) => {
      const { answer } = await send(c);
      expect(answer.statusCode).toBe(forgeryStatus(c));
      expect(answer.enqueued).toEqual([]);
      expect(answer.catalogReads).toBe(0);
    });
  }, TIMEOUT_MS);

  it('a genuine delivery to a route or with a method the function does not serve is 404', async () => {
    await check(wrongRoute, 500, async (c) => {
      const { answer } = await send(c);
      expect(answer.statusCode).toBe(404);
      expect(answer.enqueued).toEqual([]);
      expect(answer.catalogReads).toBe(0);
    });
  }, TIMEOUT_MS);

  it('a genuinely signed body that is not a usable JSON object (truncated, garbage, deep, huge, mis-encoded) is a 4xx', async () => {
    await check(bothPlatforms(malformedCase), 2000, async (c) => {
      const { answer } = await send(c);
      expect(answer.statusCode).toBeGreaterThanOrEqual(400);
      expect(answer.enqueued).toEqual([]);
    });
  }, TIMEOUT_MS);

  it('a genuine delivery of a mutated fixture (odd quantities, ids, events, customers, text) is 2xx or 4xx and enqueues only for its own store', async () => {
    await check(bothPlatforms((platform) => genuineCase(platform)), 3500, async (c) => {
      const { answer } = await send(c);
      for (const message of messages(answer)) {
        expect(message.platform).toBe(c.order.platform);
        expect(message.storeId).toBe(STORES[c.order.platform].demo.storeId);
      }
    });
  }, TIMEOUT_MS);

  it('a replayed delivery gets the same status every time, and once taken it is never enqueued again', async () => {
    const anyCase: fc.Arbitrary<AnyCase> = fc.oneof(bothPlatforms((platform) => genuineCase(platform)), sallaForgery, zidForgery, bothPlatforms(malformedCase));
    await check(fc.record({ c: anyCase, times: fc.integer({ min: 2, max: 4 }) }), 500, async ({ c, times }) => {
      const first = await send(c);
      for (let i = 1; i < times; i++) {
        const again = await send(c);
        expect(again.answer.statusCode).toBe(first.answer.statusCode);
        expect(again.answer.enqueued).toHaveLength(0);
        // What was not taken (a 4xx, an ignored event) is answered exactly the same again.
        if (first.answer.enqueued.length === 0) expect(again.answer.text).toBe(first.answer.text);
        else expect(JSON.parse(again.answer.text)).toMatchObject({ ok: true, result: { outcome: 'DUPLICATE', state: 'DONE' } });
      }
    });
  }, TIMEOUT_MS);

  // The HELD rule: an order with huge quantities or too many lines is answered 200 and stored HELD
  // (one bounded HOLD message), never one giant message. Counterexamples the code had before the rule
  // (seed above; fast-check shrank to these per platform):

  // Salla order-created-paid-credit-card.json with data.items.0.quantity = 1000000, and Zid
  // order-create-paid.json with products.0.quantity = 1000000: 200, enqueued for 1,000,000 codes.
  // (With both platforms mixed, fast-check reports Zid 333334 × the 3-pack product = 1,000,002 units.)
  it('HELD: a line of a million units or more is answered 200 and never enqueued as is', async () => {
    await check(bothPlatforms(hugeQuantityCase), 300, async (c) => {
      const { answer } = await send(c);
      expect(answer.statusCode).toBe(200);
      for (const message of messages(answer).filter((m) => m.kind === 'ORDER')) {
        for (const line of message.lines ?? []) expect(Number.isSafeInteger(line.quantity) && line.quantity < HUGE_UNITS).toBe(true);
      }
    });
  }, TIMEOUT_MS);

  // A minimal Salla line ({"id","product_id","quantity"}, 48 bytes) becomes a 76-byte message line:
  // Salla order-created-paid-credit-card.json with 3446 such lines (a 166 KB body) makes a 262,159-byte
  // message (3445 lines: 262,083, accepted); Zid order-create-paid.json overflows at 2593 lines. SQS
  // refuses it and the platform is told to retry forever: Salla 503, Zid 429.
  it("HELD: an order of thousands of lines, whose message would exceed SQS's 256 KiB, is answered 2xx or 4xx and no such message is sent", async () => {
    await check(bothPlatforms(manyLinesCase), 60, async (c) => {
      await send(c);
    });
  }, TIMEOUT_MS);

  // Bytes that are not UTF-8 decode to U+FFFD, three bytes each in the message: Salla
  // order-created-paid-credit-card.json with customer.full_name = 87,250 bytes 0xFF (sent as
  // application/octet-stream, so API Gateway passes the exact bytes) → 503; Zid, customer.name =
  // 87,244 bytes → 429. Rejecting a body that is not UTF-8 (400) would satisfy this as well.
  it("HELD: an order whose text is not UTF-8, so that its message would exceed SQS's 256 KiB, is answered 2xx or 4xx and no such message is sent", async () => {
    await check(bothPlatforms(notUtf8Case), 60, async (c) => {
      await send(c);
    });
  }, TIMEOUT_MS);
});
