// Bundles one function exactly as CDK does (lib/bundling.ts), and says what the bundle is made of.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_BUNDLING, functionBuildOptions } from '#lib/bundling';

export interface BundleComposition {
  /** Bytes of minified output per package (`zod`, `@aws-lambda-powertools/logger`, …) or `functions/<dir>` for our code. */
  byPackage: Array<{ name: string; bytes: number }>;
  /** Modules left to the runtime (or Node built-ins), in the order the bundle loads them. */
  externals: Array<{ path: string; kind: 'import' | 'require' }>;
}

export interface BuiltBundle {
  file: string;
  /** index.js only (the deployed code the runtime parses), not the source map. */
  bytes: number;
  mapBytes: number;
  composition: BundleComposition;
}

/** `node_modules/@scope/pkg/…` → `@scope/pkg` (nested copies keep their parent: `a > b`); our files → `functions/<dir>`. */
export function packageOf(input: string): string {
  const parts = input.split('node_modules/').slice(1);
  if (parts.length === 0) return input.split('/').slice(0, 2).join('/');
  return parts
    .map((part) => {
      const segments = part.split('/');
      return segments[0].startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0];
    })
    .join(' > ');
}

export function composition(metafile: Metafile): BundleComposition {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint);
  if (!output) throw new Error('esbuild metafile has no entry output');
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  const externals: BundleComposition['externals'] = [];
  const seen = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external || seen.has(imported.path)) continue;
      if (imported.kind !== 'import-statement' && imported.kind !== 'require-call') continue;
      seen.add(imported.path);
      // A CommonJS bundle require()s every external, whatever the source said.
      const required = FUNCTION_BUNDLING.format === 'cjs' || imported.kind === 'require-call';
      externals.push({ path: imported.path, kind: required ? 'require' : 'import' });
    }
  }
  return {
    byPackage: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    externals,
  };
}

export async function bundleFunction(entry: string, outdir: string): Promise<BuiltBundle> {
  const result = await build({ ...functionBuildOptions(entry, outdir), metafile: true });
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${entry}`);
  const file = path.join(outdir, BUNDLE_FILE);
  return {
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    composition: composition(result.metafile!),
  };
}
