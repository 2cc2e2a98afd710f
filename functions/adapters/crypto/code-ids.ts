// The id of a code value: a keyed HMAC, so an id in a log, a stream record or a backup reveals nothing,
// and the same value always gets the same id (the guard item that stops a code being sold twice is
// keyed by it). Its key is not the key that decrypts codes: every function that adds codes holds it.
import { createHmac, hkdfSync } from 'node:crypto';
import type { CodeMaterial } from '#core/model';

/** HKDF info of the id key; the same as the single-key format used, so ids carry over an upgrade (docs/security.md). */
const ID_KEY_INFO = 'streamsync/code-id';

export const deriveKey = (secret: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));

export const decodeKeySecret = (base64: string, what: string): Buffer => {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${what} must be 32 bytes, base64-encoded`);
  return key;
};

export class CodeIds {
  private readonly key: Buffer;

  /** @param secretBase64 32 random bytes, base64 (the code-id key secret). */
  constructor(secretBase64: string) {
    this.key = deriveKey(decodeKeySecret(secretBase64, 'Code id key'), ID_KEY_INFO);
  }

  /** Stable id of a code value: the same code can never be stored twice under different ids. */
  idOf(material: Pick<CodeMaterial, 'code'>): string {
    return createHmac('sha256', this.key).update(material.code.trim()).digest('hex').slice(0, 32);
  }
}
