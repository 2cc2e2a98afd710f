// A container-wide value built on first use; a failed build is not kept, so the next invocation retries.
export function memo<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= build().catch((err) => {
      value = undefined;
      throw err;
    }));
}
