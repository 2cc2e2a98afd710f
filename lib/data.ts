// Stateful core: the single table (codes, orders, backorders, SKU config), its KMS key and the code-key secret.
// No function code here, and everything is retained, so a code deploy can never replace or drop data.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AVAILABLE_INDEX, KIND_INDEX, STREAM_VIEW, TABLE_KEYS, TTL_ATTRIBUTE } from '#adapters/dynamo/table-schema';
import { configDefault } from './config-contract';
import { acknowledge } from './nag';
import type { NamedSecret } from './streamsync-function';

const S = dynamodb.AttributeType.STRING;

export class Data extends Construct {
  /** Customer-managed key of the table, its stream and the code-key secret. */
  public readonly key: kms.Key;
  public readonly table: dynamodb.Table;
  /** 32-byte base64 key that encrypts code values and keys their HMAC ids (CODE_KEY_SECRET_NAME). */
  public readonly codeKey: NamedSecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'StreamSync data: DynamoDB table, its stream and the code-key secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: S },
      sortKey: { name: TABLE_KEYS.sortKey, type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType[STREAM_VIEW],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The webhook's delivery markers expire by themselves.
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    // Claimers read only pk/sk from the available index, then claim the item by key: KEYS_ONLY suffices.
    this.table.addGlobalSecondaryIndex({
      indexName: AVAILABLE_INDEX.name,
      partitionKey: { name: AVAILABLE_INDEX.partitionKey, type: S },
      sortKey: { name: AVAILABLE_INDEX.sortKey, type: S },
      projectionType: dynamodb.ProjectionType[AVAILABLE_INDEX.projection],
    });
    this.table.addGlobalSecondaryIndex({
      indexName: KIND_INDEX.name,
      partitionKey: { name: KIND_INDEX.partitionKey, type: S },
      sortKey: { name: KIND_INDEX.sortKey, type: S },
      projectionType: dynamodb.ProjectionType[KIND_INDEX.projection],
    });

    // 43 characters of the base64 alphabet decode to exactly 32 bytes (about 254 random bits), so the
    // generated value is usable as is; docs/deploy.md shows how to set an `openssl rand -base64 32` key instead.
    const codeKeyName = configDefault('CODE_KEY_SECRET_NAME');
    const codeKey = new secretsmanager.Secret(this, 'CodeKey', {
      secretName: codeKeyName,
      description:
        'StreamSync code key: 32 random bytes, base64. Encrypts stored code values and keys their HMAC ids. Never change it once codes are imported.',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.codeKey = { secret: codeKey, name: codeKeyName };
    acknowledge(
      codeKey,
      'AwsSolutions-SMG4',
      'The code key encrypts every stored code and keys the HMAC ids that stop duplicate codes; rotating it in place would make stored codes unreadable. Re-keying is a deliberate migration, not a schedule.',
    );
  }
}
