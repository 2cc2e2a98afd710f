// Code values are stored encrypted (AES-256-GCM) and identified by a keyed hash, so neither the table,
// its stream, backups nor an id in a log reveal a code. One 32-byte master key derives both keys.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { CodeMaterial } from '#core/model';

const derive = (master: Buffer, info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));

export class CodeCipher {
  private readonly encKey: Buffer;
  private readonly idKey: Buffer;

  /** @param masterKeyBase64 32 random bytes, base64 (the code-key secret). */
  constructor(masterKeyBase64: string) {
    const master = Buffer.from(masterKeyBase64, 'base64');
    if (master.length !== 32) throw new Error('Code key must be 32 bytes, base64-encoded');
    this.encKey = derive(master, 'streamsync/code-encryption');
    this.idKey = derive(master, 'streamsync/code-id');
  }

  /** Stable id of a code value: the same code can never be stored twice under different ids. */
  idOf(material: Pick<CodeMaterial, 'code'>): string {
    return createHmac('sha256', this.idKey).update(material.code.trim()).digest('hex').slice(0, 32);
  }

  encrypt(material: CodeMaterial): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(material), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): CodeMaterial {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as CodeMaterial;
  }
}
