// Code values at rest (issue 12): envelope encryption bound to the item, ids keyed apart from the
// decryption key, data keys cached per batch, key versions readable side by side, the old format read.
import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeIds } from '#adapters/crypto/code-ids';
import { CodeVault } from '#adapters/crypto/code-vault';
import { CodeIntegrityError } from '#core/errors';
import { KmsDataKeys, LocalDataKeys, UnknownKeyVersionError, type DataKeyProvider } from '#adapters/crypto/data-keys';
import { LegacyCodeCipher } from '#adapters/crypto/legacy-code-cipher';
import type { CodeMaterial } from '#core/model';

const b64 = () => randomBytes(32).toString('base64');
const material: CodeMaterial = { code: 'XBOX-ABCD-EFGH-1234', pin: '9911', serial: 'S-42', expiresAt: '2027-01-01', format: 'text' };

/** Counts what KMS would bill: one generate per data key, one decrypt per unwrapped copy. */
class CountingKeys implements DataKeyProvider {
  generated = 0;
  unwrapped = 0;
  constructor(private readonly inner: DataKeyProvider) {}
  generate(version: string) {
    this.generated++;
    return this.inner.generate(version);
  }
  unwrap(version: string, wrapped: Buffer) {
    this.unwrapped++;
    return this.inner.unwrap(version, wrapped);
  }
}

const masters = { '1': randomBytes(32), '2': randomBytes(32) };
const idKey = b64();
const ids = new CodeIds(idKey);
const vaultOf = (options: { version?: string; keys?: DataKeyProvider; now?: () => number; maxUses?: number; legacy?: LegacyCodeCipher } = {}) =>
  new CodeVault(ids, options.keys ?? new LocalDataKeys(masters), { version: options.version ?? '1', now: options.now, dataKeyMaxUses: options.maxUses, legacy: options.legacy });
const at = (code = material.code, sku = 'ITUNES-50') => ({ sku, codeId: ids.idOf({ code }) });

describe('CodeVault: sealed values open only where they are stored', () => {
  it('opens what it sealed, and the sealed value names its format and key version', async () => {
    const vault = vaultOf();
    const sealed = await vault.seal(material, at());
    expect(sealed).toMatch(/^v2\.1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(CodeVault.versionOf(sealed)).toBe('1');
    await expect(vault.open(sealed, at())).resolves.toEqual(material);
  });

  it('never holds the code, PIN or serial in the sealed value', async () => {
    const sealed = await vaultOf().seal(material, at());
    for (const secret of [material.code, material.pin!, material.serial!]) {
      expect(sealed).not.toContain(secret);
      for (const part of sealed.split('.')) expect(Buffer.from(part, 'base64url').includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('refuses a sealed value copied into another item of the same SKU (another code id)', async () => {
    const vault = vaultOf();
    const sealed = await vault.seal(material, at());
    const other = at('XBOX-OTHER-CODE-0001');
    await expect(vault.open(sealed, other)).rejects.toThrow(CodeIntegrityError);
    await expect(vault.open(sealed, other)).rejects.toThrow(/moved from another item or tampered/);
  });

  it('refuses a sealed value copied into another SKU under the same code id', async () => {
    const vault = vaultOf();
    const sealed = await vault.seal(material, at());
    await expect(vault.open(sealed, at(material.code, 'PSN-100'))).rejects.toThrow(CodeIntegrityError);
  });

  it('refuses a value that does not hash to the id of the item it opens at', async () => {
    const vault = vaultOf();
    // Sealed (by a holder of the seal grant) at an address whose id is another code's: opens, but is not that code.
    const address = at('XBOX-OTHER-CODE-0001');
    const sealed = await vault.seal(material, address);
    await expect(vault.open(sealed, address)).rejects.toThrow(/its value is not the code this item holds/);
  });

  it.each([
    ['the wrapped data key', 2],
    ['the ciphertext', 3],
  ])('refuses a value tampered in %s', async (_part, index) => {
    const vault = vaultOf();
    const parts = (await vault.seal(material, at())).split('.');
    const raw = Buffer.from(parts[index], 'base64url');
    raw[raw.length - 1] ^= 0x01;
    parts[index] = raw.toString('base64url');
    await expect(vault.open(parts.join('.'), at())).rejects.toThrow();
  });

  it('refuses a value whose key version was changed (the version is part of what is authenticated)', async () => {
    const vault = vaultOf({ keys: new LocalDataKeys({ '1': masters['1'], '1b': masters['1'] }) });
    const parts = (await vault.seal(material, at())).split('.');
    parts[1] = '1b';
    await expect(vault.open(parts.join('.'), at())).rejects.toThrow();
  });

  it('never puts a code in an error message', async () => {
    const vault = vaultOf();
    const sealed = await vault.seal(material, at());
    const error = await vault.open(sealed, at('XBOX-OTHER-CODE-0001')).catch((err: Error) => err);
    expect(String((error as Error).message)).not.toContain(material.code);
  });
});

describe('CodeVault: KMS is asked about once per batch, not once per code', () => {
  it('seals 1,000 codes (50 at once) with one data key', async () => {
    const keys = new CountingKeys(new LocalDataKeys(masters));
    const vault = vaultOf({ keys });
    const codes = Array.from({ length: 1000 }, (_, i) => `CODE-${i}`);
    for (let i = 0; i < codes.length; i += 50) await Promise.all(codes.slice(i, i + 50).map((code) => vault.seal({ code, format: 'text' }, at(code))));
    expect(keys.generated).toBe(1);
  });

  it('takes a new data key after its uses or its age run out', async () => {
    const keys = new CountingKeys(new LocalDataKeys(masters));
    let now = 0;
    const vault = vaultOf({ keys, now: () => now, maxUses: 10 });
    for (let i = 0; i < 25; i++) await vault.seal({ code: `C${i}`, format: 'text' }, at(`C${i}`));
    expect(keys.generated).toBe(3);
    now += 300_001;
    await vault.seal(material, at());
    expect(keys.generated).toBe(4);
  });

  it('unwraps a batch key once for every code of the batch it opens', async () => {
    const sealer = vaultOf();
    const codes = Array.from({ length: 200 }, (_, i) => `CODE-${i}`);
    const sealed = await Promise.all(codes.map((code) => sealer.seal({ code, format: 'text' }, at(code))));
    const keys = new CountingKeys(new LocalDataKeys(masters));
    const opener = vaultOf({ keys });
    await Promise.all(sealed.map((value, i) => opener.open(value, at(codes[i]))));
    expect(keys.unwrapped).toBe(1);
  });

  it('a failed generate is not cached: the next seal asks again', async () => {
    const inner = new LocalDataKeys(masters);
    let fail = true;
    const keys: DataKeyProvider = { generate: (v) => (fail ? Promise.reject(new Error('KMS throttled')) : inner.generate(v)), unwrap: (v, w) => inner.unwrap(v, w) };
    const vault = vaultOf({ keys });
    await expect(vault.seal(material, at())).rejects.toThrow('KMS throttled');
    fail = false;
    await expect(vault.seal(material, at())).resolves.toMatch(/^v2\./);
  });
});

describe('Rotation: a new key version seals new codes, the old ones stay readable', () => {
  it('version 2 seals new codes; codes of version 1 still open; a function without version 1 refuses them', async () => {
    const before = await vaultOf({ version: '1', keys: new LocalDataKeys({ '1': masters['1'] }) }).seal(material, at());
    const rotated = vaultOf({ version: '2', keys: new LocalDataKeys(masters) });
    const after = await rotated.seal(material, at());
    expect([CodeVault.versionOf(before), CodeVault.versionOf(after)]).toEqual(['1', '2']);
    await expect(rotated.open(before, at())).resolves.toEqual(material);
    await expect(rotated.open(after, at())).resolves.toEqual(material);
    const retired = vaultOf({ version: '2', keys: new LocalDataKeys({ '2': masters['2'] }) });
    await expect(retired.open(before, at())).rejects.toThrow(UnknownKeyVersionError);
  });

  it('reads the single-key format when the legacy key is configured, and refuses it otherwise', async () => {
    const legacySecret = b64();
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(legacySecret, 'base64'), Buffer.alloc(0), 'streamsync/code-encryption', 32));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(material), 'utf8'), cipher.final()]);
    const old = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    expect(CodeVault.versionOf(old)).toBe('legacy');
    await expect(vaultOf({ legacy: new LegacyCodeCipher(legacySecret) }).open(old, at())).resolves.toEqual(material);
    await expect(vaultOf().open(old, at())).rejects.toThrow(/LEGACY_CODE_KEY_SECRET_NAME is not set/);
    // The id check holds for the old format too: moved to another item, it is refused.
    await expect(vaultOf({ legacy: new LegacyCodeCipher(legacySecret) }).open(old, at('XBOX-OTHER-CODE-0001'))).rejects.toThrow(CodeIntegrityError);
  });
});

describe('CodeIds', () => {
  it('gives a stable 32-hex id per code value, ignoring surrounding whitespace', () => {
    const id = ids.idOf(material);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new CodeIds(idKey).idOf({ code: `  ${material.code}\n` })).toBe(id);
    expect(ids.idOf({ code: 'XBOX-ABCD-EFGH-1235' })).not.toBe(id);
  });

  it('is keyed (another key, another id; not a plain hash) and derived as before, so ids carry over an upgrade', () => {
    const id = ids.idOf(material);
    expect(new CodeIds(b64()).idOf(material)).not.toBe(id);
    expect(createHash('sha256').update(material.code).digest('hex')).not.toContain(id);
    const derived = Buffer.from(hkdfSync('sha256', Buffer.from(idKey, 'base64'), Buffer.alloc(0), 'streamsync/code-id', 32));
    expect(createHmac('sha256', derived).update(material.code).digest('hex').slice(0, 32)).toBe(id);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new CodeIds(randomBytes(16).toString('base64'))).toThrow('Code id key must be 32 bytes, base64-encoded');
  });
});

describe('KmsDataKeys', () => {
  const kms = mockClient(KMSClient);
  afterEach(() => kms.reset());
  const keys = { '1': 'arn:aws:kms:me-south-1:111122223333:key/one', '2': 'arn:aws:kms:me-south-1:111122223333:key/two' };

  it('generates under the version\'s key with the codes\' encryption context, and decrypts naming the same key', async () => {
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(32).fill(7), CiphertextBlob: new Uint8Array([1, 2, 3]) });
    kms.on(DecryptCommand).resolves({ Plaintext: new Uint8Array(32).fill(7) });
    const provider = new KmsDataKeys(new KMSClient({ region: 'me-south-1' }), keys);
    const generated = await provider.generate('2');
    expect(generated.wrapped).toEqual(Buffer.from([1, 2, 3]));
    expect(kms.commandCalls(GenerateDataKeyCommand)[0].args[0].input).toEqual({
      KeyId: keys['2'],
      KeySpec: 'AES_256',
      EncryptionContext: { purpose: 'streamsync/code', keyVersion: '2' },
    });
    await provider.unwrap('1', Buffer.from([9]));
    expect(kms.commandCalls(DecryptCommand)[0].args[0].input).toEqual({ KeyId: keys['1'], CiphertextBlob: Buffer.from([9]), EncryptionContext: { purpose: 'streamsync/code', keyVersion: '1' } });
  });

  it('refuses a version it has no key for, without calling KMS', async () => {
    const provider = new KmsDataKeys(new KMSClient({ region: 'me-south-1' }), keys);
    await expect(provider.unwrap('3', Buffer.from([1]))).rejects.toThrow('Code key version "3" is not configured here (CODE_KEYS has 1, 2)');
    expect(kms.calls()).toHaveLength(0);
  });

  it('a vault over KMS seals and opens end to end (one GenerateDataKey, one Decrypt)', async () => {
    const local = new LocalDataKeys({ '1': masters['1'] });
    kms.on(GenerateDataKeyCommand).callsFake(async () => {
      const key = await local.generate('1');
      return { Plaintext: new Uint8Array(key.plaintext), CiphertextBlob: new Uint8Array(key.wrapped) };
    });
    kms.on(DecryptCommand).callsFake(async (input: { CiphertextBlob: Uint8Array }) => ({ Plaintext: new Uint8Array(await local.unwrap('1', Buffer.from(input.CiphertextBlob))) }));
    const vault = new CodeVault(ids, new KmsDataKeys(new KMSClient({ region: 'me-south-1' }), keys), { version: '1' });
    const sealed = await Promise.all([1, 2, 3].map((i) => vault.seal({ code: `K-${i}`, format: 'text' }, at(`K-${i}`))));
    const opener = new CodeVault(ids, new KmsDataKeys(new KMSClient({ region: 'me-south-1' }), keys), { version: '1' });
    await expect(Promise.all(sealed.map((s, i) => opener.open(s, at(`K-${i + 1}`))))).resolves.toHaveLength(3);
    expect([kms.commandCalls(GenerateDataKeyCommand).length, kms.commandCalls(DecryptCommand).length]).toEqual([1, 1]);
  });
});
