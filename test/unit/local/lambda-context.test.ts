// lambdaContext: what Powertools reads from a Lambda Context, for locally invoked handlers.
import { lambdaContext } from '#local/lambda-context';

describe('lambdaContext', () => {
  it('names the function the way Lambda does', () => {
    const context = lambdaContext('delivery');
    expect(context).toMatchObject({
      functionName: 'delivery',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:delivery',
      logGroupName: '/aws/lambda/delivery',
      memoryLimitInMB: '512',
      callbackWaitsForEmptyEventLoop: false,
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lambdaContext('delivery').awsRequestId).not.toBe(context.awsRequestId);
  });

  it('counts the remaining time down from the timeout and never below zero', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const context = lambdaContext('restock', 3_000);
      expect(context.getRemainingTimeInMillis()).toBe(3_000);
      jest.setSystemTime(1_002_000);
      expect(context.getRemainingTimeInMillis()).toBe(1_000);
      jest.setSystemTime(1_010_000);
      expect(context.getRemainingTimeInMillis()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
