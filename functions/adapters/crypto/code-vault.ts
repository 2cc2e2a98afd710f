// Code values at rest, sealed by envelope encryption: AES-256-GCM under a data key that KMS wraps, with
// the item's address (SKU, code id, key version) as associated data, so a sealed value copied into
// another item no longer opens; and an opened value must hash to the id of the item it came from.
//
// Sealed format: `v2.<key version>.<wrapped data key>.<iv | tag | ciphertext>` (base64url parts).
// One data key seals many codes (at most `dataKeyMaxUses`, for at most `dataKeyMaxAgeMs`), and an
// unwrapped key is cached, so KMS is asked about once per batch, not once per code.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CodeIntegrityError } from '#core/errors';
import type { CodeMaterial } from '#core/model';
import type { CodeIds } from './code-ids';
import type { DataKeyProvider } from './data-keys';
import type { LegacyCodeCipher } from './legacy-code-cipher';

/** Where a sealed value belongs: it opens only there. */
export interface CodeAddress {
  sku: string;
  codeId: string;
}

export interface CodeVaultOptions {
  /** Key version new codes are sealed under (CODE_KEY_VERSION). */
  version: string;
  /** @default 300_000 */
  dataKeyMaxAgeMs?: number;
  /** @default 10_000 */
  dataKeyMaxUses?: number;
  /** Unwrapped data keys kept in memory. @default 256 */
  openCacheSize?: number;
  /** Reads values sealed before envelope encryption (LEGACY_CODE_KEY_SECRET_NAME). */
  legacy?: LegacyCodeCipher;
  now?: () => number;
}

/** A sealed value that does not open where it is stored: moved from another item, or tampered. */
const integrityError = (at: CodeAddress, why: string) => new CodeIntegrityError(`Code ${at.codeId} of SKU ${at.sku} does not open at its own address (${why})`);

const VERSION_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
const FORMAT = 'v2';

const aadOf = (at: CodeAddress, version: string) => Buffer.from(['streamsync/code', at.sku, at.codeId, version].join('\0'));

interface SealingKey {
  plaintext: Buffer;
  wrapped: string;
  since: number;
  uses: number;
}

export class CodeVault {
  private sealing?: SealingKey;
  private generating?: Promise<void>;
  private readonly opened = new Map<string, { key: Promise<Buffer>; at: number }>();
  private readonly now: () => number;

  constructor(
    private readonly ids: CodeIds,
    private readonly keys: DataKeyProvider,
    private readonly options: CodeVaultOptions,
  ) {
    if (!VERSION_PATTERN.test(options.version)) throw new Error(`Code key version "${options.version}" must be 1–16 letters, digits, - or _`);
    this.now = options.now ?? Date.now;
  }

  idOf(material: Pick<CodeMaterial, 'code'>): string {
    return this.ids.idOf(material);
  }

  async seal(material: CodeMaterial, at: CodeAddress): Promise<string> {
    const key = await this.sealingKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
    cipher.setAAD(aadOf(at, this.options.version));
    const body = Buffer.concat([cipher.update(JSON.stringify(material), 'utf8'), cipher.final()]);
    return [FORMAT, this.options.version, key.wrapped, Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')].join('.');
  }

  async open(sealed: string, at: CodeAddress): Promise<CodeMaterial> {
    const material = sealed.startsWith(`${FORMAT}.`) ? await this.openEnvelope(sealed, at) : this.openLegacy(sealed, at);
    if (this.ids.idOf(material) !== at.codeId) throw integrityError(at, 'its value is not the code this item holds');
    return material;
  }

  /** The key version of a sealed value (`legacy` for the single-key format): what a rotation still has to cover. */
  static versionOf(sealed: string): string {
    return sealed.startsWith(`${FORMAT}.`) ? sealed.split('.')[1] : 'legacy';
  }

  private async openEnvelope(sealed: string, at: CodeAddress): Promise<CodeMaterial> {
    const parts = sealed.split('.');
    if (parts.length !== 4 || !VERSION_PATTERN.test(parts[1])) throw integrityError(at, 'malformed sealed value');
    const [, version, wrapped, payload] = parts;
    const key = await this.openingKey(version, wrapped);
    const raw = Buffer.from(payload, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(aadOf(at, version));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as CodeMaterial;
    } catch {
      throw integrityError(at, 'authentication failed: moved from another item or tampered');
    }
  }

  private openLegacy(sealed: string, at: CodeAddress): CodeMaterial {
    if (!this.options.legacy) throw integrityError(at, 'sealed in the single-key format, and LEGACY_CODE_KEY_SECRET_NAME is not set');
    try {
      return this.options.legacy.decrypt(sealed);
    } catch {
      throw integrityError(at, 'the single-key format did not authenticate');
    }
  }

  private async sealingKey(): Promise<SealingKey> {
    const maxUses = this.options.dataKeyMaxUses ?? 10_000;
    const maxAge = this.options.dataKeyMaxAgeMs ?? 300_000;
    for (;;) {
      const key = this.sealing;
      if (key && key.uses < maxUses && this.now() - key.since < maxAge) {
        key.uses++;
        return key;
      }
      // One generate for all the concurrent seals that find no fresh key.
      this.generating ??= this.keys
        .generate(this.options.version)
        .then((dataKey) => {
          this.sealing = { plaintext: dataKey.plaintext, wrapped: dataKey.wrapped.toString('base64url'), since: this.now(), uses: 0 };
        })
        .finally(() => {
          this.generating = undefined;
        });
      await this.generating;
    }
  }

  private openingKey(version: string, wrapped: string): Promise<Buffer> {
    const cacheKey = `${version}.${wrapped}`;
    const hit = this.opened.get(cacheKey);
    const maxAge = 3 * (this.options.dataKeyMaxAgeMs ?? 300_000);
    if (hit && this.now() - hit.at < maxAge) {
      this.opened.delete(cacheKey);
      this.opened.set(cacheKey, hit);
      return hit.key;
    }
    const key = this.keys.unwrap(version, Buffer.from(wrapped, 'base64url'));
    this.opened.set(cacheKey, { key, at: this.now() });
    key.catch(() => this.opened.delete(cacheKey));
    while (this.opened.size > (this.options.openCacheSize ?? 256)) this.opened.delete(this.opened.keys().next().value!);
    return key;
  }
}
