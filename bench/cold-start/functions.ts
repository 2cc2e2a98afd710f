// Which functions the stack deploys: every `entry: 'functions/….ts'` of a StreamSyncFunction in lib/*.ts
// (a new function is picked up without touching the benchmark). Read as text: loading the CDK app just to
// list five paths would cost seconds of the section's budget.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '#lib/bundling';

export interface FunctionEntry {
  /** `webhook`, `delivery`, `restock-stream`, … from the entry path. */
  name: string;
  /** Relative to the project root, as given to StreamSyncFunction. */
  entry: string;
}

const ENTRY = /\bentry:\s*'(functions\/[^']+\.ts)'/g;

/** `functions/restock/poll-handler.ts` → `restock-poll`; `functions/webhook/handler.ts` → `webhook`. */
export function functionName(entry: string): string {
  const [dir, file] = entry.replace(/^functions\//, '').replace(/\.ts$/, '').split('/').slice(-2);
  const stem = file.replace(/-?handler$/, '');
  return stem ? `${dir}-${stem}` : dir;
}

export function discoverFunctions(root = PROJECT_ROOT): FunctionEntry[] {
  const libDir = path.join(root, 'lib');
  const entries = new Set<string>();
  for (const file of readdirSync(libDir).filter((f) => f.endsWith('.ts')).sort()) {
    for (const match of readFileSync(path.join(libDir, file), 'utf8').matchAll(ENTRY)) entries.add(match[1]);
  }
  if (entries.size === 0) throw new Error(`No function entries found in ${libDir}`);
  return [...entries].map((entry) => {
    if (!existsSync(path.join(root, entry))) throw new Error(`Function entry ${entry} (lib/*.ts) does not exist`);
    return { name: functionName(entry), entry };
  });
}
