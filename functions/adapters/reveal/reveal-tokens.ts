// The token rules of functions/reveal/reveal-token.ts behind the core's port: junk is refused before
// any read, a well-formed token becomes the digest the table is keyed by.
import type { RevealTokens } from '#core/ports/reveals';
import { hashRevealToken, isRevealTokenFormat } from '#functions/reveal/reveal-token';

export const revealTokens: RevealTokens = {
  digestOf: (token) => (isRevealTokenFormat(token) ? hashRevealToken(token) : undefined),
};
