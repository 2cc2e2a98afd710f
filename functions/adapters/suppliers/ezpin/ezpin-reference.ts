// Secondary adapter (EZ PIN), reference side: EZ PIN wants a unique UUID as `reference_code`, we have
// a sub-reference `<reorderId>:<n>`. The UUID is derived from it, so a retry, a redelivered message
// or another container computes the same one and finds the order instead of buying it again.
import { createHash } from 'node:crypto';

/**
 * Fixed namespace of StreamSync's EZ PIN references. Never change it (nor the derivation below):
 * every reorder in flight would get new reference codes, and its next attempt would buy again.
 */
const NAMESPACE = Buffer.from('cbfd42b65cd74ffbb31e9f85308bc6a9', 'hex');

/**
 * The reference code of a sub-reference: SHA-256 over the namespace and the UTF-8 name, as in a v5
 * UUID, cut to 16 bytes. The version nibble says 4 and the variant is RFC 4122, because EZ PIN's
 * docs ask for "a unique UUID v4" and a strict validator would refuse a 5. Not derived from the
 * credentials: rotating a secret must not change the references of orders already placed.
 */
export function referenceCodeFor(subReference: string): string {
  const bytes = createHash('sha256').update(NAMESPACE).update(subReference, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUID as EZ PIN writes them (any version; compared case-insensitively). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
