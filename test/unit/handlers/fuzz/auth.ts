// Credentials as data: the ways a genuine delivery authenticates, and the ways a forged one tries to.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { sallaSignature } from '#adapters/platforms/salla/local';
import { SIMULATOR_USER_AGENT } from '#local/webhook-signing';
import { rawFixture } from '#test/unit/platforms/helpers';
import { STORES, type FuzzPlatform } from './webhook-harness';

const SALLA = STORES.salla.demo.secret.secret;
const ZID = STORES.zid.demo.secret;

/** Content types a delivery may declare; the non-text ones reach the function base64-encoded. */
export const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/octet-stream', undefined);

/** How a genuine delivery of the demo store authenticates. */
export type GenuineAuth =
  | { strategy: string | undefined; signature: 'lower' | 'upper' }
  | { strategy: string | undefined; token: 'plain' | 'bearer' | 'bearer-spaced' }
  | { basic: 'Basic' | 'basic' | 'BASIC' | 'Basic  ' };

export const genuineAuth: Record<FuzzPlatform, fc.Arbitrary<GenuineAuth>> = {
  // The demo store is pinned to the Signature strategy (the default); pinning itself is tested in salla-verify.
  salla: fc.record({ strategy: fc.constantFrom('Signature', 'SIGNATURE', 'sIgNaTuRe', '', undefined), signature: fc.constantFrom<'lower' | 'upper'>('lower', 'upper') }),
  zid: fc.record({ basic: fc.constantFrom<'Basic' | 'basic' | 'BASIC' | 'Basic  '>('Basic', 'basic', 'BASIC', 'Basic  ') }),
};

const basic = (username: string, password: string) => Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
const hmacHex = (body: Buffer | string, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

function baseHeaders(platform: FuzzPlatform, type: string | undefined): Record<string, string> {
  return { 'User-Agent': `${platform === 'salla' ? 'Salla' : 'Zid'} (${SIMULATOR_USER_AGENT})`, ...(type === undefined ? {} : { 'Content-Type': type }) };
}

export function genuineHeaders(auth: GenuineAuth, body: Buffer, type: string | undefined): Record<string, string> {
  if ('basic' in auth) return { ...baseHeaders('zid', type), Authorization: `${auth.basic} ${basic(ZID.username, ZID.password)}` };
  const headers = baseHeaders('salla', type);
  if (auth.strategy !== undefined) headers['X-Salla-Security-Strategy'] = auth.strategy;
  if ('signature' in auth) {
    const signature = sallaSignature(body, SALLA);
    headers['X-Salla-Signature'] = auth.signature === 'upper' ? signature.toUpperCase() : signature;
  } else {
    headers.Authorization = { plain: SALLA, bearer: `Bearer ${SALLA}`, 'bearer-spaced': `bearer   ${SALLA}` }[auth.token];
  }
  return headers;
}

/** A Salla signature that is not the demo store's signature of these bytes. */
export type ForgedSignature =
  | { random: string }
  | { flipDigit: number }
  | { truncatedTo: number }
  | 'extended'
  | 'sha256-prefixed'
  | 'base64'
  | 'of-body-plus-newline'
  | 'of-another-fixture'
  | 'with-neighbour-secret'
  | 'with-truncated-secret'
  | 'of-the-secret'
  | 'empty';

/** A Salla token that is not the demo store's secret. */
export type ForgedToken =
  | { truncatedTo: number }
  | 'extended'
  | 'upper-case'
  | 'neighbour'
  | 'bearer-glued'
  | 'bearer-twice'
  | 'quoted'
  | 'basic-of-secret'
  | 'the-signature'
  | { random: string }
  | 'empty';

export const forgedSignature: fc.Arbitrary<ForgedSignature> = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{64}$/).map((random) => ({ random })),
  fc.nat({ max: 63 }).map((flipDigit) => ({ flipDigit })),
  fc.nat({ max: 63 }).map((truncatedTo) => ({ truncatedTo })),
  fc.constantFrom<ForgedSignature>('extended', 'sha256-prefixed', 'base64', 'of-body-plus-newline', 'of-another-fixture', 'with-neighbour-secret', 'with-truncated-secret', 'of-the-secret', 'empty'),
);

export const forgedToken: fc.Arbitrary<ForgedToken> = fc.oneof(
  fc.nat({ max: SALLA.length - 1 }).map((truncatedTo) => ({ truncatedTo })),
  fc.stringMatching(/^[\x21-\x7e]{1,80}$/).filter((s) => s !== SALLA).map((random) => ({ random })),
  fc.constantFrom<ForgedToken>('extended', 'upper-case', 'neighbour', 'bearer-glued', 'bearer-twice', 'quoted', 'basic-of-secret', 'the-signature', 'empty'),
);

const ANOTHER_FIXTURE = rawFixture('salla', 'order-refunded.json');

export function forgedSignatureValue(forged: ForgedSignature, body: Buffer): string {
  const genuine = sallaSignature(body, SALLA);
  if (typeof forged === 'object') {
    if ('random' in forged) return forged.random === genuine ? forged.random.replace(/^./, (c) => (c === '0' ? '1' : '0')) : forged.random;
    if ('flipDigit' in forged) return genuine.slice(0, forged.flipDigit) + ((parseInt(genuine[forged.flipDigit] as string, 16) + 1) % 16).toString(16) + genuine.slice(forged.flipDigit + 1);
    return genuine.slice(0, forged.truncatedTo);
  }
  switch (forged) {
    case 'extended':
      return `${genuine}0`;
    case 'sha256-prefixed':
      return `sha256=${genuine}`;
    case 'base64':
      return Buffer.from(genuine, 'hex').toString('base64');
    case 'of-body-plus-newline':
      return hmacHex(Buffer.concat([body, Buffer.from('\n')]), SALLA);
    case 'of-another-fixture':
      return hmacHex(ANOTHER_FIXTURE.equals(body) ? Buffer.concat([body, Buffer.from(' ')]) : ANOTHER_FIXTURE, SALLA);
    case 'with-neighbour-secret':
      return hmacHex(body, STORES.salla.neighbour.secret.secret);
    case 'with-truncated-secret':
      return hmacHex(body, SALLA.slice(0, -1));
    case 'of-the-secret':
      return hmacHex(SALLA, SALLA);
    case 'empty':
      return '';
  }
}

export function forgedTokenValue(forged: ForgedToken, body: Buffer): string {
  if (typeof forged === 'object') return 'random' in forged ? forged.random : SALLA.slice(0, forged.truncatedTo);
  switch (forged) {
    case 'extended':
      return `${SALLA}x`;
    case 'upper-case':
      return SALLA.toUpperCase();
    case 'neighbour':
      return STORES.salla.neighbour.secret.secret;
    case 'bearer-glued':
      return `Bearer${SALLA}`;
    case 'bearer-twice':
      return `Bearer Bearer ${SALLA}`;
    case 'quoted':
      return `"${SALLA}"`;
    case 'basic-of-secret':
      return `Basic ${Buffer.from(SALLA).toString('base64')}`;
    case 'the-signature':
      return sallaSignature(body, SALLA);
    case 'empty':
      return '';
  }
}

/** A Zid Authorization header that is not the demo store's credentials. */
export type ForgedBasic =
  | { wrongPassword: string }
  | 'truncated-password'
  | 'password-upper-case'
  | 'username-upper-case'
  | 'wrong-username'
  | 'swapped'
  | 'neighbour'
  | 'no-colon'
  | 'empty-username'
  | 'empty-password'
  | 'trailing-colon'
  | 'colon-in-username'
  | 'password-with-newline'
  | 'unpadded'
  | 'space-inside'
  | 'bearer-scheme'
  | 'digest-scheme'
  | 'scheme-only'
  | 'twice'
  | 'plain-text'
  | 'salla-secret'
  | 'empty';

export const forgedBasic: fc.Arbitrary<ForgedBasic> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).filter((p) => p !== ZID.password).map((wrongPassword) => ({ wrongPassword })),
  fc.constantFrom<ForgedBasic>(
    'truncated-password', 'password-upper-case', 'username-upper-case', 'wrong-username', 'swapped', 'neighbour', 'no-colon', 'empty-username',
    'empty-password', 'trailing-colon', 'colon-in-username', 'password-with-newline', 'unpadded', 'space-inside', 'bearer-scheme',
    'digest-scheme', 'scheme-only', 'twice', 'plain-text', 'salla-secret', 'empty',
  ),
);

export function forgedBasicValue(forged: ForgedBasic): string {
  const { username, password } = ZID;
  const genuine = basic(username, password);
  if (typeof forged === 'object') return `Basic ${basic(username, forged.wrongPassword)}`;
  switch (forged) {
    case 'truncated-password':
      return `Basic ${basic(username, password.slice(0, -1))}`;
    case 'password-upper-case':
      return `Basic ${basic(username, password.toUpperCase())}`;
    case 'username-upper-case':
      return `Basic ${basic(username.toUpperCase(), password)}`;
    case 'wrong-username':
      return `Basic ${basic('admin', password)}`;
    case 'swapped':
      return `Basic ${basic(password, username)}`;
    case 'neighbour':
      return `Basic ${basic(STORES.zid.neighbour.secret.username, STORES.zid.neighbour.secret.password)}`;
    case 'no-colon':
      return `Basic ${Buffer.from(`${username}${password}`).toString('base64')}`;
    case 'empty-username':
      return `Basic ${basic('', password)}`;
    case 'empty-password':
      return `Basic ${basic(username, '')}`;
    case 'trailing-colon':
      return `Basic ${basic(username, `${password}:`)}`;
    case 'colon-in-username':
      return `Basic ${basic(`${username}:x`, password)}`;
    case 'password-with-newline':
      return `Basic ${basic(username, `${password}\n`)}`;
    case 'unpadded':
      return `Basic ${genuine.replace(/=+$/, '')}`;
    case 'space-inside':
      return `Basic ${genuine.slice(0, 8)} ${genuine.slice(8)}`;
    case 'bearer-scheme':
      return `Bearer ${genuine}`;
    case 'digest-scheme':
      return `Digest ${genuine}`;
    case 'scheme-only':
      return 'Basic';
    case 'twice':
      return `Basic ${genuine} Basic ${genuine}`;
    case 'plain-text':
      return `Basic ${username}:${password}`;
    case 'salla-secret':
      return SALLA;
    case 'empty':
      return '';
  }
}

/** Headers of a forged Salla delivery; `undefined` leaves a header out. */
export function sallaForgedHeaders(
  parts: { strategy: string | undefined; signature: ForgedSignature | 'genuine' | undefined; token: ForgedToken | 'genuine' | undefined },
  body: Buffer,
  type: string | undefined,
): Record<string, string> {
  const headers = baseHeaders('salla', type);
  if (parts.strategy !== undefined) headers['X-Salla-Security-Strategy'] = parts.strategy;
  if (parts.signature !== undefined) headers['X-Salla-Signature'] = parts.signature === 'genuine' ? sallaSignature(body, SALLA) : forgedSignatureValue(parts.signature, body);
  if (parts.token !== undefined) headers.Authorization = parts.token === 'genuine' ? SALLA : forgedTokenValue(parts.token, body);
  return headers;
}

export function zidForgedHeaders(credential: ForgedBasic | 'genuine' | undefined, type: string | undefined): Record<string, string> {
  const headers = baseHeaders('zid', type);
  if (credential !== undefined) headers.Authorization = credential === 'genuine' ? `Basic ${basic(ZID.username, ZID.password)}` : forgedBasicValue(credential);
  return headers;
}
