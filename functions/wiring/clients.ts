// AWS clients at container scope, traced by the Powertools Tracer. Endpoints come from
// AWS_ENDPOINT_URL_<SERVICE> locally; on AWS the defaults apply.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerReader, StaticSecretReader, type SecretReader } from '#adapters/aws/secrets';
import type { Config } from './config';
import { tracer } from './powertools';

/** Wraps an SDK client so its calls appear in X-Ray (a no-op where tracing is off). */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client as never) as T;

export const createDynamoClient = (): DynamoDBClient => traced(new DynamoDBClient({}));

// Queue URLs are not endpoints: locally fauxqs' URLs use a host name that does not resolve.
export const createSqsClient = (): SQSClient => traced(new SQSClient({ useQueueUrlAsEndpoint: false }));

/** Only the functions that handle codes build one: the data keys of envelope encryption. */
export const createKmsClient = (): KMSClient => traced(new KMSClient({}));

export const createSnsClient = (): SNSClient => traced(new SNSClient({}));

export function createSecretReader(config: Pick<Config, 'LOCAL_SECRETS_JSON'>): SecretReader {
  return config.LOCAL_SECRETS_JSON ? new StaticSecretReader(JSON.parse(config.LOCAL_SECRETS_JSON)) : new SecretsManagerReader();
}

export interface Clients {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
}

export function createClients(): Clients {
  return { dynamo: createDynamoClient(), sqs: createSqsClient(), sns: createSnsClient() };
}
