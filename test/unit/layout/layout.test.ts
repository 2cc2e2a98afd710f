// The layout rules the code relies on: every import alias names a file (TypeScript's resolver is more
// lenient than Node's and jest's), the core imports no adapter, wiring or infrastructure, and files in
// functions/ stay small enough to read in one go.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const imports: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(join(ROOT, path)).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const specifiers = (file: string) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from\s+|import\(\s*)'([^']+)'/g)].map((m) => m[1]);

describe('layout', () => {
  const all = ['bin', 'lib', 'functions', 'local', 'cli', 'test', 'bench'].flatMap((dir) => sources(dir));

  it('every #alias import resolves to an existing file (no directory imports through an alias)', () => {
    const broken: string[] = [];
    for (const file of all) {
      for (const spec of specifiers(file).filter((s) => s.startsWith('#'))) {
        const key = Object.keys(imports).find((k) => spec.startsWith(k.replace('*', '')));
        const target = key && imports[key].replace('*', spec.slice(key.length - 1));
        if (!target || !existsSync(join(ROOT, target))) broken.push(`${file}: ${spec}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the core imports only the core (no adapter, wiring, AWS SDK or Lambda types)', () => {
    const leaks = sources('functions/core').flatMap((file) =>
      specifiers(file)
        .filter((spec) => (spec.startsWith('#') && !spec.startsWith('#core/')) || spec.startsWith('@aws-sdk/') || spec.startsWith('aws-lambda') || spec.startsWith('@aws-lambda-powertools/'))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(leaks).toEqual([]);
  });

  it('no source file in functions/ is over 300 lines', () => {
    const long = sources('functions')
      .map((file) => ({ file: relative(ROOT, join(ROOT, file)), lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
      .filter((f) => f.lines > 300);
    expect(long).toEqual([]);
  });
});
