// loadConfig: the functions' environment contract, parsed once; errors name fields, never values.
import { recorder } from '#adapters/channels/recorder/index';
import { sms } from '#adapters/channels/sms/index';
import { moduleConfig } from '#adapters/module-kit';
import { salla } from '#adapters/platforms/salla/index';
import { loadConfig } from '#wiring/config';

const required = {
  TABLE_NAME: 'streamsync',
  ORDERS_QUEUE_URL: 'https://sqs.me-south-1.amazonaws.com/1/orders',
  REORDER_POLL_QUEUE_URL: 'https://sqs.me-south-1.amazonaws.com/1/polls',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:me-south-1:1:alerts',
};

describe('loadConfig', () => {
  it('fills every default from the required variables alone', () => {
    expect(loadConfig({ ...required })).toEqual({
      ...required,
      WEBHOOK_SECRET_PREFIX: 'streamsync/webhook/',
      WEBHOOK_STORE_LOOKUP_BURST: 20,
      VELOCITY_MAX_CODES: 20,
      VELOCITY_WINDOW_HOURS: 24,
      WEBHOOK_STORE_LOOKUP_INTERVAL_MS: 5000,
      CODE_ID_KEY_SECRET_NAME: 'streamsync/code-id-key',
      CODE_KEYS: '1=alias/streamsync-codes-v1',
      CODE_KEY_VERSION: '1',
      SUPPLIER_SECRET_PREFIX: 'streamsync/supplier/',
      CHANNEL: 'sms',
      AVAILABLE_SHARDS: 8,
      MAX_WEBHOOK_BYTES: 1_048_576,
      DEDUPE_WINDOW_SECONDS: 86_400,
      DEFAULT_LOCALE: 'ar',
      REORDER_LEASE_SECONDS: 120,
      REORDER_POLL_DELAY_SECONDS: 60,
      REORDER_FAILURE_BACKOFF_SECONDS: 900,
      REORDER_COOLDOWN_SECONDS: 2,
      REORDER_SIZING: 'demand',
      REORDER_MAX_QUANTITY: 500,
      LOW_BALANCE_REORDERS: 3,
      SUPPLIER_BALANCE_CACHE_SECONDS: 30,
      REORDER_MAX_AGE_SECONDS: 3600,
      LATE_CHECK_WINDOW_SECONDS: 86_400,
      LATE_CHECK_INTERVAL_SECONDS: 900,
      SEND_LEASE_SECONDS: 60,
      DELIVERY_UNITS_PER_INVOCATION: 100,
      CHANNEL_ATTEMPTS: 3,
      CHANNEL_RETRY_DELAY_MS: 250,
      DELIVERY_PATH: 'lean',
      RETRY_BASE_SECONDS: 10,
      MAX_UNITS_PER_LINE: 1000,
      MAX_LINES_PER_ORDER: 100,
      MAX_UNITS_PER_ORDER: 1000,
      REVEAL_LINK_TTL_HOURS: 720,
      REVEAL_LINK_CHANNELS: 'whatsapp,email',
      STORE_SETTINGS_CACHE_SECONDS: 60,
      PRODUCT_MAP_CACHE_SECONDS: 30,
      STORE_TOKEN_SECRET_PREFIX: 'streamsync/store-tokens/',
      PLATFORM_APP_SECRET_PREFIX: 'streamsync/platform-app/',
      WRITE_BACK_MAX_ATTEMPTS: 8,
      WRITE_BACK_RETRY_BASE_SECONDS: 30,
      WRITE_BACK_BURST_PERCENT: 50,
      WRITE_BACK_RATE_PERCENT: 80,
      VERIFY_PAYMENT_ABOVE: 500,
      WEBHOOK_APP_SECRET_PREFIX: 'streamsync/webhook-app/',
    });
  });

  it('takes an empty or blank variable as not set: the default applies, never 0 or an empty list', () => {
    const blank = {
      REORDER_POLL_DELAY_SECONDS: '',
      REORDER_COOLDOWN_SECONDS: ' ',
      AVAILABLE_SHARDS: '',
      CHANNEL: '',
      WEBHOOK_SECRET_PREFIX: '',
    };
    const config = loadConfig({ ...required, ...blank });
    expect(config).toEqual(loadConfig({ ...required }));
    expect(config).toMatchObject({ REORDER_POLL_DELAY_SECONDS: 60, REORDER_COOLDOWN_SECONDS: 2, AVAILABLE_SHARDS: 8, CHANNEL: 'sms', WEBHOOK_SECRET_PREFIX: 'streamsync/webhook/' });
  });

  it('a module\'s config is its own: blank lists take their default, never an empty list', () => {
    const config = moduleConfig(salla, { SALLA_PAID_STATUSES: '', SALLA_UNPAID_PAYMENT_METHODS: '  ' });
    expect(config).toEqual({ SALLA_PAID_STATUSES: ['completed', 'in_progress', 'delivering', 'delivered', 'shipped'], SALLA_UNPAID_PAYMENT_METHODS: ['bank', 'cod'] });
    expect(moduleConfig(recorder, { RECORDER_URL: '' })).toEqual({ RECORDER_URL: 'http://127.0.0.1:4010' });
  });

  it('an empty required variable is missing', () => {
    expect(() => loadConfig({ ...required, ORDERS_QUEUE_URL: '' })).toThrow('Invalid function configuration: ORDERS_QUEUE_URL');
  });

  it('reads the reorder cooldown and max age, and 0 is a valid cooldown', () => {
    const config = loadConfig({ ...required, REORDER_COOLDOWN_SECONDS: '0', REORDER_MAX_AGE_SECONDS: '7200' });
    expect(config).toMatchObject({ REORDER_COOLDOWN_SECONDS: 0, REORDER_MAX_AGE_SECONDS: 7200 });
  });

  it('splits the CSV lists, trimming blanks and empty items', () => {
    const config = moduleConfig(salla, { SALLA_PAID_STATUSES: ' completed, shipped ,,delivered,', SALLA_UNPAID_PAYMENT_METHODS: 'cod' });
    expect(config.SALLA_PAID_STATUSES).toEqual(['completed', 'shipped', 'delivered']);
    expect(config.SALLA_UNPAID_PAYMENT_METHODS).toEqual(['cod']);
  });

  it('takes a channel chain, and refuses a malformed one without echoing it', () => {
    expect(loadConfig({ ...required, CHANNEL: 'whatsapp,sms,email' }).CHANNEL).toBe('whatsapp,sms,email');
    for (const bad of ['whatsapp,,sms', ',sms', 'WhatsApp', 'sms email']) expect(() => loadConfig({ ...required, CHANNEL: bad })).toThrow(/CHANNEL/);
  });

  it('REVEAL_LINK_CHANNELS takes names or `none` (an empty value is the default)', () => {
    expect(loadConfig({ ...required, REVEAL_LINK_CHANNELS: 'none' }).REVEAL_LINK_CHANNELS).toBe('none');
    expect(loadConfig({ ...required, REVEAL_LINK_CHANNELS: '' }).REVEAL_LINK_CHANNELS).toBe('whatsapp,email');
    expect(() => loadConfig({ ...required, REVEAL_LINK_CHANNELS: 'whatsapp,,email' })).toThrow(/REVEAL_LINK_CHANNELS/);
  });

  it('coerces numbers and accepts the local settings', () => {
    const config = loadConfig({ ...required, AVAILABLE_SHARDS: '16', MAX_WEBHOOK_BYTES: '1000', CHANNEL: 'recorder', DEFAULT_LOCALE: 'en' });
    expect(config).toMatchObject({ AVAILABLE_SHARDS: 16, MAX_WEBHOOK_BYTES: 1000, CHANNEL: 'recorder', DEFAULT_LOCALE: 'en' });
  });

  it('names every missing required variable', () => {
    expect(() => loadConfig({ TABLE_NAME: 't' })).toThrow('Invalid function configuration: ORDERS_QUEUE_URL, REORDER_POLL_QUEUE_URL, ALERTS_TOPIC_ARN');
  });

  it('names a bad field without printing its value', () => {
    const secretish = 'sk_live_DO_NOT_PRINT';
    let message = '';
    try {
      loadConfig({ ...required, TABLE_NAME: '', AVAILABLE_SHARDS: secretish, CHANNEL: secretish, REORDER_POLL_DELAY_SECONDS: '901' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('Invalid function configuration: TABLE_NAME, CHANNEL, AVAILABLE_SHARDS, REORDER_POLL_DELAY_SECONDS');
    expect(message).not.toContain(secretish);
  });

  it('a module names its bad key, not its value', () => {
    expect(() => moduleConfig(sms, { SMS_SENDER_ID: 'sk_live_DO_NOT_PRINT' })).toThrow('Invalid configuration of sms: SMS_SENDER_ID');
  });

  it.each([
    ['AVAILABLE_SHARDS', '0'],
    ['AVAILABLE_SHARDS', '65'],
    ['AVAILABLE_SHARDS', '2.5'],
    ['MAX_WEBHOOK_BYTES', '-1'],
    ['DEFAULT_LOCALE', 'fr'],
    ['REORDER_COOLDOWN_SECONDS', '-1'],
    ['REORDER_MAX_AGE_SECONDS', '0'],
    ['MAX_UNITS_PER_LINE', '10001'],
    ['SEND_LEASE_SECONDS', '0'],
  ])('rejects %s=%s', (field, value) => {
    expect(() => loadConfig({ ...required, [field]: value })).toThrow(`Invalid function configuration: ${field}`);
  });
});
