// The restock function's event filter: only the stream records stream-records.ts acts on. The CDK
// stack installs these patterns on the event source mapping and the local stream poller applies the
// same ones, so a record the handler needs but the filter drops fails the integration tests.

/** Lambda event filter patterns (the subset used here: value lists and `prefix`). */
export const RESTOCK_STREAM_FILTERS = [
  // Any change to a code: stock taken, added or released.
  { dynamodb: { Keys: { sk: { S: [{ prefix: 'CODE#' }] } } } },
  // A new backorder: wakes the filler when stock may already be there.
  { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'BACKORDER#' }] } } } },
] as const;

type Pattern = { readonly [key: string]: Pattern | ReadonlyArray<string | { readonly prefix: string }> };

function matches(pattern: Pattern, value: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const field = (value as Record<string, unknown> | undefined)?.[key];
    if (!Array.isArray(rule)) return matches(rule as Pattern, field);
    return rule.some((option) => (typeof option === 'string' ? field === option : typeof field === 'string' && field.startsWith(option.prefix)));
  });
}

/** True when a record passes at least one filter, as Lambda decides for the event source mapping. */
export const passesRestockFilters = (record: unknown): boolean => RESTOCK_STREAM_FILTERS.some((pattern) => matches(pattern as unknown as Pattern, record));
