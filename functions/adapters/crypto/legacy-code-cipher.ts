// The single-key format stored before envelope encryption: AES-256-GCM under a key derived from one
// 32-byte secret, no associated data, no key version. Read only, and only by the functions that open
// codes, when LEGACY_CODE_KEY_SECRET_NAME names that secret (a table filled before the upgrade).
import { createDecipheriv } from 'node:crypto';
import type { CodeMaterial } from '#core/model';
import { decodeKeySecret, deriveKey } from './code-ids';

export class LegacyCodeCipher {
  private readonly key: Buffer;

  constructor(masterKeyBase64: string) {
    this.key = deriveKey(decodeKeySecret(masterKeyBase64, 'Legacy code key'), 'streamsync/code-encryption');
  }

  decrypt(sealed: string): CodeMaterial {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as CodeMaterial;
  }
}
