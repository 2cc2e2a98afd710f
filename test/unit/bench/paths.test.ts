// The requestsPerOrder section's arithmetic: one function's DynamoDB requests per order, medians, ratios.
import { dynamoRequestsOf, pathFigures, type PathRun } from '#bench/paths/run-paths-bench';

const run = (path: 'classic' | 'lean', round: number, delivery: number, cpu: number): PathRun => ({
  path,
  round,
  orders: 100,
  delivered: 100,
  lost: 0,
  p50Ms: 200,
  p99Ms: 400,
  deliveryRequests: { Query: delivery - 1, GetItem: 1 },
  deliveryDynamoRequestsPerOrder: delivery,
  deliveryWriteUnitsPerOrder: 10,
  webhookRequests: { UpdateItem: 2 },
  webhookDynamoRequestsPerOrder: path === 'classic' ? 3 : 2,
  cpuMsPerOrder: { pipeline: cpu / 2, dynamodbLocal: cpu / 2, total: cpu },
});

describe('requestsPerOrder figures', () => {
  it('counts only the named function\'s DynamoDB requests, per order', () => {
    const counts = {
      'delivery|DynamoDB.Query': { requests: 220, readUnits: 0, writeUnits: 0 },
      'delivery|DynamoDB.UpdateItem': { requests: 500, readUnits: 0, writeUnits: 500 },
      'delivery|SQS.SendMessage': { requests: 100, readUnits: 0, writeUnits: 0 },
      'webhook|DynamoDB.UpdateItem': { requests: 200, readUnits: 0, writeUnits: 200 },
    };
    expect(dynamoRequestsOf(counts, 100, 'delivery')).toEqual({ byOperation: { Query: 2.2, UpdateItem: 5 }, total: 7.2, writeUnits: 5 });
    expect(dynamoRequestsOf(counts, 100, 'webhook')).toEqual({ byOperation: { UpdateItem: 2 }, total: 2, writeUnits: 2 });
  });

  it('takes medians over rounds per path and gives lean ÷ classic', () => {
    const figures = pathFigures([run('classic', 0, 9, 100), run('lean', 0, 8, 90), run('lean', 1, 8, 80), run('classic', 1, 9, 120)]);
    expect(figures.paths.map((p) => [p.path, p.deliveryDynamoRequestsPerOrder, p.cpuMsPerOrder.total])).toEqual([['classic', 9, 100], ['lean', 8, 80]]); // the suite's median: the nearest-rank 50th percentile
    expect(figures.ratios).toMatchObject({ deliveryDynamoRequests: 0.889, webhookDynamoRequests: 0.667, cpuPerOrder: 0.8 });
  });
});
