// Where a store API client gets a store's token. The provider owns storage, refresh and the
// per-merchant lock; the client only asks, and says when a token was refused.

export interface StoreTokenProvider<Token = string> {
  /** A token believed valid for this store (Salla: the access token; Zid: the manager and authorization tokens). */
  accessToken(storeId: string): Promise<Token>;
  /**
   * The platform refused the last token (401): forget it, so the next `accessToken` fetches or
   * refreshes one. Without it the client does not retry a 401 (the same token would be refused again).
   */
  invalidate?(storeId: string): void;
}
