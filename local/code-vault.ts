// The code vault of a local pipeline (from its secrets) or a throwaway one (benchmarks, store tests):
// the deployed envelope encryption with the local stand-in for KMS.
import { randomBytes } from 'node:crypto';
import { CodeIds } from '#adapters/crypto/code-ids';
import { CodeVault } from '#adapters/crypto/code-vault';
import { LocalDataKeys, localCodeKeySecret } from '#adapters/crypto/data-keys';

export const CODE_ID_KEY_SECRET = 'streamsync/code-id-key';

/** Fresh secrets for a vault: the id key and the master of key version 1. */
export const freshCodeKeySecrets = (): Record<string, string> => ({
  [CODE_ID_KEY_SECRET]: randomBytes(32).toString('base64'),
  [localCodeKeySecret('1')]: randomBytes(32).toString('base64'),
});

/** A vault over `secrets` (a pipeline's LOCAL_SECRETS_JSON, parsed), sealing under key version 1. */
export function localCodeVault(secrets: Record<string, string> = freshCodeKeySecrets()): CodeVault {
  const masters = Object.fromEntries(
    Object.entries(secrets)
      .filter(([name]) => name.startsWith(localCodeKeySecret('')))
      .map(([name, value]) => [name.slice(localCodeKeySecret('').length), Buffer.from(value, 'base64')]),
  );
  return new CodeVault(new CodeIds(secrets[CODE_ID_KEY_SECRET]), new LocalDataKeys(masters), { version: '1' });
}
