// Bundle-only stand-in for the `semver` package: lib/bundling.ts aliases `semver` to this file in the Lambda
// bundles (never in tests or local runs, which use the real package). Its only users there are
// aws-xray-sdk-core (`semver.gte(awssdk.VERSION, '2.7.15')`, in its SDK v2 patcher) and cls-hooked
// (`semver.gte(process.versions.node, '8.0.0')`, once at load), and the whole package is 28 KB of a bundle.
// Same result as semver's `gte` for every valid strict version (major.minor.patch, prerelease, build); an
// invalid version throws a TypeError, as semver does. test/unit/handlers/semver-shim.test.ts compares the two.

const MAX_LENGTH = 256;
const NUMBER = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:${NUMBER}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const BUILD_ID = '[0-9A-Za-z-]+';
const VERSION = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?$`,
);

interface Parsed {
  main: [number, number, number];
  prerelease: string[];
}

function parse(version: unknown): Parsed {
  if (typeof version !== 'string') throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`);
  if (version.length > MAX_LENGTH) throw new TypeError(`version is longer than ${MAX_LENGTH} characters`);
  const match = VERSION.exec(version.trim());
  if (!match) throw new TypeError(`Invalid Version: ${version}`);
  const main = [Number(match[1]), Number(match[2]), Number(match[3])] as [number, number, number];
  if (main.some((n) => !Number.isSafeInteger(n))) throw new TypeError(`Invalid Version: ${version}`);
  return { main, prerelease: match[4] ? match[4].split('.') : [] };
}

const NUMERIC = /^[0-9]+$/;

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function compare(a: Parsed, b: Parsed): number {
  for (let i = 0; i < 3; i++) if (a.main[i] !== b.main[i]) return a.main[i] < b.main[i] ? -1 : 1;
  // A version without prerelease ranks above the same version with one.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; ; i++) {
    if (i === a.prerelease.length || i === b.prerelease.length) return Math.sign(a.prerelease.length - b.prerelease.length);
    const order = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
    if (order !== 0) return order;
  }
}

/** `a >= b` in semver order. */
export function gte(a: string, b: string): boolean {
  return compare(parse(a), parse(b)) >= 0;
}
