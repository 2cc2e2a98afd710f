// Zod failures → InvalidPayloadError whose issues name paths and expectations, never input values,
// so customer data and secrets in a malformed body cannot reach the logs through an error.
import type * as z from 'zod/mini';
import { InvalidPayloadError } from '#core/errors';

type Issue = z.core.$ZodIssue;

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((p) => (typeof p === 'symbol' ? '?' : String(p))).join('.');
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item(s)`;
      return `must be ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} item(s)`;
      return `must be ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`;
    case 'invalid_union': {
      // e.g. an id that is neither a number nor a string: name the accepted types.
      const expected = issue.errors
        .flat()
        .filter((i): i is Extract<Issue, { code: 'invalid_type' }> => i.code === 'invalid_type' && i.path.length === 0)
        .map((i) => i.expected);
      return expected.length > 0 ? `expected ${[...new Set(expected)].join(' or ')}` : 'does not match any accepted shape';
    }
    case 'invalid_format':
      return `invalid ${issue.format}`;
    case 'invalid_value':
      return 'invalid value';
    case 'custom':
      // Only our own schemas raise custom issues, with constant messages.
      return issue.message;
    default:
      return 'invalid';
  }
}

/** `data.items.0.quantity: expected number` — path and expectation only. */
export function issuePaths(error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => `${formatPath([...prefix, ...issue.path])}: ${describe(issue)}`);
}

/** Parse `value` with `schema` or throw `InvalidPayloadError(message, <paths>)`. */
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  message: string,
  prefix: readonly PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidPayloadError(message, issuePaths(result.error, prefix));
}
