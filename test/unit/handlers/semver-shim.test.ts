// The bundle-only `semver` stand-in (lib/bundling.ts aliases `semver` to it in the Lambda bundles) must answer
// `gte` exactly as the real package does for the versions the Tracer's dependencies pass it, and beyond.
import { gte } from '#wiring/bundle-shims/semver';

// The real package, from node_modules (a dependency of aws-xray-sdk-core): the reference.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require('semver') as { gte(a: string, b: string): boolean };

const versions = [
  process.versions.node,
  '8.0.0',
  '7.10.1',
  '20.20.2',
  '24.11.1',
  'v24.0.0',
  ' 22.1.0 ',
  '2.7.15',
  '2.7.9',
  '2.1692.0',
  '3.1169.0',
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
  '1.0.0+build.5',
  '1.0.0-1',
  '1.0.0-01a',
  '1.0.0-x-y',
];

describe('bundle-shims/semver gte', () => {
  it('orders every pair of versions as semver does', () => {
    const pairs = versions.flatMap((a) => versions.map((b) => [a, b] as const));
    const differing = pairs.filter(([a, b]) => gte(a, b) !== semver.gte(a, b));
    expect(differing).toEqual([]);
    expect(pairs.length).toBeGreaterThan(500);
  });

  it.each(['', 'x', '1.0', '1.0.0.0', '01.0.0', '1.0.0-', '1.0.0-01', 'a.b.c'])('rejects %p like semver', (bad) => {
    expect(() => semver.gte(bad, '1.0.0')).toThrow(TypeError);
    expect(() => gte(bad, '1.0.0')).toThrow(TypeError);
  });

  it('answers what cls-hooked and the X-Ray SDK ask', () => {
    expect(gte(process.versions.node, '8.0.0')).toBe(true);
    expect(gte('2.7.14', '2.7.15')).toBe(false);
  });
});
