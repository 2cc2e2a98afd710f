// A container-scope read-through cache: one read per key per `ttlMs`, concurrent callers share it, a
// failed read is forgotten at once. For settings a merchant changes rarely (their change takes effect
// within `ttlMs`); never for an answer about one order (whether it is paid is asked every time).
export function ttlCache<V>(read: (key: string) => Promise<V>, ttlMs: number, now: () => number = Date.now): (key: string) => Promise<V> {
  const cache = new Map<string, { value: Promise<V>; readAt: number }>();
  return (key) => {
    const at = now();
    const hit = cache.get(key);
    if (hit && at - hit.readAt < ttlMs) return hit.value;
    const entry = { value: read(key), readAt: at };
    cache.set(key, entry);
    entry.value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return entry.value;
  };
}
