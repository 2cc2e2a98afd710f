// The composition root: supplier adapters are built once per container, but a failed build is not kept.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { StaticSecretReader } from '#adapters/aws/secrets';
import { loadConfig } from '#wiring/config';
import { createRestockDeps } from '#wiring/restock-deps';

const SUPPLIER_SECRET = 'streamsync/supplier/reloadly';
const credentials = JSON.stringify({ clientId: 'container-client', clientSecret: 'container-secret', environment: 'sandbox' });

const config = () =>
  loadConfig({
    TABLE_NAME: 'streamsync',
    ORDERS_QUEUE_URL: 'https://sqs.me-south-1.amazonaws.com/1/orders',
    REORDER_POLL_QUEUE_URL: 'https://sqs.me-south-1.amazonaws.com/1/polls',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:me-south-1:1:alerts',
    REORDER_COOLDOWN_SECONDS: '30',
    REORDER_MAX_AGE_SECONDS: '7200',
    LOCAL_SECRETS_JSON: JSON.stringify({ 'streamsync/code-id-key': randomBytes(32).toString('base64'), [SUPPLIER_SECRET]: credentials }),
  });
// Never called: building the dependencies makes no request.
const clients = { dynamo: new DynamoDBClient({ region: 'me-south-1' }), sqs: new SQSClient({ region: 'me-south-1' }), sns: new SNSClient({ region: 'me-south-1' }) };

async function depsWithSpiedSecrets() {
  const deps = await createRestockDeps(config(), clients);
  const get = jest.spyOn(StaticSecretReader.prototype, 'get');
  return { deps, get };
}

afterEach(() => jest.restoreAllMocks());

describe('createRestockDeps', () => {
  it('passes the reorder settings through', async () => {
    const deps = await createRestockDeps(config(), clients);
    expect(deps.settings).toEqual({ reorderLeaseSeconds: 120, reorderPollDelaySeconds: 60, reorderFailureBackoffSeconds: 900, reorderCooldownSeconds: 30, reorderMaxAgeSeconds: 7200, lateCheckWindowSeconds: 86_400, lateCheckIntervalSeconds: 900, reorderSizing: 'demand', reorderMaxQuantity: 500, lowBalanceReorders: 3 });
  });

  it('builds a supplier once and reuses it', async () => {
    const { deps, get } = await depsWithSpiedSecrets();
    const [a, b] = await Promise.all([deps.supplier('reloadly'), deps.supplier('reloadly')]);
    expect(a?.name).toBe('reloadly');
    expect(await deps.supplier('reloadly')).toBe(a);
    expect(b).toBe(a);
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed secret read: the next call reads the secret again', async () => {
    const { deps, get } = await depsWithSpiedSecrets();
    get.mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(deps.supplier('reloadly')).rejects.toThrow('Rate exceeded');
    const supplier = await deps.supplier('reloadly');
    expect(supplier?.name).toBe('reloadly');
    expect(get).toHaveBeenCalledTimes(2);
    expect(get).toHaveBeenNthCalledWith(2, SUPPLIER_SECRET);
    expect(await deps.supplier('reloadly')).toBe(supplier);
  });

  it('does not keep a supplier that could not be built from its secret (fixed secret → works without a cold start)', async () => {
    const { deps, get } = await depsWithSpiedSecrets();
    get.mockResolvedValueOnce('{not json').mockResolvedValueOnce(JSON.stringify({ clientId: 'container-client', environment: 'sandbox' }));
    await expect(deps.supplier('reloadly')).rejects.toThrow('Supplier "reloadly": the credentials secret is not JSON');
    await expect(deps.supplier('reloadly')).rejects.toThrow('credential "clientSecret" is missing');
    expect((await deps.supplier('reloadly'))?.name).toBe('reloadly');
    expect(get).toHaveBeenCalledTimes(3);
  });

  it('an unconfigured supplier is undefined', async () => {
    const deps = await createRestockDeps(config(), clients);
    await expect(deps.supplier('kinguin')).resolves.toBeUndefined();
  });
});
