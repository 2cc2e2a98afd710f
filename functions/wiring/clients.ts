// AWS access every function needs, traced by the Powertools Tracer: DynamoDB, SQS and the secret reader.
// Kept apart from container.ts so the webhook function, which needs only these, does not load the SNS client
// and the core's stores and supplier adapters at cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerReader, StaticSecretReader, type SecretReader } from '#adapters/aws/secrets';
import type { Config } from './config';
import { tracer } from './powertools';

// Endpoints come from AWS_ENDPOINT_URL_<SERVICE> locally; on AWS the defaults apply.
export const createDynamoClient = (): DynamoDBClient => tracer.captureAWSv3Client(new DynamoDBClient({}));

// Queue URLs are not endpoints: locally fauxqs' URLs use a host name that does not resolve.
export const createSqsClient = (): SQSClient => tracer.captureAWSv3Client(new SQSClient({ useQueueUrlAsEndpoint: false }));

export function createSecretReader(config: Config): SecretReader {
  return config.LOCAL_SECRETS_JSON ? new StaticSecretReader(JSON.parse(config.LOCAL_SECRETS_JSON)) : new SecretsManagerReader();
}
