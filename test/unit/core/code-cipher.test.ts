// Code values at rest: AES-256-GCM sealed, identified by a keyed HMAC id.
import { createHash, randomBytes } from 'node:crypto';
import { CodeCipher } from '#adapters/crypto/code-cipher';
import type { CodeMaterial } from '#core/model';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const material: CodeMaterial = { code: 'XBOX-ABCD-EFGH-1234', pin: '9911', serial: 'S-42', expiresAt: '2027-01-01', format: 'text' };

describe('CodeCipher', () => {
  const cipher = new CodeCipher(keyA);

  it('decrypts what it encrypted', () => {
    expect(cipher.decrypt(cipher.encrypt(material))).toEqual(material);
  });

  it('seals the same material differently each time (random IV), both still open', () => {
    const first = cipher.encrypt(material);
    const second = cipher.encrypt(material);
    expect(first).not.toBe(second);
    expect(cipher.decrypt(second)).toEqual(material);
  });

  it('never holds the code, PIN or serial in the sealed value', () => {
    const sealed = cipher.encrypt(material);
    const raw = Buffer.from(sealed, 'base64');
    for (const secret of [material.code, material.pin!, material.serial!]) {
      expect(sealed).not.toContain(secret);
      expect(sealed).not.toContain(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
      expect(raw.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('gives a stable 32-hex id per code value, ignoring surrounding whitespace', () => {
    const id = cipher.idOf(material);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new CodeCipher(keyA).idOf({ code: material.code })).toBe(id);
    expect(cipher.idOf({ code: `  ${material.code}\n` })).toBe(id);
    expect(cipher.idOf({ code: 'XBOX-ABCD-EFGH-1235' })).not.toBe(id);
  });

  it('keys the id: another key gives another id, and it is not a plain hash of the code', () => {
    const id = cipher.idOf(material);
    expect(new CodeCipher(keyB).idOf(material)).not.toBe(id);
    expect(createHash('sha256').update(material.code).digest('hex')).not.toContain(id);
    expect(id).not.toContain(material.code);
  });

  it.each([
    ['the ciphertext', 40],
    ['the auth tag', 14],
    ['the IV', 3],
  ])('refuses a value tampered in %s', (_part, index) => {
    const raw = Buffer.from(cipher.encrypt(material), 'base64');
    raw[index] ^= 0x01;
    expect(() => cipher.decrypt(raw.toString('base64'))).toThrow();
  });

  it('refuses a value sealed under another key', () => {
    const sealed = new CodeCipher(keyB).encrypt(material);
    expect(() => cipher.decrypt(sealed)).toThrow();
  });

  it('refuses a truncated value', () => {
    expect(() => cipher.decrypt(cipher.encrypt(material).slice(0, 20))).toThrow();
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['empty', ''],
    ['not base64 of 32 bytes', 'correct horse battery staple'],
  ])('rejects a master key of the wrong length (%s) with a clear error that does not echo the key', (_name, key) => {
    let caught: unknown;
    try {
      new CodeCipher(key);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toBe('Code key must be 32 bytes, base64-encoded');
    if (key) expect((caught as Error).message).not.toContain(key);
  });
});
