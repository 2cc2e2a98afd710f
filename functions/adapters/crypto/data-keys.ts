// Data keys for envelope encryption. A provider hands out a fresh AES-256 key with its wrapped copy
// (the only form ever stored), and unwraps a stored copy again. The KMS provider is the deployed one;
// the local provider runs the same path with a key held in the local secrets (the pipeline, the tests).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';

export interface DataKey {
  plaintext: Buffer;
  wrapped: Buffer;
}

export interface DataKeyProvider {
  /** A fresh data key wrapped under key version `version`. Needs `kms:GenerateDataKey` only. */
  generate(version: string): Promise<DataKey>;
  /** The data key inside `wrapped`. Needs `kms:Decrypt`: only the functions that send or reveal codes hold it. */
  unwrap(version: string, wrapped: Buffer): Promise<Buffer>;
}

/** The `purpose` of the codes' encryption context: the functions' KMS grants are conditioned on it. */
export const CODE_DATA_KEY_PURPOSE = 'streamsync/code';

/** KMS encryption context of every code data key: a wrapped key only unwraps for this purpose and version. */
export const dataKeyContext = (version: string): Record<string, string> => ({ purpose: CODE_DATA_KEY_PURPOSE, keyVersion: version });

export class UnknownKeyVersionError extends Error {
  constructor(version: string, known: string[]) {
    super(`Code key version "${version}" is not configured here (CODE_KEYS has ${known.length ? known.join(', ') : 'none'})`);
    this.name = 'UnknownKeyVersionError';
  }
}

const keyOf = <T>(keys: Record<string, T>, version: string): T => {
  if (!Object.hasOwn(keys, version)) throw new UnknownKeyVersionError(version, Object.keys(keys));
  return keys[version];
};

/** Key versions → KMS key ids (ARNs or aliases). Decrypt names the key, so a blob of another key is refused. */
export class KmsDataKeys implements DataKeyProvider {
  constructor(
    private readonly kms: KMSClient,
    private readonly keys: Record<string, string>,
  ) {}

  async generate(version: string): Promise<DataKey> {
    const res = await this.kms.send(new GenerateDataKeyCommand({ KeyId: keyOf(this.keys, version), KeySpec: 'AES_256', EncryptionContext: dataKeyContext(version) }));
    if (!res.Plaintext || !res.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
    return { plaintext: Buffer.from(res.Plaintext), wrapped: Buffer.from(res.CiphertextBlob) };
  }

  async unwrap(version: string, wrapped: Buffer): Promise<Buffer> {
    const res = await this.kms.send(new DecryptCommand({ KeyId: keyOf(this.keys, version), CiphertextBlob: wrapped, EncryptionContext: dataKeyContext(version) }));
    if (!res.Plaintext) throw new Error('KMS Decrypt returned no key');
    return Buffer.from(res.Plaintext);
  }
}

/** Secret name of a local key version's master (the local pipeline's stand-in for a KMS key). */
export const localCodeKeySecret = (version: string) => `streamsync/local-code-key/${version}`;

/**
 * The local stand-in for KMS: one 32-byte master per key version (from the local secrets), wrapping
 * data keys with AES-256-GCM and the same context as associated data. Counts its requests as KMS
 * would bill them, for the bench's cost model.
 */
export class LocalDataKeys implements DataKeyProvider {
  static readonly requests = { generate: 0, decrypt: 0 };

  constructor(private readonly masters: Record<string, Buffer>) {}

  async generate(version: string): Promise<DataKey> {
    LocalDataKeys.requests.generate++;
    const master = keyOf(this.masters, version);
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, iv);
    cipher.setAAD(Buffer.from(JSON.stringify(dataKeyContext(version))));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { plaintext, wrapped: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  async unwrap(version: string, wrapped: Buffer): Promise<Buffer> {
    LocalDataKeys.requests.decrypt++;
    const decipher = createDecipheriv('aes-256-gcm', keyOf(this.masters, version), wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(JSON.stringify(dataKeyContext(version))));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}
