process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Starts one DynamoDB Local and one SQS/SNS emulator for every integration test file; each file
// then provisions its own table and queues (a unique prefix), so files never see each other's data.
import { startDynamoLocal, startSqsSnsEmulator } from '#local/engines';

export default async function globalSetup(): Promise<void> {
  // The browser project uses them too: a run of both projects starts them once.
  if ((globalThis as Record<string, unknown>).__ENGINES__) return;
  const dynamo = await startDynamoLocal();
  const sqs = await startSqsSnsEmulator();
  (globalThis as Record<string, unknown>).__ENGINES__ = [sqs, dynamo];
  // Workers are forked after this, so they inherit the endpoints.
  process.env.TEST_DYNAMO_ENDPOINT = dynamo.endpoint;
  process.env.TEST_SQS_ENDPOINT = sqs.endpoint;
}
