// Fixture loading and error capture shared by the platform adapter tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidPayloadError } from '#core/errors';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** The exact bytes of a fixture file, as a platform would send them. */
export function rawFixture(platform: 'salla' | 'zid', name: string): Buffer {
  return readFileSync(join(FIXTURES, platform, name));
}

/** A fresh, mutable copy of a fixture's JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture(platform: 'salla' | 'zid', name: string): any {
  return JSON.parse(rawFixture(platform, name).toString('utf8'));
}

/** Runs `fn` and returns the InvalidPayloadError it throws; fails the test if it throws nothing or something else. */
export function invalidPayloadFrom(fn: () => unknown): InvalidPayloadError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidPayloadError) return error;
    throw error;
  }
  throw new Error('expected an InvalidPayloadError, but nothing was thrown');
}

/** Everything an error could carry into a log line. */
export function serialisedError(error: InvalidPayloadError): string {
  return [error.message, error.name, error.code, ...error.issues, JSON.stringify(error)].join('\n');
}
