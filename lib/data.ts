// Stateful core: the single table (codes, orders, backorders, SKU config), its KMS key, the codes' KMS keys
// and their id key.
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

/** The alias of a code key version; CODE_KEYS' default names version 1 by it (the CLI's default). */
export const codeKeyAlias = (version: string) => `alias/streamsync-codes-v${version}`;

export interface CodeKeys {
  /** KMS keys wrapping the codes' data keys, oldest first. */
  readonly versions: ReadonlyArray<{ readonly version: string; readonly key: kms.IKey }>;
  /** The version new codes are sealed under: the last one. */
  readonly current: string;
  /** The HMAC id key (CODE_ID_KEY_SECRET_NAME). */
  readonly idKey: NamedSecret;
  /** The single key of codes sealed before envelope encryption, when the table still holds some. */
  readonly legacy?: NamedSecret;
}

export interface DataProps {
  /** Code key versions, oldest first (`-c codeKeyVersions=1,2`): the last seals new codes. @default ['1'] */
  readonly codeKeyVersions?: readonly string[];
  /** Secret name of the pre-envelope code key (`-c legacyCodeKeySecret=streamsync/code-key`). @default none */
  readonly legacyCodeKeySecret?: string;
}

export class Data extends Construct {
  /** Customer-managed key of the table, its stream and the code id key secret. */
  public readonly key: kms.Key;
  public readonly table: dynamodb.Table;
  /** The codes' KMS keys by version and their id key. */
  public readonly codeKeys: CodeKeys;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'StreamSync data: DynamoDB table, its stream and the code id key secret',
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

    // Envelope encryption of the codes: one KMS key per version, the newest seals new codes, the
    // older ones stay readable (docs/security.md, "Rotating the code key"). Yearly rotation of each
    // key's material is automatic and transparent; a new version is a deliberate change.
    const versions = props.codeKeyVersions ?? ['1'];
    if (versions.length === 0 || new Set(versions).size !== versions.length || !versions.every((v) => /^[A-Za-z0-9_-]{1,16}$/.test(v))) {
      throw new Error(`codeKeyVersions must be distinct versions of 1–16 letters, digits, - or _ (got ${JSON.stringify(versions)})`);
    }
    const keys = versions.map((version) => ({
      version,
      key: new kms.Key(this, `CodeKeyV${version}`, {
        alias: codeKeyAlias(version),
        description: `StreamSync code key, version ${version}: wraps the data keys that encrypt code values. Decrypt is for the functions that send or reveal codes only.`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    }));

    // 43 characters of the base64 alphabet decode to exactly 32 bytes (about 254 random bits), so the
    // generated value is usable as is.
    const idKeyName = configDefault('CODE_ID_KEY_SECRET_NAME');
    const idKey = new secretsmanager.Secret(this, 'CodeIdKey', {
      secretName: idKeyName,
      description: 'StreamSync code id key: 32 random bytes, base64. Keys the HMAC ids that stop a code value being stored twice. Decrypts nothing. Never change it once codes are imported.',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      idKey,
      'AwsSolutions-SMG4',
      'The id key keys the HMAC ids that stop duplicate codes; a new value would give every stored code a new id, so duplicates would pass. It decrypts nothing; the code keys (KMS) rotate.',
    );
    const legacy = props.legacyCodeKeySecret
      ? { secret: secretsmanager.Secret.fromSecretNameV2(this, 'LegacyCodeKey', props.legacyCodeKeySecret), name: props.legacyCodeKeySecret }
      : undefined;
    this.codeKeys = { versions: keys, current: versions[versions.length - 1], idKey: { secret: idKey, name: idKeyName }, legacy };
  }
}
