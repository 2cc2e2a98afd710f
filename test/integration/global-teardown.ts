// Stops the shared engines; DynamoDB Local is a java child process that would outlive us otherwise.
import type { RunningEngine } from '#local/engines';

export default async function globalTeardown(): Promise<void> {
  const engines = ((globalThis as Record<string, unknown>).__ENGINES__ ?? []) as RunningEngine[];
  (globalThis as Record<string, unknown>).__ENGINES__ = undefined;
  for (const engine of engines) await engine.stop();
}
