// SecretsManagerReader: Secrets Manager through Powertools Parameters; a missing secret is undefined.
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerReader, StaticSecretReader } from '#adapters/aws/secrets';

const smMock = mockClient(SecretsManagerClient);
let n = 0;
/** Powertools caches values by name: every test reads a fresh one. */
const fresh = () => `streamsync/test/secret-${n++}`;

beforeAll(() => {
  process.env.AWS_REGION ??= 'me-south-1';
});
beforeEach(() => smMock.reset());

describe('SecretsManagerReader', () => {
  it('returns a string secret', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: '{"secret":"abc"}' });
    const name = fresh();
    await expect(new SecretsManagerReader().get(name)).resolves.toBe('{"secret":"abc"}');
    expect(smMock.commandCalls(GetSecretValueCommand)[0].args[0].input.SecretId).toBe(name);
  });

  it('returns a binary secret as UTF-8 text', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretBinary: new TextEncoder().encode('binary-secret') });
    await expect(new SecretsManagerReader().get(fresh())).resolves.toBe('binary-secret');
  });

  it('lets other failures through (access denied is not "missing")', async () => {
    smMock.on(GetSecretValueCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    await expect(new SecretsManagerReader().get(fresh())).rejects.toThrow('User is not authorized');
  });

  // Powertools wraps the SDK error in a GetParameterError (the original as `cause`) whose message is the
  // service's text: a missing secret must still read as undefined (an unconfigured store → 401, not 5xx).
  it('returns undefined for a secret that does not exist (ResourceNotFoundException)', async () => {
    smMock.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }));
    await expect(new SecretsManagerReader().get(fresh())).resolves.toBeUndefined();
  });

  it('recognises the not-found cause however the message reads', async () => {
    smMock.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'Secret not here', $metadata: {} }));
    await expect(new SecretsManagerReader().get(fresh())).resolves.toBeUndefined();
  });

  it.each([
    ['a GetParameterError caused by ResourceNotFoundException', Object.assign(new Error('wrapped'), { name: 'GetParameterError', cause: Object.assign(new Error('x'), { name: 'ResourceNotFoundException' }) })],
    ['a message saying the secret cannot be found', Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'GetParameterError' })],
  ])('treats %s as not found', async (_name, error) => {
    smMock.on(GetSecretValueCommand).rejects(error);
    await expect(new SecretsManagerReader().get(fresh())).resolves.toBeUndefined();
  });

  it('a wrapped failure that is not "not found" is still thrown', async () => {
    const cause = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    smMock.on(GetSecretValueCommand).rejects(Object.assign(new Error('wrapped'), { name: 'GetParameterError', cause }));
    await expect(new SecretsManagerReader().get(fresh())).rejects.toThrow();
  });
});

describe('StaticSecretReader', () => {
  it('answers from its map, undefined otherwise', async () => {
    const reader = new StaticSecretReader({ 'a/b': 'v' });
    await expect(reader.get('a/b')).resolves.toBe('v');
    await expect(reader.get('a/c')).resolves.toBeUndefined();
  });
});
